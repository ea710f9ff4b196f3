// Lockout: five failed attempts within fifteen minutes lock the account for fifteen minutes.
export const LOCKOUT_MAX_FAILURES = 5
export const LOCKOUT_WINDOW_MINUTES = 15
export const LOCKOUT_DURATION_MINUTES = 15

export interface FailureState {
  count: number
  since: Date | null
}

/** The failure counter after one more failed attempt at `now`, and whether it locks the account. */
export function afterFailedAttempt(state: FailureState, now: Date): FailureState & { locks: boolean } {
  const windowOpen = state.since !== null && now.getTime() - state.since.getTime() < LOCKOUT_WINDOW_MINUTES * 60_000
  const count = windowOpen ? state.count + 1 : 1
  const since = windowOpen ? state.since : now
  return { count, since, locks: count >= LOCKOUT_MAX_FAILURES }
}

export function lockedUntilFrom(now: Date): Date {
  return new Date(now.getTime() + LOCKOUT_DURATION_MINUTES * 60_000)
}

/**
 * An account not signed in to for this many days is disabled (CJIS Security Policy AC-2(3)), counted from its last
 * sign-in or from when it was last given to its holder (made, reactivated, a new password), whichever is later. The
 * service head's and the administrator's accounts are not: they are the ones that give accounts back.
 */
export const INACTIVE_ACCOUNT_DAYS = 90
export const NEVER_DISABLED_FOR_INACTIVITY = ['SERVICE_HEAD', 'ADMINISTRATOR'] as const

/** The moment before which an account's last use makes it inactive. */
export function inactiveBefore(now: Date): Date {
  return new Date(now.getTime() - INACTIVE_ACCOUNT_DAYS * 86_400_000)
}
