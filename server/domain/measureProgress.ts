import { addCalendarDays, addMonths, dayNumber } from './calendar'

/*
 * How far a measure has come: hours and pace of public works, the balance of a fine, the days left of a
 * period. Pure functions over plain numbers and ISO dates; the service feeds them the recorded facts.
 */

/** Expected weekly hours of public works when the court sets none: a default, not from law (to confirm). */
export const DEFAULT_PUBLIC_WORKS_HOURS_PER_WEEK = 12

export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from)
}

/**
 * When a period of whole months from `start` expires: the same date of the last month, or that month's
 * last day when it has no such date (31.01 + 1 month → 28.02), as terms in months are counted in civil law.
 */
export const periodEnd = addMonths

export interface PublicWorksProgress {
  hoursOrdered: number
  hoursDone: number
  hoursLeft: number
  /** Hours a week since the start, over the weeks elapsed (at least one). */
  weeklyPace: number
  expectedWeeklyHours: number
  behindPace: boolean
  /** When the hours left will be done at the current pace (or the expected pace before any work). */
  forecastCompletion: string | null
  /** The forecast falls after the term's end. */
  cannotFinishInTerm: boolean
  /** When the hours ordered are due: all of them worked at the expected weekly hours from the start, or the term's end if sooner. */
  dueDate: string | null
  /** Behind pace or unable to finish in term: a line on the head's board. */
  needsAttention: boolean
}

export function publicWorksProgress(input: { hoursOrdered: number; sessions: { hours: number }[]; startDate: string | null; termEnd: string | null; today: string; expectedWeeklyHours?: number }): PublicWorksProgress {
  const expectedWeeklyHours = input.expectedWeeklyHours ?? DEFAULT_PUBLIC_WORKS_HOURS_PER_WEEK
  // Tenths of an hour are counted as integers so that sums never drift.
  const doneTenths = input.sessions.reduce((sum, session) => sum + Math.round(session.hours * 10), 0)
  const hoursDone = doneTenths / 10
  const hoursLeft = Math.max(0, (Math.round(input.hoursOrdered * 10) - doneTenths) / 10)
  const weeks = input.startDate ? Math.max(1, daysBetween(input.startDate, input.today) / 7) : 1
  const weeklyPace = input.startDate ? Math.round((hoursDone / weeks) * 10) / 10 : 0
  const pace = weeklyPace > 0 ? weeklyPace : expectedWeeklyHours
  const forecastCompletion = hoursLeft === 0 ? null : addCalendarDays(input.today, Math.ceil((hoursLeft / pace) * 7))
  const expectedCompletion = input.startDate ? addCalendarDays(input.startDate, Math.ceil((input.hoursOrdered / expectedWeeklyHours) * 7)) : null
  const dueDate = [expectedCompletion, input.termEnd].filter((date): date is string => date !== null).sort()[0] ?? null
  const behindPace = input.startDate !== null && hoursLeft > 0 && weeklyPace < expectedWeeklyHours
  const cannotFinishInTerm = forecastCompletion !== null && input.termEnd !== null && forecastCompletion > input.termEnd
  return {
    hoursOrdered: input.hoursOrdered,
    hoursDone,
    hoursLeft,
    weeklyPace,
    expectedWeeklyHours,
    behindPace,
    forecastCompletion,
    cannotFinishInTerm,
    dueDate,
    needsAttention: behindPace || cannotFinishInTerm,
  }
}

export interface FineProgress {
  amountAmd: number
  paidAmd: number
  balanceAmd: number
  overdue: boolean
}

export function fineProgress(input: { amountAmd: number; payments: { amountAmd: number }[]; paymentDue: string | null; today: string }): FineProgress {
  const paidAmd = input.payments.reduce((sum, payment) => sum + payment.amountAmd, 0)
  const balanceAmd = Math.max(0, input.amountAmd - paidAmd)
  return { amountAmd: input.amountAmd, paidAmd, balanceAmd, overdue: balanceAmd > 0 && input.paymentDue !== null && input.today > input.paymentDue }
}

export function daysLeft(endDate: string | null, today: string): number | null {
  return endDate === null ? null : Math.max(0, daysBetween(today, endDate))
}
