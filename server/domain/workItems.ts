import { OPEN_FILE_STATUSES } from './beneficiaryCatalogue'
import { addCalendarDays } from './calendar'

/*
 * The work ledger's rules (docs/decisions/0001-work-ledger.md): what an item is, and the one definition of open, of the
 * due groups (overdue, today, this week, later) and of done on time that every list uses. server/data/ledger.ts holds
 * the same rules as SQL fragments, with a test that they agree.
 */
export type WorkItemState = 'OPEN' | 'DONE' | 'CANCELLED'

/** Kinds that are not a deadline rule: work waiting for someone, dated by when it started waiting or is due. */
export const WAITING_KINDS = ['CORRESPONDENCE', 'ASSESSMENT_COUNTERSIGN', 'PLAN_APPROVAL', 'APPOINTMENT_OUTCOME', 'LETTER_SIGNATURE', 'TRANSFER_DECISION'] as const

/** Deadline rules whose work is the head's (the decision on a violation); every other deadline is the file's officer's. */
export const HEAD_DEADLINE_RULES = ['VIOLATION_ACTION'] as const

export const DUE_GROUPS = ['overdue', 'today', 'week', 'later'] as const
export type DueGroup = (typeof DUE_GROUPS)[number]

/** "This week" is today and the seven days after it. */
export const weekEndOf = (today: string): string => addCalendarDays(today, 7)

export interface LedgerDates {
  dueDate: string
  state: WorkItemState
  closedOn: string | null
}

export const isOpen = (item: Pick<LedgerDates, 'state'>): boolean => item.state === 'OPEN'

/**
 * The groups as ranges of due dates, [from, until): overdue before today, today, this week after today to the week's
 * end, later after it. `null` is an open end. dueGroup and the lists' SQL both read these.
 */
export function dueGroupRanges(today: string): Record<DueGroup, { from: string | null; until: string | null }> {
  const tomorrow = addCalendarDays(today, 1)
  const afterWeek = addCalendarDays(weekEndOf(today), 1)
  return { overdue: { from: null, until: today }, today: { from: today, until: tomorrow }, week: { from: tomorrow, until: afterWeek }, later: { from: afterWeek, until: null } }
}

export function dueGroup(dueDate: string, today: string): DueGroup {
  const ranges = dueGroupRanges(today)
  return DUE_GROUPS.find((group) => (ranges[group].from === null || dueDate >= ranges[group].from!) && (ranges[group].until === null || dueDate < ranges[group].until!))!
}

/** Done by its due date (the day itself counts as on time). */
export const doneOnTime = (item: LedgerDates): boolean => item.state === 'DONE' && item.closedOn !== null && item.closedOn <= item.dueDate

/** Work that is a condition of the records on a day, not a row: computed again each day and when its records change. */
export const CONDITION_KINDS = ['CONTACTS_BEHIND', 'PUBLIC_WORKS_BEHIND', 'QUARTERLY_REPORT'] as const
export type ConditionKind = (typeof CONDITION_KINDS)[number]

/** What a list says of a condition: a locale key and its values, a value itself translated when given as `{ key }`. */
export interface ConditionNote {
  key: string
  params: Record<string, string | number | { key: string }>
}

export type ConditionCancelReason = 'FILE_NOT_OPEN' | 'PERIOD_ENDED' | 'SOURCE_WITHDRAWN'

/**
 * How an open condition no longer computed is closed: cancelled when its file is no longer open, its period is over
 * or its measure has ended (or, for contacts, its file's supervision is suspended); otherwise it was put right, done
 * (null reason).
 */
export function conditionClosing(item: { kind: ConditionKind; period: string; fileStatus: string | null; measureOpen: boolean }, currentPeriods: { month: string; quarters: readonly string[] }): ConditionCancelReason | null {
  if (item.fileStatus !== null && !OPEN_FILE_STATUSES.includes(item.fileStatus)) return 'FILE_NOT_OPEN'
  if (item.kind === 'CONTACTS_BEHIND') {
    if (item.period !== currentPeriods.month) return 'PERIOD_ENDED'
    return item.fileStatus === 'ACTIVE' ? null : 'SOURCE_WITHDRAWN'
  }
  if (item.kind === 'PUBLIC_WORKS_BEHIND') return item.measureOpen ? null : 'SOURCE_WITHDRAWN'
  return currentPeriods.quarters.includes(item.period) ? null : 'PERIOD_ENDED'
}
