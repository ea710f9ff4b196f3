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
import type { AuditService } from './audit'
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
  rows: RollupRow[]
  totals: Record<FigureCode, number>
  previousTotals: Record<FigureCode, number>
}

export const RECORDS_PAGE_SIZE = 100

interface FigureRow {
  /** Which of the requested quarters the row counts (its index). */
  period: number
  regionId: number
  code: FigureCode
  part: string | null
  value: number
  ids: number[] | null
}

// The outcomes and kinds that make a contact held, from the contacts domain (the same rule as the contacts page).

/*
 * The quarters asked for, as rows every query joins on the region: one per quarter and region wanted, with the quarter's
 * days, the same as moments in Yerevan (appointments are found by time) and its three months (judged only once over).
 */
const QUARTERS = `quarters AS MATERIALIZED (
  SELECT q.n, r.region_id, q.day_from, q.day_to, q.moment_from, q.moment_until, q.m1_from, q.m1_until, q.m1_judged, q.m2_from, q.m2_until, q.m2_judged, q.m3_from, q.m3_until, q.m3_judged, q.m2_moment, q.m3_moment
    FROM jsonb_to_recordset(CAST(:quarters AS jsonb)) AS q (
      n int, region_ids int[], day_from date, day_to date, moment_from timestamptz, moment_until timestamptz,
      m1_from date, m1_until date, m1_judged boolean, m2_from date, m2_until date, m2_judged boolean, m3_from date, m3_until date, m3_judged boolean, m2_moment timestamptz, m3_moment timestamptz)
   CROSS JOIN LATERAL unnest(q.region_ids) AS r (region_id))`

/**
 * The figures of some quarters for some regions, in a few set-based queries: each reads its tables once for all the
 * quarters and regions asked, grouped by quarter and region, and yields rows of (quarter, region, figure, breakdown
 * key, value, ids). The ids are aggregated only when a drill-down needs them.
 */
function figureQueries(withIds: boolean): string[] {
  const ids = (column: string, where?: string) => (withIds ? `array_agg(DISTINCT ${column} ORDER BY ${column})${where ? ` FILTER (WHERE ${where})` : ''}` : 'NULL::int[]')
  const fileOf = (alias: string) => `JOIN beneficiaries b ON b.id = ${alias}.beneficiary_id AND b.region_id IN (:regionIds)`
  const inQuarter = (date: string) => `${date} BETWEEN q.day_from AND q.day_to`
  // The same test against all the quarters asked at once, so that rows outside them are dropped before any join.
  const inAnyQuarter = (date: string) => `${date} BETWEEN (SELECT min(day_from) FROM quarters) AND (SELECT max(day_to) FROM quarters)`
  const head = `q.n AS period, b.region_id AS "regionId"`
  return [
    /*
     * The caseload: a file is open from the day it was registered until the day it was closed (that day excluded). One
     * pass over the files that could count (registered by the quarter's end, not closed before it began), by category.
     */
    `WITH ${QUARTERS},
          files AS (
            SELECT q.n, b.region_id, b.category,
                   count(*) FILTER (WHERE b.registered_on < q.day_from) AS at_start, ${ids('b.id', 'b.registered_on < q.day_from')} AS at_start_ids,
                   count(*) FILTER (WHERE b.closed_on IS NULL OR b.closed_on > q.day_to) AS at_end, ${ids('b.id', 'b.closed_on IS NULL OR b.closed_on > q.day_to')} AS at_end_ids,
                   count(*) FILTER (WHERE b.registered_on >= q.day_from) AS opened, ${ids('b.id', 'b.registered_on >= q.day_from')} AS opened_ids,
                   count(*) FILTER (WHERE b.closed_on <= q.day_to) AS closed, ${ids('b.id', 'b.closed_on <= q.day_to')} AS closed_ids
              FROM (SELECT id, region_id, category, closed_on, created_at, (created_at AT TIME ZONE '${SERVICE_TIME_ZONE}')::date AS registered_on FROM beneficiaries WHERE region_id IN (:regionIds)) b
              JOIN quarters q ON q.region_id = b.region_id AND b.created_at < q.moment_until AND (b.closed_on IS NULL OR b.closed_on >= q.day_from)
             GROUP BY q.n, b.region_id, b.category)
     SELECT f.n AS period, f.region_id AS "regionId", v.code, v.part, v.value::float8 AS value, v.ids FROM files f
      CROSS JOIN LATERAL (VALUES ('caseloadAtStart', NULL, f.at_start, f.at_start_ids), ('caseloadAtEnd', NULL, f.at_end, f.at_end_ids),
                                 ('newBeneficiaries', f.category, f.opened, f.opened_ids), ('closedBeneficiaries', f.category, f.closed, f.closed_ids)) AS v (code, part, value, ids)
      WHERE v.value > 0`,
    // Measures arrive with the court act (its receipt date) and end when completed or ended.
    `WITH ${QUARTERS},
          ms AS (
            SELECT q.n, m.id, b.region_id, m.type_code, m.details, ${inQuarter('a.received_date')} AS arrived, m.state IN ('completed', 'ended') AND ${inQuarter('m.ended_on')} AS ended
              FROM measures m JOIN court_acts a ON a.id = m.court_act_id ${fileOf('m')}
              JOIN quarters q ON q.region_id = b.region_id AND (${inQuarter('a.received_date')} OR ${inQuarter('m.ended_on')})
             WHERE ${inAnyQuarter('a.received_date')} OR ${inAnyQuarter('m.ended_on')})
     SELECT n AS period, region_id AS "regionId", 'newMeasures' AS code, type_code AS part, count(*)::float8 AS value, ${ids('id')} AS ids FROM ms WHERE arrived GROUP BY n, region_id, type_code
     UNION ALL SELECT n, region_id, 'endedMeasures', type_code, count(*), ${ids('id')} FROM ms WHERE ended GROUP BY n, region_id, type_code
     UNION ALL SELECT n, region_id, 'publicWorksHoursOrdered', NULL, sum(COALESCE((details ->> 'hoursOrdered')::numeric, 0)), ${ids('id')} FROM ms WHERE arrived AND type_code = 'PUBLIC_WORKS' GROUP BY n, region_id
     UNION ALL SELECT n, region_id, 'finesImposed', NULL, count(*), ${ids('id')} FROM ms WHERE arrived AND type_code = 'FINE' GROUP BY n, region_id
     UNION ALL SELECT n, region_id, 'finesImposedAmd', NULL, sum(COALESCE((details ->> 'amountAmd')::numeric, 0)), ${ids('id')} FROM ms WHERE arrived AND type_code = 'FINE' GROUP BY n, region_id`,
    `WITH ${QUARTERS}
     SELECT ${head}, 'publicWorksHoursWorked' AS code, NULL::text AS part, sum(w.hours)::float8 AS value, ${ids('w.id')} AS ids
       FROM work_sessions w JOIN measures m ON m.id = w.measure_id ${fileOf('m')} JOIN quarters q ON q.region_id = b.region_id AND ${inQuarter('w.work_date')}
      WHERE ${inAnyQuarter('w.work_date')} GROUP BY q.n, b.region_id
     UNION ALL SELECT ${head}, 'finesPaidAmd', NULL, sum(p.amount_amd), ${ids('p.id')}
       FROM fine_payments p JOIN measures m ON m.id = p.measure_id ${fileOf('m')} JOIN quarters q ON q.region_id = b.region_id AND ${inQuarter('p.paid_on')}
      WHERE ${inAnyQuarter('p.paid_on')} GROUP BY q.n, b.region_id
     UNION ALL SELECT ${head}, 'violationsRecorded', v.kind, count(*), ${ids('v.id')}
       FROM violations v JOIN measures m ON m.id = v.measure_id ${fileOf('m')} JOIN quarters q ON q.region_id = b.region_id AND ${inQuarter('v.occurred_on')}
      WHERE ${inAnyQuarter('v.occurred_on')} GROUP BY q.n, b.region_id, v.kind
     UNION ALL SELECT ${head}, 'submissionsToCourt', NULL, count(*), ${ids('v.id')}
       FROM violations v JOIN measures m ON m.id = v.measure_id ${fileOf('m')} JOIN quarters q ON q.region_id = b.region_id AND ${inQuarter('v.decided_on')}
      WHERE v.outcome = 'SUBMITTED_TO_COURT' AND ${inAnyQuarter('v.decided_on')} GROUP BY q.n, b.region_id`,
    // Done on time: of the due dates falling in the quarter (cancelled ones aside), those closed as done by the due date.
    `WITH ${QUARTERS},
          due AS (
            SELECT q.n, d.id, b.region_id, d.rule_id IN (:assessmentRules) AS assessment, d.status = 'DONE' AND d.done_on <= d.due_date AS on_time FROM deadlines d ${fileOf('d')}
              JOIN quarters q ON q.region_id = b.region_id AND ${inQuarter('d.due_date')}
             WHERE d.status <> 'CANCELLED' AND d.rule_id IN (:assessmentRules, :planRules) AND ${inAnyQuarter('d.due_date')})
     SELECT ${head}, 'assessmentsCompleted' AS code, NULL::text AS part, count(*)::float8 AS value, ${ids('a.id')} AS ids
       FROM assessments a ${fileOf('a')} JOIN quarters q ON q.region_id = b.region_id AND ${inQuarter('a.completed_on')} WHERE a.status IN ('COMPLETED', 'COUNTERSIGNED') AND ${inAnyQuarter('a.completed_on')} GROUP BY q.n, b.region_id
     UNION ALL SELECT ${head}, 'plansApproved', NULL, count(*), ${ids('p.id')}
       FROM supervision_plans p ${fileOf('p')} JOIN quarters q ON q.region_id = b.region_id AND ${inQuarter('p.approved_on')}
      WHERE ${inAnyQuarter('p.approved_on')} GROUP BY q.n, b.region_id
     UNION ALL SELECT n, region_id, 'assessmentsDue', NULL, count(*), ${ids('id')} FROM due WHERE assessment GROUP BY n, region_id
     UNION ALL SELECT n, region_id, 'assessmentsOnTime', NULL, count(*), ${ids('id')} FROM due WHERE assessment AND on_time GROUP BY n, region_id
     UNION ALL SELECT n, region_id, 'plansDue', NULL, count(*), ${ids('id')} FROM due WHERE NOT assessment GROUP BY n, region_id
     UNION ALL SELECT n, region_id, 'plansOnTime', NULL, count(*), ${ids('id')} FROM due WHERE NOT assessment AND on_time GROUP BY n, region_id`,
    /*
     * Contacts against the standard, month by month as on the contacts page (domain/contacts.ts requiredInMonth): each
     * approved plan requires its monthly figure from its approval until the next plan's, for the share of the month's
     * days it was in force, rounded up; here also only until the file was closed. Only months already over are judged.
     * The quarter's three months are columns, so each person is one row.
     */
    `WITH ${QUARTERS},
          periods AS MATERIALIZED (
            SELECT p.beneficiary_id, b.region_id, p.contacts_per_month AS per_month, p.approved_on AS since,
                   LEAST(COALESCE(lead(p.approved_on) OVER (PARTITION BY p.beneficiary_id ORDER BY p.approved_on, p.plan_version), 'infinity'::date), COALESCE(b.closed_on, 'infinity'::date)) AS until
              FROM supervision_plans p ${fileOf('p')}
             WHERE p.status IN ('APPROVED', 'SUPERSEDED') AND p.approved_on IS NOT NULL AND (b.closed_on IS NULL OR b.closed_on >= (SELECT min(day_from) FROM quarters))),
          weighted AS (
            SELECT q.n, pe.region_id, pe.beneficiary_id,
                   ${[1, 2, 3].map((m) => `sum(pe.per_month * GREATEST(0, LEAST(q.m${m}_until, pe.until) - GREATEST(q.m${m}_from, pe.since))) AS w${m}`).join(', ')}
              FROM periods pe JOIN quarters q ON q.region_id = pe.region_id AND pe.since < q.m3_until AND pe.until > q.m1_from
             GROUP BY q.n, pe.region_id, pe.beneficiary_id),
          required AS (
            SELECT w.n, w.region_id, w.beneficiary_id,
                   ${[1, 2, 3].map((m) => `CASE WHEN q.m${m}_judged THEN ceil(w.w${m}::numeric / (q.m${m}_until - q.m${m}_from))::int ELSE 0 END AS r${m}`).join(', ')}
              FROM weighted w JOIN quarters q ON q.n = w.n AND q.region_id = w.region_id),
          held_contacts AS MATERIALIZED (
            SELECT q.n, ap.id, ap.beneficiary_id, b.region_id, ap.scheduled_at >= q.m2_moment AND ap.scheduled_at < q.m3_moment AS in_month2, ap.scheduled_at >= q.m3_moment AS in_month3
              FROM appointments ap ${fileOf('ap')} JOIN quarters q ON q.region_id = b.region_id AND ap.scheduled_at >= q.moment_from AND ap.scheduled_at < q.moment_until
             WHERE ap.cancelled_at IS NULL AND ap.kind IN (:personKinds) AND ap.outcome IN (:heldOutcomes)
               AND ap.scheduled_at >= (SELECT min(moment_from) FROM quarters) AND ap.scheduled_at < (SELECT max(moment_until) FROM quarters)),
          held AS (
            SELECT n, beneficiary_id, count(*) FILTER (WHERE NOT in_month2 AND NOT in_month3) AS h1, count(*) FILTER (WHERE in_month2) AS h2, count(*) FILTER (WHERE in_month3) AS h3
              FROM held_contacts GROUP BY n, beneficiary_id),
          people AS (
            SELECT r.n, r.region_id, r.beneficiary_id, r.r1 + r.r2 + r.r3 AS required,
                   COALESCE(h.h1, 0) >= r.r1 AND COALESCE(h.h2, 0) >= r.r2 AND COALESCE(h.h3, 0) >= r.r3 AS met
              FROM required r LEFT JOIN held h ON h.n = r.n AND h.beneficiary_id = r.beneficiary_id WHERE r.r1 + r.r2 + r.r3 > 0)
     SELECT n AS period, region_id AS "regionId", 'contactsRequired' AS code, NULL::text AS part, sum(required)::float8 AS value, ${ids('beneficiary_id')} AS ids FROM people GROUP BY n, region_id
     UNION ALL SELECT n, region_id, 'peopleMeetingStandard', NULL, count(*), ${ids('beneficiary_id')} FROM people WHERE met GROUP BY n, region_id
     UNION ALL SELECT n, region_id, 'peopleBelowStandard', NULL, count(*), ${ids('beneficiary_id')} FROM people WHERE NOT met GROUP BY n, region_id
     UNION ALL SELECT n, region_id, 'contactsHeld', NULL, count(*), ${ids('id')} FROM held_contacts GROUP BY n, region_id`,
    // Activities count the events the region held in the quarter, whoever took part.
    `WITH ${QUARTERS},
          ev AS (SELECT q.n, e.id, e.region_id FROM activity_events e JOIN quarters q ON q.region_id = e.region_id AND ${inQuarter('e.event_date')} WHERE e.region_id IN (:regionIds) AND ${inAnyQuarter('e.event_date')}),
          pa AS (SELECT ev.n, p.id, p.beneficiary_id, p.attendance, ev.region_id FROM activity_participants p JOIN ev ON ev.id = p.event_id)
     SELECT n AS period, region_id AS "regionId", 'activityEvents' AS code, NULL::text AS part, count(*)::float8 AS value, ${ids('id')} AS ids FROM ev GROUP BY n, region_id
     UNION ALL SELECT n, region_id, 'activityInvitations', NULL, count(*), ${ids('id')} FROM pa GROUP BY n, region_id
     UNION ALL SELECT n, region_id, 'activityAttendances', NULL, count(*), ${ids('id')} FROM pa WHERE attendance = 'ATTENDED' GROUP BY n, region_id
     UNION ALL SELECT n, region_id, 'activityPeople', NULL, count(DISTINCT beneficiary_id), ${ids('beneficiary_id')} FROM pa WHERE attendance = 'ATTENDED' GROUP BY n, region_id`,
    // The definitions of the correspondence summary (services/correspondence.ts quarterSummary).
    `WITH ${QUARTERS},
          items AS (SELECT q.n, i.id, i.region_id, i.kind, i.topic, i.due_date, i.answered_on, i.status FROM incoming_items i
                     JOIN quarters q ON q.region_id = i.region_id AND ${inQuarter('i.received_on')} WHERE i.region_id IN (:regionIds) AND ${inAnyQuarter('i.received_on')})
     SELECT n AS period, region_id AS "regionId", 'correspondenceReceived' AS code, kind AS part, count(*)::float8 AS value, ${ids('id')} AS ids FROM items GROUP BY n, region_id, kind
     UNION ALL SELECT n, region_id, 'correspondenceAnsweredOnTime', kind, count(*), ${ids('id')} FROM items WHERE answered_on IS NOT NULL AND answered_on <= due_date GROUP BY n, region_id, kind
     UNION ALL SELECT n, region_id, 'correspondenceAnsweredLate', kind, count(*), ${ids('id')} FROM items WHERE answered_on IS NOT NULL AND answered_on > due_date GROUP BY n, region_id, kind
     UNION ALL SELECT n, region_id, 'correspondenceOpenOverdue', kind, count(*), ${ids('id')} FROM items WHERE answered_on IS NULL AND status <> 'CLOSED' AND due_date < :today GROUP BY n, region_id, kind
     UNION ALL SELECT n, region_id, 'complaintsReceived', topic, count(*), ${ids('id')} FROM items WHERE kind = 'COMPLAINT' GROUP BY n, region_id, topic`,
    `WITH ${QUARTERS},
          cases AS (SELECT q.n, q.day_from, q.day_to, c.* FROM mediation_cases c JOIN quarters q ON q.region_id = c.region_id WHERE c.region_id IN (:regionIds))
     SELECT n AS period, region_id AS "regionId", 'mediationInstructed' AS code, NULL::text AS part, count(*)::float8 AS value, ${ids('id')} AS ids FROM cases WHERE instructed_on BETWEEN day_from AND day_to GROUP BY n, region_id
     UNION ALL SELECT n, region_id, 'mediationConcluded', outcome, count(*), ${ids('id')} FROM cases WHERE concluded_on BETWEEN day_from AND day_to AND outcome IS NOT NULL GROUP BY n, region_id, outcome
     UNION ALL SELECT n, region_id, 'mediationReportsSent', NULL, count(*), ${ids('id')} FROM cases WHERE report_sent_on BETWEEN day_from AND day_to GROUP BY n, region_id
     UNION ALL SELECT n, region_id, 'mediationReportsOnTime', NULL, count(*), ${ids('id')} FROM cases WHERE report_sent_on BETWEEN day_from AND day_to AND report_sent_on <= report_due_date GROUP BY n, region_id
     UNION ALL SELECT n, region_id, 'mediationStopped', NULL, count(*), ${ids('id')} FROM cases WHERE status IN ('DECLINED', 'ENDED') AND ended_on BETWEEN day_from AND day_to GROUP BY n, region_id`,
  ]
}

const QUERIES_WITH_IDS = figureQueries(true)
const QUERIES_WITHOUT_IDS = figureQueries(false)

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
export function quarterlyReportService(deps: { sequelize: Sequelize; clock: Clock; audit: AuditService; deadlines: DeadlineService }) {
  const { sequelize, clock, audit, deadlines } = deps
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
    const quarters = asked.map(({ n, regionIds, quarter }) => {
      const { from, to } = quarterPeriod(quarter)
      const [m1, m2, m3] = monthsOf(quarter)
      return {
        n, region_ids: regionIds, day_from: from, day_to: to,
        moment_from: yerevanMoment(from, '00:00'), moment_until: yerevanMoment(addCalendarDays(to, 1), '00:00'),
        m1_from: m1.from, m1_until: m1.until, m1_judged: m1.until <= now, m2_from: m2.from, m2_until: m2.until, m2_judged: m2.until <= now, m3_from: m3.from, m3_until: m3.until, m3_judged: m3.until <= now,
        m2_moment: yerevanMoment(m2.from, '00:00'), m3_moment: yerevanMoment(m3.from, '00:00'),
      }
    })
    const replacements = {
      quarters: JSON.stringify(quarters), regionIds: [...new Set(asked.flatMap((request) => request.regionIds))], today: now,
      assessmentRules: [...ASSESSMENT_DEADLINE_RULES], planRules: [...PLAN_DEADLINE_RULES], personKinds: [...PERSON_CONTACT_KINDS], heldOutcomes: [...HELD_OUTCOMES],
    }
    const run = (sql: string) => sequelize.query<FigureRow>(sql, { replacements, type: QueryTypes.SELECT, transaction })
    const queries = withIds ? QUERIES_WITH_IDS : QUERIES_WITHOUT_IDS
    // In parallel on the pool; one after another inside a transaction, which has a single connection.
    const rows: FigureRow[][] = []
    if (transaction) for (const sql of queries) rows.push(await run(sql))
    else rows.push(...(await Promise.all(queries.map(run))))
    for (const row of rows.flat()) {
      const figure = results[row.period].get(row.regionId)![row.code]
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
  async function awaitingRegions(regionId: number | null): Promise<{ regionId: number; quarter: Quarter; dueDate: string }[]> {
    const now = today()
    const quarters = [quarterToReport(now), quarterOf(now)]
    const [regions, latest, dueDates] = await Promise.all([
      sequelize.query<{ id: number }>(`SELECT id FROM regions WHERE active ${regionId === null ? '' : 'AND id = :regionId'}`, { replacements: { regionId }, type: QueryTypes.SELECT }),
      sequelize.query<{ regionId: number; year: number; quarter: number; versionNumber: number; status: ReportStatus; dueDate: string }>(
        `SELECT DISTINCT ON (region_id, year, quarter) region_id AS "regionId", year, quarter, version_number AS "versionNumber", status, due_date AS "dueDate"
           FROM quarterly_reports WHERE (year, quarter) IN ((:year1, :quarter1), (:year2, :quarter2)) ${regionId === null ? '' : 'AND region_id = :regionId'}
          ORDER BY region_id, year, quarter, version_number DESC`,
        { replacements: { regionId, year1: quarters[0].year, quarter1: quarters[0].quarter, year2: quarters[1].year, quarter2: quarters[1].quarter }, type: QueryTypes.SELECT },
      ),
      Promise.all(quarters.map(async (quarter) => (await dueDateOf(quarter)).dueDate)),
    ])
    return regions.flatMap((region) => quarters.flatMap((quarter, index) => {
      const version = latest.find((row) => row.regionId === region.id && row.year === quarter.year && row.quarter === quarter.quarter) ?? null
      return preparationStep(version).kind === 'refused' ? [] : [{ regionId: region.id, quarter, dueDate: version?.dueDate ?? dueDates[index] }]
    }))
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
    const [liveCurrent, livePrevious] = await computeFigures([{ regionIds: liveIds(currentChoice), quarter }, { regionIds: liveIds(previousChoice), quarter: previous }], false)
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
    return { quarter, previousQuarter: previous, period: quarterPeriod(quarter), computedOn: today(), rows, totals: sum((row) => row.values), previousTotals: sum((row) => row.previous) }
  }

  return { figures, computeFigures, report, saveDraft, submit, decide, records, overview, rollup, versionsOf, awaitingRegions }
}

export type QuarterlyReportService = ReturnType<typeof quarterlyReportService>
