import { createHash, randomInt } from 'node:crypto'
import { generate, generateSecret, generateURI, verify } from 'otplib'
import QRCode from 'qrcode'
import type { Sequelize, Transaction } from 'sequelize'
import type { Clock } from '../domain/clock'
import { CODE_TOLERANCE_SECONDS, DEMO_TOTP_KEY, keyInGroups, kindOfCode, RECOVERY_ALPHABET_SIZE, RECOVERY_CODE_COUNT, recoveryCodeFrom, typedCode } from '../domain/twoFactor'
import { Region, User } from '../../models'
import type { SecondFactorQueries } from '../data/secondFactors'
import type { AuditService } from './audit'
import { NotFoundError, ServiceError, type RequestContext } from './context'
import { recordFailedSignIn, toSessionUser, type SessionUser } from './users'

/** The name the authenticator app shows beside the account. */
const ISSUER = 'Probation Service'
const TIME_STEP_SECONDS = 30
const ACCOUNT = 'account' as const

export type SecondStepResult = { ok: true; user: SessionUser } | { ok: false; reason: 'wrongCode' | 'locked'; lockedUntil?: Date }

export interface Enrolment {
  /** The key as an SVG QR code of its otpauth:// address, drawn here (no outside service sees the key). */
  qrCodeSvg: string
  /** The key in groups of four, for typing into the app by hand. */
  key: string
}

const hashOf = (recoveryCode: string): string => createHash('sha256').update(typedCode(recoveryCode)).digest('hex')

function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => recoveryCodeFrom(Array.from({ length: 10 }, () => randomInt(RECOVERY_ALPHABET_SIZE))))
}

/**
 * The second factor (domain/twoFactor.ts): enrolment of an authenticator app at the first sign-in, the code (or a
 * recovery code) after the password, and new recovery codes. The administrator's reset of an enrolment is users.ts's.
 */
export function twoFactorService(deps: { sequelize: Sequelize; clock: Clock; audit: AuditService; queries: SecondFactorQueries }) {
  const { sequelize, clock, audit, queries } = deps

  /** The 30-second step the code was taken from, if it is right now and newer than the last one used. */
  async function timeStepOf(key: string, code: string, lastTimeStep: string | null): Promise<number | null> {
    const epoch = Math.floor(clock.now().getTime() / 1000)
    // A step after the window (a clock set back) refuses every code, as the library would by throwing.
    const newestAllowed = Math.floor(epoch / TIME_STEP_SECONDS) + Math.ceil(CODE_TOLERANCE_SECONDS / TIME_STEP_SECONDS)
    const afterTimeStep = lastTimeStep === null ? undefined : Math.min(Number(lastTimeStep), newestAllowed)
    const result = await verify({ secret: key, token: code, epoch, epochTolerance: CODE_TOLERANCE_SECONDS, afterTimeStep })
    return result.valid && 'timeStep' in result ? result.timeStep : null
  }

  function newKey(): string {
    return generateSecret()
  }

  async function enrolmentOf(username: string, key: string): Promise<Enrolment> {
    const address = generateURI({ issuer: ISSUER, label: username, secret: key })
    return { qrCodeSvg: await QRCode.toString(address, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }), key: keyInGroups(key) }
  }

  async function signedIn(user: User, factor: string, context: RequestContext, transaction: Transaction): Promise<SessionUser> {
    user.failedSignInCount = 0
    user.failedSignInSince = null
    user.lockedUntil = null
    user.lastSignInAt = clock.now()
    await user.save({ transaction })
    await audit.record(context, { actorUsername: user.username, actorUserId: user.id, regionId: user.regionId ?? null, action: 'signIn', category: ACCOUNT, target: { type: 'user', id: user.id }, details: { factor } }, transaction)
    user.region = user.regionId ? await Region.findByPk(user.regionId, { transaction }) : null
    return toSessionUser(user)
  }

  /** The account after its right password, locked for the code; null when it may no longer sign in. */
  async function accountForCode(userId: number, transaction: Transaction): Promise<User | null> {
    const user = await User.findByPk(userId, { transaction, lock: transaction.LOCK.UPDATE })
    return user && user.active ? user : null
  }

  /**
   * The code after the password: a code of the holder's app (each 30-second step once), or an unused recovery code.
   * A wrong one counts toward the same lockout as a wrong password.
   */
  async function completeSignIn(userId: number, typed: string, context: RequestContext): Promise<SecondStepResult> {
    const now = clock.now()
    return sequelize.transaction(async (transaction) => {
      const user = await accountForCode(userId, transaction)
      if (!user) return { ok: false, reason: 'wrongCode' }
      if (user.lockedUntil && user.lockedUntil > now) return { ok: false, reason: 'locked', lockedUntil: user.lockedUntil }
      const state = await queries.lockState(userId, transaction)
      const kind = kindOfCode(typed)
      if (state?.totpKey && kind === 'totp') {
        const timeStep = await timeStepOf(state.totpKey, typedCode(typed), state.totpLastTimeStep)
        if (timeStep !== null) {
          await queries.takeTimeStep(userId, timeStep, transaction)
          return { ok: true, user: await signedIn(user, 'totp', context, transaction) }
        }
      }
      if (state?.totpKey && kind === 'recovery' && (await queries.useRecoveryCode(userId, hashOf(typed), now, transaction))) {
        return { ok: true, user: await signedIn(user, 'recoveryCode', context, transaction) }
      }
      const locked = await recordFailedSignIn(user, { now, context, audit, transaction }, 'wrongCode')
      return locked ? { ok: false, reason: 'locked', lockedUntil: user.lockedUntil! } : { ok: false, reason: 'wrongCode' }
    })
  }

  /**
   * The first sign-in's enrolment: the key shown to the holder is kept once their app gives a right code from it; the
   * ten recovery codes are returned to be shown once (only their hashes are kept).
   */
  async function enrol(userId: number, key: string, typed: string, context: RequestContext): Promise<{ ok: true; user: SessionUser; recoveryCodes: string[] } | { ok: false; reason: 'wrongCode' | 'locked' }> {
    const now = clock.now()
    return sequelize.transaction(async (transaction) => {
      const user = await accountForCode(userId, transaction)
      if (!user) return { ok: false, reason: 'wrongCode' }
      if (user.lockedUntil && user.lockedUntil > now) return { ok: false, reason: 'locked' }
      const state = await queries.lockState(userId, transaction)
      // Enrolled meanwhile (another tab): the code is asked for the key that counts.
      if (state?.totpKey) return { ok: false, reason: 'wrongCode' }
      const timeStep = kindOfCode(typed) === 'totp' ? await timeStepOf(key, typedCode(typed), null) : null
      if (timeStep === null) {
        const locked = await recordFailedSignIn(user, { now, context, audit, transaction }, 'wrongEnrolmentCode')
        return { ok: false, reason: locked ? 'locked' : 'wrongCode' }
      }
      const recoveryCodes = newRecoveryCodes()
      await queries.enrol(userId, { key, timeStep, at: now, recoveryCodeHashes: recoveryCodes.map(hashOf) }, transaction)
      await audit.record(context, { actorUserId: user.id, regionId: user.regionId ?? null, action: 'twoFactor.enrol', category: ACCOUNT, target: { type: 'user', id: user.id } }, transaction)
      return { ok: true, user: await signedIn(user, 'enrolment', context, transaction), recoveryCodes }
    })
  }

  /** Ten new recovery codes in place of the old, for the signed-in holder who gives a code of their app. */
  async function replaceRecoveryCodes(userId: number, typed: string, context: RequestContext): Promise<string[]> {
    return sequelize.transaction(async (transaction) => {
      const state = await queries.lockState(userId, transaction)
      if (!state?.totpKey) throw new NotFoundError()
      const timeStep = kindOfCode(typed) === 'totp' ? await timeStepOf(state.totpKey, typedCode(typed), state.totpLastTimeStep) : null
      if (timeStep === null) throw new ServiceError('twoFactor.wrongCode', 'code')
      await queries.takeTimeStep(userId, timeStep, transaction)
      const recoveryCodes = newRecoveryCodes()
      await queries.replaceRecoveryCodes(userId, recoveryCodes.map(hashOf), transaction)
      await audit.record(context, { action: 'twoFactor.newRecoveryCodes', category: ACCOUNT, regionId: context.actor?.regionId ?? null, target: { type: 'user', id: userId } }, transaction)
      return recoveryCodes
    })
  }

  /** The current code of a demo account (its key is published), to show on its code page; null for any other. */
  async function demoCodeFor(userId: number): Promise<string | null> {
    if (!(await queries.hasKey(userId, DEMO_TOTP_KEY))) return null
    return generate({ secret: DEMO_TOTP_KEY, epoch: Math.floor(clock.now().getTime() / 1000) })
  }

  return { newKey, demoCodeFor, enrolmentOf, completeSignIn, enrol, replaceRecoveryCodes, isEnrolled: queries.isEnrolled, recoveryCodesLeft: queries.recoveryCodesLeft }
}

export type TwoFactorService = ReturnType<typeof twoFactorService>
