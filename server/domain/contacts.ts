/*
 * Contacts with the beneficiary as data and pure rules: the kinds of appointment, their outcomes, which outcomes
 * count as a contact held, each month's contacts against the plan's frequency (docs/rules.md CONTACT_FREQUENCY), and
 * when unacceptable absences call for the officer to consider a violation. Codes are shown through the locale
 * keys `contactKind.<code>` and `contactOutcome.<code>`.
 */
import { dayNumber, daysInMonth } from './calendar'

export const CONTACT_KINDS = ['OFFICE_VISIT', 'HOME_VISIT', 'PHONE', 'VIDEO', 'EMPLOYER_CONTACT', 'FAMILY_CONTACT', 'POLICE_CONTACT'] as const
export type ContactKind = (typeof CONTACT_KINDS)[number]

/**
 * Contacts with the person themselves. Contacts with their employer, family or the police are collateral: kept on
 * the file with their outcome, but the plan's frequency is about seeing or speaking to the person, so they neither
 * count toward it nor, since the person was not expected to attend, toward the absences rule.
 */
export const PERSON_CONTACT_KINDS: readonly ContactKind[] = ['OFFICE_VISIT', 'HOME_VISIT', 'PHONE', 'VIDEO']

export const CONTACT_OUTCOMES = ['ATTENDED_COMPLIED', 'ATTENDED_FAILED_TO_COMPLY', 'ACCEPTABLE_ABSENCE', 'UNACCEPTABLE_ABSENCE'] as const
export type ContactOutcome = (typeof CONTACT_OUTCOMES)[number]

/**
 * A contact is held when the person attended, whether or not they complied: the contact took place, and a failure
 * to comply is a matter for the violation procedure, not for the frequency. An acceptable absence neither counts as
 * held nor toward the absences rule; the month's requirement stands, so the officer books another contact.
 * An unacceptable absence is not a contact and counts toward the absences rule.
 */
export const HELD_OUTCOMES: readonly ContactOutcome[] = ['ATTENDED_COMPLIED', 'ATTENDED_FAILED_TO_COMPLY']

export function isContactKind(value: unknown): value is ContactKind {
  return typeof value === 'string' && (CONTACT_KINDS as readonly string[]).includes(value)
}

export function countsAsHeld(kind: ContactKind, outcome: ContactOutcome | null): boolean {
  return outcome !== null && PERSON_CONTACT_KINDS.includes(kind) && HELD_OUTCOMES.includes(outcome)
}

export function countsTowardViolation(kind: ContactKind, outcome: ContactOutcome | null): boolean {
  return outcome === 'UNACCEPTABLE_ABSENCE' && PERSON_CONTACT_KINDS.includes(kind)
}

/** Home visits to a person flagged as a risk to staff carry the warning when booked and wherever they are listed. */
export function needsRiskWarning(kind: ContactKind, riskToStaff: boolean): boolean {
  return riskToStaff && kind === 'HOME_VISIT'
}

/** How far ahead an appointment may be booked, and how far back a contact that already happened may be entered. */
export const MAX_BOOKING_AHEAD_DAYS = 366
export const MAX_RECORDING_BACK_DAYS = 90
const DAY_MS = 86_400_000

export type ScheduleProblem = 'tooFarAhead' | 'tooFarBack' | 'pastNeedsOutcome' | 'outcomeBeforeAppointment'

/**
 * A booking is for the future, at most a year ahead. A contact that already happened (an unplanned phone call or
 * visit) may be entered afterwards, within 90 days, and then only with its outcome: a past appointment without an
 * outcome would only ever sit on the pending list. No outcome can be given before the appointment's time.
 */
export function scheduleProblem(scheduledAt: Date, now: Date, hasOutcome: boolean): ScheduleProblem | null {
  const difference = scheduledAt.getTime() - now.getTime()
  if (difference > MAX_BOOKING_AHEAD_DAYS * DAY_MS) return 'tooFarAhead'
  if (difference < -MAX_RECORDING_BACK_DAYS * DAY_MS) return 'tooFarBack'
  if (difference > 0 && hasOutcome) return 'outcomeBeforeAppointment'
  if (difference <= 0 && !hasOutcome) return 'pastNeedsOutcome'
  return null
}

/** A wall-clock date and time in Yerevan as a moment: Armenia keeps UTC+4 all year (no daylight saving since 2012). */
export function yerevanMoment(date: string, time: string): Date {
  return new Date(`${date}T${time}:00+04:00`)
}

export interface ContactRecord {
  /** The appointment's date in Yerevan, ISO. */
  readonly date: string
  readonly kind: ContactKind
  readonly outcome: ContactOutcome | null
  /** Its time has come (by the clock, not only the date); when not given, any day before today's. */
  readonly due?: boolean
}

/** The contacts a plan requires from one date (inclusive) to the next plan's (exclusive, null: still in force). */
export interface FrequencyPeriod {
  readonly from: string
  readonly to: string | null
  readonly contactsPerMonth: number
}

export type ComplianceStatus = 'COMPLIANT' | 'NOT_COMPLIANT' | 'IN_PROGRESS' | 'NO_PLAN'

export interface MonthCompliance {
  /** 'YYYY-MM'. */
  month: string
  required: number
  held: number
  acceptableAbsences: number
  unacceptableAbsences: number
  /** Appointments of the month whose time has come, still without an outcome: they may yet turn out held. */
  awaitingOutcome: number
  /** Null while the month is not over and not yet met, or when no plan covered it. */
  compliant: boolean | null
  status: ComplianceStatus
}

/** Every month from one date's month to another's, inclusive, as 'YYYY-MM'. */
export function monthsBetween(fromDate: string, toDate: string): string[] {
  const months: string[] = []
  let year = Number(fromDate.slice(0, 4))
  let month = Number(fromDate.slice(5, 7))
  const last = toDate.slice(0, 7)
  for (let key = fromDate.slice(0, 7); key <= last; key = `${year}-${String(month).padStart(2, '0')}`) {
    months.push(key)
    month += 1
    if (month > 12) [year, month] = [year + 1, 1]
  }
  return months
}

/**
 * Contacts the plans require in a month: each plan's monthly figure for the share of the month's days it was in
 * force, added up and rounded up. A whole month under one plan requires exactly its figure; the month a plan came
 * into force only its share (2 a month from 20 January: 2 × 12/31, so 1); a month split between two plans a
 * weighted figure.
 */
export function requiredInMonth(month: string, periods: readonly FrequencyPeriod[]): number {
  const year = Number(month.slice(0, 4))
  const monthNumber = Number(month.slice(5, 7))
  const length = daysInMonth(year, monthNumber)
  const first = dayNumber(`${month}-01`)
  const afterLast = first + length
  let weighted = 0
  for (const period of periods) {
    const start = Math.max(first, dayNumber(period.from))
    const end = Math.min(afterLast, period.to === null ? afterLast : dayNumber(period.to))
    if (end > start) weighted += period.contactsPerMonth * (end - start)
  }
  return Math.ceil(weighted / length)
}

/** Each month's contacts held against what the plans in force required; `today` decides which month is still running. */
export function monthlyCompliance(contacts: readonly ContactRecord[], periods: readonly FrequencyPeriod[], months: readonly string[], today: string): MonthCompliance[] {
  const currentMonth = today.slice(0, 7)
  return months.map((month) => {
    const ofMonth = contacts.filter((contact) => contact.date.slice(0, 7) === month && PERSON_CONTACT_KINDS.includes(contact.kind))
    const required = requiredInMonth(month, periods)
    const held = ofMonth.filter((contact) => countsAsHeld(contact.kind, contact.outcome)).length
    const awaitingOutcome = ofMonth.filter((contact) => contact.outcome === null && (contact.due ?? contact.date < today)).length
    let status: ComplianceStatus
    if (required === 0) status = 'NO_PLAN'
    else if (held >= required) status = 'COMPLIANT'
    else status = month >= currentMonth ? 'IN_PROGRESS' : 'NOT_COMPLIANT'
    return {
      month,
      required,
      held,
      acceptableAbsences: ofMonth.filter((contact) => contact.outcome === 'ACCEPTABLE_ABSENCE').length,
      unacceptableAbsences: ofMonth.filter((contact) => contact.outcome === 'UNACCEPTABLE_ABSENCE').length,
      awaitingOutcome,
      compliant: status === 'COMPLIANT' ? true : status === 'NOT_COMPLIANT' ? false : null,
      status,
    }
  })
}

/** The counting core of the absences rule: the threshold is reached. */
export function shouldPromptViolation(outcomes: readonly (ContactOutcome | null)[], threshold: number): boolean {
  return outcomes.filter((outcome) => outcome === 'UNACCEPTABLE_ABSENCE').length >= threshold
}

export interface ViolationPrompt {
  prompt: boolean
  threshold: number
  /** The unacceptable absences counted, oldest first. */
  absences: ContactRecord[]
}

/**
 * The absences rule: unacceptable absences are counted within the plan in force (from its approval; all of them
 * while there is none) and after the last missed-report violation recorded on the file, not only consecutive ones,
 * so that attending every other appointment does not reset the count. Reaching the threshold prompts the officer
 * to consider recording a violation; recording one (of the missed-report kind) starts the count again. Nothing is
 * recorded automatically: whether an absence amounts to a violation is the officer's and the head's decision.
 */
export function violationPrompt(contacts: readonly ContactRecord[], input: { threshold: number; planInForceFrom: string | null; lastMissedReportOn: string | null }): ViolationPrompt {
  const absences = contacts
    .filter((contact) => countsTowardViolation(contact.kind, contact.outcome))
    .filter((contact) => (input.planInForceFrom === null || contact.date >= input.planInForceFrom) && (input.lastMissedReportOn === null || contact.date > input.lastMissedReportOn))
    .sort((a, b) => a.date.localeCompare(b.date))
  return { prompt: shouldPromptViolation(absences.map((absence) => absence.outcome), input.threshold), threshold: input.threshold, absences }
}
