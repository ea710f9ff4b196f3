import type { Transaction } from 'sequelize'
import type { FrequencyPeriod } from '../domain/contacts'
import type { ConditionKind, ConditionNote } from '../domain/workItems'
import type { Sql } from './sql'

/*
 * The SQL of the ledger's time-dependent work (migrations/20261207100000-work-conditions.ts): the records the rules are
 * computed from, the marks saying what must be computed again, and the writing of the results as work items.
 */

/** Which files: every file of some regions, or some files. */
export type FileScope = { regionIds: number[] } | { beneficiaryIds: number[] }

const filesIn = (scope: FileScope, alias: string) => ('regionIds' in scope ? `${alias}.region_id = ANY ($1::int[])` : `${alias}.id = ANY ($1::int[])`)
const scopeValue = (scope: FileScope) => ('regionIds' in scope ? scope.regionIds : scope.beneficiaryIds)

export interface ContactsOfMonth {
  beneficiaryId: number
  regionId: number
  officerId: number | null
  periods: FrequencyPeriod[]
  held: number
  open: number
}

export interface PublicWorksOfFile {
  measureId: number
  beneficiaryId: number
  regionId: number
  officerId: number | null
  startDate: string
  endDate: string | null
  hoursOrdered: number
  hoursDone: number
}

export interface OpenCondition {
  itemId: number
  kind: ConditionKind
  subjectId: number
  period: string
  regionId: number
  fileStatus: string | null
  measureState: string | null
}

/** What a condition asks, as computed: its item is open with these values. */
export interface DesiredCondition {
  kind: ConditionKind
  subjectId: number
  period: string
  note: ConditionNote
  regionId: number
  beneficiaryId: number | null
  assigneeUserId: number | null
  dueDate: string
}

export function conditionQueries(sql: Sql) {
  /**
   * Active files of the scope with a plan in force during the month: the plans' periods and the month's person contacts
   * held and still without an outcome (booked or awaiting one), counted as on the person's contacts page.
   */
  async function contactsOfMonth(scope: FileScope, month: { first: string; nextFirst: string; from: Date; until: Date; heldOutcomes: readonly string[]; personKinds: readonly string[] }, transaction?: Transaction): Promise<ContactsOfMonth[]> {
    return sql.rows(
      `WITH files AS (
         SELECT b.id, b.region_id, b.responsible_officer_id FROM beneficiaries b WHERE b.status = 'ACTIVE' AND ${filesIn(scope, 'b')}
       ), periods AS (
         SELECT p.beneficiary_id, p.contacts_per_month, p.approved_on AS from_date,
                lead(p.approved_on) OVER (PARTITION BY p.beneficiary_id ORDER BY p.approved_on, p.plan_version) AS to_date
           FROM supervision_plans p JOIN files f ON f.id = p.beneficiary_id WHERE p.status IN ('APPROVED', 'SUPERSEDED') AND p.approved_on IS NOT NULL
       ), of_month AS (
         SELECT beneficiary_id, json_agg(json_build_object('from', from_date, 'to', to_date, 'contactsPerMonth', contacts_per_month)) AS periods
           FROM periods WHERE from_date < $3::date AND (to_date IS NULL OR to_date > $2::date) GROUP BY beneficiary_id
       ), contacts AS (
         SELECT ap.beneficiary_id, count(*) FILTER (WHERE ap.outcome = ANY ($6::text[]))::int AS held, count(*) FILTER (WHERE ap.outcome IS NULL)::int AS open
           FROM appointments ap JOIN of_month m ON m.beneficiary_id = ap.beneficiary_id
          WHERE ap.cancelled_at IS NULL AND ap.kind = ANY ($7::text[]) AND ap.scheduled_at >= $4 AND ap.scheduled_at < $5 GROUP BY ap.beneficiary_id
       )
       SELECT f.id AS beneficiary_id, f.region_id, f.responsible_officer_id AS officer_id, m.periods, coalesce(c.held, 0) AS held, coalesce(c.open, 0) AS open
         FROM of_month m JOIN files f ON f.id = m.beneficiary_id LEFT JOIN contacts c ON c.beneficiary_id = m.beneficiary_id`,
      [scopeValue(scope), month.first, month.nextFirst, month.from, month.until, [...month.heldOutcomes], [...month.personKinds]],
      transaction,
    )
  }

  /** Started public works still open, of open files of the scope, with the hours worked. */
  async function publicWorksOf(scope: FileScope, codes: readonly string[], openStates: readonly string[], transaction?: Transaction): Promise<PublicWorksOfFile[]> {
    return sql.rows(
      `SELECT m.id AS measure_id, b.id AS beneficiary_id, b.region_id, b.responsible_officer_id AS officer_id, m.start_date, m.end_date,
              (m.details->>'hoursOrdered')::float8 AS hours_ordered, coalesce((SELECT sum(w.hours) FROM work_sessions w WHERE w.measure_id = m.id), 0)::float8 AS hours_done
         FROM measures m JOIN beneficiaries b ON b.id = m.beneficiary_id
        WHERE ${filesIn(scope, 'b')} AND b.status IN ('ACTIVE', 'SUSPENDED') AND m.type_code = ANY ($2::text[]) AND m.state = ANY ($3::text[]) AND m.start_date IS NOT NULL`,
      [scopeValue(scope), [...codes], [...openStates]],
      transaction,
    )
  }

  /**
   * The open condition items of the scope, with what decides how one no longer asked for is closed. A region's scope
   * also holds its quarterly reports; a scope of files does not.
   */
  async function openConditions(scope: FileScope, transaction?: Transaction): Promise<OpenCondition[]> {
    const where = 'regionIds' in scope ? 'w.region_id = ANY ($1::int[])' : 'w.beneficiary_id = ANY ($1::int[])'
    return sql.rows(
      `SELECT w.id AS item_id, c.kind, c.subject_id, c.period, w.region_id, b.status AS file_status, m.state AS measure_state
         FROM work_items w JOIN work_conditions c ON c.id = w.source_id
         LEFT JOIN beneficiaries b ON b.id = w.beneficiary_id
         LEFT JOIN measures m ON c.kind = 'PUBLIC_WORKS_BEHIND' AND m.id = c.subject_id
        WHERE w.source_type = 'condition' AND w.state = 'OPEN' AND ${where}`,
      [scopeValue(scope)],
      transaction,
    )
  }

  /** Each desired condition recorded and its item open with the computed values (reopened if it had been closed). */
  async function open(desired: readonly DesiredCondition[], transaction: Transaction): Promise<void> {
    if (desired.length === 0) return
    await sql.rows(
      `WITH input AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS x (kind text, "subjectId" int, period text, note jsonb, "regionId" int, "beneficiaryId" int, "assigneeUserId" int, "dueDate" date)
       ), recorded AS (
         INSERT INTO work_conditions AS c (kind, subject_id, period, note) SELECT kind, "subjectId", period, note FROM input
         ON CONFLICT (kind, subject_id, period) DO UPDATE SET note = EXCLUDED.note
         RETURNING c.id, c.kind, c.subject_id, c.period
       )
       INSERT INTO work_items AS w (source_type, source_id, kind, region_id, beneficiary_id, assignee_user_id, due_date, state)
       SELECT 'condition', r.id, i.kind, i."regionId", i."beneficiaryId", i."assigneeUserId", i."dueDate", 'OPEN'
         FROM input i JOIN recorded r ON r.kind = i.kind AND r.subject_id = i."subjectId" AND r.period = i.period
       ON CONFLICT (source_type, source_id) DO UPDATE
          SET region_id = EXCLUDED.region_id, beneficiary_id = EXCLUDED.beneficiary_id, assignee_user_id = EXCLUDED.assignee_user_id,
              due_date = EXCLUDED.due_date, state = 'OPEN', closed_on = NULL, cancel_reason = NULL
        WHERE (w.region_id, w.beneficiary_id, w.assignee_user_id, w.due_date, w.state)
              IS DISTINCT FROM (EXCLUDED.region_id, EXCLUDED.beneficiary_id, EXCLUDED.assignee_user_id, EXCLUDED.due_date, 'OPEN')
       RETURNING w.id`,
      [JSON.stringify(desired)],
      transaction,
    )
  }

  /** Open items closed: done on `today`, or cancelled with a reason. */
  async function close(closing: readonly { itemId: number; reason: string | null }[], today: string, transaction: Transaction): Promise<void> {
    if (closing.length === 0) return
    await sql.rows(
      `UPDATE work_items w SET state = CASE WHEN x.reason IS NULL THEN 'DONE' ELSE 'CANCELLED' END,
              closed_on = CASE WHEN x.reason IS NULL THEN $2::date END, cancel_reason = x.reason
         FROM jsonb_to_recordset($1::jsonb) AS x ("itemId" bigint, reason text)
        WHERE w.id = x."itemId" AND w.state = 'OPEN'
       RETURNING w.id`,
      [JSON.stringify(closing), today],
      transaction,
    )
  }

  /** What is out of date for some regions (null: all): regions not computed today, and whether files or reports are marked. */
  async function outOfDate(regionIds: number[] | null, today: string): Promise<{ staleRegions: number[]; filesMarked: boolean; reportsMarked: boolean }> {
    const row = await sql.one<{ staleRegions: number[]; filesMarked: boolean; reportsMarked: boolean }>(
      `SELECT coalesce((SELECT array_agg(r.id ORDER BY r.id) FROM regions r LEFT JOIN work_conditions_computed c ON c.region_id = r.id
                         WHERE r.active AND ($1::int[] IS NULL OR r.id = ANY ($1::int[])) AND c.day IS DISTINCT FROM $2::date), '{}') AS stale_regions,
              EXISTS (SELECT 1 FROM work_condition_marks m WHERE $1::int[] IS NULL OR m.region_id = ANY ($1::int[])) AS files_marked,
              EXISTS (SELECT 1 FROM work_condition_report_marks m WHERE $1::int[] IS NULL OR m.region_id = ANY ($1::int[])) AS reports_marked`,
      [regionIds, today],
    )
    return row!
  }

  /**
   * Takes the regions' whole computation for today: the regions of `regionIds` this transaction is first to claim (a
   * concurrent claimant waits on the row, then finds it done), their file and report marks cleared with it.
   */
  async function claimRegions(regionIds: number[], today: string, transaction: Transaction): Promise<number[]> {
    const claimed = await sql.rows<{ regionId: number }>(
      `INSERT INTO work_conditions_computed AS c (region_id, day) SELECT id, $2::date FROM regions WHERE id = ANY ($1::int[])
       ON CONFLICT (region_id) DO UPDATE SET day = EXCLUDED.day WHERE c.day IS DISTINCT FROM EXCLUDED.day
       RETURNING c.region_id`,
      [regionIds, today],
      transaction,
    )
    const ids = claimed.map((row) => row.regionId)
    if (ids.length > 0) {
      await sql.rows('DELETE FROM work_condition_marks WHERE region_id = ANY ($1::int[]) RETURNING beneficiary_id', [ids], transaction)
      await sql.rows('DELETE FROM work_condition_report_marks WHERE region_id = ANY ($1::int[]) RETURNING region_id', [ids], transaction)
    }
    return ids
  }

  /** Takes the marked files of some regions (null: all): the marks are gone when this transaction commits. */
  async function takeFileMarks(regionIds: number[] | null, transaction: Transaction): Promise<number[]> {
    const taken = await sql.rows<{ beneficiaryId: number }>(
      'DELETE FROM work_condition_marks WHERE $1::int[] IS NULL OR region_id = ANY ($1::int[]) RETURNING beneficiary_id',
      [regionIds],
      transaction,
    )
    return taken.map((row) => row.beneficiaryId)
  }

  /** Takes the regions whose reports are marked, among some (null: all). */
  async function takeReportMarks(regionIds: number[] | null, transaction: Transaction): Promise<number[]> {
    const taken = await sql.rows<{ regionId: number }>('DELETE FROM work_condition_report_marks WHERE $1::int[] IS NULL OR region_id = ANY ($1::int[]) RETURNING region_id', [regionIds], transaction)
    return taken.map((row) => row.regionId)
  }

  return { contactsOfMonth, publicWorksOf, openConditions, open, close, outOfDate, claimRegions, takeFileMarks, takeReportMarks }
}

export type ConditionQueries = ReturnType<typeof conditionQueries>
