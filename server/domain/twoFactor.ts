/*
 * The second factor's rules: a six-digit code from an authenticator app (RFC 6238, 30-second steps), or one of ten
 * single-use recovery codes the holder was given at enrolment.
 */

export const RECOVERY_CODE_COUNT = 10
/** A code of the step before or after the server's is taken: a phone's clock is often some seconds off. */
export const CODE_TOLERANCE_SECONDS = 30
/** Between the right password and the code: longer, and the password is asked again. */
export const SECOND_STEP_MINUTES = 5

/**
 * The demo accounts' authenticator key, published with their password (README): whoever holds it can make their codes,
 * so the code page shows the current one for an account with this key. Demo accounts never run outside this computer
 * (config.ts).
 */
export const DEMO_TOTP_KEY = 'KRSXG5CUN5ZGKZLTKRSXG5CUN5ZGKZLT'

export const TOTP_CODE = /^\d{6}$/
/** Ten of these letters and digits, without the ones read alike (0/o, 1/l/i), shown as two groups of five. */
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'
const RECOVERY_CODE = new RegExp(`^[${RECOVERY_ALPHABET}]{10}$`)

/** What the holder typed, without the spaces and dashes an app or a sheet of paper puts in. */
export function typedCode(typed: string): string {
  return typed.replace(/[\s-]/g, '').toLowerCase()
}

export type CodeKind = 'totp' | 'recovery' | null

export function kindOfCode(typed: string): CodeKind {
  const code = typedCode(typed)
  return TOTP_CODE.test(code) ? 'totp' : RECOVERY_CODE.test(code) ? 'recovery' : null
}

export const RECOVERY_ALPHABET_SIZE = RECOVERY_ALPHABET.length

/** A recovery code from ten positions in its alphabet (each uniformly random), written as the holder reads it: "abcde-fghjk". */
export function recoveryCodeFrom(positions: readonly number[]): string {
  const letters = positions.slice(0, 10).map((position) => RECOVERY_ALPHABET[position])
  return `${letters.slice(0, 5).join('')}-${letters.slice(5).join('')}`
}

/** The key as the holder types it into an app by hand: groups of four. */
export function keyInGroups(key: string): string {
  return key.replace(/(.{4})/g, '$1 ').trim()
}

/** Whether the password step is still fresh enough for its code. */
export function secondStepOpen(passwordAt: number, now: number): boolean {
  return now >= passwordAt && now - passwordAt <= SECOND_STEP_MINUTES * 60_000
}
