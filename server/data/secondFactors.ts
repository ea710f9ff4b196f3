import type { Transaction } from 'sequelize'
import type { Sql } from './sql'

/* An account's second factor: its authenticator key and recovery codes (migrations/20261209000000-two-factor.ts). */

export interface SecondFactorState {
  totpKey: string | null
  totpEnrolledAt: Date | null
  /** The last 30-second step a code was taken from; a code of it or an earlier one is not taken again. */
  totpLastTimeStep: string | null
}

export function secondFactorQueries(sql: Sql) {
  /** The account's factor, locked for the sign-in that checks it. */
  async function lockState(userId: number, transaction: Transaction): Promise<SecondFactorState | undefined> {
    return sql.one(`SELECT totp_key, totp_enrolled_at, totp_last_time_step FROM users WHERE id = $1 FOR UPDATE`, [userId], transaction)
  }

  async function isEnrolled(userId: number): Promise<boolean> {
    return (await sql.one(`SELECT 1 AS enrolled FROM users WHERE id = $1 AND totp_enrolled_at IS NOT NULL`, [userId])) !== undefined
  }

  async function hasKey(userId: number, key: string): Promise<boolean> {
    return (await sql.one(`SELECT 1 AS found FROM users WHERE id = $1 AND totp_key = $2`, [userId, key])) !== undefined
  }

  /** Sets the key and replaces every recovery code with the new ones (hashed). */
  async function enrol(userId: number, enrolment: { key: string; timeStep: number; at: Date; recoveryCodeHashes: string[] }, transaction: Transaction): Promise<void> {
    await sql.rows(`UPDATE users SET totp_key = $2, totp_enrolled_at = $3, totp_last_time_step = $4 WHERE id = $1`, [userId, enrolment.key, enrolment.at, enrolment.timeStep], transaction)
    await replaceRecoveryCodes(userId, enrolment.recoveryCodeHashes, transaction)
  }

  async function replaceRecoveryCodes(userId: number, hashes: string[], transaction: Transaction): Promise<void> {
    await sql.rows(`DELETE FROM recovery_codes WHERE user_id = $1`, [userId], transaction)
    await sql.rows(`INSERT INTO recovery_codes (user_id, code_hash) SELECT $1, unnest($2::text[])`, [userId, hashes], transaction)
  }

  async function takeTimeStep(userId: number, timeStep: number, transaction: Transaction): Promise<void> {
    await sql.rows(`UPDATE users SET totp_last_time_step = $2 WHERE id = $1`, [userId, timeStep], transaction)
  }

  /** Marks an unused recovery code of the account used; false when there is none with that hash. */
  async function useRecoveryCode(userId: number, hash: string, at: Date, transaction: Transaction): Promise<boolean> {
    const used = await sql.rows(`UPDATE recovery_codes SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL RETURNING id`, [userId, hash, at], transaction)
    return used.length > 0
  }

  async function recoveryCodesLeft(userId: number): Promise<number> {
    const row = await sql.one<{ left: number }>(`SELECT count(*)::int AS left FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL`, [userId])
    return row?.left ?? 0
  }

  /** Forgets the key and the recovery codes: the holder enrols again at their next sign-in. */
  async function reset(userId: number, transaction: Transaction): Promise<void> {
    await sql.rows(`UPDATE users SET totp_key = NULL, totp_enrolled_at = NULL, totp_last_time_step = NULL, version = version + 1 WHERE id = $1`, [userId], transaction)
    await sql.rows(`DELETE FROM recovery_codes WHERE user_id = $1`, [userId], transaction)
  }

  return { lockState, isEnrolled, hasKey, enrol, replaceRecoveryCodes, takeTimeStep, useRecoveryCode, recoveryCodesLeft, reset }
}

export type SecondFactorQueries = ReturnType<typeof secondFactorQueries>
