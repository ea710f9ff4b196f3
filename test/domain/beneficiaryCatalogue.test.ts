import { expect } from 'chai'
import { birthDateProblem } from '../../server/domain/beneficiaryCatalogue'
import { personalFileNumber } from '../../server/domain/numbering'

describe('registration card rules', () => {
  const today = '2026-11-23'
  for (const [birthDate, problem] of [
    ['2026-11-24', 'inFuture'],
    ['2012-11-24', 'tooYoung'],
    ['2012-11-23', null],
    ['1990-04-12', null],
    ['1916-11-23', null],
    ['1916-11-22', 'tooOld'],
    ['0100-01-01', 'tooOld'],
  ] as const) {
    it(`when born on ${birthDate}, then the card's birth date is ${problem ?? 'accepted'}`, () => {
      expect(birthDateProblem(birthDate, today)).to.equal(problem)
    })
  }

  it('when a file number is made, then it reads PREFIX-YEAR-NNNN, growing past four digits', () => {
    expect(personalFileNumber('ԱՐ', 2026, 7)).to.equal('ԱՐ-2026-0007')
    expect(personalFileNumber('ԵՐ', 2026, 12345)).to.equal('ԵՐ-2026-12345')
  })
})
