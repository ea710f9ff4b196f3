import { Op, type Sequelize } from 'sequelize'
import type { Clock } from '../domain/clock'
import { serviceDateOf } from '../domain/dates'
import { dayNumber } from '../domain/calendar'
import { MAX_ACTING_HEAD_DAYS, ROLE_ELIGIBLE_AS_ACTING_HEAD } from '../domain/roles'
import { Delegation, User } from '../../models'
import type { AuditService } from './audit'
import { NotFoundError, ServiceError, type RequestContext } from './context'
import { type SubmissionGuard, submissionOf } from './submissions'

export interface DelegationView {
  id: number
  regionId: number
  actingUserId: number
  actingUserName: string
  grantedByName: string
  startsOn: string
  endsOn: string
  reason: string
  revokedAt: Date | null
  revokeReason: string | null
  state: 'current' | 'upcoming' | 'past' | 'revoked'
}

export interface DelegationInput {
  regionId: number
  actingUserId: number
  startsOn: string
  endsOn: string
  reason: string
}

const EXCLUSION_VIOLATION = '23P01'

export function delegationService(deps: { sequelize: Sequelize; clock: Clock; audit: AuditService; submissions: SubmissionGuard }) {
  const { sequelize, clock, audit, submissions } = deps
  const today = () => serviceDateOf(clock.now())

  function toView(delegation: Delegation, on: string): DelegationView {
    const state = delegation.revokedAt ? 'revoked' : delegation.endsOn < on ? 'past' : delegation.startsOn > on ? 'upcoming' : 'current'
    return {
      id: delegation.id,
      regionId: delegation.regionId,
      actingUserId: delegation.actingUserId,
      actingUserName: delegation.actingUser?.fullName ?? '',
      grantedByName: delegation.grantedBy?.fullName ?? '',
      startsOn: delegation.startsOn,
      endsOn: delegation.endsOn,
      reason: delegation.reason,
      revokedAt: delegation.revokedAt,
      revokeReason: delegation.revokeReason,
      state,
    }
  }

  /** Regions where the user stands in as acting head today (Yerevan date), each with the last day. */
  async function actingHeadRegions(userId: number): Promise<{ regionId: number; endsOn: string }[]> {
    const on = today()
    const rows = await Delegation.findAll({
      where: { actingUserId: userId, revokedAt: null, startsOn: { [Op.lte]: on }, endsOn: { [Op.gte]: on } },
      attributes: ['regionId', 'endsOn'],
    })
    return rows.map((row) => ({ regionId: row.regionId, endsOn: row.endsOn }))
  }

  async function listForRegion(regionId: number): Promise<DelegationView[]> {
    const on = today()
    const rows = await Delegation.findAll({
      where: { regionId },
      include: [
        { model: User, as: 'actingUser', attributes: ['fullName'] },
        { model: User, as: 'grantedBy', attributes: ['fullName'] },
      ],
      order: [['startsOn', 'DESC'], ['id', 'DESC']],
    })
    return rows.map((row) => toView(row, on))
  }

  async function find(id: number): Promise<{ id: number; regionId: number }> {
    const row = await Delegation.findByPk(id, { attributes: ['id', 'regionId'] })
    if (!row) throw new NotFoundError()
    return { id: row.id, regionId: row.regionId }
  }

  /** Names an acting head; with a submission id, the same form names them once (AlreadySubmitted names the delegation). */
  async function create(input: DelegationInput, context: RequestContext, submissionId?: string): Promise<number> {
    const submission = submissionOf(submissionId, 'delegation.create', context, clock.now())
    await submissions.notYetMade(submission)
    if (input.endsOn < input.startsOn) throw new ServiceError('delegation.endBeforeStart', 'endsOn')
    if (input.endsOn < today()) throw new ServiceError('delegation.inThePast', 'endsOn')
    if (dayNumber(input.endsOn) - dayNumber(input.startsOn) + 1 > MAX_ACTING_HEAD_DAYS) throw new ServiceError('delegation.tooLong', 'endsOn', { days: MAX_ACTING_HEAD_DAYS })
    const acting = await User.findByPk(input.actingUserId)
    if (!acting || !acting.active || acting.regionId !== input.regionId || acting.role !== ROLE_ELIGIBLE_AS_ACTING_HEAD) {
      throw new ServiceError('delegation.notEligible', 'actingUserId')
    }
    try {
      return await sequelize.transaction(async (transaction) => {
        const delegation = await Delegation.create(
          { ...input, grantedByUserId: context.actor!.id, revokedAt: null, revokedByUserId: null, revokeReason: null },
          { transaction },
        )
        await audit.record(context, {
          action: 'delegation.create',
          category: 'delegation',
          regionId: input.regionId,
          target: { type: 'delegation', id: delegation.id },
          details: { actingUserId: input.actingUserId, startsOn: input.startsOn, endsOn: input.endsOn, reason: input.reason },
        }, transaction)
        await submissions.made(submission, delegation.id, transaction)
        return delegation.id
      })
    } catch (error) {
      if ((error as { parent?: { code?: string } }).parent?.code !== EXCLUSION_VIOLATION) throw error
      // The days are taken by the delegation a repeat of this same form has just made: that one answers it.
      await submissions.notYetMade(submission)
      throw new ServiceError('delegation.overlaps', 'startsOn')
    }
  }

  async function revoke(id: number, reason: string, context: RequestContext): Promise<void> {
    await sequelize.transaction(async (transaction) => {
      const delegation = await Delegation.findByPk(id, { transaction, lock: transaction.LOCK.UPDATE })
      if (!delegation) throw new NotFoundError()
      if (delegation.revokedAt) throw new ServiceError('delegation.alreadyRevoked')
      if (delegation.endsOn < today()) throw new ServiceError('delegation.alreadyEnded')
      delegation.revokedAt = clock.now()
      delegation.revokedByUserId = context.actor!.id
      delegation.revokeReason = reason
      await delegation.save({ transaction })
      await audit.record(context, { action: 'delegation.revoke', category: 'delegation', regionId: delegation.regionId, target: { type: 'delegation', id }, details: { reason } }, transaction)
    })
  }

  return { actingHeadRegions, listForRegion, find, create, revoke }
}

export type DelegationService = ReturnType<typeof delegationService>
