import type { LedgerLine, LedgerQueries, LinesWindow } from '../data/ledger'
import { quarterEndOf } from '../domain/calendar'
import type { Clock } from '../domain/clock'
import { serviceDateOf } from '../domain/dates'
import { CONDITION_KINDS, DUE_GROUPS, WAITING_KINDS, weekEndOf, type ConditionNote, type DueGroup } from '../domain/workItems'
import type { WorkConditionService } from './workConditions'

/**
 * Kinds of line that are not a deadline rule: work waiting for someone, and the conditions of the records (dated by
 * when they must be put right). The quarterly report is named by its deadline rule.
 */
export const WORK_KINDS = [...WAITING_KINDS, ...CONDITION_KINDS.filter((kind) => kind !== 'QUARTERLY_REPORT')] as const
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
  /** Why the line is there (contacts held of those required, hours done...). */
  note: ConditionNote | null
}

export interface BoardView {
  today: string
  weekEnd: string
  groups: Record<BoardGroup, BoardLine[]>
  counts: Record<BoardGroup, number>
  kinds: string[]
  /** Per kind: its open items in each group. */
  byKind: Record<string, Record<BoardGroup, number>>
  /** One group listed in pages, or null: each group's first lines. */
  window: BoardWindow
  pageLines: number
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
 * The board lists the first lines of each group, oldest due first, and one group at a time in pages; the counts are
 * always complete and the filters by officer and kind narrow the list. A region has thousands of lines: listing 100 a
 * group made a 160 kB page that cost the server more to render than the queries to read.
 */
export const BOARD_PREVIEW_LINES = 20
export const BOARD_PAGE_LINES = 100

/** What a board lists: each group's first lines (BOARD_PREVIEW_LINES unless `each` says), or one group's page (from 1). */
export type BoardWindow = { group: BoardGroup; page: number } | { each: number } | null

function linesWindow(window: BoardWindow): LinesWindow {
  if (window === null) return { limit: BOARD_PREVIEW_LINES }
  if ('each' in window) return { limit: window.each }
  return { limit: BOARD_PAGE_LINES, offset: (window.page - 1) * BOARD_PAGE_LINES, group: window.group }
}

/**
 * Every piece of a region's work in one place, read from the work ledger: the deadlines of its files (court acts,
 * contacts, assessments, plans, violations, devices, probation ends...), its open correspondence, work waiting for a
 * head or an officer (assessments to countersign, plans to approve, letters to sign, appointments and their outcomes,
 * transfers to decide) and the conditions of its records (contacts and public works behind, the quarterly report).
 */
export function boardService(deps: { clock: Clock; ledger: LedgerQueries; conditions: Pick<WorkConditionService, 'bringUpToDate'> }) {
  const { clock, ledger, conditions } = deps
  const today = () => serviceDateOf(clock.now())

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
      case 'transfer':
        return { href: `/regions/${line.regionId}/transfers`, explainHref: null }
      default:
        return conditionLinks(line)
    }
  }

  /** A file's contacts, a measure, or the region's report of the quarter. */
  function conditionLinks(line: LedgerLine): { href: string; explainHref: string | null } {
    const { subjectId, period } = line.condition!
    const href = line.kind === 'CONTACTS_BEHIND' ? `/beneficiaries/${subjectId}/contacts`
      : line.kind === 'PUBLIC_WORKS_BEHIND' ? `/measures/${subjectId}`
      : `/regions/${subjectId}/reports/${period.slice(0, 4)}/${period.slice(6)}`
    return { href, explainHref: href }
  }

  const boardLineOf = (line: LedgerLine): BoardLine => ({
    kind: line.kind, dueDate: line.dueDate, subject: line.subject, fileNumber: line.fileNumber, officerId: line.assigneeUserId, officerName: line.assigneeName,
    riskToStaff: line.riskToStaff, note: line.condition?.note ?? null, ...linksOf(line),
  })

  async function build(regionId: number, filter: { officerId?: number; kind?: string }, scope: 'region' | 'officer', withReports: boolean, window: BoardWindow): Promise<BoardView> {
    const now = today()
    await conditions.bringUpToDate([regionId])
    const ledgerScope = scope === 'region' ? { regionId } : { assigneeUserId: filter.officerId!, headOf: withReports ? regionId : null }
    const [stored, staff] = await Promise.all([
      ledger.summary(ledgerScope, { assigneeUserId: scope === 'region' ? filter.officerId : undefined, kind: filter.kind }, now, linesWindow(window)),
      ledger.staffCaseloads(regionId),
    ])
    const groups: Record<BoardGroup, BoardLine[]> = { overdue: [], today: [], week: [], later: [] }
    const counts: Record<BoardGroup, number> = { overdue: 0, today: 0, week: 0, later: 0 }
    for (const line of stored.lines) groups[line.group].push(boardLineOf(line))
    for (const group of BOARD_GROUPS) counts[group] = stored.counts[group] ?? 0
    const officers = staff.map((person) => ({ ...person, overdue: stored.assignees[person.id]?.[0] ?? 0, dueThisWeek: stored.assignees[person.id]?.[1] ?? 0 }))
    return { today: now, weekEnd: weekEndOf(now), groups, counts, kinds: [...stored.kinds].sort(), byKind: stored.byKind, window, pageLines: linesWindow(window).limit, officers: scope === 'officer' ? officers.filter((person) => person.id === filter.officerId) : officers }
  }

  async function regionBoard(regionId: number, filter: { officerId?: number; kind?: string }, window: BoardWindow = null): Promise<BoardView> {
    return build(regionId, filter, 'region', true, window)
  }

  /** "My work": the same board restricted to what is assigned to one officer; a head's also holds the region's report. */
  async function myWork(regionId: number, officerId: number, options: { kind?: string; headOfRegion?: boolean; window?: BoardWindow } = {}): Promise<BoardView> {
    return build(regionId, { officerId, kind: options.kind }, 'officer', options.headOfRegion ?? false, options.window ?? null)
  }

  /**
   * Per region: open items overdue and due within the week by kind, and of the ledger's items done this quarter, the
   * share done on time (workItems.doneOnTime).
   */
  async function national(): Promise<{ today: string; quarterStart: string; quarterEnd: string; rows: NationalRow[] }> {
    const now = today()
    const quarterEnd = quarterEndOf(now)
    const quarterStart = `${quarterEnd.slice(0, 5)}${String(Number(quarterEnd.slice(5, 7)) - 2).padStart(2, '0')}-01`
    await conditions.bringUpToDate(null)
    const [regions, open, done] = await Promise.all([ledger.activeRegions(), ledger.openByRegionAndKind(now), ledger.doneByRegion(quarterStart, quarterEnd)])
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

  /** The open work on one file, each line in its due group: the file page's "what is due". */
  async function fileWork(beneficiaryId: number, regionId: number): Promise<(BoardLine & { group: BoardGroup })[]> {
    await conditions.bringUpToDate([regionId])
    const lines = await ledger.openOfFile(beneficiaryId, today())
    return lines.map((line) => ({ ...boardLineOf(line), group: line.group }))
  }

  return { regionBoard, myWork, national, fileWork }
}

export type BoardService = ReturnType<typeof boardService>
