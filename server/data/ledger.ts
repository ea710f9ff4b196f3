import type { Transaction } from 'sequelize'
import { DUE_GROUPS, dueGroupRanges, type ConditionNote, type DueGroup } from '../domain/workItems'
import type { Sql } from './sql'

/*
 * The work ledger's SQL (work_items, kept by the database in step with its sources: migrations/20261207000000-work-ledger.ts).
 * The fragments below say in SQL what server/domain/workItems.ts says in TypeScript; test/services/ledger.test.ts holds
 * them to each other.
 */

/** isOpen. */
export const OPEN_SQL = `w.state = 'OPEN'`
/**
 * dueGroupRanges as SQL: the values of the groups' ranges in DUE_GROUPS order (an open end as -infinity or infinity),
 * and the condition that w.due_date is in the group whose range starts at parameter $n.
 */
export const dueGroupValues = (today: string): string[] => {
  const ranges = dueGroupRanges(today)
  return DUE_GROUPS.flatMap((group) => [ranges[group].from ?? '-infinity', ranges[group].until ?? 'infinity'])
}
export const inDueGroupSql = (fromParameter: number) => `(w.due_date >= $${fromParameter}::date AND w.due_date < $${fromParameter + 1}::date)`
/** The condition that w.due_date is in a group, with dueGroupValues as the query's first eight values. */
const inGroup = (name: DueGroup) => inDueGroupSql(1 + DUE_GROUPS.indexOf(name) * 2)
/** Before the week's end: the week group's end, with dueGroupValues first. */
const BEFORE_WEEK_END = 'w.due_date < $6::date'
/**
 * doneOnTime over any record's columns: done (a condition), the day it was done and its due date. Every "on time" in
 * SQL is this, from the ledger's own to the quarterly figures'.
 */
export const doneOnTimeSql = (done: string, doneOn: string, dueDate: string) => `(${done} AND ${doneOn} <= ${dueDate})`
/** doneOnTime of a work item. */
export const DONE_ON_TIME_SQL = doneOnTimeSql(`w.state = 'DONE'`, 'w.closed_on', 'w.due_date')

/**
 * A list line of each item of a query's `top` (kind, due_date, source_type, source_id, region_id, beneficiary_id,
 * assignee_user_id, grp): the file, person, letter or condition it concerns, each looked up by key (LIMIT keeps each a
 * lookup: the planner would otherwise join whole tables).
 */
const LINE_OF_ITEM = `SELECT r.kind, r.due_date AS "dueDate", r.source_type AS "sourceType", r.source_id AS "sourceId", r.region_id AS "regionId",
       r.beneficiary_id AS "beneficiaryId", r.assignee_user_id AS "assigneeUserId", u.full_name AS "assigneeName",
       coalesce(i.number || ' · ' || i.subject, l.subject, b.surname || ' ' || b.given_name, '') AS subject,
       b.file_number AS "fileNumber", coalesce(b.risk_to_staff, false) AS "riskToStaff", r.grp AS "group",
       CASE WHEN c.subject_id IS NOT NULL THEN json_build_object('subjectId', c.subject_id, 'period', c.period, 'note', c.note) END AS condition
  FROM top r
  LEFT JOIN LATERAL (SELECT surname, given_name, file_number, risk_to_staff FROM beneficiaries WHERE id = r.beneficiary_id LIMIT 1) b ON true
  LEFT JOIN LATERAL (SELECT full_name FROM users WHERE id = r.assignee_user_id LIMIT 1) u ON true
  LEFT JOIN LATERAL (SELECT number, subject FROM incoming_items WHERE r.source_type = 'incoming_item' AND id = r.source_id LIMIT 1) i ON true
  LEFT JOIN LATERAL (SELECT subject FROM outgoing_letters WHERE r.source_type = 'letter' AND id = r.source_id LIMIT 1) l ON true
  LEFT JOIN LATERAL (SELECT subject_id, period, note FROM work_conditions WHERE r.source_type = 'condition' AND id = r.source_id LIMIT 1) c ON true`

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
  /** For a condition: the record it is about (file, measure or region), its period and what the list says of it. */
  condition: { subjectId: number; period: string; note: ConditionNote } | null
}

export interface LedgerSummary {
  lines: LedgerLine[]
  counts: Partial<Record<DueGroup, number>>
  /** Per person assigned: [overdue, due today or this week]. */
  assignees: Record<string, [number, number]>
  kinds: string[]
  /** Per kind present: its open items in each group (of the person filtered on, whatever the kind filter). */
  byKind: Record<string, Record<DueGroup, number>>
}

/** Which lines a summary lists: `limit` of each group from `offset`, or of one group only. */
export interface LinesWindow {
  limit: number
  offset?: number
  group?: DueGroup
}

/** Whose open items: a region's, or one person's (with the head's unassigned items of `headOf` when they hold those powers today). */
export type LedgerScope = { regionId: number } | { assigneeUserId: number; headOf: number | null }

export function ledgerQueries(sql: Sql) {
  type Tally = { kind: string; assigneeUserId: number | null } & Record<DueGroup, number>

  /** One pass over a scope's open items, counted by kind and person in each group. */
  async function scopeTallies(items: string, inScope: string, scopeValues: unknown[]): Promise<Tally[]> {
    return sql.rows(
      `SELECT w.kind, w.assignee_user_id, ${DUE_GROUPS.map((name) => `count(*) FILTER (WHERE ${inGroup(name)})::int AS ${name}`).join(', ')}
         FROM ${items} w WHERE ${OPEN_SQL} AND ${inScope} GROUP BY w.kind, w.assignee_user_id`,
      scopeValues,
    )
  }

  /**
   * A region's open items by kind and person in each group, without reading them all: the region's open counts (kept by
   * the database, migrations/20261208000000-ledger-open-counts.ts) less the items due before the week's end, counted
   * from the items, make the later group.
   */
  async function regionTallies(regionId: number, today: string): Promise<Tally[]> {
    return sql.rows(
      `WITH open AS (
         SELECT kind, assignee_key, sum(n)::int AS open
           FROM (SELECT kind, assignee_key, open_count AS n FROM work_item_open_counts WHERE region_id = $7
                 UNION ALL SELECT kind, assignee_key, change FROM work_item_open_count_changes WHERE region_id = $7) counted
          GROUP BY kind, assignee_key HAVING sum(n) <> 0
       ), near AS (
         SELECT w.kind, coalesce(w.assignee_user_id, 0) AS assignee_key, ${(['overdue', 'today', 'week'] as const).map((name) => `count(*) FILTER (WHERE ${inGroup(name)})::int AS ${name}`).join(', ')}
           FROM work_items w WHERE ${OPEN_SQL} AND w.region_id = $7 AND ${BEFORE_WEEK_END} GROUP BY 1, 2
       )
       SELECT o.kind, nullif(o.assignee_key, 0) AS assignee_user_id, coalesce(n.overdue, 0) AS overdue, coalesce(n.today, 0) AS today, coalesce(n.week, 0) AS week,
              o.open - coalesce(n.overdue + n.today + n.week, 0) AS later
         FROM open o LEFT JOIN near n ON n.kind = o.kind AND n.assignee_key = o.assignee_key`,
      // The later group's range is not asked for.
      [...dueGroupValues(today).slice(0, 6), regionId],
    )
  }

  /**
   * Folds the open counts' changes into the counts (exact either way; fewer rows to add up after). Counts are written in
   * key order, so two folds at once wait for each other instead of deadlocking.
   */
  async function foldOpenCounts(): Promise<void> {
    await sql.rows(
      `WITH folded AS (DELETE FROM work_item_open_count_changes RETURNING region_id, assignee_key, kind, change)
       INSERT INTO work_item_open_counts AS c (region_id, assignee_key, kind, open_count)
       SELECT region_id, assignee_key, kind, sum(change) FROM folded GROUP BY region_id, assignee_key, kind ORDER BY region_id, assignee_key, kind
       ON CONFLICT (region_id, assignee_key, kind) DO UPDATE SET open_count = c.open_count + EXCLUDED.open_count`,
    )
  }

  /**
   * The open items of a scope grouped, counted and cut to `limit` a group in the database, oldest due first, with each
   * person's overdue and this week's counts and the kinds present, whatever the region's size.
   */
  async function summary(scope: LedgerScope, filter: { assigneeUserId?: number; kind?: string }, today: string, window: LinesWindow): Promise<LedgerSummary> {
    // Only the conditions that apply are written (each shape of the statement is prepared and planned for itself: a
    // generic plan of "$n IS NULL OR …" scanned the whole region). $1-$8 are the groups' ranges.
    const values: unknown[] = dueGroupValues(today)
    const value = (given: unknown) => `$${values.push(given)}`
    // A head's own work is two index ranges, their items and the region's unassigned ones, read as one relation: written
    // as "assignee = $a OR (assignee IS NULL AND region = $r)" PostgreSQL scanned every open item of the country.
    const { items, inScope } = 'regionId' in scope
      ? { items: 'work_items', inScope: `w.region_id = ${value(scope.regionId)}` }
      : scope.headOf === null ? { items: 'work_items', inScope: `w.assignee_user_id = ${value(scope.assigneeUserId)}` }
      : {
          // Only the columns the indexes hold (the unassigned index has no assignee: it is null), so both are read index-only.
          items: `(SELECT w.kind, w.due_date, w.source_type, w.source_id, w.region_id, w.beneficiary_id, w.assignee_user_id, 'OPEN' AS state
                     FROM work_items w WHERE ${OPEN_SQL} AND w.assignee_user_id = ${value(scope.assigneeUserId)}
                   UNION ALL SELECT w.kind, w.due_date, w.source_type, w.source_id, w.region_id, w.beneficiary_id, NULL::integer, 'OPEN'
                     FROM work_items w WHERE ${OPEN_SQL} AND w.assignee_user_id IS NULL AND w.region_id = ${value(scope.headOf)})`,
          inScope: 'true',
        }
    const scopeValues = [...values]
    const shown = [`${OPEN_SQL} AND ${inScope}`, ...(filter.assigneeUserId === undefined ? [] : [`w.assignee_user_id = ${value(filter.assigneeUserId)}`]), ...(filter.kind === undefined ? [] : [`w.kind = ${value(filter.kind)}`])].join(' AND ')
    const limitValue = value(window.limit)
    const offsetValue = value(window.offset ?? 0)
    // Each group's first lines straight from the index in due-date order (a group not listed is LIMIT 0, never run, so
    // the statement keeps one shape and uses every group's values); each looks up its file, person and letter by
    // key (LIMIT keeps each a lookup: the planner would otherwise join whole tables).
    const linesOf = (name: DueGroup) => `(SELECT w.kind, w.due_date, w.source_type, w.source_id, w.region_id, w.beneficiary_id, w.assignee_user_id, '${name}' AS grp
        FROM ${items} w WHERE ${shown} AND ${inGroup(name)} ORDER BY w.due_date, w.kind, w.source_type, w.source_id LIMIT ${window.group === undefined || window.group === name ? limitValue : '0'} OFFSET ${offsetValue})`
    const [lines, tallies] = await Promise.all([
      sql.rows<LedgerLine>(`WITH top AS MATERIALIZED (${DUE_GROUPS.map(linesOf).join(' UNION ALL ')}) ${LINE_OF_ITEM} ORDER BY r.due_date, r.kind, r.source_type, r.source_id`, values),
      'regionId' in scope ? regionTallies(scope.regionId, today) : scopeTallies(items, inScope, scopeValues),
    ])
    const counts: Partial<Record<DueGroup, number>> = {}
    const assignees: Record<string, [number, number]> = {}
    const byKind: Record<string, Record<DueGroup, number>> = {}
    for (const tally of tallies) {
      const ofPerson = filter.assigneeUserId === undefined || tally.assigneeUserId === filter.assigneeUserId
      const counted = ofPerson && (filter.kind === undefined || tally.kind === filter.kind)
      if (counted) for (const name of DUE_GROUPS) counts[name] = (counts[name] ?? 0) + tally[name]
      if (ofPerson) {
        const kind = (byKind[tally.kind] ??= { overdue: 0, today: 0, week: 0, later: 0 })
        for (const name of DUE_GROUPS) kind[name] += tally[name]
      }
      if (tally.assigneeUserId === null) continue
      const [overdue, week] = assignees[tally.assigneeUserId] ?? [0, 0]
      assignees[tally.assigneeUserId] = [overdue + tally.overdue, week + tally.today + tally.week]
    }
    return { lines, counts, assignees, kinds: [...new Set(tallies.map((tally) => tally.kind))].sort(), byKind }
  }

  /** A file's open items, oldest due first, each in its due group. */
  async function openOfFile(beneficiaryId: number, today: string): Promise<LedgerLine[]> {
    return sql.rows(
      `WITH top AS MATERIALIZED (
         SELECT w.kind, w.due_date, w.source_type, w.source_id, w.region_id, w.beneficiary_id, w.assignee_user_id,
                CASE ${DUE_GROUPS.map((name) => `WHEN ${inGroup(name)} THEN '${name}'`).join(' ')} END AS grp
           FROM work_items w WHERE ${OPEN_SQL} AND w.beneficiary_id = $9)
       SELECT line.* FROM (${LINE_OF_ITEM}) line ORDER BY line."dueDate", line.kind, line."sourceType", line."sourceId"`,
      [...dueGroupValues(today), beneficiaryId],
    )
  }

  /** The region's officers and head with their open files (the board's people). */
  async function staffCaseloads(regionId: number): Promise<{ id: number; fullName: string; caseload: number }[]> {
    return sql.rows(
      `SELECT u.id, u.full_name, (SELECT count(*) FROM beneficiaries b WHERE b.responsible_officer_id = u.id AND b.status IN ('ACTIVE', 'SUSPENDED'))::int AS caseload
         FROM users u WHERE u.region_id = $1 AND u.active AND u.role IN ('SPECIALIST', 'SENIOR_SPECIALIST', 'REGIONAL_HEAD') ORDER BY u.full_name`,
      [regionId],
    )
  }

  async function activeRegions(): Promise<{ id: number; nameHy: string; nameEn: string }[]> {
    return sql.rows('SELECT id, name_hy, name_en FROM regions WHERE active ORDER BY name_hy')
  }

  /** Per region and kind: open items overdue, and due today or this week. */
  async function openByRegionAndKind(today: string): Promise<{ regionId: number; kind: string; overdue: number; due: number }[]> {
    return sql.rows(
      `SELECT w.region_id, w.kind, count(*) FILTER (WHERE ${inGroup('overdue')})::int AS overdue, count(*) FILTER (WHERE ${inGroup('today')} OR ${inGroup('week')})::int AS due
         FROM work_items w WHERE ${OPEN_SQL} AND ${BEFORE_WEEK_END} GROUP BY w.region_id, w.kind`,
      // The later group's range is not asked for.
      dueGroupValues(today).slice(0, 6),
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

  /** The item of one source row. */
  async function ofSource(sourceType: string, sourceId: number, transaction?: Transaction) {
    return sql.one<{ kind: string; regionId: number; assigneeUserId: number | null; dueDate: string; state: string; closedOn: string | null; cancelReason: string | null }>(
      'SELECT kind, region_id, assignee_user_id, due_date, state, closed_on, cancel_reason FROM work_items WHERE source_type = $1 AND source_id = $2',
      [sourceType, sourceId],
      transaction,
    )
  }

  return { summary, openOfFile, staffCaseloads, activeRegions, openByRegionAndKind, doneByRegion, ofSource, foldOpenCounts }
}

export type LedgerQueries = ReturnType<typeof ledgerQueries>
