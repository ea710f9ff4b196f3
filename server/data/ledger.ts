import type { Transaction } from 'sequelize'
import type { DueGroup } from '../domain/workItems'
import type { Sql } from './sql'

/*
 * The work ledger's SQL (work_items, kept by the database in step with its sources: migrations/20261207000000-work-ledger.ts).
 * The fragments below say in SQL what server/domain/workItems.ts says in TypeScript; test/services/ledger.test.ts holds
 * them to each other.
 */

/** isOpen. */
export const OPEN_SQL = `w.state = 'OPEN'`
/** dueGroup, with $today and $weekEnd at the given positions. */
export const dueGroupSql = (today: string, weekEnd: string) =>
  `CASE WHEN w.due_date < ${today} THEN 'overdue' WHEN w.due_date = ${today} THEN 'today' WHEN w.due_date <= ${weekEnd} THEN 'week' ELSE 'later' END`
/** doneOnTime. */
export const DONE_ON_TIME_SQL = `(w.state = 'DONE' AND w.closed_on <= w.due_date)`

export interface LedgerLine {
  kind: string
  dueDate: string
  sourceType: string
  sourceId: number
  regionId: number
  beneficiaryId: number | null
  assigneeUserId: number | null
  assigneeName: string | null
  subject: string
  fileNumber: string | null
  riskToStaff: boolean
  group: DueGroup
}

export interface LedgerSummary {
  lines: LedgerLine[]
  counts: Partial<Record<DueGroup, number>>
  /** Per person assigned: [overdue, due today or this week]. */
  assignees: Record<string, [number, number]>
  kinds: string[]
}

/** Whose open items: a region's, or one person's (with the head's unassigned items of `headOf` when they hold those powers today). */
export type LedgerScope = { regionId: number } | { assigneeUserId: number; headOf: number | null }

export function ledgerQueries(sql: Sql) {
  /**
   * The open items of a scope grouped, counted and cut to `limit` a group in the database, oldest due first, with each
   * person's overdue and this week's counts and the kinds present: one row of JSON, whatever the region's size.
   */
  async function summary(scope: LedgerScope, filter: { assigneeUserId?: number; kind?: string }, today: string, weekEnd: string, limit: number): Promise<LedgerSummary> {
    const [where, scopeValues] = 'regionId' in scope ? ['w.region_id = $6', [scope.regionId]] : ['(w.assignee_user_id = $6 OR (w.assignee_user_id IS NULL AND w.region_id = $7))', [scope.assigneeUserId, scope.headOf]]
    const row = await sql.one<LedgerSummary>(
      `WITH mine AS MATERIALIZED (
         SELECT w.*, ${dueGroupSql('$1::date', '$2::date')} AS grp FROM work_items w WHERE ${OPEN_SQL} AND ${where}
       ), shown AS (
         SELECT * FROM mine WHERE ($3::int IS NULL OR assignee_user_id = $3) AND ($4::text IS NULL OR kind = $4)
       ), ranked AS (
         SELECT s.*, row_number() OVER (PARTITION BY grp ORDER BY due_date, kind, source_type, source_id) AS rank FROM shown s
       )
       SELECT (SELECT coalesce(json_agg(line ORDER BY line."dueDate", line.kind, line."sourceType", line."sourceId"), '[]')
                 FROM (SELECT r.kind, r.due_date AS "dueDate", r.source_type AS "sourceType", r.source_id AS "sourceId", r.region_id AS "regionId",
                              r.beneficiary_id AS "beneficiaryId", r.assignee_user_id AS "assigneeUserId", u.full_name AS "assigneeName",
                              coalesce(i.number || ' · ' || i.subject, l.subject, b.surname || ' ' || b.given_name, '') AS subject,
                              b.file_number AS "fileNumber", coalesce(b.risk_to_staff, false) AS "riskToStaff", r.grp AS "group"
                         FROM ranked r
                         LEFT JOIN beneficiaries b ON b.id = r.beneficiary_id
                         LEFT JOIN users u ON u.id = r.assignee_user_id
                         LEFT JOIN incoming_items i ON r.source_type = 'incoming_item' AND i.id = r.source_id
                         LEFT JOIN outgoing_letters l ON r.source_type = 'letter' AND l.id = r.source_id
                        WHERE r.rank <= $5) line) AS lines,
              (SELECT coalesce(json_object_agg(grp, n), '{}') FROM (SELECT grp, count(*)::int AS n FROM shown GROUP BY grp) c) AS counts,
              (SELECT coalesce(json_object_agg(assignee_user_id, json_build_array(overdue, week)), '{}')
                 FROM (SELECT assignee_user_id, count(*) FILTER (WHERE grp = 'overdue')::int AS overdue, count(*) FILTER (WHERE grp IN ('today', 'week'))::int AS week
                         FROM mine WHERE assignee_user_id IS NOT NULL GROUP BY assignee_user_id) o) AS assignees,
              (SELECT coalesce(json_agg(DISTINCT kind), '[]') FROM mine) AS kinds`,
      [today, weekEnd, filter.assigneeUserId ?? null, filter.kind ?? null, limit, ...scopeValues],
    )
    return row!
  }

  /** Per region and kind: open items overdue, and due from today to the week's end. */
  async function openByRegionAndKind(today: string, weekEnd: string): Promise<{ regionId: number; kind: string; overdue: number; due: number }[]> {
    return sql.rows(
      `SELECT w.region_id, w.kind, count(*) FILTER (WHERE w.due_date < $1)::int AS overdue, count(*) FILTER (WHERE w.due_date >= $1)::int AS due
         FROM work_items w WHERE ${OPEN_SQL} AND w.due_date <= $2 GROUP BY w.region_id, w.kind`,
      [today, weekEnd],
    )
  }

  /** Per region: the items done between two dates, and of them those done on time. */
  async function doneByRegion(from: string, to: string): Promise<{ regionId: number; done: number; onTime: number }[]> {
    return sql.rows(
      `SELECT w.region_id, count(*)::int AS done, count(*) FILTER (WHERE ${DONE_ON_TIME_SQL})::int AS on_time
         FROM work_items w WHERE w.state = 'DONE' AND w.closed_on BETWEEN $1 AND $2 GROUP BY w.region_id`,
      [from, to],
    )
  }

  /** The items of one source row (for tests and the explanation pages). */
  async function ofSource(sourceType: string, sourceId: number, transaction?: Transaction) {
    return sql.one<{ kind: string; regionId: number; assigneeUserId: number | null; dueDate: string; state: string; closedOn: string | null; cancelReason: string | null }>(
      'SELECT kind, region_id, assignee_user_id, due_date, state, closed_on, cancel_reason FROM work_items WHERE source_type = $1 AND source_id = $2',
      [sourceType, sourceId],
      transaction,
    )
  }

  return { summary, openByRegionAndKind, doneByRegion, ofSource }
}

export type LedgerQueries = ReturnType<typeof ledgerQueries>
