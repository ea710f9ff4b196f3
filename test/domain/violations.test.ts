import { expect } from 'chai'
import { actionDue } from '../../server/domain/violations'

describe('violations: the action due', () => {
  for (const [kind, earlier, action] of [
    ['MISSED_REPORT', 0, 'WARNING'],
    ['MISSED_REPORT', 1, 'WRITTEN_WARNING'],
    ['MISSED_REPORT', 2, 'SUBMISSION_TO_COURT'],
    ['MISSED_REPORT', 7, 'SUBMISSION_TO_COURT'],
    ['FAILED_TO_WORK', 0, 'WRITTEN_WARNING'],
    ['FAILED_TO_WORK', 1, 'SUBMISSION_TO_COURT'],
    ['BREACH_OF_OBLIGATION', 0, 'WRITTEN_WARNING'],
    ['NEW_OFFENCE', 0, 'SUBMISSION_TO_COURT'],
    ['MONITORING_ALERT', 0, 'WARNING'],
  ] as const) {
    it(`when a ${kind} follows ${earlier} earlier violations, then ${action} is due`, () => {
      expect(actionDue(kind, earlier)).to.equal(action)
    })
  }
})
