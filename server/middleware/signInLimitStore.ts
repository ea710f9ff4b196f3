import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit'
import type { SignInLimitQueries } from '../data/signInLimits'
import type { Clock } from '../domain/clock'

const PRUNE_EVERY_MS = 60 * 60_000

/**
 * The sign-in limiter's counts in PostgreSQL (server/data/signInLimits.ts), on the app's clock: every instance of the
 * app on one database counts the same attempts. Spent counts are removed now and then as attempts come.
 */
export function signInLimitStore(limits: SignInLimitQueries, clock: Clock): Store {
  let windowMs = 15 * 60_000
  let prunedAt = 0
  return {
    localKeys: false,
    prefix: 'sign-in:',
    init(options: Options) {
      windowMs = options.windowMs
    },
    async increment(key: string): Promise<ClientRateLimitInfo> {
      const now = clock.now()
      if (now.getTime() - prunedAt > PRUNE_EVERY_MS) {
        prunedAt = now.getTime()
        await limits.prune(now)
      }
      const { hits, resetsAt } = await limits.hit(`sign-in:${key}`, now, windowMs)
      return { totalHits: hits, resetTime: resetsAt }
    },
    async decrement(key: string) {
      await limits.unhit(`sign-in:${key}`)
    },
    async resetKey(key: string) {
      await limits.clear(`sign-in:${key}`)
    },
  }
}
