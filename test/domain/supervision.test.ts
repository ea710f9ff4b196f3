import { expect } from 'chai'
import { CONTACT_FREQUENCY_BY_RISK } from '../../server/domain/deadlineRules'
import { checkPlanAgainstNeeds, contactFrequency } from '../../server/domain/supervision'

const TABLE = CONTACT_FREQUENCY_BY_RISK.contactsPerMonth

describe('supervision rules: contact frequency and plans against needs', () => {
  for (const [level, weekly, expected] of [
    ['HIGH', [], 4],
    ['MEDIUM', [], 2],
    ['LOW', [], 1],
    // 1 a week is 52/12 = 4.33 a month, rounded up to 5: more than the table's high 4.
    ['LOW', [1], 5],
    ['HIGH', [1], 5],
    // 3 a week (the law's maximum) is 13 a month; the largest of several orders counts.
    ['MEDIUM', [2, 3], 13],
  ] as const) {
    it(`when the risk is ${level} and the court orders ${weekly.join('+') || 'no'} reports a week, then ${expected} contacts a month`, () => {
      const frequency = contactFrequency(level, TABLE, weekly)
      expect(frequency.contactsPerMonth).to.equal(expected)
      expect(frequency.basis.byRisk).to.equal(TABLE[level])
    })
  }

  it('when the table is changed, then the new value is used', () => {
    expect(contactFrequency('LOW', { ...TABLE, LOW: 3 }, []).contactsPerMonth).to.equal(3)
  })

  it('when every need has an active goal, then nothing is missing; a removed goal does not count', () => {
    expect(checkPlanAgainstNeeds(['FINANCES', 'ACCOMMODATION'], [{ needDomain: 'FINANCES', status: 'ACTIVE' }, { needDomain: 'ACCOMMODATION', status: 'ACHIEVED' }])).to.deep.equal({ needsWithoutGoal: [], goalsForOtherDomains: [] })
    expect(checkPlanAgainstNeeds(['FINANCES'], [{ needDomain: 'FINANCES', status: 'REMOVED' }]).needsWithoutGoal).to.deep.equal(['FINANCES'])
  })

  it('when goals address domains that are not needs, then they are named; goals without a domain are free', () => {
    expect(checkPlanAgainstNeeds(['FINANCES'], [{ needDomain: 'FINANCES', status: 'ACTIVE' }, { needDomain: 'LEISURE', status: 'ACTIVE' }, { needDomain: null, status: 'ACTIVE' }])).to.deep.equal({ needsWithoutGoal: [], goalsForOtherDomains: ['LEISURE'] })
  })
})
