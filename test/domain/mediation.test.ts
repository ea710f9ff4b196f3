import { expect } from 'chai'
import { MEDIATION_EVENTS, MEDIATION_STATUSES, mediationNumber, nextMediationStatus, OPEN_MEDIATION_STATUSES, outcomeNeedsMeeting, REPORT_OWED_STATUSES } from '../../server/domain/mediation'

describe('mediation: the life of a case as data', () => {
  it('when a case runs its usual course, then it goes instructed → mediator named → in progress → concluded → reported', () => {
    expect(nextMediationStatus('INSTRUCTED', 'nameMediator')).to.equal('MEDIATOR_NAMED')
    expect(nextMediationStatus('MEDIATOR_NAMED', 'recordMeeting')).to.equal('IN_PROGRESS')
    expect(nextMediationStatus('IN_PROGRESS', 'recordMeeting')).to.equal('IN_PROGRESS')
    expect(nextMediationStatus('IN_PROGRESS', 'conclude')).to.equal('CONCLUDED')
    expect(nextMediationStatus('CONCLUDED', 'report')).to.equal('REPORTED')
  })

  it('when a step comes out of order, then it has no next status', () => {
    expect(nextMediationStatus('INSTRUCTED', 'recordMeeting'), 'no meeting without a mediator').to.equal(null)
    expect(nextMediationStatus('INSTRUCTED', 'conclude'), 'no outcome without a mediator').to.equal(null)
    expect(nextMediationStatus('IN_PROGRESS', 'report'), 'no report before the outcome').to.equal(null)
    expect(nextMediationStatus('IN_PROGRESS', 'decline'), 'declined only before the meetings').to.equal(null)
    expect(nextMediationStatus('CONCLUDED', 'nameMediator')).to.equal(null)
    expect(nextMediationStatus('CONCLUDED', 'end')).to.equal(null)
  })

  it('when a case is reported, declined or ended, then nothing more happens to it', () => {
    for (const status of ['REPORTED', 'DECLINED', 'ENDED'] as const) {
      for (const event of MEDIATION_EVENTS) expect(nextMediationStatus(status, event), `${status} ${event}`).to.equal(null)
    }
  })

  it('when the lists of statuses are read, then the report is owed while the case is open or concluded, and each status is known', () => {
    expect(REPORT_OWED_STATUSES).to.deep.equal([...OPEN_MEDIATION_STATUSES, 'CONCLUDED'])
    for (const status of REPORT_OWED_STATUSES) expect(MEDIATION_STATUSES).to.include(status)
  })

  it('when an outcome is recorded, then only "not held" needs no meeting', () => {
    expect([outcomeNeedsMeeting('AGREEMENT'), outcomeNeedsMeeting('NO_AGREEMENT'), outcomeNeedsMeeting('NOT_HELD')]).to.deep.equal([true, true, false])
  })

  it('when a case is numbered, then the number carries the region prefix, ՀՇ, the year and four digits', () => {
    expect(mediationNumber('ԼՌ', 2030, 7)).to.equal('ԼՌ-ՀՇ-2030-0007')
    expect(mediationNumber('ԱՐ', 2031, 12345)).to.equal('ԱՐ-ՀՇ-2031-12345')
  })
})
