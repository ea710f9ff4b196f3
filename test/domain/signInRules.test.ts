import { expect } from 'chai'
import fc from 'fast-check'
import { afterFailedAttempt, LOCKOUT_MAX_FAILURES, LOCKOUT_WINDOW_MINUTES, type FailureState } from '../../server/domain/signInRules'

describe('lockout rule', () => {
  const start = new Date('2026-11-23T09:00:00Z')
  const minutesLater = (m: number) => new Date(start.getTime() + m * 60_000)

  it('when the fifth failure comes within 15 minutes of the first, then the account locks', () => {
    let state: FailureState = { count: 0, since: null }
    const locks: boolean[] = []
    for (const minute of [0, 3, 6, 9, 14]) {
      const next = afterFailedAttempt(state, minutesLater(minute))
      locks.push(next.locks)
      state = next
    }
    expect(locks).to.deep.equal([false, false, false, false, true])
  })

  it('when the fifth failure comes after the window, then the count starts again', () => {
    let state: FailureState = { count: 0, since: null }
    for (const minute of [0, 3, 6, 9]) state = afterFailedAttempt(state, minutesLater(minute))
    const late = afterFailedAttempt(state, minutesLater(15))
    expect(late).to.include({ count: 1, locks: false })
  })

  it('when failures come at any times, then it locks exactly when five fall within one window from its first (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 30 }), (gaps) => {
        let state: FailureState = { count: 0, since: null }
        let minute = 0
        let windowStart = -Infinity
        let inWindow = 0
        for (const gap of gaps) {
          minute += gap
          // Oracle: a window opens at a failure and lasts 15 minutes; a failure outside opens a new one.
          if (minute - windowStart < LOCKOUT_WINDOW_MINUTES) inWindow += 1
          else {
            windowStart = minute
            inWindow = 1
          }
          const next = afterFailedAttempt(state, minutesLater(minute))
          expect(next.locks).to.equal(inWindow >= LOCKOUT_MAX_FAILURES)
          if (next.locks) return
          state = next
        }
      }),
    )
  })
})
