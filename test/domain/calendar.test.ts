import { expect } from 'chai'
import fc from 'fast-check'
import {
  addCalendarDays,
  addMonths,
  dayOfFollowingMonth,
  isIsoDate,
  isoWeekday,
  quarterEndOf,
  seedCalendar,
  STATUTORY_HOLIDAYS,
  WorkingCalendar,
  type CalendarOverride,
} from '../../server/domain/calendar'

// A Government decision of the usual kind: Independence Day 2027 is a Tuesday, so Monday 20 September is made
// a day off and Saturday 25 September a working day in its place.
const BRIDGE_2027: CalendarOverride[] = [
  { date: '2027-09-20', working: false, reason: 'Կառավարության որոշում. ոչ աշխատանքային օր' },
  { date: '2027-09-25', working: true, reason: 'Կառավարության որոշում. աշխատանքային շաբաթ' },
]

describe('calendar: statutory holidays and overrides', () => {
  const calendar = new WorkingCalendar()

  it('when the statutory list is read, then it holds exactly the twelve non-working days of the law, without 7 January', () => {
    const days = STATUTORY_HOLIDAYS.map((h) => `${h.month}/${h.day}`).sort()
    expect(days).to.deep.equal(['1/1', '1/2', '1/28', '1/6', '12/31', '3/8', '4/24', '5/1', '5/28', '5/9', '7/5', '9/21'].sort())
    for (const holiday of STATUTORY_HOLIDAYS) {
      expect(holiday.name.hy).to.match(/^[\u0531-\u058F «»]+$/)
      expect(holiday.name.en).to.match(/^[A-Za-z' ]+$/)
    }
    expect(Object.isFrozen(STATUTORY_HOLIDAYS)).to.equal(true)
    expect(Object.isFrozen(STATUTORY_HOLIDAYS[0].name)).to.equal(true)
  })

  for (const [date, working] of [
    ['2025-12-31', false],
    ['2026-01-01', false],
    ['2026-01-02', false],
    ['2026-01-05', true], // 3–5 January are no longer holidays
    ['2026-01-06', false],
    ['2026-01-07', true], // a working day unless the Government decides otherwise
    ['2026-01-28', false],
    ['2026-03-08', false],
    ['2026-03-09', true], // a holiday on a Sunday is not carried over to Monday
    ['2026-04-24', false],
    ['2026-05-01', false],
    ['2026-05-08', true],
    ['2026-05-09', false],
    ['2026-05-28', false],
    ['2026-07-05', false],
    ['2026-07-06', true],
    ['2026-09-21', false],
    ['2026-12-31', false],
    ['2027-01-01', false],
    ['2027-01-04', true],
    ['2027-01-06', false],
    ['2027-01-07', true],
    ['2027-01-28', false],
    ['2027-03-08', false],
    ['2027-04-24', false],
    ['2027-04-26', true],
    ['2027-05-28', false],
    ['2027-07-05', false],
    ['2027-09-21', false],
    ['2027-12-31', false],
    ['2026-11-23', true],
    ['2026-11-28', false],
    ['2026-11-29', false],
  ] as const) {
    it(`when the day is ${date}, then it is ${working ? 'a working day' : 'not a working day'}`, () => {
      expect(calendar.isWorkingDay(date)).to.equal(working)
    })
  }

  it('when a day is not working, then the reason says weekend, the holiday in both languages, or the override', () => {
    const withBridge = new WorkingCalendar(BRIDGE_2027)
    expect(withBridge.nonWorkingReason('2026-11-28')).to.deep.equal({ kind: 'weekend', weekday: 'saturday' })
    expect(withBridge.nonWorkingReason('2026-11-29')).to.deep.equal({ kind: 'weekend', weekday: 'sunday' })
    const holiday = withBridge.nonWorkingReason('2026-01-28')
    expect(holiday).to.deep.include({ kind: 'holiday' })
    expect(holiday && holiday.kind === 'holiday' && holiday.holiday.name).to.deep.equal({ hy: 'Բանակի օր', en: 'Army Day' })
    // A holiday on a Sunday is reported as the holiday, which says more than "Sunday".
    const sundayHoliday = withBridge.nonWorkingReason('2026-07-05')
    expect(sundayHoliday && sundayHoliday.kind === 'holiday' && sundayHoliday.holiday.name.en).to.equal('Constitution Day')
    expect(withBridge.nonWorkingReason('2027-09-20')).to.deep.equal({ kind: 'override', reason: BRIDGE_2027[0].reason })
    expect(withBridge.nonWorkingReason('2027-09-25')).to.equal(null)
    expect(withBridge.nonWorkingReason('2026-11-23')).to.equal(null)
  })

  it('when the Government makes a Monday a holiday and a Saturday a working day, then the overrides win over the weekly rule', () => {
    const plain = new WorkingCalendar()
    const withBridge = new WorkingCalendar(BRIDGE_2027)
    expect([plain.isWorkingDay('2027-09-20'), plain.isWorkingDay('2027-09-25')]).to.deep.equal([true, false])
    expect([withBridge.isWorkingDay('2027-09-20'), withBridge.isWorkingDay('2027-09-25')]).to.deep.equal([false, true])
  })

  it('when an override makes a statutory holiday working or 7 January a holiday, then the override wins over the statutory list', () => {
    const decided = new WorkingCalendar([
      { date: '2027-01-07', working: false, reason: 'Մեռելոց հիշատակի օր (Կառավարության որոշում)' },
      { date: '2027-01-28', working: true, reason: 'test: holiday cancelled' },
    ])
    expect(decided.isWorkingDay('2027-01-07')).to.equal(false)
    expect(decided.nonWorkingReason('2027-01-07')).to.deep.equal({ kind: 'override', reason: 'Մեռելոց հիշատակի օր (Կառավարության որոշում)' })
    expect(decided.isWorkingDay('2027-01-28')).to.equal(true)
    expect(decided.isWorkingDay('2028-01-28')).to.equal(false)
  })

  it('when a date is overridden twice, then the later entry wins', () => {
    const calendarWithBoth = new WorkingCalendar([
      { date: '2026-11-23', working: false, reason: 'first' },
      { date: '2026-11-23', working: true, reason: 'second' },
    ])
    expect(calendarWithBoth.isWorkingDay('2026-11-23')).to.equal(true)
    expect(calendarWithBoth.overrides).to.deep.equal([{ date: '2026-11-23', working: true, reason: 'second' }])
  })

  it('when the seed for 2026 and 2027 is made, then it lists the 24 statutory non-working days in date order, and changes nothing', () => {
    const seed = seedCalendar([2027, 2026, 2026])
    expect(seed).to.have.length(24)
    expect(seed.map((row) => row.date)).to.deep.equal([...seed.map((row) => row.date)].sort())
    expect(seed.every((row) => !row.working && row.reason.length > 0)).to.equal(true)
    expect(seed.map((row) => row.date)).to.include.members(['2026-01-01', '2026-01-02', '2026-01-06', '2026-12-31', '2027-03-08', '2027-09-21'])
    expect(seed.map((row) => row.date)).not.to.include('2026-01-07')
    expect(seed.find((row) => row.date === '2026-01-28')?.reason).to.equal('Բանակի օր')
    const seeded = new WorkingCalendar(seed)
    for (let date = '2026-01-01'; date <= '2027-12-31'; date = addCalendarDays(date, 1)) {
      expect(seeded.isWorkingDay(date), date).to.equal(calendar.isWorkingDay(date))
      expect(seeded.nonWorkingReason(date), date).to.deep.equal(calendar.nonWorkingReason(date))
    }
    expect(seeded.workingDaysBetween('2025-12-31', '2027-12-31')).to.equal(252 + 253)
  })

  for (const bad of ['2026-02-29', '2026-13-01', '2026-04-31', '26-01-01', '2026-1-1', '01.01.2026', '']) {
    it(`when "${bad}" is given, then the calendar refuses it`, () => {
      expect(isIsoDate(bad)).to.equal(false)
      expect(() => calendar.isWorkingDay(bad)).to.throw(RangeError)
      expect(() => calendar.addWorkingDays(bad, 1)).to.throw(RangeError)
    })
  }

  it('when a count is negative or not whole, then the calendar refuses it', () => {
    expect(() => calendar.addWorkingDays('2026-11-23', -1)).to.throw(RangeError)
    expect(() => calendar.addWorkingDays('2026-11-23', 1.5)).to.throw(RangeError)
    expect(() => calendar.subtractWorkingDays('2026-11-23', -1)).to.throw(RangeError)
    expect(() => addMonths('2026-11-23', 0.5)).to.throw(RangeError)
    expect(() => new WorkingCalendar([{ date: '2026-02-30', working: false, reason: 'x' }])).to.throw(RangeError)
  })
})

describe('calendar: working day arithmetic', () => {
  const calendar = new WorkingCalendar()
  const bridged = new WorkingCalendar(BRIDGE_2027)

  for (const [from, n, expected, note] of [
    ['2026-11-20', 1, '2026-11-23', 'Friday + 1 is Monday'],
    ['2026-11-23', 0, '2026-11-23', '0 from a working day is the day itself'],
    ['2026-11-28', 0, '2026-11-30', '0 from a Saturday is the next working day'],
    ['2026-11-28', 1, '2026-11-30', '1 from a Saturday is Monday too'],
    ['2026-12-30', 1, '2027-01-04', 'across 31 December – 2 January and the weekend'],
    ['2026-12-31', 0, '2027-01-04', '0 from 31 December'],
    ['2025-12-30', 5, '2026-01-12', 'over New Year and 6 January, counting 7 January'],
    ['2026-01-26', 3, '2026-01-30', 'over 28 January'],
    ['2026-03-06', 1, '2026-03-09', '8 March on a Sunday is not carried over'],
    ['2027-03-05', 1, '2027-03-09', '8 March on a Monday'],
    ['2026-04-21', 15, '2026-05-14', 'over 24 April, 1 May and 9 May'],
    ['2026-05-25', 5, '2026-06-02', 'over 28 May'],
    ['2026-09-18', 1, '2026-09-22', 'over 21 September'],
  ] as const) {
    it(`when ${n} working days are added to ${from}, then it is ${expected} (${note})`, () => {
      expect(calendar.addWorkingDays(from, n)).to.equal(expected)
    })
  }

  it('when the 2027 bridge decision is in force, then counting skips the Monday and counts the Saturday', () => {
    expect(calendar.addWorkingDays('2027-09-17', 2)).to.equal('2027-09-22')
    expect(bridged.addWorkingDays('2027-09-17', 2)).to.equal('2027-09-23')
    expect(calendar.addWorkingDays('2027-09-24', 1)).to.equal('2027-09-27')
    expect(bridged.addWorkingDays('2027-09-24', 1)).to.equal('2027-09-25')
    expect(bridged.workingDaysBetween('2027-09-17', '2027-09-30')).to.equal(calendar.workingDaysBetween('2027-09-17', '2027-09-30'))
  })

  for (const [end, n, expected] of [
    ['2026-06-19', 5, '2026-06-12'],
    ['2026-05-29', 5, '2026-05-21'],
    ['2027-01-11', 5, '2026-12-30'],
    ['2026-07-05', 0, '2026-07-03'],
    ['2026-07-06', 1, '2026-07-03'],
    ['2026-05-04', 3, '2026-04-28'],
  ] as const) {
    it(`when counting ${n} working days back from ${end}, then it is ${expected}`, () => {
      expect(calendar.subtractWorkingDays(end, n)).to.equal(expected)
    })
  }

  for (const [from, to, expected] of [
    ['2026-11-23', '2026-11-23', 0],
    ['2026-11-20', '2026-11-23', 1],
    ['2026-11-23', '2026-11-20', -1],
    ['2026-12-30', '2027-01-04', 1],
    ['2026-04-23', '2026-05-04', 5],
    ['2025-12-31', '2026-12-31', 252],
    ['2026-12-31', '2027-12-31', 253],
    ['2019-12-31', '2035-12-31', 4038],
  ] as const) {
    it(`when counting working days after ${from} up to ${to}, then there are ${expected}`, () => {
      expect(calendar.workingDaysBetween(from, to)).to.equal(expected)
    })
  }

  it('when the days between 30 December and 4 January are asked for, then the non-working ones come with their reasons', () => {
    expect(calendar.skippedBetween('2026-12-30', '2027-01-04')).to.deep.equal([
      { date: '2026-12-31', reason: { kind: 'holiday', holiday: STATUTORY_HOLIDAYS.find((h) => h.month === 12 && h.day === 31) } },
      { date: '2027-01-01', reason: { kind: 'holiday', holiday: STATUTORY_HOLIDAYS.find((h) => h.month === 1 && h.day === 1) } },
      { date: '2027-01-02', reason: { kind: 'holiday', holiday: STATUTORY_HOLIDAYS.find((h) => h.month === 1 && h.day === 2) } },
      { date: '2027-01-03', reason: { kind: 'weekend', weekday: 'sunday' } },
    ])
    expect(calendar.skippedBetween('2026-11-28', '2026-11-28')).to.have.length(1)
    expect(calendar.skippedBetween('2027-01-04', '2026-12-30')).to.deep.equal([])
  })

  for (const [from, n, expected] of [
    ['2026-01-31', 1, '2026-02-28'],
    ['2028-01-31', 1, '2028-02-29'],
    ['2026-03-31', 1, '2026-04-30'],
    ['2026-08-31', 6, '2027-02-28'],
    ['2027-11-30', 3, '2028-02-29'],
    ['2026-12-15', 1, '2027-01-15'],
    ['2026-03-31', -1, '2026-02-28'],
    ['2026-01-15', -1, '2025-12-15'],
    ['2028-02-29', 12, '2029-02-28'],
  ] as const) {
    it(`when ${n} months are added to ${from}, then it is ${expected} (clamped to the month's end)`, () => {
      expect(addMonths(from, n)).to.equal(expected)
      expect(calendar.addMonths(from, n)).to.equal(expected)
    })
  }

  it('when calendar days, following-month days and quarter ends are asked for, then they follow the plain calendar', () => {
    expect(addCalendarDays('2026-12-31', 1)).to.equal('2027-01-01')
    expect(addCalendarDays('2028-02-28', 1)).to.equal('2028-02-29')
    expect(calendar.addCalendarDays('2026-03-01', -1)).to.equal('2026-02-28')
    expect(dayOfFollowingMonth('2026-12-31', 5)).to.equal('2027-01-05')
    expect(dayOfFollowingMonth('2026-01-31', 31)).to.equal('2026-02-28')
    expect(quarterEndOf('2026-02-14')).to.equal('2026-03-31')
    expect(quarterEndOf('2026-11-23')).to.equal('2026-12-31')
    expect(isoWeekday('2026-11-23')).to.equal(1)
    expect(isoWeekday('1970-01-01')).to.equal(4)
    expect(isoWeekday('2000-02-29')).to.equal(2)
  })

  it('when a due date falls on a non-working day, then the next working day on or after it is taken', () => {
    expect(calendar.nextWorkingDayOnOrAfter('2026-12-31')).to.equal('2027-01-04')
    expect(calendar.nextWorkingDayOnOrAfter('2027-01-06')).to.equal('2027-01-07')
    expect(calendar.nextWorkingDayOnOrAfter('2026-11-23')).to.equal('2026-11-23')
    expect(bridged.nextWorkingDayOnOrAfter('2027-09-20')).to.equal('2027-09-22')
    expect(calendar.previousWorkingDayOnOrBefore('2027-01-04')).to.equal('2027-01-04')
    expect(calendar.previousWorkingDayOnOrBefore('2027-01-03')).to.equal('2026-12-30')
  })
})

// ---------------------------------------------------------------------------------------------------------
// Properties against a naive oracle: one day at a time through JS Dates in UTC, the statutory list as
// "MM-DD" strings and the overrides as a map. It shares no code with the module.

const ORACLE_HOLIDAYS = new Set(['01-01', '01-02', '01-06', '01-28', '03-08', '04-24', '05-01', '05-09', '05-28', '07-05', '09-21', '12-31'])
const DAY_MS = 86_400_000
const FIRST = Date.UTC(2020, 0, 1)
const LAST = Date.UTC(2035, 11, 31)

function isoOfMs(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}

function oracleWorking(ms: number, overrides: Map<string, boolean>): boolean {
  const iso = isoOfMs(ms)
  const decided = overrides.get(iso)
  if (decided !== undefined) return decided
  const weekday = new Date(ms).getUTCDay()
  return weekday !== 0 && weekday !== 6 && !ORACLE_HOLIDAYS.has(iso.slice(5))
}

function oracleAdd(start: string, n: number, overrides: Map<string, boolean>): string {
  let ms = Date.parse(`${start}T00:00:00Z`)
  if (n === 0) {
    while (!oracleWorking(ms, overrides)) ms += DAY_MS
    return isoOfMs(ms)
  }
  let counted = 0
  while (counted < n) {
    ms += DAY_MS
    if (oracleWorking(ms, overrides)) counted += 1
  }
  return isoOfMs(ms)
}

function oracleSubtract(end: string, n: number, overrides: Map<string, boolean>): string {
  let ms = Date.parse(`${end}T00:00:00Z`)
  if (n === 0) {
    while (!oracleWorking(ms, overrides)) ms -= DAY_MS
    return isoOfMs(ms)
  }
  let counted = 0
  while (counted < n) {
    ms -= DAY_MS
    if (oracleWorking(ms, overrides)) counted += 1
  }
  return isoOfMs(ms)
}

function oracleBetween(a: string, b: string, overrides: Map<string, boolean>): number {
  const from = Date.parse(`${a}T00:00:00Z`)
  const to = Date.parse(`${b}T00:00:00Z`)
  const [low, high, sign] = from <= to ? [from, to, 1] : [to, from, -1]
  let count = 0
  for (let ms = low + DAY_MS; ms <= high; ms += DAY_MS) if (oracleWorking(ms, overrides)) count += 1
  return sign * count
}

const anyDate = fc.integer({ min: 0, max: (LAST - FIRST) / DAY_MS }).map((days) => isoOfMs(FIRST + days * DAY_MS))

// Overrides near the date under test, where they matter: random days within about four months of it,
// each made working or not, often on weekends and holidays as well as on ordinary days.
const scenario = fc
  .record({
    date: anyDate,
    n: fc.integer({ min: 0, max: 60 }),
    overrides: fc.array(fc.record({ shift: fc.integer({ min: -130, max: 130 }), working: fc.boolean() }), { maxLength: 12 }),
  })
  .map(({ date, n, overrides }) => {
    const list: CalendarOverride[] = overrides.map(({ shift, working }) => ({
      date: isoOfMs(Date.parse(`${date}T00:00:00Z`) + shift * DAY_MS),
      working,
      reason: working ? 'working by decision' : 'holiday by decision',
    }))
    return { date, n, list, map: new Map(list.map((o) => [o.date, o.working])) }
  })

describe('calendar: working day arithmetic against a day-by-day oracle (properties)', () => {
  it('when n working days are added to any date under any overrides, then the result is the oracle\'s and a working day', () => {
    fc.assert(
      fc.property(scenario, ({ date, n, list, map }) => {
        const calendar = new WorkingCalendar(list)
        const result = calendar.addWorkingDays(date, n)
        expect(result).to.equal(oracleAdd(date, n, map))
        expect(oracleWorking(Date.parse(`${result}T00:00:00Z`), map)).to.equal(true)
        expect(calendar.isWorkingDay(result)).to.equal(true)
      }),
      { numRuns: 500 },
    )
  })

  it('when n working days are added, then exactly n working days lie after the start up to the result (n > 0 or a working start)', () => {
    fc.assert(
      fc.property(scenario, ({ date, n, list, map }) => {
        const calendar = new WorkingCalendar(list)
        const result = calendar.addWorkingDays(date, n)
        const expected = n === 0 && !oracleWorking(Date.parse(`${date}T00:00:00Z`), map) ? 1 : n
        expect(calendar.workingDaysBetween(date, result)).to.equal(expected)
        if (n > 0 || calendar.isWorkingDay(date)) expect(calendar.workingDaysBetween(date, result)).to.equal(n)
      }),
      { numRuns: 500 },
    )
  })

  it('when the next working day on or after any date is asked for, then it is the oracle\'s', () => {
    fc.assert(
      fc.property(scenario, ({ date, list, map }) => {
        const calendar = new WorkingCalendar(list)
        expect(calendar.nextWorkingDayOnOrAfter(date)).to.equal(oracleAdd(date, 0, map))
        expect(calendar.isWorkingDay(date)).to.equal(oracleWorking(Date.parse(`${date}T00:00:00Z`), map))
      }),
      { numRuns: 500 },
    )
  })

  it('when working days are counted between any two dates, then the count is the oracle\'s, also across years', () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: -150, max: 150 }), fc.integer({ min: -2500, max: 2500 }), ({ date, list, map }, near, far) => {
        const calendar = new WorkingCalendar(list)
        for (const shift of [near, far]) {
          const other = isoOfMs(Date.parse(`${date}T00:00:00Z`) + shift * DAY_MS)
          expect(calendar.workingDaysBetween(date, other)).to.equal(oracleBetween(date, other, map))
        }
      }),
      { numRuns: 300 },
    )
  })

  it('when n working days are counted back from any date, then the result is the oracle\'s, a working day, and adding n back returns a working end', () => {
    fc.assert(
      fc.property(scenario, ({ date, n, list, map }) => {
        const calendar = new WorkingCalendar(list)
        const result = calendar.subtractWorkingDays(date, n)
        expect(result).to.equal(oracleSubtract(date, n, map))
        expect(calendar.isWorkingDay(result)).to.equal(true)
        expect(result <= date).to.equal(true)
        if (n > 0) expect(oracleBetween(result, date, map) - Number(oracleWorking(Date.parse(`${date}T00:00:00Z`), map))).to.equal(n - 1)
        if (calendar.isWorkingDay(date)) expect(calendar.addWorkingDays(result, n)).to.equal(date)
      }),
      { numRuns: 500 },
    )
  })

  it('when the skipped days between two dates are listed, then they are exactly the oracle\'s non-working days, each with a reason', () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: 0, max: 60 }), ({ date, list, map }, length) => {
        const calendar = new WorkingCalendar(list)
        const end = isoOfMs(Date.parse(`${date}T00:00:00Z`) + length * DAY_MS)
        const expected: string[] = []
        for (let ms = Date.parse(`${date}T00:00:00Z`); ms <= Date.parse(`${end}T00:00:00Z`); ms += DAY_MS) {
          if (!oracleWorking(ms, map)) expected.push(isoOfMs(ms))
        }
        const skipped = calendar.skippedBetween(date, end)
        expect(skipped.map((day) => day.date)).to.deep.equal(expected)
        for (const day of skipped) expect(calendar.nonWorkingReason(day.date)).to.deep.equal(day.reason)
      }),
      { numRuns: 300 },
    )
  })

  it('when any date is moved by calendar days or months, then it agrees with UTC Date arithmetic', () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: -400, max: 400 }), fc.integer({ min: -30, max: 30 }), (date, days, months) => {
        expect(addCalendarDays(date, days)).to.equal(isoOfMs(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS))
        const [year, month, day] = date.split('-').map(Number)
        const lastDay = new Date(Date.UTC(year, month - 1 + months + 1, 0)).getUTCDate()
        expect(addMonths(date, months)).to.equal(isoOfMs(Date.UTC(year, month - 1 + months, Math.min(day, lastDay))))
      }),
    )
  })
})
