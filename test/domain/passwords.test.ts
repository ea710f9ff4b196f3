import { expect } from 'chai'
import { passwordProblem } from '../../server/domain/passwords'

describe('password rules', () => {
  for (const [candidate, problem] of [
    ['short one', 'tooShort'],
    ['x'.repeat(129), 'tooLong'],
    ['qwertyuiop123', 'common'],
    ['QWERTYUIOP123', 'common'],
    ['hayastan12345', 'common'],
    ['my name is ararat.head!', 'containsUsername'],
    ['twelve chars\u0007here', 'controlCharacters'],
    ['Ծիրանի ձոր 2026 գարուն', null],
    ['correct horse battery staple', null],
  ] as const) {
    it(`when "${candidate.slice(0, 30)}" is proposed, then the answer is ${problem ?? 'accepted'}`, () => {
      expect(passwordProblem(candidate, 'ararat.head')).to.equal(problem)
    })
  }

  it('when a password has 12 Armenian letters, then its length counts characters, not bytes', () => {
    expect(passwordProblem('աբգդեզէըթժիլ', 'x.user')).to.equal(null)
    expect(passwordProblem('աբգդեզէըթժի', 'x.user')).to.equal('tooShort')
  })
})
