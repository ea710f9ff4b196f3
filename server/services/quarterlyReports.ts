import { QueryTypes, type Sequelize, type Transaction } from 'sequelize'
import type { Clock } from '../domain/clock'
import { addCalendarDays } from '../domain/calendar'
import { HELD_OUTCOMES, PERSON_CONTACT_KINDS, yerevanMoment } from '../domain/contacts'
import { SERVICE_TIME_ZONE, serviceDateOf } from '../domain/dates'
import type { DueDateExplanation } from '../domain/deadlineRules'
import {
  ASSESSMENT_DEADLINE_RULES,
  decisionOutcome,
  emptyFigureSet,
  FIGURE_CODES,
  figureDefinition,
  fromSnapshot,
  monthsOf,
  PLAN_DEADLINE_RULES,
  preparationStep,
  previousQuarter,
  quarterOf,
  quarterPeriod,
  quarterToReport,
  rollupSource,
  submissionProblems,
  toSnapshot,
  type Decision,
  type FigureCode,
  type FigureSet,
  type Grade,
  type PreparationStep,
  type Quarter,
  type RecordKind,
  type ReportStatus,
  type RollupSource,
  type Snapshot,
} from '../domain/quarterlyReport'
import { doneOnTimeSql } from '../data/ledger'
import type { LiveFigureQueries } from '../data/liveFigures'
import type { AuditService } from './audit'
import { ANSWERED_ON_TIME_SQL } from './correspondence'
import { NotFoundError, ServiceError, StaleEditError, type RequestContext } from './context'
import type { DeadlineService } from './deadlines'

export interface ReportVersion {
  id: number
  versionNumber: number
  status: ReportStatus
  problems: string | null
  proposals: string | null
  dueDate: string
  preparedByName: string
  submittedOn: string | null
  submittedAt: Date | null
  submittedByName: string | null
  grade: Grade | null
  decisionComment: string | null
  decidedAt: Date | null
  decidedByName: string | null
  /** For optimistic locking. */
  version: number
}

export interface ReportView {
  regionId: number
  quarter: Quarter
  period: { from: string; to: string }
  dueDate: string
  dueExplanation: DueDateExplanation
  /** Newest first. */
  versions: ReportVersion[]
  /** The version whose figures are shown; null before anyone prepares the report. */
  shown: ReportVersion | null
  figures: FigureSet
  /** True when the figures are computed now from the records (no version, or a draft), not a submitted snapshot. */
  live: boolean
  /** The day the figures were computed: today when live, else the submission day. */
  computedOn: string
  /** What saving the narrative or submitting would do now. */
  preparation: PreparationStep
}

export interface NarrativeInput {
  problems: string | null
  proposals: string | null
  /** The open draft's version, or 0 when preparing starts a new version. */
  expectedVersion: number
}

export interface DecisionInput {
  decision: Decision
  grade: Grade | null
  comment: string
  expectedVersion: number
}

/** One record behind a figure, in the columns every drill-down shares; codes are locale keys the view translates. */
export interface RecordLine {
  id: number
  href: string
  reference: string | null
  person: string | null
  date: string | null
  dueDate: string | null
  endDate: string | null
  /** A locale key, a measure type code (`measure:<code>`) or a deadline rule (`rule:<id>`). */
  what: string | null
  state: string | null
  amount: number | null
}

export interface RollupRow {
  regionId: number
  nameHy: string
  nameEn: string
  source: RollupSource
  previousSource: RollupSource
  /** The quarter's latest version, whatever its status; null before anyone prepares the report. */
  latestStatus: ReportStatus | null
  latestVersionNumber: number | null
  grade: Grade | null
  submittedOn: string | null
  dueDate: string | null
  values: Record<FigureCode, number>
  previous: Record<FigureCode, number>
}

export interface RollupView {
  quarter: Quarter
  previousQuarter: Quarter
  period: { from: string; to: string }
  computedOn: string
  /** When the oldest of the live figures shown was computed (null: every region's figures are from its report). */
  liveAsOf: Date | null
  liveMaxAgeMinutes: number
  rows: RollupRow[]
  totals: Record<FigureCode, number>
  previousTotals: Record<FigureCode, number>
}

export const RECORDS_PAGE_SIZE = 100

/**
 * How long the roll-up shows stored live figures; the background job recomputes them every LIVE_FIGURES_REFRESH_MINUTES,
 * so the roll-up rarely computes any itself. A region's own report page always computes its figures now.
 */
export const LIVE_FIGURES_MAX_AGE_MINUTES = 10
export const LIVE_FIGURES_REFRESH_MINUTES = 5

interface FigureRow {
  /** Which of the quarters asked the row counts (its position among them). */
  period: number
  regionId: number
  code: FigureCode
  part: string | null
  value: number
  ids: number[] | null
}

/*
 * The quarters asked for, as the queries read them (named by their position k among the quarters asked): the quarter's
 * days, the same as moments in Yerevan (appointments are found by time), its three months (judged only once over), and
 * the span of all of them together. Passed as plain values, so that the planner knows the ranges it scans.
 */
interface QuarterBounds {
  from: string
  to: string
  momentFrom: Date
  momentUntil: Date
  months: { from: string; until: string; judged: boolean; momentFrom: Date; momentUntil: Date }[]
}

function boundsOf(quarter: Quarter, today: string): QuarterBounds {
  const { from, to } = quarterPeriod(quarter)
  return {
    from, to, momentFrom: yerevanMoment(from, '00:00'), momentUntil: yerevanMoment(addCalendarDays(to, 1), '00:00'),
    months: monthsOf(quarter).map((month) => ({ ...month, judged: month.until <= today, momentFrom: yerevanMoment(month.from, '00:00'), momentUntil: yerevanMoment(month.until, '00:00') })),
  }
}

function boundReplacements(quarters: readonly QuarterBounds[]): Record<string, string | boolean> {
  const rangeTo = quarters.map((q) => q.to).reduce((a, b) => (a > b ? a : b))
  const values: Record<string, string | boolean> = {
    rangeFrom: quarters.map((q) => q.from).reduce((a, b) => (a < b ? a : b)),
    rangeTo,
    rangeUntil: addCalendarDays(rangeTo, 1),
    rangeMomentFrom: new Date(Math.min(...quarters.map((q) => q.momentFrom.getTime()))).toISOString(),
    rangeMomentUntil: new Date(Math.max(...quarters.map((q) => q.momentUntil.getTime()))).toISOString(),
  }
  quarters.forEach((q, k) => {
    Object.assign(values, { [`q${k}From`]: q.from, [`q${k}To`]: q.to, [`q${k}MomentFrom`]: q.momentFrom.toISOString(), [`q${k}MomentUntil`]: q.momentUntil.toISOString() })
    q.months.forEach((month, i) => {
      const m = `q${k}m${i + 1}`
      Object.assign(values, { [`${m}From`]: month.from, [`${m}Until`]: month.until, [`${m}Judged`]: month.judged, [`${m}MomentFrom`]: month.momentFrom.toISOString(), [`${m}MomentUntil`]: month.momentUntil.toISOString() })
    })
  })
  return values
}

/**
 * The figures of some quarters for some regions, in a few set-based queries: each reads its tables once for all the
 * quarters and regions asked, grouped by quarter and region, and yields rows of (quarter, region, figure, breakdown
 * key, value, ids), the quarter by its position among those asked. The ids are aggregated only when a drill-down needs
 * them. The text depends only on how many quarters are asked, whether ids are wanted and whether a single region is
 * asked (its contacts are then read through its files rather than all of them at once); everything else is a value.
 */
function figureQueries(quarterCount: number, withIds: boolean, oneRegion: boolean): string[] {
  const ks = Array.from({ length: quarterCount }, (_, k) => k)
  const ids = (column: string, where?: string) => (withIds ? `array_agg(DISTINCT ${column} ORDER BY ${column})${where ? ` FILTER (WHERE ${where})` : ''}` : 'NULL::int[]')
  const fileOf = (alias: string) => `JOIN beneficiaries b ON b.id = ${alias}.beneficiary_id AND b.region_id IN (:regionIds)`
  const inQuarter = (date: string) => `${date} BETWEEN q.day_from AND q.day_to`
  // The same test against all the quarters asked at once, so that rows outside them are dropped before any join.
  const inRange = (date: string) => `${date} BETWEEN :rangeFrom AND :rangeTo`
  const head = `q.n AS period, b.region_id AS "regionId"`
  // The quarter asked (its position, as q.n) that a date falls in, or NULL: for records that count in one quarter at most.
  const whichQuarter = (date: string) => `CROSS JOIN LATERAL (SELECT CASE ${ks.map((k) => `WHEN ${date} BETWEEN CAST(:q${k}From AS date) AND CAST(:q${k}To AS date) THEN ${k}`).join(' ')} END AS n) q`
  // One row per quarter asked, each record joins the one (if any) its date falls in; registered_from is the moment the
  // quarter's first day starts in Yerevan, computed by the same rule as a file's registration day.
  const BOUNDS = `bounds (n, day_from, day_to, moment_from, moment_until, registered_from) AS (VALUES ${ks
    .map((k) => `(${k}, CAST(:q${k}From AS date), CAST(:q${k}To AS date), CAST(:q${k}MomentFrom AS timestamptz), CAST(:q${k}MomentUntil AS timestamptz),
                  CAST(:q${k}From AS date)::timestamp AT TIME ZONE '${SERVICE_TIME_ZONE}')`)
    .join(', ')})`
  // Quarter k's month m (1-3) as columns of one row per person: the day it starts, the day after it ends, whether it is over.
  const month = (k: number, m: number, field: 'From' | 'Until' | 'Judged' | 'MomentFrom' | 'MomentUntil') => (field === 'Judged' ? `:q${k}m${m}Judged` : `CAST(:q${k}m${m}${field} AS ${field.startsWith('Moment') ? 'timestamptz' : 'date'})`)
  const months = [1, 2, 3]
  const sumOf = (k: number, kind: 'r' | 'h') => months.map((m) => `${kind}${k}_${m}`).join(' + ')
  // Integer division rounded up (exactly ceil(a / b) for b > 0, whatever a's sign), without numeric arithmetic.
  const ceilDiv = (a: string, b: string) => `(${a} / ${b} + (${a} % ${b} > 0)::int)::int`
  const met = (k: number) => months.map((m) => `h${k}_${m} >= r${k}_${m}`).join(' AND ')
  // The heaviest first: they run in this order, two at a time (computeFigures).
  return [
    /*
     * Contacts against the standard, month by month as on the contacts page (domain/contacts.ts requiredInMonth): each
     * approved plan requires its monthly figure from its approval until the next plan's, for the share of the month's
     * days it was in force, rounded up; here also only until the file was closed. Only months already over are judged.
     * One row per person, the months of every quarter asked as its columns: the plans in the order of the person's file
     * and the contacts held, each read once, then one pass per region.
     */
    `WITH periods AS (
            SELECT p.beneficiary_id, p.contacts_per_month AS per_month, p.approved_on AS since,
                   LEAST(COALESCE(lead(p.approved_on) OVER (PARTITION BY p.beneficiary_id ORDER BY p.approved_on, p.plan_version), 'infinity'::date), COALESCE(b.closed_on, 'infinity'::date)) AS until
              FROM supervision_plans p ${fileOf('p')}
             WHERE p.status IN ('APPROVED', 'SUPERSEDED') AND p.approved_on IS NOT NULL AND (b.closed_on IS NULL OR b.closed_on >= :rangeFrom)),
          required AS (
            SELECT beneficiary_id, ${ks.flatMap((k) => months.map((m) => `CASE WHEN ${month(k, m, 'Judged')} THEN ${ceilDiv(`sum(per_month * GREATEST(0, LEAST(${month(k, m, 'Until')}, until) - GREATEST(${month(k, m, 'From')}, since)))`, `(${month(k, m, 'Until')} - ${month(k, m, 'From')})`)} ELSE 0 END AS r${k}_${m}`)).join(',\n                   ')}
              FROM periods WHERE since < :rangeUntil AND until > :rangeFrom GROUP BY beneficiary_id),
          held AS (
            SELECT ap.beneficiary_id, ${ks.flatMap((k) => months.map((m) => `count(*) FILTER (WHERE ap.scheduled_at >= ${month(k, m, 'MomentFrom')} AND ap.scheduled_at < ${month(k, m, 'MomentUntil')}) AS h${k}_${m}`)).join(', ')}
                   ${withIds ? ks.map((k) => `, array_agg(ap.id) FILTER (WHERE ap.scheduled_at >= CAST(:q${k}MomentFrom AS timestamptz) AND ap.scheduled_at < CAST(:q${k}MomentUntil AS timestamptz)) AS held_ids${k}`).join('') : ''}
              FROM appointments ap ${oneRegion ? `JOIN beneficiaries hb ON hb.id = ap.beneficiary_id AND hb.region_id IN (:regionIds)` : ''}
             WHERE ap.cancelled_at IS NULL AND ap.kind IN (:personKinds) AND ap.outcome IN (:heldOutcomes)
               AND ap.scheduled_at >= CAST(:rangeMomentFrom AS timestamptz) AND ap.scheduled_at < CAST(:rangeMomentUntil AS timestamptz)
             GROUP BY ap.beneficiary_id),
          people AS (
            SELECT b.id, b.region_id, ${ks.flatMap((k) => months.flatMap((m) => [`COALESCE(r.r${k}_${m}, 0) AS r${k}_${m}`, `COALESCE(h.h${k}_${m}, 0) AS h${k}_${m}`])).join(', ')}
                   ${withIds ? ks.map((k) => `, h.held_ids${k}`).join('') : ''}
              FROM required r FULL JOIN held h ON h.beneficiary_id = r.beneficiary_id JOIN beneficiaries b ON b.id = COALESCE(r.beneficiary_id, h.beneficiary_id)
             WHERE b.region_id IN (:regionIds)),
          by_region AS (
            SELECT region_id, ${ks.map((k) => `
                   sum(${sumOf(k, 'r')}) FILTER (WHERE ${sumOf(k, 'r')} > 0) AS required${k}, ${ids('id', `${sumOf(k, 'r')} > 0`)} AS required_ids${k},
                   count(*) FILTER (WHERE ${sumOf(k, 'r')} > 0 AND ${met(k)}) AS meeting${k}, ${ids('id', `${sumOf(k, 'r')} > 0 AND ${met(k)}`)} AS meeting_ids${k},
                   count(*) FILTER (WHERE ${sumOf(k, 'r')} > 0 AND NOT (${met(k)})) AS below${k}, ${ids('id', `${sumOf(k, 'r')} > 0 AND NOT (${met(k)})`)} AS below_ids${k},
                   sum(${sumOf(k, 'h')}) AS held${k}`).join(',')}
              FROM people GROUP BY region_id)
     SELECT v.n AS period, a.region_id AS "regionId", v.code, NULL::text AS part, v.value, v.ids FROM by_region a
      CROSS JOIN LATERAL (VALUES ${ks.map((k) => `(${k}, 'contactsRequired', a.required${k}::float8, a.required_ids${k}), (${k}, 'peopleMeetingStandard', a.meeting${k}, a.meeting_ids${k}),
                                 (${k}, 'peopleBelowStandard', a.below${k}, a.below_ids${k})${withIds ? '' : `, (${k}, 'contactsHeld', a.held${k}, NULL)`}`).join(',\n                                 ')}) AS v (n, code, value, ids)
      WHERE v.value > 0
     ${withIds ? ks.map((k) => `UNION ALL SELECT ${k}, p.region_id, 'contactsHeld', NULL, count(*), ${ids('x.id')} FROM people p CROSS JOIN LATERAL unnest(p.held_ids${k}) AS x (id) GROUP BY p.region_id`).join('\n     ') : ''}`,
    /*
     * Assessments completed and plans approved in the quarter; done on time: of the due dates falling in the quarter
     * (cancelled ones aside), those closed as done by the due date. One pass over the three.
     */
    `WITH records AS (
            SELECT 'assessment' AS source, a.id, a.beneficiary_id, a.completed_on AS day, NULL::text AS rule_id, NULL::boolean AS on_time FROM assessments a
             WHERE a.status IN ('COMPLETED', 'COUNTERSIGNED') AND ${inRange('a.completed_on')}
            UNION ALL SELECT 'plan', p.id, p.beneficiary_id, p.approved_on, NULL, NULL FROM supervision_plans p WHERE ${inRange('p.approved_on')}
            UNION ALL SELECT 'deadline', d.id, d.beneficiary_id, d.due_date, d.rule_id, ${doneOnTimeSql(`d.status = 'DONE'`, 'd.done_on', 'd.due_date')} FROM deadlines d
             WHERE d.status <> 'CANCELLED' AND d.rule_id IN (:assessmentRules, :planRules) AND ${inRange('d.due_date')}),
          counted AS (
            SELECT q.n, b.region_id, ${[
              ['completed', "r.source = 'assessment'"],
              ['approved', "r.source = 'plan'"],
              ['assessments_due', "r.source = 'deadline' AND r.rule_id IN (:assessmentRules)"],
              ['assessments_on_time', "r.source = 'deadline' AND r.rule_id IN (:assessmentRules) AND r.on_time"],
              ['plans_due', "r.source = 'deadline' AND NOT r.rule_id IN (:assessmentRules)"],
              ['plans_on_time', "r.source = 'deadline' AND NOT r.rule_id IN (:assessmentRules) AND r.on_time"],
            ].map(([name, where]) => `count(*) FILTER (WHERE ${where}) AS ${name}, ${ids('r.id', where)} AS ${name}_ids`).join(',\n                   ')}
              FROM records r ${fileOf('r')} ${whichQuarter('r.day')}
             WHERE q.n IS NOT NULL GROUP BY q.n, b.region_id)
     SELECT c.n AS period, c.region_id AS "regionId", v.code, NULL::text AS part, v.value::float8 AS value, v.ids FROM counted c
      CROSS JOIN LATERAL (VALUES ('assessmentsCompleted', c.completed, c.completed_ids), ('plansApproved', c.approved, c.approved_ids),
                                 ('assessmentsDue', c.assessments_due, c.assessments_due_ids), ('assessmentsOnTime', c.assessments_on_time, c.assessments_on_time_ids),
                                 ('plansDue', c.plans_due, c.plans_due_ids), ('plansOnTime', c.plans_on_time, c.plans_on_time_ids)) AS v (code, value, ids)
      WHERE v.value > 0`,
    // Hours worked, fines paid and violations, each by its own date, all reached through the measure: one pass.
    `WITH ${BOUNDS},
          records AS (
            SELECT 'publicWorksHoursWorked' AS code, NULL::text AS part, w.id, w.measure_id, w.work_date AS day, w.hours AS amount FROM work_sessions w WHERE ${inRange('w.work_date')}
            UNION ALL SELECT 'finesPaidAmd', NULL, p.id, p.measure_id, p.paid_on, p.amount_amd FROM fine_payments p WHERE ${inRange('p.paid_on')}
            UNION ALL SELECT 'violationsRecorded', v.kind, v.id, v.measure_id, v.occurred_on, 1 FROM violations v WHERE ${inRange('v.occurred_on')}
            UNION ALL SELECT 'submissionsToCourt', NULL, v.id, v.measure_id, v.decided_on, 1 FROM violations v WHERE v.outcome = 'SUBMITTED_TO_COURT' AND ${inRange('v.decided_on')})
     SELECT ${head}, r.code, r.part, sum(r.amount)::float8 AS value, ${ids('r.id')} AS ids
       FROM records r JOIN measures m ON m.id = r.measure_id ${fileOf('m')} JOIN bounds q ON ${inQuarter('r.day')}
      GROUP BY q.n, b.region_id, r.code, r.part`,
    /*
     * Measures arrive with the court act (its receipt date) and end when completed or ended: one pass, by type. Hours
     * ordered and fines imposed are the public works and fines that arrived.
     */
    `WITH ${BOUNDS},
          by_type AS (
            SELECT q.n, b.region_id, m.type_code,
                   count(*) FILTER (WHERE ${inQuarter('a.received_date')}) AS arrived, ${ids('m.id', inQuarter('a.received_date'))} AS arrived_ids,
                   count(*) FILTER (WHERE m.state IN ('completed', 'ended') AND ${inQuarter('m.ended_on')}) AS ended, ${ids('m.id', `m.state IN ('completed', 'ended') AND ${inQuarter('m.ended_on')}`)} AS ended_ids,
                   sum(COALESCE((m.details ->> 'hoursOrdered')::numeric, 0)) FILTER (WHERE ${inQuarter('a.received_date')} AND m.type_code = 'PUBLIC_WORKS') AS hours_ordered,
                   sum(COALESCE((m.details ->> 'amountAmd')::numeric, 0)) FILTER (WHERE ${inQuarter('a.received_date')} AND m.type_code = 'FINE') AS amount_imposed
              FROM measures m JOIN court_acts a ON a.id = m.court_act_id ${fileOf('m')}
              JOIN bounds q ON ${inQuarter('a.received_date')} OR ${inQuarter('m.ended_on')}
             WHERE ${inRange('a.received_date')} OR ${inRange('m.ended_on')}
             GROUP BY q.n, b.region_id, m.type_code)
     SELECT t.n AS period, t.region_id AS "regionId", v.code, v.part, v.value::float8 AS value, v.ids FROM by_type t
      CROSS JOIN LATERAL (VALUES ('newMeasures', t.type_code, t.arrived, t.arrived_ids, t.arrived > 0), ('endedMeasures', t.type_code, t.ended, t.ended_ids, t.ended > 0),
                                 ('publicWorksHoursOrdered', NULL, t.hours_ordered, t.arrived_ids, t.type_code = 'PUBLIC_WORKS' AND t.arrived > 0),
                                 ('finesImposed', NULL, t.arrived, t.arrived_ids, t.type_code = 'FINE' AND t.arrived > 0),
                                 ('finesImposedAmd', NULL, t.amount_imposed, t.arrived_ids, t.type_code = 'FINE' AND t.arrived > 0)) AS v (code, part, value, ids, counted)
      WHERE v.counted`,
    // The definitions of the correspondence summary (services/correspondence.ts quarterSummary): one pass by kind, one for complaints by topic.
    `WITH ${BOUNDS},
          items AS NOT MATERIALIZED (SELECT q.n, i.id, i.region_id, i.kind, i.topic, i.due_date, i.answered_on, i.status FROM incoming_items i
                     JOIN bounds q ON ${inQuarter('i.received_on')} WHERE i.region_id IN (:regionIds) AND ${inRange('i.received_on')}),
          by_kind AS (
            SELECT n, region_id, kind, ${[
              ['received', 'true'],
              ['on_time', ANSWERED_ON_TIME_SQL],
              ['late', `answered_on IS NOT NULL AND NOT ${ANSWERED_ON_TIME_SQL}`],
              ['overdue', "answered_on IS NULL AND status <> 'CLOSED' AND due_date < :today"],
            ].map(([name, where]) => `count(*) FILTER (WHERE ${where}) AS ${name}, ${ids('id', where)} AS ${name}_ids`).join(',\n                   ')}
              FROM items GROUP BY n, region_id, kind)
     SELECT k.n AS period, k.region_id AS "regionId", v.code, k.kind AS part, v.value::float8 AS value, v.ids FROM by_kind k
      CROSS JOIN LATERAL (VALUES ('correspondenceReceived', k.received, k.received_ids), ('correspondenceAnsweredOnTime', k.on_time, k.on_time_ids),
                                 ('correspondenceAnsweredLate', k.late, k.late_ids), ('correspondenceOpenOverdue', k.overdue, k.overdue_ids)) AS v (code, value, ids)
      WHERE v.value > 0
     UNION ALL SELECT n, region_id, 'complaintsReceived', topic, count(*), ${ids('id')} FROM items WHERE kind = 'COMPLAINT' GROUP BY n, region_id, topic`,
    /*
     * The caseload: a file is open from the day it was registered (its creation's day in Yerevan) until the day it was
     * closed (that day excluded). One pass over the files that could count (registered by the quarter's end, not closed
     * before it began), by category; "registered before the quarter" is compared as the moment its first day starts.
     */
    `WITH ${BOUNDS},
          files AS (
            SELECT q.n, b.region_id, b.category,
                   count(*) FILTER (WHERE b.created_at < q.registered_from) AS at_start, ${ids('b.id', 'b.created_at < q.registered_from')} AS at_start_ids,
                   count(*) FILTER (WHERE b.closed_on IS NULL OR b.closed_on > q.day_to) AS at_end, ${ids('b.id', 'b.closed_on IS NULL OR b.closed_on > q.day_to')} AS at_end_ids,
                   count(*) FILTER (WHERE b.created_at >= q.registered_from) AS opened, ${ids('b.id', 'b.created_at >= q.registered_from')} AS opened_ids,
                   count(*) FILTER (WHERE b.closed_on <= q.day_to) AS closed, ${ids('b.id', 'b.closed_on <= q.day_to')} AS closed_ids
              FROM beneficiaries b JOIN bounds q ON b.created_at < q.moment_until AND (b.closed_on IS NULL OR b.closed_on >= q.day_from)
             WHERE b.region_id IN (:regionIds) AND b.created_at < CAST(:rangeMomentUntil AS timestamptz) AND (b.closed_on IS NULL OR b.closed_on >= :rangeFrom)
             GROUP BY q.n, b.region_id, b.category)
     SELECT f.n AS period, f.region_id AS "regionId", v.code, v.part, v.value::float8 AS value, v.ids FROM files f
      CROSS JOIN LATERAL (VALUES ('caseloadAtStart', NULL, f.at_start, f.at_start_ids), ('caseloadAtEnd', NULL, f.at_end, f.at_end_ids),
                                 ('newBeneficiaries', f.category, f.opened, f.opened_ids), ('closedBeneficiaries', f.category, f.closed, f.closed_ids)) AS v (code, part, value, ids)
      WHERE v.value > 0`,
    // Activities count the events the region held in the quarter, whoever took part.
    `WITH ${BOUNDS},
          ev AS (SELECT q.n, e.id, e.region_id FROM activity_events e JOIN bounds q ON ${inQuarter('e.event_date')} WHERE e.region_id IN (:regionIds) AND ${inRange('e.event_date')}),
          pa AS (SELECT ev.n, p.id, p.beneficiary_id, p.attendance, ev.region_id FROM activity_participants p JOIN ev ON ev.id = p.event_id)
     SELECT n AS period, region_id AS "regionId", 'activityEvents' AS code, NULL::text AS part, count(*)::float8 AS value, ${ids('id')} AS ids FROM ev GROUP BY n, region_id
     UNION ALL SELECT n, region_id, 'activityInvitations', NULL, count(*), ${ids('id')} FROM pa GROUP BY n, region_id
     UNION ALL SELECT n, region_id, 'activityAttendances', NULL, count(*), ${ids('id')} FROM pa WHERE attendance = 'ATTENDED' GROUP BY n, region_id
     UNION ALL SELECT n, region_id, 'activityPeople', NULL, count(DISTINCT beneficiary_id), ${ids('beneficiary_id')} FROM pa WHERE attendance = 'ATTENDED' GROUP BY n, region_id`,
    `WITH ${BOUNDS},
          cases AS (SELECT q.n, q.day_from, q.day_to, c.* FROM mediation_cases c CROSS JOIN bounds q WHERE c.region_id IN (:regionIds))
     SELECT n AS period, region_id AS "regionId", 'mediationInstructed' AS code, NULL::text AS part, count(*)::float8 AS value, ${ids('id')} AS ids FROM cases WHERE instructed_on BETWEEN day_from AND day_to GROUP BY n, region_id
     UNION ALL SELECT n, region_id, 'mediationConcluded', outcome, count(*), ${ids('id')} FROM cases WHERE concluded_on BETWEEN day_from AND day_to AND outcome IS NOT NULL GROUP BY n, region_id, outcome
     UNION ALL SELECT n, region_id, 'mediationReportsSent', NULL, count(*), ${ids('id')} FROM cases WHERE report_sent_on BETWEEN day_from AND day_to GROUP BY n, region_id
     UNION ALL SELECT n, region_id, 'mediationReportsOnTime', NULL, count(*), ${ids('id')} FROM cases WHERE report_sent_on BETWEEN day_from AND day_to AND ${doneOnTimeSql('report_sent_on IS NOT NULL', 'report_sent_on', 'report_due_date')} GROUP BY n, region_id
     UNION ALL SELECT n, region_id, 'mediationStopped', NULL, count(*), ${ids('id')} FROM cases WHERE status IN ('DECLINED', 'ENDED') AND ended_on BETWEEN day_from AND day_to GROUP BY n, region_id`,
  ]
}

/** How many of the figure queries run at once (see computeFigures). */
const FIGURE_QUERY_LANES = 2

const queryCache = new Map<string, string[]>()
function queriesFor(quarterCount: number, withIds: boolean, oneRegion: boolean): string[] {
  const key = `${quarterCount}:${withIds}:${oneRegion}`
  if (!queryCache.has(key)) queryCache.set(key, figureQueries(quarterCount, withIds, oneRegion))
  return queryCache.get(key)!
}

/** What each kind of record shows in a drill-down, one row per id. */
const RECORD_QUERIES: Record<RecordKind, string> = {
  beneficiary: `SELECT b.id, '/beneficiaries/' || b.id AS href, b.file_number AS reference, b.surname || ' ' || b.given_name AS person, (b.created_at AT TIME ZONE '${SERVICE_TIME_ZONE}')::date AS date,
      NULL::date AS "dueDate", b.closed_on AS "endDate", 'beneficiaryCategory.' || b.category AS what, 'beneficiaryStatus.' || b.status AS state, NULL::float8 AS amount FROM beneficiaries b`,
  measure: `SELECT m.id, '/measures/' || m.id AS href, b.file_number AS reference, b.surname || ' ' || b.given_name AS person, a.received_date AS date, m.end_date AS "dueDate", m.ended_on AS "endDate",
      'measure:' || m.type_code AS what, 'measureState.' || m.state AS state, COALESCE((m.details ->> 'hoursOrdered')::float8, (m.details ->> 'amountAmd')::float8) AS amount
      FROM measures m JOIN court_acts a ON a.id = m.court_act_id JOIN beneficiaries b ON b.id = m.beneficiary_id`,
  workSession: `SELECT w.id, '/measures/' || w.measure_id AS href, b.file_number AS reference, b.surname || ' ' || b.given_name AS person, w.work_date AS date, NULL::date AS "dueDate", NULL::date AS "endDate",
      'measure:' || m.type_code AS what, NULL AS state, w.hours::float8 AS amount FROM work_sessions w JOIN measures m ON m.id = w.measure_id JOIN beneficiaries b ON b.id = m.beneficiary_id`,
  finePayment: `SELECT p.id, '/measures/' || p.measure_id AS href, b.file_number AS reference, b.surname || ' ' || b.given_name AS person, p.paid_on AS date, NULL::date AS "dueDate", NULL::date AS "endDate",
      'measure:' || m.type_code AS what, NULL AS state, p.amount_amd::float8 AS amount FROM fine_payments p JOIN measures m ON m.id = p.measure_id JOIN beneficiaries b ON b.id = m.beneficiary_id`,
  violation: `SELECT v.id, '/measures/' || v.measure_id AS href, b.file_number AS reference, b.surname || ' ' || b.given_name AS person, v.occurred_on AS date, NULL::date AS "dueDate", v.decided_on AS "endDate",
      'violationKind.' || v.kind AS what, 'violationOutcome.' || v.outcome AS state, NULL::float8 AS amount FROM violations v JOIN measures m ON m.id = v.measure_id JOIN beneficiaries b ON b.id = m.beneficiary_id`,
  assessment: `SELECT a.id, '/assessments/' || a.id AS href, b.file_number AS reference, b.surname || ' ' || b.given_name AS person, a.completed_on AS date, NULL::date AS "dueDate", a.countersigned_on AS "endDate",
      'assessmentKind.' || a.kind AS what, 'assessmentStatus.' || a.status AS state, NULL::float8 AS amount FROM assessments a JOIN beneficiaries b ON b.id = a.beneficiary_id`,
  plan: `SELECT p.id, '/plans/' || p.id AS href, b.file_number AS reference, b.surname || ' ' || b.given_name AS person, p.approved_on AS date, p.review_date AS "dueDate", NULL::date AS "endDate",
      NULL AS what, 'planStatus.' || p.status AS state, p.contacts_per_month::float8 AS amount FROM supervision_plans p JOIN beneficiaries b ON b.id = p.beneficiary_id`,
  deadline: `SELECT d.id, '/deadlines/' || d.id AS href, b.file_number AS reference, b.surname || ' ' || b.given_name AS person, d.event_date AS date, d.due_date AS "dueDate", d.done_on AS "endDate",
      'rule:' || d.rule_id AS what, 'quarterly.deadlineStatus.' || d.status AS state, NULL::float8 AS amount FROM deadlines d JOIN beneficiaries b ON b.id = d.beneficiary_id`,
  appointment: `SELECT ap.id, '/beneficiaries/' || b.id || '/contacts' AS href, b.file_number AS reference, b.surname || ' ' || b.given_name AS person,
      (ap.scheduled_at AT TIME ZONE '${SERVICE_TIME_ZONE}')::date AS date, NULL::date AS "dueDate", NULL::date AS "endDate",
      'contactKind.' || ap.kind AS what, 'contactOutcome.' || ap.outcome AS state, NULL::float8 AS amount FROM appointments ap JOIN beneficiaries b ON b.id = ap.beneficiary_id`,
  activityEvent: `SELECT e.id, '/activities/' || e.id AS href, e.title AS reference, NULL AS person, e.event_date AS date, NULL::date AS "dueDate", NULL::date AS "endDate",
      'activityKind.' || e.kind AS what, NULL AS state, (SELECT count(*) FROM activity_participants p WHERE p.event_id = e.id AND p.attendance = 'ATTENDED')::float8 AS amount FROM activity_events e`,
  participation: `SELECT p.id, '/activities/' || p.event_id AS href, b.file_number AS reference, b.surname || ' ' || b.given_name AS person, e.event_date AS date, NULL::date AS "dueDate", NULL::date AS "endDate",
      'activityKind.' || e.kind AS what, 'attendance.' || p.attendance AS state, NULL::float8 AS amount
      FROM activity_participants p JOIN activity_events e ON e.id = p.event_id JOIN beneficiaries b ON b.id = p.beneficiary_id`,
  incomingItem: `SELECT i.id, '/correspondence/' || i.id AS href, i.number AS reference, i.sender AS person, i.received_on AS date, i.due_date AS "dueDate", i.answered_on AS "endDate",
      'incomingKind.' || i.kind AS what, 'itemStatus.' || i.status AS state, NULL::float8 AS amount FROM incoming_items i`,
  mediationCase: `SELECT c.id, '/mediation/' || c.id AS href, c.number AS reference, b.surname || ' ' || b.given_name AS person, c.instructed_on AS date, c.report_due_date AS "dueDate",
      COALESCE(c.report_sent_on, c.concluded_on, c.ended_on) AS "endDate", 'mediation.outcomeName.' || c.outcome AS what, 'mediation.statusName.' || c.status AS state, NULL::float8 AS amount
      FROM mediation_cases c JOIN beneficiaries b ON b.id = c.beneficiary_id`,
}

// The alias of each record query's main table, whose id the drill-down filters on.
const RECORD_ALIAS: Record<RecordKind, string> = {
  beneficiary: 'b', measure: 'm', workSession: 'w', finePayment: 'p', violation: 'v', assessment: 'a', plan: 'p', deadline: 'd', appointment: 'ap', activityEvent: 'e', participation: 'p', incomingItem: 'i', mediationCase: 'c',
}

/** A version as the roll-up reads it: the values of a submitted or accepted one, never the ids. */
interface StoredVersion {
  regionId: number
  year: number
  quarter: number
  versionNumber: number
  status: ReportStatus
  grade: Grade | null
  submittedOn: string | null
  dueDate: string
  figures: Snapshot['figures'] | null
}
type RollupPick = { source: RollupSource; version: StoredVersion | null }

const VERSION_SELECT = `SELECT r.id, r.version_number AS "versionNumber", r.status, r.narrative_problems AS problems, r.narrative_proposals AS proposals, r.due_date AS "dueDate",
    prepared.full_name AS "preparedByName", r.submitted_on AS "submittedOn", r.submitted_at AS "submittedAt", submitter.full_name AS "submittedByName",
    r.grade, r.decision_comment AS "decisionComment", r.decided_at AS "decidedAt", decider.full_name AS "decidedByName", r.version
  FROM quarterly_reports r JOIN users prepared ON prepared.id = r.prepared_by_user_id
  LEFT JOIN users submitter ON submitter.id = r.submitted_by_user_id LEFT JOIN users decider ON decider.id = r.decided_by_user_id`

/**
 * The regional bodies' quarterly reports: figures computed from the records, the head's narrative and submission
 * (which freezes the figures and the records behind each), the service head's decision, and the national roll-up.
 */
export function quarterlyReportService(deps: { sequelize: Sequelize; clock: Clock; audit: AuditService; deadlines: DeadlineService; liveFigures: LiveFigureQueries }) {
  const { sequelize, clock, audit, deadlines, liveFigures } = deps
  const today = () => serviceDateOf(clock.now())

  /**
   * Every figure, computed now from the records, for each request's regions and quarter (one map per request): each
   * query reads its tables once for all the requests.
   */
  async function computeFigures(requests: readonly { regionIds: readonly number[]; quarter: Quarter }[], withIds: boolean, transaction?: Transaction): Promise<Map<number, FigureSet>[]> {
    const results = requests.map((request) => new Map(request.regionIds.map((regionId) => [regionId, emptyFigureSet()])))
    const asked = requests.map((request, n) => ({ ...request, n })).filter((request) => request.regionIds.length > 0)
    if (asked.length === 0) return results
    const now = today()
    const regionIds = [...new Set(asked.flatMap((request) => request.regionIds))]
    const replacements = {
      ...boundReplacements(asked.map(({ quarter }) => boundsOf(quarter, now))), regionIds, today: now,
      assessmentRules: [...ASSESSMENT_DEADLINE_RULES], planRules: [...PLAN_DEADLINE_RULES], personKinds: [...PERSON_CONTACT_KINDS], heldOutcomes: [...HELD_OUTCOMES],
    }
    const run = (sql: string) => sequelize.query<FigureRow>(sql, { replacements, type: QueryTypes.SELECT, transaction })
    const queries = queriesFor(asked.length, withIds, regionIds.length === 1)
    // One after another inside a transaction, which has a single connection; otherwise two at a time on the pool, the
    // heaviest first. More at once only compete for the database's cores: on the two-core machine of the national-scale
    // bench, all eight at once took the roll-up 740 ms, two at a time 600 ms.
    const rows: FigureRow[][] = []
    if (transaction) for (const sql of queries) rows.push(await run(sql))
    else {
      let next = 0
      const lane = async () => {
        while (next < queries.length) rows.push(await run(queries[next++]))
      }
      await Promise.all(Array.from({ length: FIGURE_QUERY_LANES }, lane))
    }
    for (const row of rows.flat()) {
      // The queries count every region asked for every quarter asked: only the pairs requested are kept.
      const set = results[asked[row.period].n].get(row.regionId)
      if (!set) continue
      const figure = set[row.code]
      figure.value += row.value
      if (row.ids) figure.ids = [...(figure.ids ?? []), ...row.ids]
      if (row.part !== null) figure.parts[row.part] = { value: row.value, ids: row.ids }
    }
    for (const set of results.flatMap((result) => [...result.values()])) {
      for (const code of FIGURE_CODES) {
        const figure = set[code]
        // Sums of hours come back as floating point: a tenth is the finest unit recorded.
        figure.value = Math.round(figure.value * 10) / 10
        if (withIds) figure.ids = [...new Set(figure.ids ?? [])].sort((a, b) => a - b)
      }
    }
    return results
  }

  async function figures(regionId: number, quarter: Quarter, transaction?: Transaction): Promise<FigureSet> {
    const [result] = await computeFigures([{ regionIds: [regionId], quarter }], true, transaction)
    return result.get(regionId)!
  }

  async function versionsOf(regionId: number, quarter: Quarter, transaction?: Transaction): Promise<ReportVersion[]> {
    return sequelize.query<ReportVersion>(`${VERSION_SELECT} WHERE r.region_id = :regionId AND r.year = :year AND r.quarter = :quarter ORDER BY r.version_number DESC`, {
      replacements: { regionId, year: quarter.year, quarter: quarter.quarter },
      type: QueryTypes.SELECT,
      transaction,
    })
  }

  async function dueDateOf(quarter: Quarter, transaction?: Transaction) {
    return deadlines.compute('QUARTERLY_REPORT', quarterPeriod(quarter).to, {}, transaction)
  }

  async function snapshotOf(reportId: number, withIds: boolean): Promise<FigureSet> {
    const [row] = await sequelize.query<{ figures: Snapshot['figures']; recordIds: Snapshot['recordIds'] | null }>(
      `SELECT figures, ${withIds ? 'record_ids' : 'NULL'} AS "recordIds" FROM quarterly_reports WHERE id = :reportId`,
      { replacements: { reportId }, type: QueryTypes.SELECT },
    )
    return fromSnapshot(row.figures, row.recordIds)
  }

  const idsOf = (figure: FigureSet[FigureCode], part: string | null): number[] => (part === null ? figure.ids : figure.parts[part]?.ids) ?? []

  /** The ids frozen behind one figure (or one part of it) of a submitted version, without reading the others'. */
  async function snapshotIdsOf(reportId: number, code: FigureCode, part: string | null): Promise<number[]> {
    const [row] = await sequelize.query<{ ids: number[] | null }>(
      `SELECT CASE WHEN CAST(:part AS text) IS NULL THEN record_ids -> :code -> 'ids' ELSE record_ids -> :code -> 'parts' -> :part END AS ids FROM quarterly_reports WHERE id = :reportId`,
      { replacements: { reportId, code, part }, type: QueryTypes.SELECT },
    )
    return row?.ids ?? []
  }

  /** A quarter's report as shown: the chosen version (the latest unless asked), its figures, and the history. */
  async function report(regionId: number, quarter: Quarter, versionNumber?: number): Promise<ReportView> {
    const [versions, due] = await Promise.all([versionsOf(regionId, quarter), dueDateOf(quarter)])
    const shown = versionNumber === undefined ? (versions[0] ?? null) : (versions.find((version) => version.versionNumber === versionNumber) ?? null)
    if (versionNumber !== undefined && !shown) throw new NotFoundError()
    const live = shown === null || shown.status === 'DRAFT'
    return {
      regionId,
      quarter,
      period: quarterPeriod(quarter),
      dueDate: versions[0]?.dueDate ?? due.dueDate,
      dueExplanation: due.explanation,
      versions,
      shown,
      figures: live ? await figures(regionId, quarter) : await snapshotOf(shown.id, true),
      live,
      computedOn: live ? today() : shown.submittedOn!,
      preparation: preparationStep(versions[0] ?? null),
    }
  }

  /** Serialises the preparation and decision of one region's quarter: two heads saving at once cannot both start a version. */
  async function lockQuarter(regionId: number, quarter: Quarter, transaction: Transaction): Promise<void> {
    await sequelize.query(`SELECT pg_advisory_xact_lock(hashtext('quarterly_reports:' || :regionId || ':' || :year || ':' || :quarter))`, {
      replacements: { regionId, year: quarter.year, quarter: quarter.quarter },
      transaction,
    })
  }

  /** Saves the narrative (starting a new version when there is no open draft) and, when asked, submits it. */
  async function prepare(regionId: number, quarter: Quarter, input: NarrativeInput, submit: boolean, context: RequestContext): Promise<number> {
    const now = clock.now()
    const submittedOn = serviceDateOf(now)
    if (submit) {
      const [problem] = submissionProblems({ quarter, today: submittedOn, problems: input.problems, proposals: input.proposals })
      if (problem) throw new ServiceError(`quarterly.${problem}`, problem === 'proposalsMissing' ? 'proposals' : 'problems')
    }
    return sequelize.transaction(async (transaction) => {
      await lockQuarter(regionId, quarter, transaction)
      const [latest] = await versionsOf(regionId, quarter, transaction)
      const step = preparationStep(latest ?? null)
      if (step.kind === 'refused') throw new ServiceError(`quarterly.${step.reason}`, 'problems')
      let reportId: number
      if (step.kind === 'update') {
        if (latest.version !== input.expectedVersion) throw new StaleEditError(latest)
        reportId = latest.id
        await sequelize.query('UPDATE quarterly_reports SET narrative_problems = :problems, narrative_proposals = :proposals, version = version + 1, updated_at = :now WHERE id = :reportId', {
          replacements: { reportId, problems: input.problems, proposals: input.proposals, now },
          transaction,
        })
      } else {
        if (input.expectedVersion !== 0) throw new StaleEditError(latest ?? null)
        const due = await dueDateOf(quarter, transaction)
        const [row] = await sequelize.query<{ id: number }>(
          `INSERT INTO quarterly_reports (region_id, year, quarter, version_number, narrative_problems, narrative_proposals, due_date, due_explanation, prepared_by_user_id, created_at, updated_at)
           VALUES (:regionId, :year, :quarter, :versionNumber, :problems, :proposals, :dueDate, :dueExplanation, :userId, :now, :now) RETURNING id`,
          {
            replacements: {
              regionId, year: quarter.year, quarter: quarter.quarter, versionNumber: step.versionNumber, problems: input.problems, proposals: input.proposals,
              dueDate: due.dueDate, dueExplanation: JSON.stringify(due.explanation), userId: context.actor!.id, now,
            },
            type: QueryTypes.SELECT,
            transaction,
          },
        )
        reportId = row.id
      }
      const details = { year: quarter.year, quarter: quarter.quarter, versionNumber: step.versionNumber }
      if (submit) {
        // The snapshot: what the records say now, and which records say it. Later edits to the records do not reach it.
        const snapshot = toSnapshot(await figures(regionId, quarter, transaction))
        await sequelize.query(
          `UPDATE quarterly_reports SET status = 'SUBMITTED', figures = :figures, record_ids = :recordIds, submitted_by_user_id = :userId, submitted_at = :now, submitted_on = :submittedOn,
                  version = version + 1, updated_at = :now WHERE id = :reportId`,
          { replacements: { reportId, figures: JSON.stringify(snapshot.figures), recordIds: JSON.stringify(snapshot.recordIds), userId: context.actor!.id, now, submittedOn }, transaction },
        )
      }
      await audit.record(context, { action: submit ? 'quarterlyReport.submit' : 'quarterlyReport.saveDraft', category: 'report', regionId, target: { type: 'quarterlyReport', id: reportId }, details }, transaction)
      return step.versionNumber
    })
  }

  const saveDraft = (regionId: number, quarter: Quarter, input: NarrativeInput, context: RequestContext) => prepare(regionId, quarter, input, false, context)
  const submit = (regionId: number, quarter: Quarter, input: NarrativeInput, context: RequestContext) => prepare(regionId, quarter, input, true, context)

  /** The service head accepts the submitted version with a grade, or returns it; either way with a comment. */
  async function decide(regionId: number, quarter: Quarter, input: DecisionInput, context: RequestContext): Promise<void> {
    await sequelize.transaction(async (transaction) => {
      await lockQuarter(regionId, quarter, transaction)
      const [latest] = await versionsOf(regionId, quarter, transaction)
      if (!latest) throw new ServiceError('quarterly.notSubmitted', 'decision')
      const outcome = decisionOutcome(latest.status, input.decision, input.grade)
      if (!outcome.ok) throw new ServiceError(`quarterly.${outcome.reason}`, outcome.reason === 'gradeMissing' ? 'grade' : 'decision')
      if (latest.version !== input.expectedVersion) throw new StaleEditError(latest)
      const now = clock.now()
      await sequelize.query(
        `UPDATE quarterly_reports SET status = :status, grade = :grade, decision_comment = :comment, decided_by_user_id = :userId, decided_at = :now, version = version + 1, updated_at = :now WHERE id = :reportId`,
        { replacements: { reportId: latest.id, status: outcome.status, grade: outcome.grade, comment: input.comment, userId: context.actor!.id, now }, transaction },
      )
      await audit.record(context, {
        action: input.decision === 'accept' ? 'quarterlyReport.accept' : 'quarterlyReport.return',
        category: 'report', regionId, target: { type: 'quarterlyReport', id: latest.id },
        details: { year: quarter.year, quarter: quarter.quarter, versionNumber: latest.versionNumber, grade: outcome.grade },
      }, transaction)
    })
  }

  /** The records behind one figure (or one part of it), a page at a time: the submitted version's, or those of now. */
  async function records(regionId: number, quarter: Quarter, input: { code: FigureCode; part: string | null; versionNumber?: number; page: number }): Promise<{ lines: RecordLine[]; total: number; live: boolean }> {
    const versions = await versionsOf(regionId, quarter)
    const shown = input.versionNumber === undefined ? (versions[0] ?? null) : (versions.find((version) => version.versionNumber === input.versionNumber) ?? null)
    if (input.versionNumber !== undefined && !shown) throw new NotFoundError()
    const live = shown === null || shown.status === 'DRAFT'
    const ids = live ? idsOf((await figures(regionId, quarter))[input.code], input.part) : await snapshotIdsOf(shown.id, input.code, input.part)
    if (ids.length === 0) return { lines: [], total: 0, live }
    const kind = figureDefinition(input.code)!.records
    const alias = RECORD_ALIAS[kind]
    const lines = await sequelize.query<RecordLine>(
      `SELECT * FROM (${RECORD_QUERIES[kind]} WHERE ${alias}.id IN (SELECT value::int FROM jsonb_array_elements_text(CAST(:ids AS jsonb)))) lines
        ORDER BY date NULLS LAST, id LIMIT :limit OFFSET :offset`,
      { replacements: { ids: JSON.stringify(ids), limit: RECORDS_PAGE_SIZE, offset: (input.page - 1) * RECORDS_PAGE_SIZE }, type: QueryTypes.SELECT },
    )
    return { lines, total: ids.length, live }
  }

  /** The region's reports of some quarters: each one's latest version, for the region's list. */
  async function overview(regionId: number, quarters: readonly Quarter[]): Promise<{ quarter: Quarter; dueDate: string; latest: ReportVersion | null }[]> {
    const rows = await sequelize.query<ReportVersion & { year: number; quarter: number }>(
      `SELECT DISTINCT ON (r.year, r.quarter) r.year, r.quarter, v.* FROM quarterly_reports r JOIN (${VERSION_SELECT}) v ON v.id = r.id
        WHERE r.region_id = :regionId ORDER BY r.year, r.quarter, r.version_number DESC`,
      { replacements: { regionId }, type: QueryTypes.SELECT },
    )
    return Promise.all(quarters.map(async (quarter) => {
      const latest = rows.find((row) => row.year === quarter.year && row.quarter === quarter.quarter) ?? null
      return { quarter, dueDate: latest?.dueDate ?? (await dueDateOf(quarter)).dueDate, latest }
    }))
  }

  /**
   * Reports still in the regions' hands (none yet, a draft, or returned) for the quarter to report on `today` and the
   * running one, with their due dates: lines on the regional head's board.
   */
  async function awaitingRegions(regionId: number | null, transaction?: Transaction): Promise<{ regionId: number; quarter: Quarter; dueDate: string }[]> {
    const now = today()
    const quarters = [quarterToReport(now), quarterOf(now)]
    // One after another: in a transaction they share its connection.
    const regions = await sequelize.query<{ id: number }>(`SELECT id FROM regions WHERE active ${regionId === null ? '' : 'AND id = :regionId'}`, { replacements: { regionId }, type: QueryTypes.SELECT, transaction })
    const latest = await sequelize.query<{ regionId: number; year: number; quarter: number; versionNumber: number; status: ReportStatus; dueDate: string }>(
      `SELECT DISTINCT ON (region_id, year, quarter) region_id AS "regionId", year, quarter, version_number AS "versionNumber", status, due_date AS "dueDate"
         FROM quarterly_reports WHERE (year, quarter) IN ((:year1, :quarter1), (:year2, :quarter2)) ${regionId === null ? '' : 'AND region_id = :regionId'}
        ORDER BY region_id, year, quarter, version_number DESC`,
      { replacements: { regionId, year1: quarters[0].year, quarter1: quarters[0].quarter, year2: quarters[1].year, quarter2: quarters[1].quarter }, type: QueryTypes.SELECT, transaction },
    )
    const dueDates = [(await dueDateOf(quarters[0], transaction)).dueDate, (await dueDateOf(quarters[1], transaction)).dueDate]
    return regions.flatMap((region) => quarters.flatMap((quarter, index) => {
      const version = latest.find((row) => row.regionId === region.id && row.year === quarter.year && row.quarter === quarter.quarter) ?? null
      return preparationStep(version).kind === 'refused' ? [] : [{ regionId: region.id, quarter, dueDate: version?.dueDate ?? dueDates[index] }]
    }))
  }

  /**
   * Live figures (without ids) of each request's regions and quarter: those stored less than LIVE_FIGURES_MAX_AGE_MINUTES
   * ago, the others computed now and stored; with when the oldest shown was computed.
   */
  async function recentLiveFigures(requests: { regionIds: number[]; quarter: Quarter }[]): Promise<{ sets: Map<number, FigureSet>[]; computedAt: Date | null }> {
    const now = clock.now()
    const regionIds = [...new Set(requests.flatMap((request) => request.regionIds))]
    const stored = regionIds.length === 0 ? [] : await liveFigures.recent(regionIds, requests.map((request) => request.quarter), new Date(now.getTime() - LIVE_FIGURES_MAX_AGE_MINUTES * 60_000))
    const storedOf = (regionId: number, quarter: Quarter) => stored.find((set) => set.regionId === regionId && set.year === quarter.year && set.quarter === quarter.quarter)
    const missing = requests.map((request) => ({ ...request, regionIds: request.regionIds.filter((regionId) => !storedOf(regionId, request.quarter)) }))
    const computed = await computeFigures(missing, false)
    await liveFigures.store(missing.flatMap((request, n) => request.regionIds.map((regionId) => ({ regionId, quarter: request.quarter, figures: toSnapshot(computed[n].get(regionId)!).figures }))), now)
    const sets = requests.map((request, n) => new Map(request.regionIds.map((regionId) => {
      const set = storedOf(regionId, request.quarter)
      return [regionId, set ? fromSnapshot(set.figures, null) : computed[n].get(regionId)!] as const
    })))
    const times = [...stored.map((set) => set.computedAt.getTime()), ...(missing.some((request) => request.regionIds.length > 0) ? [now.getTime()] : [])]
    return { sets, computedAt: times.length === 0 ? null : new Date(Math.min(...times)) }
  }

  /** The background job's pass: the live figures of every active region for the quarter to report and the one before, computed now and stored. */
  async function refreshLiveFigures(): Promise<void> {
    const now = clock.now()
    const quarter = quarterToReport(serviceDateOf(now))
    const regions = await sequelize.query<{ id: number }>('SELECT id FROM regions WHERE active', { type: QueryTypes.SELECT })
    const requests = [quarter, previousQuarter(quarter)].map((which) => ({ regionIds: regions.map((region) => region.id), quarter: which }))
    const computed = await computeFigures(requests, false)
    await liveFigures.store(requests.flatMap((request, n) => request.regionIds.map((regionId) => ({ regionId, quarter: request.quarter, figures: toSnapshot(computed[n].get(regionId)!).figures }))), now)
  }

  /**
   * All active regions side by side for a quarter and the one before: each region's accepted snapshot, else the one
   * awaiting a decision, else figures computed now (set-based, for all such regions at once, without ids).
   */
  async function rollup(quarter: Quarter): Promise<RollupView> {
    const previous = previousQuarter(quarter)
    const [regions, versions, due] = await Promise.all([
      sequelize.query<{ id: number; nameHy: string; nameEn: string }>('SELECT id, name_hy AS "nameHy", name_en AS "nameEn" FROM regions WHERE active ORDER BY name_hy', { type: QueryTypes.SELECT }),
      sequelize.query<StoredVersion>(
        `SELECT region_id AS "regionId", year, quarter, version_number AS "versionNumber", status, grade, submitted_on AS "submittedOn", due_date AS "dueDate",
                CASE WHEN status IN ('SUBMITTED', 'ACCEPTED') THEN figures END AS figures
           FROM quarterly_reports WHERE (year = :year AND quarter = :quarter) OR (year = :previousYear AND quarter = :previousQuarter) ORDER BY version_number DESC`,
        { replacements: { year: quarter.year, quarter: quarter.quarter, previousYear: previous.year, previousQuarter: previous.quarter }, type: QueryTypes.SELECT },
      ),
      dueDateOf(quarter),
    ])
    const of = (regionId: number, which: Quarter) => versions.filter((version) => version.regionId === regionId && version.year === which.year && version.quarter === which.quarter)
    const chosen = (which: Quarter) => new Map(regions.map((region) => [region.id, rollupSource(of(region.id, which))]))
    const [currentChoice, previousChoice] = [chosen(quarter), chosen(previous)]
    const liveIds = (choice: Map<number, RollupPick>) => [...choice].filter(([, pick]) => pick.source === 'live').map(([regionId]) => regionId)
    const { sets: [liveCurrent, livePrevious], computedAt } = await recentLiveFigures([{ regionIds: liveIds(currentChoice), quarter }, { regionIds: liveIds(previousChoice), quarter: previous }])
    const valuesOf = (pick: RollupPick, live: FigureSet | undefined): Record<FigureCode, number> => {
      const set = pick.version?.figures ? fromSnapshot(pick.version.figures, null) : live!
      return Object.fromEntries(FIGURE_CODES.map((code) => [code, set[code].value])) as Record<FigureCode, number>
    }
    const rows = regions.map((region): RollupRow => {
      const [latest] = of(region.id, quarter)
      const [current, before] = [currentChoice.get(region.id)!, previousChoice.get(region.id)!]
      return {
        regionId: region.id, nameHy: region.nameHy, nameEn: region.nameEn, source: current.source, previousSource: before.source,
        latestStatus: latest?.status ?? null, latestVersionNumber: latest?.versionNumber ?? null, grade: latest?.grade ?? null, submittedOn: latest?.submittedOn ?? null, dueDate: latest?.dueDate ?? due.dueDate,
        values: valuesOf(current, liveCurrent.get(region.id)), previous: valuesOf(before, livePrevious.get(region.id)),
      }
    })
    const sum = (pick: (row: RollupRow) => Record<FigureCode, number>) =>
      Object.fromEntries(FIGURE_CODES.map((code) => [code, Math.round(rows.reduce((total, row) => total + pick(row)[code], 0) * 10) / 10])) as Record<FigureCode, number>
    return { quarter, previousQuarter: previous, period: quarterPeriod(quarter), computedOn: today(), liveAsOf: computedAt, liveMaxAgeMinutes: LIVE_FIGURES_MAX_AGE_MINUTES, rows, totals: sum((row) => row.values), previousTotals: sum((row) => row.previous) }
  }

  return { figures, computeFigures, report, saveDraft, submit, decide, records, overview, rollup, refreshLiveFigures, versionsOf, awaitingRegions }
}

export type QuarterlyReportService = ReturnType<typeof quarterlyReportService>
