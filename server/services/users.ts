import { Op, UniqueConstraintError, type Sequelize, type Transaction } from 'sequelize'
import type { Clock } from '../domain/clock'
import { givesHeadPowers, passwordResetNeedsConfirmation, roleHasRegion, type Role } from '../domain/roles'
import { afterFailedAttempt, inactiveBefore, lockedUntilFrom, NEVER_DISABLED_FOR_INACTIVITY } from '../domain/signInRules'
import { passwordProblem } from '../domain/passwords'
import { Region, User } from '../../models'
import type { AuditService } from './audit'
import { AlreadySubmitted, NotFoundError, ServiceError, StaleEditError, SYSTEM_CONTEXT, type RequestContext } from './context'
import { decoyPasswordHash, hashPassword, passwordMatches } from './passwordHashing'
import type { SessionRegistry } from './sessions'
import { preparedQuery } from './preparedStatements'
import type { AccountRequestLine, AccountRequestQueries } from '../data/accountRequests'
import type { SecondFactorQueries } from '../data/secondFactors'
import type { SubmissionQueries } from '../data/submissions'
import { type Submission, submissionGuard, submissionOf } from './submissions'

/** What the app keeps of the signed-in user for one request. */
export interface SessionUser {
  id: number
  username: string
  fullName: string
  role: Role
  regionId: number | null
  regionNameHy: string | null
  regionNameEn: string | null
  mustChangePassword: boolean
}

export interface UserSummary extends SessionUser {
  email: string | null
  active: boolean
  lockedUntil: Date | null
  lastSignInAt: Date | null
  /** Set when the nightly rule disabled the account for want of use. */
  disabledForInactivityAt: Date | null
  /** When the holder enrolled their authenticator app; null until their first sign-in (or after a reset). */
  twoFactorEnrolledAt: Date | null
  version: number
}

export interface UserInput {
  username: string
  fullName: string
  email: string | null
  role: Role
  regionId: number | null
}

/** The signed-in user's columns (u: users, r: their region, joined on u.region_id), as SessionUser names them. */
export const SESSION_USER_COLUMNS = `u.id, u.username, u.full_name AS "fullName", u.role, u.region_id AS "regionId", r.name_hy AS "regionNameHy", r.name_en AS "regionNameEn",
  u.must_change_password AS "mustChangePassword"`

/** A SessionUser from a row with SESSION_USER_COLUMNS (and perhaps more). */
export function sessionUserOf(row: SessionUser): SessionUser {
  return { id: row.id, username: row.username, fullName: row.fullName, role: row.role, regionId: row.regionId, regionNameHy: row.regionNameHy, regionNameEn: row.regionNameEn, mustChangePassword: row.mustChangePassword }
}

const ACCOUNT = 'account' as const

/** What an administration action did: done now, or waiting for the service head's confirmation (the request). */
export type AccountOutcome = { done: true; userId: number } | { done: false; requestId: number }

/** The password step's answer: on the right password, whether the account has its second factor yet. */
export type SignInResult = { ok: true; user: SessionUser; enrolled: boolean } | { ok: false; reason: 'invalid' | 'locked' | 'disabledForInactivity'; lockedUntil?: Date }

/**
 * One more failed attempt on an account (a wrong password or a wrong code), recorded; locks the account at the limit
 * (signInRules). Returns whether it locked.
 */
export async function recordFailedSignIn(user: User, at: { now: Date; context: RequestContext; audit: AuditService; transaction: Transaction }, reason: string): Promise<boolean> {
  const { now, context, audit, transaction } = at
  const next = afterFailedAttempt({ count: user.failedSignInCount, since: user.failedSignInSince }, now)
  user.failedSignInCount = next.locks ? 0 : next.count
  user.failedSignInSince = next.locks ? null : next.since
  if (next.locks) user.lockedUntil = lockedUntilFrom(now)
  await user.save({ transaction })
  const attempted = { actorUsername: user.username, actorUserId: user.id, regionId: user.regionId ?? null, target: { type: 'user', id: user.id } }
  await audit.record(context, { ...attempted, action: 'signIn', category: ACCOUNT, outcome: 'failure', details: { reason } }, transaction)
  if (next.locks) await audit.record(context, { ...attempted, action: 'account.locked', category: ACCOUNT, details: { until: user.lockedUntil } }, transaction)
  return next.locks
}

export function toSessionUser(user: User): SessionUser {
  return {
    id: user.id,
    username: user.username,
    fullName: user.fullName,
    role: user.role,
    regionId: user.regionId ?? null,
    regionNameHy: user.region?.nameHy ?? null,
    regionNameEn: user.region?.nameEn ?? null,
    mustChangePassword: user.mustChangePassword,
  }
}

function toSummary(user: User): UserSummary {
  return {
    ...toSessionUser(user),
    email: user.email,
    active: user.active,
    lockedUntil: user.lockedUntil,
    lastSignInAt: user.lastSignInAt,
    disabledForInactivityAt: user.disabledForInactivityAt,
    twoFactorEnrolledAt: user.totpEnrolledAt ?? null,
    version: user.version,
  }
}


export function userService(deps: { sequelize: Sequelize; clock: Clock; audit: AuditService; sessions: SessionRegistry; requests: AccountRequestQueries; secondFactors: SecondFactorQueries; submissions: SubmissionQueries }) {
  const { sequelize, clock, audit, sessions, requests, secondFactors } = deps
  const submitted = submissionGuard(deps.submissions)

  async function authenticate(username: string, password: string, context: RequestContext): Promise<SignInResult> {
    const now = clock.now()
    return sequelize.transaction(async (transaction) => {
      const user = await User.findOne({ where: sequelize.where(sequelize.fn('lower', sequelize.col('username')), username.toLowerCase()), transaction, lock: transaction.LOCK.UPDATE })
      if (user?.regionId) user.region = await Region.findByPk(user.regionId, { transaction })
      const attempted = { actorUsername: username.slice(0, 100), actorUserId: user?.id ?? null, regionId: user?.regionId ?? null }
      if (!user) {
        await passwordMatches(await decoyPasswordHash(), password)
        await audit.record(context, { ...attempted, action: 'signIn', category: ACCOUNT, outcome: 'failure', details: { reason: 'unknownAccount' } }, transaction)
        return { ok: false, reason: 'invalid' }
      }
      if (user.lockedUntil && user.lockedUntil > now) {
        // The password is checked all the same: a locked account answers in the time a wrong password takes.
        await passwordMatches(user.passwordHash, password)
        await audit.record(context, { ...attempted, action: 'signIn', category: ACCOUNT, outcome: 'failure', target: { type: 'user', id: user.id }, details: { reason: 'locked' } }, transaction)
        return { ok: false, reason: 'locked', lockedUntil: user.lockedUntil }
      }
      const matches = await passwordMatches(user.passwordHash, password)
      if (!matches || !user.active) {
        const locked = await recordFailedSignIn(user, { now, context, audit, transaction }, matches ? 'inactive' : 'wrongPassword')
        if (locked) return { ok: false, reason: 'locked', lockedUntil: user.lockedUntil! }
        // Told only to whoever knows the password: the holder learns why, nobody else learns that the account exists.
        return { ok: false, reason: matches && user.disabledForInactivityAt ? 'disabledForInactivity' : 'invalid' }
      }
      // Not signed in yet, and the failures not forgotten: that waits for the second factor (twoFactor.ts), or the
      // right password would clear the count of wrong codes.
      return { ok: true, user: toSessionUser(user), enrolled: user.totpEnrolledAt !== null }
    })
  }

  /** The signed-in user for a request, or null when the account no longer exists or was deactivated. */
  async function findActiveSessionUser(id: number): Promise<SessionUser | null> {
    // Read on every request, so never cached (a deactivation or a new role counts from the next request):
    // a prepared statement, only the columns the session needs, no model instance.
    // (The session store reads the same with the session itself: middleware/session.ts; this is for the other cases.)
    const [user] = await preparedQuery<SessionUser>(sequelize, `SELECT ${SESSION_USER_COLUMNS} FROM users u LEFT JOIN regions r ON r.id = u.region_id WHERE u.id = $1 AND u.active`, [id])
    return user ? sessionUserOf(user) : null
  }

  async function changeOwnPassword(userId: number, currentPassword: string, newPassword: string, context: RequestContext): Promise<void> {
    const user = await User.findByPk(userId)
    if (!user) throw new NotFoundError()
    if (!(await passwordMatches(user.passwordHash, currentPassword))) {
      await audit.record(context, { action: 'password.change', category: ACCOUNT, outcome: 'failure', regionId: user.regionId, target: { type: 'user', id: user.id }, details: { reason: 'wrongCurrentPassword' } })
      throw new ServiceError('password.wrongCurrent', 'currentPassword')
    }
    const problem = passwordProblem(newPassword, user.username)
    if (problem) throw new ServiceError(`password.${problem}`, 'newPassword')
    if (await passwordMatches(user.passwordHash, newPassword)) throw new ServiceError('password.sameAsCurrent', 'newPassword')
    await sequelize.transaction(async (transaction) => {
      user.passwordHash = await hashPassword(newPassword)
      user.mustChangePassword = false
      user.passwordChangedAt = clock.now()
      user.version += 1
      await user.save({ transaction })
      await audit.record(context, { action: 'password.change', category: ACCOUNT, regionId: user.regionId, target: { type: 'user', id: user.id } }, transaction)
    })
  }

  async function list(filter: { regionId?: number; role?: Role; includeInactive: boolean }): Promise<UserSummary[]> {
    const where: Record<string, unknown> = {}
    if (filter.regionId) where.regionId = filter.regionId
    if (filter.role) where.role = filter.role
    if (!filter.includeInactive) where.active = true
    const users = await User.findAll({ where, include: [{ model: Region, as: 'region' }], order: [['fullName', 'ASC']] })
    return users.map(toSummary)
  }

  async function get(id: number): Promise<UserSummary> {
    const user = await User.findByPk(id, { include: [{ model: Region, as: 'region' }] })
    if (!user) throw new NotFoundError()
    return toSummary(user)
  }

  /**
   * Nobody makes a service head through the administration pages: the administrator would be giving those powers
   * (to themselves, through an account of their own making). The service head's account is set up on the server by
   * the operator (`npm run accounts:service-head`).
   */
  function refuseServiceHead(input: UserInput): void {
    if (input.role === 'SERVICE_HEAD') throw new ServiceError('user.serviceHeadOnServerOnly', 'role')
  }

  async function checkRegion(input: UserInput): Promise<void> {
    if (!roleHasRegion(input.role)) {
      if (input.regionId !== null) throw new ServiceError('user.regionNotAllowed', 'regionId')
      return
    }
    if (input.regionId === null) throw new ServiceError('user.regionRequired', 'regionId')
    const region = await Region.findByPk(input.regionId)
    if (!region || !region.active) throw new ServiceError('user.regionUnknown', 'regionId')
  }

  /**
   * A new account; a regional head's waits for the service head's confirmation (givesHeadPowers). With a submission
   * id, the same form makes one account or one request: a repeat is answered with what the first made.
   */
  async function create(input: UserInput, temporaryPassword: string, context: RequestContext, submissionId?: string): Promise<AccountOutcome> {
    const submission = submissionOf(submissionId, 'user.create', context, clock.now())
    const asRequest = givesHeadPowers(null, input)
    try {
      return await createOnce(input, temporaryPassword, context, submission)
    } catch (error) {
      if (!(error instanceof AlreadySubmitted)) throw error
      return asRequest ? { done: false, requestId: error.resultId } : { done: true, userId: error.resultId }
    }
  }

  async function createOnce(input: UserInput, temporaryPassword: string, context: RequestContext, submission: Submission | null): Promise<AccountOutcome> {
    await submitted.notYetMade(submission)
    refuseServiceHead(input)
    await checkRegion(input)
    const problem = passwordProblem(temporaryPassword, input.username)
    if (problem) throw new ServiceError(`password.${problem}`, 'temporaryPassword')
    const passwordHash = await hashPassword(temporaryPassword)
    try {
      return await sequelize.transaction(async (transaction) => {
        if ((await User.count({ where: { username: input.username }, transaction })) > 0 || (await requests.usernamePending(input.username, transaction))) throw new ServiceError('user.usernameTaken', 'username')
        if (givesHeadPowers(null, input)) {
          const requestId = await requests.add({ kind: 'CREATE', userId: null, userVersion: null, account: input, passwordHash, requestedBy: context.actor!.id, requestedAt: clock.now() }, transaction)
          await audit.record(context, { action: 'user.requestCreate', category: ACCOUNT, regionId: input.regionId, target: { type: 'accountRequest', id: requestId }, details: { after: input } }, transaction)
          await submitted.made(submission, requestId, transaction)
          return { done: false, requestId }
        }
        const userId = await insertUser(input, passwordHash, context, transaction)
        await submitted.made(submission, userId, transaction)
        return { done: true, userId }
      })
    } catch (error) {
      const taken = error instanceof UniqueConstraintError || (error instanceof ServiceError && error.code === 'user.usernameTaken')
      if (!taken) throw error
      // The name is taken by the account (or request) a repeat of this same form has just made: that one answers it.
      await submitted.notYetMade(submission)
      throw new ServiceError('user.usernameTaken', 'username')
    }
  }

  async function insertUser(input: UserInput, passwordHash: string, context: RequestContext, transaction: Transaction, requestId?: number): Promise<number> {
    const user = await User.create({ ...input, passwordHash, mustChangePassword: true, passwordChangedAt: null, failedSignInSince: null, lockedUntil: null, lastSignInAt: null, activeSince: clock.now(), disabledForInactivityAt: null }, { transaction })
    await audit.record(context, { action: 'user.create', category: ACCOUNT, regionId: user.regionId, target: { type: 'user', id: user.id }, details: { after: input, ...(requestId ? { requestId } : {}) } }, transaction)
    return user.id
  }

  /** A change of an account; one that gives a head's powers waits for the service head's confirmation (givesHeadPowers). */
  async function update(id: number, expectedVersion: number, input: UserInput, context: RequestContext): Promise<AccountOutcome> {
    refuseServiceHead(input)
    await checkRegion(input)
    try {
      return await sequelize.transaction(async (transaction) => {
        const user = await User.findByPk(id, { transaction, lock: { level: transaction.LOCK.UPDATE, of: User }, include: [{ model: Region, as: 'region' }] })
        if (!user) throw new NotFoundError()
        if (user.version !== expectedVersion) throw new StaleEditError(toSummary(user))
        if (input.username !== user.username && (await requests.usernamePending(input.username, transaction))) throw new ServiceError('user.usernameTaken', 'username')
        if (givesHeadPowers({ role: user.role, regionId: user.regionId ?? null }, input)) {
          const requestId = await requests.add({ kind: 'UPDATE', userId: id, userVersion: user.version, account: input, passwordHash: null, requestedBy: context.actor!.id, requestedAt: clock.now() }, transaction)
          await audit.record(context, { action: 'user.requestUpdate', category: ACCOUNT, regionId: input.regionId, target: { type: 'user', id }, details: { requestId, after: input } }, transaction)
          return { done: false, requestId }
        }
        await applyUpdate(user, input, context, transaction)
        return { done: true, userId: id }
      })
    } catch (error) {
      if (error instanceof UniqueConstraintError) throw new ServiceError(error.fields && 'user_id' in error.fields ? 'accountRequest.alreadyPending' : 'user.usernameTaken', 'username')
      throw error
    }
  }

  async function applyUpdate(user: User, input: UserInput, context: RequestContext, transaction: Transaction, requestId?: number): Promise<void> {
    const before: UserInput = { username: user.username, fullName: user.fullName, email: user.email, role: user.role, regionId: user.regionId ?? null }
    const changed = (Object.keys(input) as (keyof UserInput)[]).filter((key) => before[key] !== input[key])
    if (changed.length === 0) return
    Object.assign(user, input)
    user.version += 1
    await user.save({ transaction })
    await audit.record(context, {
      action: 'user.update',
      category: ACCOUNT,
      regionId: input.regionId ?? before.regionId,
      target: { type: 'user', id: user.id },
      details: { before: Object.fromEntries(changed.map((k) => [k, before[k]])), after: Object.fromEntries(changed.map((k) => [k, input[k]])), ...(requestId ? { requestId } : {}) },
    }, transaction)
    // A new role or region changes what the person may see: their open sessions must not keep the old powers.
    if (changed.includes('role') || changed.includes('regionId')) await sessions.endSessionsOf(user.id, transaction)
  }

  async function setActive(id: number, active: boolean, context: RequestContext): Promise<void> {
    await sequelize.transaction(async (transaction) => {
      const user = await User.findByPk(id, { transaction, lock: transaction.LOCK.UPDATE })
      if (!user) throw new NotFoundError()
      if (user.active === active) return
      user.active = active
      if (active) {
        user.lockedUntil = null
        user.failedSignInCount = 0
        user.activeSince = clock.now()
        user.disabledForInactivityAt = null
      }
      user.version += 1
      await user.save({ transaction })
      const ended = active ? 0 : await sessions.endSessionsOf(id, transaction)
      await audit.record(context, { action: active ? 'user.reactivate' : 'user.deactivate', category: ACCOUNT, regionId: user.regionId, target: { type: 'user', id }, details: active ? {} : { sessionsEnded: ended } }, transaction)
    })
  }

  /** A temporary password; a regional head's waits for the service head's confirmation (passwordResetNeedsConfirmation). */
  async function resetPassword(id: number, temporaryPassword: string, context: RequestContext): Promise<AccountOutcome> {
    const user = await User.findByPk(id)
    if (!user) throw new NotFoundError()
    const problem = passwordProblem(temporaryPassword, user.username)
    if (problem) throw new ServiceError(`password.${problem}`, 'temporaryPassword')
    const passwordHash = await hashPassword(temporaryPassword)
    try {
      return await sequelize.transaction(async (transaction) => {
        if (passwordResetNeedsConfirmation(user.role)) {
          const requestId = await requests.add({ kind: 'RESET_PASSWORD', userId: id, userVersion: user.version, account: null, passwordHash, requestedBy: context.actor!.id, requestedAt: clock.now() }, transaction)
          await audit.record(context, { action: 'user.requestResetPassword', category: ACCOUNT, regionId: user.regionId, target: { type: 'user', id }, details: { requestId } }, transaction)
          return { done: false, requestId }
        }
        await applyPassword(id, user.regionId, passwordHash, context, transaction)
        return { done: true, userId: id }
      })
    } catch (error) {
      if (error instanceof UniqueConstraintError) throw new ServiceError('accountRequest.alreadyPending', 'temporaryPassword')
      throw error
    }
  }

  async function applyPassword(id: number, regionId: number | null, passwordHash: string, context: RequestContext, transaction: Transaction, requestId?: number): Promise<void> {
    await User.update(
      { passwordHash, mustChangePassword: true, lockedUntil: null, failedSignInCount: 0, failedSignInSince: null, activeSince: clock.now(), version: sequelize.literal('version + 1') as unknown as number },
      { where: { id }, transaction },
    )
    await sessions.endSessionsOf(id, transaction)
    await audit.record(context, { action: 'user.resetPassword', category: ACCOUNT, regionId, target: { type: 'user', id }, details: requestId ? { requestId } : {} }, transaction)
  }

  /**
   * The administrator's reset of an account's second factor (a lost phone and no recovery code left): the holder
   * enrols again at their next sign-in. A head's waits for the service head's confirmation, as a head's password does.
   */
  async function resetTwoFactor(id: number, context: RequestContext): Promise<AccountOutcome> {
    const user = await User.findByPk(id)
    if (!user) throw new NotFoundError()
    if (!user.totpEnrolledAt) throw new ServiceError('twoFactor.notEnrolled')
    try {
      return await sequelize.transaction(async (transaction) => {
        if (passwordResetNeedsConfirmation(user.role)) {
          const requestId = await requests.add({ kind: 'RESET_TWO_FACTOR', userId: id, userVersion: user.version, account: null, passwordHash: null, requestedBy: context.actor!.id, requestedAt: clock.now() }, transaction)
          await audit.record(context, { action: 'user.requestResetTwoFactor', category: ACCOUNT, regionId: user.regionId, target: { type: 'user', id }, details: { requestId } }, transaction)
          return { done: false, requestId }
        }
        await applyTwoFactorReset(id, user.regionId ?? null, context, transaction)
        return { done: true, userId: id }
      })
    } catch (error) {
      if (error instanceof UniqueConstraintError) throw new ServiceError('accountRequest.alreadyPending')
      throw error
    }
  }

  async function applyTwoFactorReset(id: number, regionId: number | null, context: RequestContext, transaction: Transaction, requestId?: number): Promise<void> {
    await secondFactors.reset(id, transaction)
    await sessions.endSessionsOf(id, transaction)
    await audit.record(context, { action: 'user.resetTwoFactor', category: ACCOUNT, regionId, target: { type: 'user', id }, details: requestId ? { requestId } : {} }, transaction)
  }

  /**
   * The nightly pass of the inactivity rule (signInRules.INACTIVE_ACCOUNT_DAYS): disables the accounts not signed in to
   * since they were last given to their holder, ends their sessions and records each. Returns how many.
   */
  async function disableInactiveAccounts(): Promise<number> {
    const now = clock.now()
    return sequelize.transaction(async (transaction) => {
      const disabled = await User.findAll({
        where: {
          active: true,
          role: { [Op.notIn]: [...NEVER_DISABLED_FOR_INACTIVITY] },
          [Op.and]: [sequelize.where(sequelize.fn('greatest', sequelize.col('last_sign_in_at'), sequelize.col('active_since')), Op.lt, inactiveBefore(now))],
        },
        transaction,
        lock: transaction.LOCK.UPDATE,
      })
      for (const user of disabled) {
        const lastUse = user.lastSignInAt && user.lastSignInAt > user.activeSince ? user.lastSignInAt : user.activeSince
        await user.update({ active: false, disabledForInactivityAt: now, version: user.version + 1 }, { transaction })
        const ended = await sessions.endSessionsOf(user.id, transaction)
        await audit.record(SYSTEM_CONTEXT, { action: 'user.disableInactive', category: ACCOUNT, regionId: user.regionId ?? null, target: { type: 'user', id: user.id }, details: { lastUse, sessionsEnded: ended } }, transaction)
      }
      return disabled.length
    })
  }

  /** The administrator's requests waiting for the service head, oldest first. */
  async function pendingRequests(): Promise<AccountRequestLine[]> {
    return requests.pending()
  }

  /**
   * The service head's decision on a request: confirmed, it takes effect now (on the account as it was asked about:
   * changed since, the request is refused with that reason); refused, nothing changes. The administrator may
   * withdraw their own request (CANCELLED) while it waits.
   */
  async function decideRequest(requestId: number, decision: 'CONFIRMED' | 'REFUSED' | 'CANCELLED', reason: string | null, context: RequestContext): Promise<void> {
    await sequelize.transaction(async (transaction) => {
      const request = await requests.lock(requestId, transaction)
      if (!request) throw new NotFoundError()
      if (request.status !== 'PENDING') throw new ServiceError('accountRequest.alreadyDecided')
      let userId = request.userId
      if (decision === 'CONFIRMED') {
        if (request.kind === 'CREATE') {
          if ((await User.count({ where: { username: request.account!.username }, transaction })) > 0) throw new ServiceError('user.usernameTaken')
          // An account made with the same name at this very moment meets the unique index: the same refusal, not a 500.
          userId = await insertUser(request.account!, request.passwordHash!, context, transaction, requestId).catch((error: unknown) => {
            throw error instanceof UniqueConstraintError ? new ServiceError('user.usernameTaken') : error
          })
        } else {
          const user = await User.findByPk(request.userId!, { transaction, lock: { level: transaction.LOCK.UPDATE, of: User } })
          if (!user) throw new NotFoundError()
          if (user.version !== request.userVersion) throw new ServiceError('accountRequest.accountChanged')
          if (request.kind === 'UPDATE') await applyUpdate(user, request.account!, context, transaction, requestId)
          else if (request.kind === 'RESET_TWO_FACTOR') await applyTwoFactorReset(user.id, user.regionId ?? null, context, transaction, requestId)
          else await applyPassword(user.id, user.regionId ?? null, request.passwordHash!, context, transaction, requestId)
        }
      }
      await requests.decide(requestId, { status: decision, userId, by: context.actor!.id, at: clock.now(), reason }, transaction)
      const action = decision === 'CONFIRMED' ? 'accountRequest.confirm' : decision === 'REFUSED' ? 'accountRequest.refuse' : 'accountRequest.cancel'
      await audit.record(context, { action, category: ACCOUNT, regionId: request.account?.regionId ?? null, target: { type: 'accountRequest', id: requestId }, details: { kind: request.kind, userId, ...(reason ? { reason } : {}) } }, transaction)
    })
  }

  /**
   * The operator's command on the server (`npm run accounts:service-head`): creates the service head's account, or
   * gives an existing one a new temporary password and a new enrolment of the authenticator app, at the next sign-in. The administration pages
   * cannot do either (refuseServiceHead, and the policy's notOnServiceHead).
   */
  async function setUpServiceHead(input: { username: string; fullName: string; email: string | null }, temporaryPassword: string, context: RequestContext): Promise<{ id: number; created: boolean }> {
    const problem = passwordProblem(temporaryPassword, input.username)
    if (problem) throw new ServiceError(`password.${problem}`, 'temporaryPassword')
    const passwordHash = await hashPassword(temporaryPassword)
    return sequelize.transaction(async (transaction) => {
      const existing = await User.findOne({ where: sequelize.where(sequelize.fn('lower', sequelize.col('username')), input.username.toLowerCase()), transaction, lock: transaction.LOCK.UPDATE })
      if (existing && existing.role !== 'SERVICE_HEAD') throw new ServiceError('user.usernameTaken', 'username')
      const reset = { passwordHash, mustChangePassword: true, lockedUntil: null, failedSignInCount: 0, failedSignInSince: null }
      const user = existing
        ? await existing.update({ ...reset, fullName: input.fullName, active: true, version: existing.version + 1 }, { transaction })
        : await User.create({ ...input, role: 'SERVICE_HEAD', regionId: null, ...reset, passwordChangedAt: null, lastSignInAt: null }, { transaction })
      if (existing) {
        // A lost phone is one reason to come to the operator: the service head sets up their app again, as anyone new does.
        await secondFactors.reset(user.id, transaction)
        await sessions.endSessionsOf(user.id, transaction)
      }
      await audit.record(context, { action: 'user.serviceHeadSetUp', category: ACCOUNT, regionId: null, target: { type: 'user', id: user.id }, details: { username: input.username, created: !existing } }, transaction)
      return { id: user.id, created: !existing }
    })
  }

  /** Active senior specialists of a region: the people who may be named acting head. */
  async function activeInRegionWithRole(regionId: number, role: Role): Promise<UserSummary[]> {
    const users = await User.findAll({ where: { regionId, role, active: true }, order: [['fullName', 'ASC']] })
    return users.map(toSummary)
  }

  return { authenticate, findActiveSessionUser, changeOwnPassword, list, get, create, update, setActive, resetPassword, resetTwoFactor, disableInactiveAccounts, pendingRequests, decideRequest, setUpServiceHead, activeInRegionWithRole }
}

export type UserService = ReturnType<typeof userService>
