import { QueryTypes, type Sequelize } from 'sequelize'
import { addCalendarDays, quarterEndOf } from '../domain/calendar'
import type { Clock } from '../domain/clock'
import { serviceDateOf } from '../domain/dates'

/** Kinds of line that are not a stored deadline rule: work waiting for someone, dated by when it started waiting. */
export const WORK_KINDS = ['CORRESPONDENCE', 'ASSESSMENT_COUNTERSIGN', 'PLAN_APPROVAL', 'APPOINTMENT_OUTCOME'] as const
export type WorkKind = (typeof WORK_KINDS)[number]

export const BOARD_GROUPS = ['overdue', 'today', 'week', 'later'] as const
export type BoardGroup = (typeof BOARD_GROUPS)[number]

export interface BoardLine {
  /** A deadline rule id, or one of WORK_KINDS. */
  kind: string
  dueDate: string
  /** Where the item is, and (for deadlines) where its due date is explained. */
  href: string
  explainHref: string | null
  subject: string
  fileNumber: string | null
  officerId: number | null
  officerName: string | null
  riskToStaff: boolean
}

export interface BoardView {
  today: string
  weekEnd: string
  groups: Record<BoardGroup, BoardLine[]>
  counts: Record<BoardGroup, number>
  kinds: string[]
  officers: { id: number; fullName: string; caseload: number; overdue: number; dueThisWeek: number }[]
}

export interface NationalRow {
  regionId: number
  nameHy: string
  nameEn: string
  overdue: number
  dueThisWeek: number
  byKind: Record<string, { overdue: number; due: number }>
  doneInQuarter: number
  doneOnTimeInQuarter: number
}

/** At most this many lines are listed per group; the counts are always complete. */
const GROUP_LIMIT = 300

/**
 * Every deadline of a region in one place: the stored deadlines of its files (court acts, contacts, assessments,
 * plans, violations, devices, probation ends...), its open correspondence, and work waiting for a head or an
 * officer (assessments to countersign, plans to approve, appointments without an outcome).
 */
export function boardService(deps: { sequelize: Sequelize; clock: Clock }) {
  const { sequelize, clock } = deps
  const today = () => serviceDateOf(clock.now())

  /** One query over all sources, filtered by region (or the whole country) and optionally by the officer responsible. */
  function linesSql(scope: 'region' | 'officer'): string {
    const officerFilter = (column: string) => (scope === 'officer' ? `AND ${column} = :officerId` : '')
    return `
      SELECT d.rule_id AS kind, d.due_date AS "dueDate", '/beneficiaries/' || b.id AS href, '/deadlines/' || d.id AS "explainHref",
             b.surname || ' ' || b.given_name AS subject, b.file_number AS "fileNumber", b.responsible_officer_id AS "officerId", u.full_name AS "officerName", b.risk_to_staff AS "riskToStaff"
        FROM deadlines d JOIN beneficiaries b ON b.id = d.beneficiary_id LEFT JOIN users u ON u.id = b.responsible_officer_id
       WHERE d.status = 'OPEN' AND b.region_id = :regionId ${officerFilter('b.responsible_officer_id')}
      UNION ALL
      SELECT 'CORRESPONDENCE', i.due_date, '/correspondence/' || i.id, '/correspondence/' || i.id, i.number || ' · ' || i.subject, NULL, i.assignee_user_id, u.full_name, false
        FROM incoming_items i LEFT JOIN users u ON u.id = i.assignee_user_id
       WHERE i.status NOT IN ('SENT', 'CLOSED') AND i.region_id = :regionId ${officerFilter('i.assignee_user_id')}
      UNION ALL
      SELECT 'ASSESSMENT_COUNTERSIGN', a.completed_on, '/assessments/' || a.id, NULL, b.surname || ' ' || b.given_name, b.file_number, b.responsible_officer_id, u.full_name, b.risk_to_staff
        FROM assessments a JOIN beneficiaries b ON b.id = a.beneficiary_id LEFT JOIN users u ON u.id = b.responsible_officer_id
       WHERE a.status = 'COMPLETED' AND b.region_id = :regionId ${officerFilter('b.responsible_officer_id')}
      UNION ALL
      SELECT 'PLAN_APPROVAL', p.submitted_on, '/plans/' || p.id, NULL, b.surname || ' ' || b.given_name, b.file_number, b.responsible_officer_id, u.full_name, b.risk_to_staff
        FROM supervision_plans p JOIN beneficiaries b ON b.id = p.beneficiary_id LEFT JOIN users u ON u.id = b.responsible_officer_id
       WHERE p.status = 'SUBMITTED' AND b.region_id = :regionId ${officerFilter('b.responsible_officer_id')}
      UNION ALL
      SELECT 'APPOINTMENT_OUTCOME', (ap.scheduled_at AT TIME ZONE 'Asia/Yerevan')::date, '/beneficiaries/' || b.id || '/contacts', NULL, b.surname || ' ' || b.given_name, b.file_number,
             b.responsible_officer_id, u.full_name, b.risk_to_staff
        FROM appointments ap JOIN beneficiaries b ON b.id = ap.beneficiary_id LEFT JOIN users u ON u.id = b.responsible_officer_id
       WHERE ap.outcome IS NULL AND ap.cancelled_at IS NULL AND ap.scheduled_at < :now AND b.region_id = :regionId ${officerFilter('b.responsible_officer_id')}`
  }

  function groupOf(dueDate: string, now: string, weekEnd: string): BoardGroup {
    if (dueDate < now) return 'overdue'
    if (dueDate === now) return 'today'
    return dueDate <= weekEnd ? 'week' : 'later'
  }

  async function build(regionId: number, filter: { officerId?: number; kind?: string }, scope: 'region' | 'officer'): Promise<BoardView> {
    const now = today()
    const weekEnd = addCalendarDays(now, 7)
    const rows = await sequelize.query<BoardLine>(`SELECT * FROM (${linesSql(scope)}) lines ORDER BY "dueDate", kind`, {
      replacements: { regionId, officerId: filter.officerId ?? null, now: clock.now() },
      type: QueryTypes.SELECT,
    })
    const kinds = [...new Set(rows.map((row) => row.kind))].sort()
    const shown = rows.filter((row) => (scope === 'officer' || !filter.officerId || row.officerId === filter.officerId) && (!filter.kind || row.kind === filter.kind))
    const groups: Record<BoardGroup, BoardLine[]> = { overdue: [], today: [], week: [], later: [] }
    const counts: Record<BoardGroup, number> = { overdue: 0, today: 0, week: 0, later: 0 }
    for (const row of shown) {
      const group = groupOf(row.dueDate, now, weekEnd)
      counts[group] += 1
      if (groups[group].length < GROUP_LIMIT) groups[group].push(row)
    }
    const staff = await sequelize.query<{ id: number; fullName: string; caseload: number }>(
      `SELECT u.id, u.full_name AS "fullName",
              (SELECT count(*) FROM beneficiaries b WHERE b.responsible_officer_id = u.id AND b.status IN ('ACTIVE', 'SUSPENDED'))::int AS caseload
         FROM users u WHERE u.region_id = :regionId AND u.active AND u.role IN ('SPECIALIST', 'SENIOR_SPECIALIST', 'REGIONAL_HEAD') ORDER BY u.full_name`,
      { replacements: { regionId }, type: QueryTypes.SELECT },
    )
    const officers = staff.map((person) => {
      const own = rows.filter((row) => row.officerId === person.id)
      return { ...person, overdue: own.filter((row) => row.dueDate < now).length, dueThisWeek: own.filter((row) => row.dueDate >= now && row.dueDate <= weekEnd).length }
    })
    return { today: now, weekEnd, groups, counts, kinds, officers: scope === 'officer' ? officers.filter((person) => person.id === filter.officerId) : officers }
  }

  async function regionBoard(regionId: number, filter: { officerId?: number; kind?: string }): Promise<BoardView> {
    return build(regionId, filter, 'region')
  }

  /** "My work": the same board restricted to what is assigned to one officer. */
  async function myWork(regionId: number, officerId: number, kind?: string): Promise<BoardView> {
    return build(regionId, { officerId, kind }, 'officer')
  }

  /**
   * Per region: open items overdue and due within the week by kind, and of what fell due this quarter and was
   * done, the share done on time (deadlines closed by their due date, correspondence answered by its due date).
   */
  async function national(): Promise<{ today: string; quarterStart: string; quarterEnd: string; rows: NationalRow[] }> {
    const now = today()
    const weekEnd = addCalendarDays(now, 7)
    const quarterEnd = quarterEndOf(now)
    const quarterStart = `${quarterEnd.slice(0, 5)}${String(Number(quarterEnd.slice(5, 7)) - 2).padStart(2, '0')}-01`
    const replacements = { now, weekEnd, quarterStart, quarterEnd }
    const [regions, open, done] = await Promise.all([
      sequelize.query<{ id: number; nameHy: string; nameEn: string }>('SELECT id, name_hy AS "nameHy", name_en AS "nameEn" FROM regions WHERE active ORDER BY name_hy', { type: QueryTypes.SELECT }),
      sequelize.query<{ regionId: number; kind: string; overdue: number; due: number }>(
        `SELECT region_id AS "regionId", kind, count(*) FILTER (WHERE due_date < :now)::int AS overdue, count(*) FILTER (WHERE due_date BETWEEN :now AND :weekEnd)::int AS due
           FROM (SELECT b.region_id, d.rule_id AS kind, d.due_date FROM deadlines d JOIN beneficiaries b ON b.id = d.beneficiary_id WHERE d.status = 'OPEN'
                 UNION ALL
                 SELECT i.region_id, 'CORRESPONDENCE', i.due_date FROM incoming_items i WHERE i.status NOT IN ('SENT', 'CLOSED')) open_lines
          WHERE due_date <= :weekEnd GROUP BY region_id, kind`,
        { replacements, type: QueryTypes.SELECT },
      ),
      sequelize.query<{ regionId: number; done: number; onTime: number }>(
        `SELECT region_id AS "regionId", count(*)::int AS done, count(*) FILTER (WHERE done_on <= due_date)::int AS "onTime"
           FROM (SELECT b.region_id, d.done_on, d.due_date FROM deadlines d JOIN beneficiaries b ON b.id = d.beneficiary_id
                  WHERE d.status = 'DONE' AND d.done_on BETWEEN :quarterStart AND :quarterEnd
                 UNION ALL
                 SELECT i.region_id, i.answered_on, i.due_date FROM incoming_items i WHERE i.answered_on BETWEEN :quarterStart AND :quarterEnd) done_lines
          GROUP BY region_id`,
        { replacements, type: QueryTypes.SELECT },
      ),
    ])
    const rows = regions.map((region) => {
      const own = open.filter((line) => line.regionId === region.id)
      const finished = done.find((line) => line.regionId === region.id)
      return {
        regionId: region.id, nameHy: region.nameHy, nameEn: region.nameEn,
        overdue: own.reduce((sum, line) => sum + line.overdue, 0),
        dueThisWeek: own.reduce((sum, line) => sum + line.due, 0),
        byKind: Object.fromEntries(own.map((line) => [line.kind, { overdue: line.overdue, due: line.due }])),
        doneInQuarter: finished?.done ?? 0,
        doneOnTimeInQuarter: finished?.onTime ?? 0,
      }
    })
    return { today: now, quarterStart, quarterEnd, rows }
  }

  return { regionBoard, myWork, national }
}

export type BoardService = ReturnType<typeof boardService>
