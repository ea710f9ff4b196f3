import { expect } from 'chai'
import fc from 'fast-check'
import { formatDate, formatDateTime, parseDate, serviceDateOf } from '../../server/domain/dates'

describe('dates in the Service\'s format and time zone', () => {
  it('when a moment is late evening UTC, then the Yerevan date is already the next day', () => {
    expect(serviceDateOf(new Date('2026-12-31T20:30:00Z'))).to.equal('2027-01-01')
    expect(serviceDateOf(new Date('2026-12-31T19:59:00Z'))).to.equal('2026-12-31')
  })

  it('when dates are shown, then they read DD.MM.YYYY (and HH:MM in Yerevan time)', () => {
    expect(formatDate('2026-03-08')).to.equal('08.03.2026')
    expect(formatDate(new Date('2026-03-07T21:00:00Z'))).to.equal('08.03.2026')
    expect(formatDateTime(new Date('2026-03-07T21:05:00Z'))).to.equal('08.03.2026 01:05')
    expect(formatDate(null)).to.equal('')
  })

  it('when any moment since 1970 is shown, then it reads as Intl shows it in Yerevan time, across the summer-time years (property)', () => {
    const reference = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Yerevan', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    const expected = (moment: Date) => {
      const p = Object.fromEntries(reference.formatToParts(moment).map((part) => [part.type, part.value]))
      return { date: `${p.day}.${p.month}.${p.year}`, dateTime: `${p.day}.${p.month}.${p.year} ${p.hour}:${p.minute}`, iso: `${p.year}-${p.month}-${p.day}` }
    }
    const check = (moment: Date) => {
      const want = expected(moment)
      expect(formatDate(moment)).to.equal(want.date)
      expect(formatDateTime(moment)).to.equal(want.dateTime)
      expect(formatDateTime(moment.toISOString())).to.equal(want.dateTime)
      expect(serviceDateOf(moment)).to.equal(want.iso)
    }
    // Around the switches to and from summer time (1981-2011) and the last change of zone (2011).
    for (const around of ['1981-03-31T20:00:00Z', '1995-09-23T22:00:00Z', '2011-03-26T22:00:00Z', '2011-10-29T22:00:00Z', '1970-01-01T00:00:00Z']) {
      for (let minutes = -90; minutes <= 90; minutes += 1) check(new Date(new Date(around).getTime() + minutes * 60_000))
    }
    fc.assert(fc.property(fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true }), check), { numRuns: 2000 })
  })

  it('when a moment is before 1970 or invalid, then it is shown as before (through Intl) or refused', () => {
    expect(formatDateTime(new Date('1950-06-01T12:00:00Z'))).to.equal('01.06.1950 15:00')
    expect(() => formatDate(new Date('not a date'))).to.throw(RangeError)
  })

  for (const [typed, expected] of [
    ['08.03.2026', '2026-03-08'],
    ['8.3.2026', '2026-03-08'],
    ['2026-03-08', '2026-03-08'],
    [' 29.02.2028 ', '2028-02-29'],
    ['29.02.2026', null],
    ['31.04.2026', null],
    ['00.01.2026', null],
    ['2026-13-01', null],
    ['08/03/2026', null],
    ['', null],
  ] as const) {
    it(`when "${typed}" is typed, then it reads as ${expected ?? 'no date'}`, () => {
      expect(parseDate(typed)).to.equal(expected)
    })
  }

  it('when any real date is shown and typed back, then it is the same date (property)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2199-12-31T00:00:00Z'), noInvalidDate: true }), (moment) => {
        const iso = moment.toISOString().slice(0, 10)
        expect(parseDate(formatDate(iso))).to.equal(iso)
      }),
    )
  })
})
