import { expect } from 'chai'
import { participationCounts, quarterOf } from '../../server/domain/activities'

describe('activities: participation per quarter', () => {
  it('when dates are placed in quarters, then March ends the first and October starts the fourth', () => {
    expect(['2030-01-01', '2030-03-31', '2030-04-01', '2030-09-30', '2030-10-01', '2030-12-31'].map(quarterOf)).to.deep.equal([1, 1, 2, 3, 4, 4])
  })

  it('when events of a year are counted, then each kind shows events, invited and attended per quarter, and each person what they attended', () => {
    const events = [
      { id: 1, kind: 'SPORTS' as const, date: '2030-02-10' },
      { id: 2, kind: 'SPORTS' as const, date: '2030-05-10' },
      { id: 3, kind: 'CULTURAL' as const, date: '2030-05-20' },
      { id: 4, kind: 'COMMUNITY_WORK_DAY' as const, date: '2030-11-02' },
      { id: 5, kind: 'SPORTS' as const, date: '2031-01-15' },
    ]
    const participants = [
      { eventId: 1, beneficiaryId: 10, attendance: 'ATTENDED' as const },
      { eventId: 1, beneficiaryId: 11, attendance: 'ABSENT' as const },
      { eventId: 2, beneficiaryId: 10, attendance: 'ATTENDED' as const },
      { eventId: 3, beneficiaryId: 10, attendance: 'ATTENDED' as const },
      { eventId: 3, beneficiaryId: 11, attendance: null },
      { eventId: 5, beneficiaryId: 11, attendance: 'ATTENDED' as const },
    ]
    const counts = participationCounts(events, participants, 2030)
    const sports = counts.byKind.find((line) => line.kind === 'SPORTS')!
    expect(sports.quarters).to.deep.equal([{ events: 1, invited: 2, attended: 1 }, { events: 1, invited: 1, attended: 1 }, { events: 0, invited: 0, attended: 0 }, { events: 0, invited: 0, attended: 0 }])
    expect(sports.total).to.deep.equal({ events: 2, invited: 3, attended: 2 })
    expect(counts.byKind.find((line) => line.kind === 'COMMUNITY_WORK_DAY')!.total).to.deep.equal({ events: 1, invited: 0, attended: 0 })
    expect(counts.byPerson).to.deep.equal([
      { beneficiaryId: 10, quarters: [1, 2, 0, 0], total: 3, invited: 3 },
      { beneficiaryId: 11, quarters: [0, 0, 0, 0], total: 0, invited: 2 },
    ])
  })
})
