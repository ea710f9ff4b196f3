import { expect } from 'chai'
import fc from 'fast-check'
import { daysLeft, fineProgress, periodEnd, publicWorksProgress } from '../../server/domain/measureProgress'

describe('measure progress', () => {
  it('when public works sessions are logged, then hours done and left add up and the pace and forecast follow', () => {
    const progress = publicWorksProgress({ hoursOrdered: 120, sessions: [{ hours: 4 }, { hours: 4 }, { hours: 3.5 }], startDate: '2026-11-02', termEnd: '2027-01-31', today: '2026-11-16' })
    expect(progress).to.include({ hoursDone: 11.5, hoursLeft: 108.5, weeklyPace: 5.8, behindPace: true })
    expect(progress.forecastCompletion, '108.5 h at 5.8 h a week: 131 days').to.equal('2027-03-27')
    expect(progress.cannotFinishInTerm).to.equal(true)
  })

  it('when public works are behind pace or cannot finish in term, then they need attention and are due when the hours should be done', () => {
    // 120 h at the expected 12 h a week from Monday 02.11.2026: 70 days, 11.01.2027; the term ends later.
    const behind = publicWorksProgress({ hoursOrdered: 120, sessions: [{ hours: 4 }], startDate: '2026-11-02', termEnd: '2027-03-31', today: '2026-11-16' })
    expect(behind).to.include({ behindPace: true, needsAttention: true, dueDate: '2027-01-11' })
    // A term ending before the hours could be done at the expected pace is the due date.
    expect(publicWorksProgress({ hoursOrdered: 120, sessions: [], startDate: '2026-11-02', termEnd: '2026-12-31', today: '2026-11-03' }).dueDate).to.equal('2026-12-31')
    const onPace = publicWorksProgress({ hoursOrdered: 120, sessions: [{ hours: 12 }, { hours: 12 }], startDate: '2026-11-02', termEnd: null, today: '2026-11-16' })
    expect(onPace).to.include({ behindPace: false, needsAttention: false, dueDate: '2027-01-11' })
    expect(publicWorksProgress({ hoursOrdered: 120, sessions: [], startDate: null, termEnd: null, today: '2026-11-16' })).to.include({ needsAttention: false, dueDate: null })
  })

  it('when every hour is done, then nothing is left and there is no forecast', () => {
    expect(publicWorksProgress({ hoursOrdered: 8, sessions: [{ hours: 4 }, { hours: 4 }], startDate: '2026-11-02', termEnd: null, today: '2026-11-05' })).to.include({ hoursLeft: 0, forecastCompletion: null, behindPace: false })
  })

  it('when any sessions in tenths of an hour are summed, then the total equals the exact sum (no drift)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 120 }), { maxLength: 300 }), (tenths) => {
        const progress = publicWorksProgress({ hoursOrdered: 2200, sessions: tenths.map((t) => ({ hours: t / 10 })), startDate: '2026-01-01', termEnd: null, today: '2026-12-31' })
        const exact = tenths.reduce((a, b) => a + b, 0)
        expect(Math.round(progress.hoursDone * 10)).to.equal(exact)
        expect(Math.round((progress.hoursDone + progress.hoursLeft) * 10)).to.equal(Math.max(exact, 22000))
      }),
    )
  })

  it('when a fine is paid in part after its due date, then the balance and the overdue flag show it', () => {
    expect(fineProgress({ amountAmd: 500000, payments: [{ amountAmd: 200000 }, { amountAmd: 100000 }], paymentDue: '2026-11-10', today: '2026-11-23' })).to.deep.equal({ amountAmd: 500000, paidAmd: 300000, balanceAmd: 200000, overdue: true })
    expect(fineProgress({ amountAmd: 500000, payments: [{ amountAmd: 500000 }], paymentDue: '2026-11-10', today: '2026-11-23' }).overdue).to.equal(false)
  })

  for (const [start, months, end] of [
    ['2026-03-15', 12, '2027-03-15'],
    ['2026-01-31', 1, '2026-02-28'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2026-12-01', 6, '2027-06-01'],
  ] as const) {
    it(`when a ${months}-month period starts on ${start}, then it expires on ${end}`, () => {
      expect(periodEnd(start, months)).to.equal(end)
    })
  }

  it('when the end is ahead or past, then the days left count down to zero', () => {
    expect(daysLeft('2026-12-01', '2026-11-23')).to.equal(8)
    expect(daysLeft('2026-11-01', '2026-11-23')).to.equal(0)
    expect(daysLeft(null, '2026-11-23')).to.equal(null)
  })
})
