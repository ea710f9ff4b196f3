import { QueryTypes, type Sequelize } from 'sequelize'
import type { LedgerLine, LedgerQueries } from '../data/ledger'
import { addCalendarDays, daysInMonth, quarterEndOf } from '../domain/calendar'
import type { Clock } from '../domain/clock'
import { HELD_OUTCOMES, PERSON_CONTACT_KINDS, requiredInMonth, yerevanMoment, type FrequencyPeriod } from '../domain/contacts'
import { serviceDateOf } from '../domain/dates'
import { MEASURE_CODES, measureType } from '../domain/measureCatalogue'
import { OPEN_MEASURE_STATES } from '../domain/measureLifecycle'
import { publicWorksProgress } from '../domain/measureProgress'
import { DUE_GROUPS, dueGroup, WAITING_KINDS, weekEndOf, type DueGroup } from '../domain/workItems'
import type { QuarterlyReportService } from './quarterlyReports'

/**
 * Kinds of line that are not a deadline rule: work waiting for someone (the ledger's), and the conditions computed from
 * the records (dated by when they must be put right).
 */
export const WORK_KINDS = [...WAITING_KINDS, 'CONTACTS_BEHIND', 'PUBLIC_WORKS_BEHIND'] as const
export type WorkKind = (typeof WORK_KINDS)[number]

export const BOARD_GROUPS = DUE_GROUPS
export type BoardGroup = DueGroup

export interface BoardLine {
  /** A deadline rule id, or one of WORK_KINDS. */
  kind: string
  dueDate: string
  /** Where the item is, and (for deadlines) where its due date is explained. */
  href: string
  explainHref: string | null
  subject: string
  fileNumber: string | null
  /** Who must do it; none: the head of the region. */
  officerId: number | null
  officerName: string | null
  riskToStaff: boolean
  /** A locale key and its values saying why the line is there (contacts held of those required, hours done...). */
  note: BoardNote | null
}

/** A value of a note is shown as it is, or (`{ key }`) itself translated. */
export interface BoardNote {
  key: string
  params: Record<string, string | number | { key: string }>
}

/** A computed line, with the region it belongs to. */
type RegionLine = BoardLine & { regionId: number }

/** Whose lines: a region's, optionally only one officer's. */
interface Scope {
  regionId: number
  officerId?: number
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

/**
 * At most this many lines are listed per group, oldest due first; the counts are always complete and the filters by
 * officer and kind narrow the list. A region has thousands of lines: listing 300 a group cost the server about as much
 * rendering as the queries themselves.
 */
const GROUP_LIMIT = 100

/**
 * Every deadline of a region in one place: the stored deadlines of its files (court acts, contacts, assessments,
 * plans, violations, devices, probation ends...), its open correspondence, and work waiting for a head or an
 * officer (assessments to countersign, plans to approve, appointments without an outcome).
 */
export function boardService(deps: { sequelize: Sequelize; clock: Clock; ledger: LedgerQueries; reports: Pick<QuarterlyReportService, 'awaitingRegions'> }) {
  const { sequelize, clock, ledger, reports } = deps
  const today = () => serviceDateOf(clock.now())
  const PUBLIC_WORKS_CODES = MEASURE_CODES.filter((code) => measureType(code).executionKind === 'publicWorks')
  const FILE_COLUMNS = `b.surname || ' ' || b.given_name AS subject, b.file_number AS "fileNumber", b.responsible_officer_id AS "officerId", u.full_name AS "officerName", b.risk_to_staff AS "riskToStaff", b.region_id AS "regionId"`
  const scopeSql = (scope: Scope) => `AND b.region_id = :regionId ${scope.officerId === undefined ? '' : 'AND b.responsible_officer_id = :officerId'}`

  /**
   * Active files whose plans require more contacts this month than are held, booked or awaiting an outcome: the
   * officer has to book more before the month ends (CONTACT_FREQUENCY, counted as on the person's contacts page).
   * Suspended files are left out: their supervision is paused.
   */
  async function contactsBehind(scope: Scope, dueBy: string | null): Promise<RegionLine[]> {
    const now = today()
    const month = now.slice(0, 7)
    const monthLast = `${month}-${String(daysInMonth(Number(now.slice(0, 4)), Number(now.slice(5, 7)))).padStart(2, '0')}`
    if (dueBy !== null && monthLast > dueBy) return []
    const nextMonthFirst = addCalendarDays(monthLast, 1)
    const rows = await sequelize.query<Omit<BoardLine, 'kind' | 'dueDate' | 'href' | 'explainHref' | 'note'> & { regionId: number; id: number; periods: FrequencyPeriod[]; held: number; open: number }>(
      `WITH files AS (
         SELECT b.id, ${FILE_COLUMNS} FROM beneficiaries b LEFT JOIN users u ON u.id = b.responsible_officer_id WHERE b.status = 'ACTIVE' ${scopeSql(scope)}
       ), periods AS (
         SELECT p.beneficiary_id, p.contacts_per_month, p.approved_on AS from_date,
                lead(p.approved_on) OVER (PARTITION BY p.beneficiary_id ORDER BY p.approved_on, p.plan_version) AS to_date
           FROM supervision_plans p JOIN files f ON f.id = p.beneficiary_id WHERE p.status IN ('APPROVED', 'SUPERSEDED') AND p.approved_on IS NOT NULL
       ), of_month AS (
         SELECT beneficiary_id, json_agg(json_build_object('from', from_date, 'to', to_date, 'contactsPerMonth', contacts_per_month)) AS periods
           FROM periods WHERE from_date < :nextMonthFirst AND (to_date IS NULL OR to_date > :monthFirst) GROUP BY beneficiary_id
       ), contacts AS (
         SELECT ap.beneficiary_id, count(*) FILTER (WHERE ap.outcome IN (:held))::int AS held, count(*) FILTER (WHERE ap.outcome IS NULL)::int AS open
           FROM appointments ap JOIN of_month m ON m.beneficiary_id = ap.beneficiary_id
          WHERE ap.cancelled_at IS NULL AND ap.kind IN (:personKinds) AND ap.scheduled_at >= :from AND ap.scheduled_at < :until GROUP BY ap.beneficiary_id
       )
       SELECT f.*, m.periods, coalesce(c.held, 0) AS held, coalesce(c.open, 0) AS open FROM of_month m JOIN files f ON f.id = m.beneficiary_id LEFT JOIN contacts c ON c.beneficiary_id = m.beneficiary_id`,
      {
        replacements: {
          regionId: scope.regionId, officerId: scope.officerId ?? null, monthFirst: `${month}-01`, nextMonthFirst, held: [...HELD_OUTCOMES], personKinds: [...PERSON_CONTACT_KINDS],
          from: yerevanMoment(`${month}-01`, '00:00'), until: yerevanMoment(nextMonthFirst, '00:00'),
        },
        type: QueryTypes.SELECT,
      },
    )
    return rows.flatMap(({ id, periods, held, open, ...file }) => {
      const required = requiredInMonth(month, periods)
      if (held + open >= required) return []
      const href = `/beneficiaries/${id}/contacts`
      return [{ ...file, kind: 'CONTACTS_BEHIND', dueDate: monthLast, href, explainHref: href, note: { key: 'board.note.contactsBehind', params: { held, open, required } } }]
    })
  }

  /** Public works started and behind their expected weekly hours, or unable to finish in term at the current pace. */
  async function publicWorksBehind(scope: Scope): Promise<RegionLine[]> {
    const now = today()
    const rows = await sequelize.query<Omit<BoardLine, 'kind' | 'dueDate' | 'href' | 'explainHref' | 'note'> & { regionId: number; id: number; startDate: string; endDate: string | null; hoursOrdered: number; hoursDone: number }>(
      `SELECT m.id, m.start_date AS "startDate", m.end_date AS "endDate", (m.details->>'hoursOrdered')::float8 AS "hoursOrdered",
              coalesce((SELECT sum(w.hours) FROM work_sessions w WHERE w.measure_id = m.id), 0)::float8 AS "hoursDone", ${FILE_COLUMNS}
         FROM measures m JOIN beneficiaries b ON b.id = m.beneficiary_id LEFT JOIN users u ON u.id = b.responsible_officer_id
        WHERE m.type_code IN (:codes) AND m.state IN (:states) AND m.start_date IS NOT NULL ${scopeSql(scope)}`,
      { replacements: { regionId: scope.regionId, officerId: scope.officerId ?? null, codes: PUBLIC_WORKS_CODES, states: [...OPEN_MEASURE_STATES] }, type: QueryTypes.SELECT },
    )
    return rows.flatMap(({ id, startDate, endDate, hoursOrdered, hoursDone, ...file }) => {
      const progress = publicWorksProgress({ hoursOrdered, sessions: [{ hours: hoursDone }], startDate, termEnd: endDate, today: now })
      if (!progress.needsAttention || progress.dueDate === null) return []
      const href = `/measures/${id}`
      const params = { done: progress.hoursDone, ordered: progress.hoursOrdered, pace: progress.weeklyPace, expected: progress.expectedWeeklyHours }
      return [{ ...file, kind: 'PUBLIC_WORKS_BEHIND', dueDate: progress.dueDate, href, explainHref: href, note: { key: 'board.note.publicWorksBehind', params } }]
    })
  }

  /** A region's (with null, every region's) quarterly reports still to be submitted: the head's own line, assigned to no officer. */
  async function quarterlyReportLines(regionId: number | null): Promise<RegionLine[]> {
    const awaiting = await reports.awaitingRegions(regionId)
    return awaiting.map(({ regionId: region, quarter, dueDate }) => {
      const href = `/regions/${region}/reports/${quarter.year}/${quarter.quarter}`
      return {
        kind: 'QUARTERLY_REPORT', dueDate, href, explainHref: href, subject: '', fileNumber: null, officerId: null, officerName: null, riskToStaff: false, regionId: region,
        note: { key: 'quarterly.quarterName', params: { year: quarter.year, ordinal: { key: `quarterly.ordinal.${quarter.quarter}` } } },
      }
    })
  }

  /**
   * The lines computed from the records rather than stored; the quarterly report only where the head's duties are
   * asked for. With `dueBy`, a source whose lines all fall due later is not computed (the national board counts only
   * what is overdue or due within the week).
   */
  async function computedLines(scope: Scope, withReports: boolean, dueBy: string | null = null): Promise<RegionLine[]> {
    const parts = await Promise.all([contactsBehind(scope, dueBy), publicWorksBehind(scope), withReports ? quarterlyReportLines(scope.regionId) : Promise.resolve([])])
    return parts.flat()
  }

  /** Where a ledger item is acted on, and where its due date is explained. */
  function linksOf(line: LedgerLine): { href: string; explainHref: string | null } {
    switch (line.sourceType) {
      case 'deadline':
        return { href: `/beneficiaries/${line.beneficiaryId}`, explainHref: `/deadlines/${line.sourceId}` }
      case 'incoming_item':
        return { href: `/correspondence/${line.sourceId}`, explainHref: `/correspondence/${line.sourceId}` }
      case 'assessment':
        return { href: `/assessments/${line.sourceId}`, explainHref: null }
      case 'plan':
        return { href: `/plans/${line.sourceId}`, explainHref: null }
      case 'appointment':
        return { href: `/beneficiaries/${line.beneficiaryId}/contacts`, explainHref: null }
      case 'letter':
        return { href: `/letters/${line.sourceId}`, explainHref: null }
      default:
        return { href: `/regions/${line.regionId}/transfers`, explainHref: null }
    }
  }

  const boardLineOf = (line: LedgerLine): BoardLine => ({
    kind: line.kind, dueDate: line.dueDate, subject: line.subject, fileNumber: line.fileNumber, officerId: line.assigneeUserId, officerName: line.assigneeName,
    riskToStaff: line.riskToStaff, note: null, ...linksOf(line),
  })

  const byDueDate = (a: BoardLine, b: BoardLine) => a.dueDate.localeCompare(b.dueDate) || a.kind.localeCompare(b.kind) || a.href.localeCompare(b.href)

  async function build(regionId: number, filter: { officerId?: number; kind?: string }, scope: 'region' | 'officer', withReports: boolean): Promise<BoardView> {
    const now = today()
    const weekEnd = weekEndOf(now)
    const ledgerScope = scope === 'region' ? { regionId } : { assigneeUserId: filter.officerId!, headOf: withReports ? regionId : null }
    const [stored, computed, staff] = await Promise.all([
      ledger.summary(ledgerScope, { assigneeUserId: scope === 'region' ? filter.officerId : undefined, kind: filter.kind }, now, GROUP_LIMIT),
      computedLines(scope === 'officer' ? { regionId, officerId: filter.officerId } : { regionId }, withReports),
      sequelize.query<{ id: number; fullName: string; caseload: number }>(
        `SELECT u.id, u.full_name AS "fullName",
                (SELECT count(*) FROM beneficiaries b WHERE b.responsible_officer_id = u.id AND b.status IN ('ACTIVE', 'SUSPENDED'))::int AS caseload
           FROM users u WHERE u.region_id = :regionId AND u.active AND u.role IN ('SPECIALIST', 'SENIOR_SPECIALIST', 'REGIONAL_HEAD') ORDER BY u.full_name`,
        { replacements: { regionId }, type: QueryTypes.SELECT },
      ),
    ])
    const groups: Record<BoardGroup, BoardLine[]> = { overdue: [], today: [], week: [], later: [] }
    const counts: Record<BoardGroup, number> = { overdue: 0, today: 0, week: 0, later: 0 }
    const perOfficer = new Map(Object.entries(stored.assignees).map(([officerId, [overdue, week]]) => [Number(officerId), { overdue, week }]))
    for (const line of stored.lines) groups[line.group].push(boardLineOf(line))
    for (const group of BOARD_GROUPS) counts[group] = stored.counts[group] ?? 0
    for (const line of computed) {
      const group = dueGroup(line.dueDate, now)
      if (line.officerId !== null) {
        const own = perOfficer.get(line.officerId) ?? { overdue: 0, week: 0 }
        if (group === 'overdue') own.overdue += 1
        else if (group !== 'later') own.week += 1
        perOfficer.set(line.officerId, own)
      }
      if ((scope === 'region' && filter.officerId && line.officerId !== filter.officerId) || (filter.kind && line.kind !== filter.kind)) continue
      counts[group] += 1
      groups[group].push(line)
    }
    for (const group of BOARD_GROUPS) groups[group] = groups[group].sort(byDueDate).slice(0, GROUP_LIMIT)
    const kinds = [...new Set([...stored.kinds, ...computed.map((line) => line.kind)])].sort()
    const officers = staff.map((person) => ({ ...person, overdue: perOfficer.get(person.id)?.overdue ?? 0, dueThisWeek: perOfficer.get(person.id)?.week ?? 0 }))
    return { today: now, weekEnd, groups, counts, kinds, officers: scope === 'officer' ? officers.filter((person) => person.id === filter.officerId) : officers }
  }

  async function regionBoard(regionId: number, filter: { officerId?: number; kind?: string }): Promise<BoardView> {
    return build(regionId, filter, 'region', true)
  }

  /** "My work": the same board restricted to what is assigned to one officer; a head's also holds the region's report. */
  async function myWork(regionId: number, officerId: number, options: { kind?: string; headOfRegion?: boolean } = {}): Promise<BoardView> {
    return build(regionId, { officerId, kind: options.kind }, 'officer', options.headOfRegion ?? false)
  }

  /**
   * Per region: open items overdue and due within the week by kind, and of the ledger's items done this quarter, the
   * share done on time (workItems.doneOnTime).
   */
  async function national(): Promise<{ today: string; quarterStart: string; quarterEnd: string; rows: NationalRow[] }> {
    const now = today()
    const weekEnd = weekEndOf(now)
    const quarterEnd = quarterEndOf(now)
    const quarterStart = `${quarterEnd.slice(0, 5)}${String(Number(quarterEnd.slice(5, 7)) - 2).padStart(2, '0')}-01`
    const [regions, open, done] = await Promise.all([
      sequelize.query<{ id: number; nameHy: string; nameEn: string }>('SELECT id, name_hy AS "nameHy", name_en AS "nameEn" FROM regions WHERE active ORDER BY name_hy', { type: QueryTypes.SELECT }),
      ledger.openByRegionAndKind(now),
      ledger.doneByRegion(quarterStart, quarterEnd),
    ])
    // Region by region, two at a time, each region's lines counted and let go: the whole country's at once held some
    // 50,000 rows in memory and took the server past its memory target.
    // The reports of every region are read at once (one due-date computation per quarter, not per region).
    const count = (lines: readonly RegionLine[]) => {
      for (const line of lines) {
        const group = dueGroup(line.dueDate, now)
        if (group === 'later') continue
        const counted = open.find((row) => row.regionId === line.regionId && row.kind === line.kind) ?? open[open.push({ regionId: line.regionId, kind: line.kind, overdue: 0, due: 0 }) - 1]
        if (group === 'overdue') counted.overdue += 1
        else counted.due += 1
      }
    }
    const waiting = regions.map((region) => region.id)
    const countComputed = async () => {
      for (let regionId = waiting.shift(); regionId !== undefined; regionId = waiting.shift()) count(await computedLines({ regionId }, false, weekEnd))
    }
    await Promise.all([countComputed(), countComputed(), quarterlyReportLines(null).then(count)])
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
