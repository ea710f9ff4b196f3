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
