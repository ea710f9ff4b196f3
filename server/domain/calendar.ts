/*
 * The working-day calendar of the Republic of Armenia (docs/rules.md) and the arithmetic deadlines need, on ISO
 * dates ('YYYY-MM-DD'). Dates are turned into whole day numbers (days since 1970-01-01) and back with
 * integer formulas, never through a JS Date in local time, so no time zone or daylight-saving shift can
 * move a date by one day.
 *
 * Counting conventions (the same as the Civil Code of Armenia's rules on computing terms, arts. 337–339,
 * to be confirmed by the Service's lawyer):
 * - A term counted in days starts on the day AFTER the date or event that starts it: the event day itself
 *   is never counted.
 * - A term counted in months ends on the same day of the last month; where that month is shorter, on its
 *   last day.
 * - A term whose last day is a non-working day ends on the next working day.
 */

export interface LocalizedText {
  readonly hy: string
  readonly en: string
}

export interface StatutoryHoliday {
  readonly month: number
  readonly day: number
  readonly name: LocalizedText
}

/**
 * Non-working days under the Law on Holidays and Memorial Days (as amended; the 3–5 January pre-Christmas
 * days are no longer in it). 7 January (Memorial Day of the dead) is a working day unless the Government
 * decides otherwise in a given year: such a decision is entered as an override, not here. A holiday that
 * falls on a weekend is not carried over to a weekday by the law; the Government does that by decision when
 * it wants to, which again is an override.
 */
export const STATUTORY_HOLIDAYS: readonly StatutoryHoliday[] = deepFreeze([
  { month: 1, day: 1, name: { hy: 'Ամանոր', en: 'New Year' } },
  { month: 1, day: 2, name: { hy: 'Ամանոր', en: 'New Year' } },
  { month: 1, day: 6, name: { hy: 'Սուրբ Ծնունդ և Հայտնություն', en: 'Christmas and Epiphany' } },
  { month: 1, day: 28, name: { hy: 'Բանակի օր', en: 'Army Day' } },
  { month: 3, day: 8, name: { hy: 'Կանանց տոն', en: "Women's Day" } },
  { month: 4, day: 24, name: { hy: 'Ցեղասպանության զոհերի հիշատակի օր', en: 'Genocide Remembrance Day' } },
  { month: 5, day: 1, name: { hy: 'Աշխատանքի օր', en: 'Labour Day' } },
  { month: 5, day: 9, name: { hy: 'Հաղթանակի և խաղաղության տոն', en: 'Victory and Peace Day' } },
  { month: 5, day: 28, name: { hy: 'Հանրապետության տոն', en: 'Republic Day' } },
  { month: 7, day: 5, name: { hy: 'Սահմանադրության օր', en: 'Constitution Day' } },
  { month: 9, day: 21, name: { hy: 'Անկախության օր', en: 'Independence Day' } },
  { month: 12, day: 31, name: { hy: 'Ամանոր', en: "New Year's Eve" } },
])

/** A Government decision for one date: a Monday made a holiday, a Saturday made a working day, and so on. */
export interface CalendarOverride {
  date: string
  working: boolean
  reason: string
}

export type NonWorkingReason =
  | { readonly kind: 'weekend'; readonly weekday: 'saturday' | 'sunday' }
  | { readonly kind: 'holiday'; readonly holiday: StatutoryHoliday }
  | { readonly kind: 'override'; readonly reason: string }

export interface SkippedDay {
  readonly date: string
  readonly reason: NonWorkingReason
}

// ---------------------------------------------------------------------------------------------------------
// Plain date arithmetic (no calendar needed)

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28
  return [4, 6, 9, 11].includes(month) ? 30 : 31
}

/** Whether `value` is a real calendar date written 'YYYY-MM-DD'. */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false
  const match = ISO_DATE.exec(value)
  if (!match) return false
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)
}

function partsOf(date: string): [number, number, number] {
  if (!isIsoDate(date)) throw new RangeError(`Not an ISO date (YYYY-MM-DD): ${String(date)}`)
  return [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))]
}

function isoOf(year: number, month: number, day: number): string {
  if (year < 0 || year > 9999) throw new RangeError(`Year out of range: ${year}`)
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

// Days-from-civil and civil-from-days (H. Hinnant), proleptic Gregorian, exact on integers.
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yearOfEra = y - era * 400
  const dayOfYear = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear
  return era * 146097 + dayOfEra - 719468
}

function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468
  const era = Math.floor(z / 146097)
  const dayOfEra = z - era * 146097
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365)
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100))
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153)
  const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
  return [yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day]
}

/** Days since 1970-01-01 (negative before it). */
export function dayNumber(date: string): number {
  return daysFromCivil(...partsOf(date))
}

export function dateOfDayNumber(days: number): string {
  if (!Number.isSafeInteger(days)) throw new RangeError(`Not a whole day number: ${days}`)
  return isoOf(...civilFromDays(days))
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  return weekdayOfDayNumber(dayNumber(date))
}

function weekdayOfDayNumber(days: number): number {
  // Day 0 (1970-01-01) was a Thursday, ISO weekday 4.
  return mod(days + 3, 7) + 1
}

function mod(a: number, b: number): number {
  return ((a % b) + b) % b
}

function requireWholeNumber(n: number, what: string, min = -Infinity): void {
  if (!Number.isSafeInteger(n) || n < min) throw new RangeError(`${what} must be a whole number${min === 0 ? ' >= 0' : ''}: ${n}`)
}

export function addCalendarDays(date: string, n: number): string {
  requireWholeNumber(n, 'Calendar days')
  return dateOfDayNumber(dayNumber(date) + n)
}

/** The same day n months later (or earlier); where that month is shorter, its last day (31 Jan + 1 = 28/29 Feb). */
export function addMonths(date: string, n: number): string {
  requireWholeNumber(n, 'Months')
  const [year, month, day] = partsOf(date)
  const index = year * 12 + (month - 1) + n
  const newYear = Math.floor(index / 12)
  const newMonth = mod(index, 12) + 1
  return isoOf(newYear, newMonth, Math.min(day, daysInMonth(newYear, newMonth)))
}

/** The given day of the month after `date`'s month; a day past that month's end means its last day. */
export function dayOfFollowingMonth(date: string, day: number): string {
  requireWholeNumber(day, 'Day of month', 1)
  const [year, month] = partsOf(date)
  const [nextYear, nextMonth] = month === 12 ? [year + 1, 1] : [year, month + 1]
  return isoOf(nextYear, nextMonth, Math.min(day, daysInMonth(nextYear, nextMonth)))
}

/** The last day of the calendar quarter `date` falls in. */
export function quarterEndOf(date: string): string {
  const [year, month] = partsOf(date)
  const endMonth = Math.ceil(month / 3) * 3
  return isoOf(year, endMonth, daysInMonth(year, endMonth))
}

// ---------------------------------------------------------------------------------------------------------
// The working calendar

// Number of Monday–Friday days with a day number in (-∞, days], up to a constant; only differences are used.
function weekdaysUpTo(days: number): number {
  const sinceMonday = days + 3 // 0 on a Monday
  const weeks = Math.floor((sinceMonday + 1) / 7)
  return weeks * 5 + Math.min(mod(sinceMonday + 1, 7), 5)
}

export class WorkingCalendar {
  private readonly overrideByDay = new Map<number, CalendarOverride>()
  private readonly holidayByMonthDay = new Map<number, StatutoryHoliday>()

  /**
   * `overrides` win over the weekly rule and the statutory list; when one date appears twice, the later entry
   * wins (the list is expected to come from a table keyed by date, so this is only a safety rule).
   * `holidays` is the statutory list in force: replace it only when the law itself changes.
   */
  constructor(overrides: readonly CalendarOverride[] = [], holidays: readonly StatutoryHoliday[] = STATUTORY_HOLIDAYS) {
    for (const override of overrides) {
      if (typeof override.working !== 'boolean') throw new TypeError(`Override for ${override.date} has no working flag`)
      this.overrideByDay.set(dayNumber(override.date), Object.freeze({ ...override }))
    }
    for (const holiday of holidays) {
      // A non-leap year, so that 29 February (which would need a rule for other years) is refused.
      if (!isIsoDate(isoOf(2001, holiday.month, holiday.day))) throw new RangeError(`Not a day of every year: ${holiday.month}/${holiday.day}`)
      this.holidayByMonthDay.set(holiday.month * 100 + holiday.day, holiday)
    }
  }

  get overrides(): CalendarOverride[] {
    return [...this.overrideByDay.entries()].sort(([a], [b]) => a - b).map(([, override]) => ({ ...override }))
  }

  isWorkingDay(date: string): boolean {
    return this.isWorking(dayNumber(date))
  }

  /** Why `date` is not a working day, for explanations; null on a working day. */
  nonWorkingReason(date: string): NonWorkingReason | null {
    return this.reasonFor(dayNumber(date))
  }

  addCalendarDays(date: string, n: number): string {
    return addCalendarDays(date, n)
  }

  addMonths(date: string, n: number): string {
    return addMonths(date, n)
  }

  /**
   * The n-th working day after `date`; `date` itself is never counted (the term starts the next day), so a
   * letter registered on a Friday with 1 working day is due on Monday. For n = 0 there is nothing to count:
   * the result is `date` itself if it is a working day, else the next working day, because a due date never
   * falls on a non-working day. Consequently adding 0 and adding 1 to a non-working day give the same date.
   */
  addWorkingDays(date: string, n: number): string {
    requireWholeNumber(n, 'Working days', 0)
    let day = dayNumber(date)
    if (n === 0) return dateOfDayNumber(this.nextWorkingDayNumber(day))
    for (let counted = 0; counted < n; ) {
      day += 1
      if (this.isWorking(day)) counted += 1
    }
    return dateOfDayNumber(day)
  }

  /**
   * The mirror of addWorkingDays: the n-th working day before `date`, `date` itself not counted, so that for
   * a working day w, subtractWorkingDays(addWorkingDays(w, n), n) = w. For n = 0: `date` if it is a working
   * day, else the previous working day, because this serves things due BEFORE an end, which must not slide
   * past it.
   */
  subtractWorkingDays(date: string, n: number): string {
    requireWholeNumber(n, 'Working days', 0)
    let day = dayNumber(date)
    if (n === 0) return dateOfDayNumber(this.previousWorkingDayNumber(day))
    for (let counted = 0; counted < n; ) {
      day -= 1
      if (this.isWorking(day)) counted += 1
    }
    return dateOfDayNumber(day)
  }

  /** A due date that falls on a non-working day moves to the next working day. */
  nextWorkingDayOnOrAfter(date: string): string {
    return dateOfDayNumber(this.nextWorkingDayNumber(dayNumber(date)))
  }

  previousWorkingDayOnOrBefore(date: string): string {
    return dateOfDayNumber(this.previousWorkingDayNumber(dayNumber(date)))
  }

  /**
   * Working days after `a` up to and including `b` (the same convention as addWorkingDays, so that
   * workingDaysBetween(a, addWorkingDays(a, n)) = n whenever n > 0 or `a` is a working day). Negative when
   * `b` is before `a`: -workingDaysBetween(b, a), e.g. for "overdue by".
   */
  workingDaysBetween(a: string, b: string): number {
    const from = dayNumber(a)
    const to = dayNumber(b)
    if (from <= to) return this.countWorking(from, to)
    const count = this.countWorking(to, from)
    return count === 0 ? 0 : -count
  }

  /**
   * The non-working days from `a` to `b`, both included, in date order, with why each is not working; none
   * when `b` is before `a`.
   */
  skippedBetween(a: string, b: string): SkippedDay[] {
    const from = dayNumber(a)
    const to = dayNumber(b)
    const skipped: SkippedDay[] = []
    for (let day = from; day <= to; day++) {
      const reason = this.reasonFor(day)
      if (reason) skipped.push({ date: dateOfDayNumber(day), reason })
    }
    return skipped
  }

  private isWorking(day: number): boolean {
    const override = this.overrideByDay.get(day)
    if (override) return override.working
    return weekdayOfDayNumber(day) <= 5 && !this.holidayOn(day)
  }

  private holidayOn(day: number): StatutoryHoliday | undefined {
    const [, month, dayOfMonth] = civilFromDays(day)
    return this.holidayByMonthDay.get(month * 100 + dayOfMonth)
  }

  private reasonFor(day: number): NonWorkingReason | null {
    if (this.isWorking(day)) return null
    // A holiday name explains more than "Sunday", and the seeded table restates statutory holidays as
    // overrides: those are reported as the holiday, in both languages, not as the table's one-language note.
    const holiday = this.holidayOn(day)
    if (holiday) return { kind: 'holiday', holiday }
    const override = this.overrideByDay.get(day)
    if (override) return { kind: 'override', reason: override.reason }
    return { kind: 'weekend', weekday: weekdayOfDayNumber(day) === 6 ? 'saturday' : 'sunday' }
  }

  private nextWorkingDayNumber(day: number): number {
    while (!this.isWorking(day)) day += 1
    return day
  }

  private previousWorkingDayNumber(day: number): number {
    while (!this.isWorking(day)) day -= 1
    return day
  }

  // Working days in (from, to], from <= to, by arithmetic rather than a day-by-day walk, so that long ranges
  // (reports over years) stay cheap: weekdays, less the statutory holidays on weekdays that no override
  // decides, then each overridden day as its override says.
  private countWorking(from: number, to: number): number {
    let count = weekdaysUpTo(to) - weekdaysUpTo(from)
    const [firstYear] = civilFromDays(from)
    const [lastYear] = civilFromDays(to)
    for (let year = firstYear; year <= lastYear; year++) {
      for (const holiday of this.holidayByMonthDay.values()) {
        const day = daysFromCivil(year, holiday.month, holiday.day)
        if (day > from && day <= to && weekdayOfDayNumber(day) <= 5 && !this.overrideByDay.has(day)) count -= 1
      }
    }
    // Overridden days were left out of the holiday correction, so each is corrected against the weekday count.
    for (const [day, override] of this.overrideByDay) {
      if (day <= from || day > to) continue
      count += Number(override.working) - Number(weekdayOfDayNumber(day) <= 5)
    }
    return count
  }
}

/**
 * The statutory holidays of `years` as table rows, for the database seed: the administrator then sees the
 * whole year's non-working days in one table and edits it as the Government decides.
 */
export function seedCalendar(years: readonly number[]): CalendarOverride[] {
  const rows: CalendarOverride[] = []
  for (const year of [...new Set(years)].sort((a, b) => a - b)) {
    requireWholeNumber(year, 'Year')
    for (const holiday of [...STATUTORY_HOLIDAYS].sort((a, b) => a.month - b.month || a.day - b.day)) {
      rows.push({ date: isoOf(year, holiday.month, holiday.day), working: false, reason: holiday.name.hy })
    }
  }
  return rows
}

/** Freezes `value` and everything in it, so shared rule and calendar data cannot be changed by a caller. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner)
    Object.freeze(value)
  }
  return value
}
