import { Op, UniqueConstraintError, type Sequelize, type Transaction } from 'sequelize'
import type { Clock } from '../domain/clock'
import { Beneficiary, Region, Transfer, User } from '../../models'
import type { AuditService } from './audit'
import { type SubmissionGuard, submissionOf } from './submissions'
import { NotFoundError, ServiceError, type RequestContext } from './context'

export interface TransferView {
  id: number
  beneficiaryId: number
  fileNumber: string
  beneficiaryName: string
  fromRegionId: number
  toRegionId: number
  fromRegionNameHy: string
  fromRegionNameEn: string
  toRegionNameHy: string
  toRegionNameEn: string
  reason: string
  requestedByName: string
  requestedAt: Date
  status: string
  decidedAt: Date | null
  decisionReason: string | null
}

/** Moving a file to another regional body when the person moves: the sender asks, the receiver decides. */
export function transferService(deps: { sequelize: Sequelize; clock: Clock; audit: AuditService; submissions: SubmissionGuard }) {
  const { sequelize, clock, audit, submissions } = deps

  // Both regional bodies see every step of a transfer in their own audit log.
  async function recordForBoth(context: RequestContext, transfer: Transfer, action: string, details: Record<string, unknown>, transaction: Transaction) {
    for (const regionId of [transfer.fromRegionId, transfer.toRegionId]) {
      await audit.record(context, { action, category: 'beneficiary', regionId, target: { type: 'beneficiary', id: transfer.beneficiaryId }, details: { transferId: transfer.id, fromRegionId: transfer.fromRegionId, toRegionId: transfer.toRegionId, ...details } }, transaction)
    }
  }

  /** Asks to move a file to another region; with a submission id, the same form asks once (AlreadySubmitted names the transfer). */
  async function request(beneficiaryId: number, toRegionId: number, reason: string, context: RequestContext, submissionId?: string): Promise<void> {
    const submission = submissionOf(submissionId, 'transfer.request', context, clock.now())
    await submissions.notYetMade(submission)
    try {
      await sequelize.transaction(async (transaction) => {
        const file = await Beneficiary.findByPk(beneficiaryId, { transaction, lock: transaction.LOCK.UPDATE })
        if (!file) throw new NotFoundError()
        // A repeat that waited for the file finds the first one's transfer pending: it is answered with that one.
        await submissions.notYetMade(submission)
        if (!['ACTIVE', 'SUSPENDED'].includes(file.status)) throw new ServiceError('transfer.fileNotOpen')
        if (file.regionId === toRegionId) throw new ServiceError('transfer.sameRegion', 'toRegionId')
        const destination = await Region.findByPk(toRegionId, { transaction })
        if (!destination || !destination.active) throw new ServiceError('transfer.unknownRegion', 'toRegionId')
        const transfer = await Transfer.create(
          { beneficiaryId, fromRegionId: file.regionId, toRegionId, reason, requestedByUserId: context.actor!.id, requestedAt: clock.now(), decidedByUserId: null, decidedAt: null, decisionReason: null },
          { transaction },
        )
        await recordForBoth(context, transfer, 'beneficiary.transferRequested', { reason }, transaction)
        await submissions.made(submission, transfer.id, transaction)
      })
    } catch (error) {
      if (error instanceof UniqueConstraintError) throw new ServiceError('transfer.alreadyPending', 'toRegionId')
      throw error
    }
  }

  async function find(transferId: number): Promise<{ id: number; toRegionId: number; fromRegionId: number; beneficiaryId: number; status: string }> {
    const transfer = await Transfer.findByPk(transferId)
    if (!transfer) throw new NotFoundError()
    return { id: transfer.id, toRegionId: transfer.toRegionId, fromRegionId: transfer.fromRegionId, beneficiaryId: transfer.beneficiaryId, status: transfer.status }
  }

  /** On acceptance the file, with its whole history, belongs to the receiving region; its head assigns an officer. */
  async function decide(transferId: number, accept: boolean, reason: string | null, context: RequestContext): Promise<void> {
    await sequelize.transaction(async (transaction) => {
      const transfer = await Transfer.findByPk(transferId, { transaction, lock: transaction.LOCK.UPDATE })
      if (!transfer) throw new NotFoundError()
      if (transfer.status !== 'PENDING') throw new ServiceError('transfer.alreadyDecided')
      if (!accept && !reason) throw new ServiceError('transfer.refusalNeedsReason', 'reason')
      Object.assign(transfer, { status: accept ? 'ACCEPTED' : 'REFUSED', decidedByUserId: context.actor!.id, decidedAt: clock.now(), decisionReason: reason })
      await transfer.save({ transaction })
      if (accept) {
        const file = await Beneficiary.findByPk(transfer.beneficiaryId, { transaction, lock: transaction.LOCK.UPDATE })
        if (!file) throw new NotFoundError()
        Object.assign(file, { regionId: transfer.toRegionId, responsibleOfficerId: null })
        file.version += 1
        await file.save({ transaction })
      }
      await recordForBoth(context, transfer, accept ? 'beneficiary.transferAccepted' : 'beneficiary.transferRefused', reason ? { reason } : {}, transaction)
    })
  }

  async function listFor(where: Record<string, unknown>): Promise<TransferView[]> {
    const rows = await Transfer.findAll({ where, order: [['requestedAt', 'DESC'], ['id', 'DESC']], limit: 200 })
    if (rows.length === 0) return []
    const [files, regions, users] = await Promise.all([
      Beneficiary.findAll({ where: { id: { [Op.in]: rows.map((r) => r.beneficiaryId) } }, attributes: ['id', 'fileNumber', 'surname', 'givenName'] }),
      Region.findAll({ attributes: ['id', 'nameHy', 'nameEn'] }),
      User.findAll({ where: { id: { [Op.in]: rows.map((r) => r.requestedByUserId) } }, attributes: ['id', 'fullName'] }),
    ])
    const fileById = new Map(files.map((f) => [f.id, f]))
    const regionById = new Map(regions.map((r) => [r.id, r]))
    const userById = new Map(users.map((u) => [u.id, u]))
    return rows.map((row) => ({
      id: row.id,
      beneficiaryId: row.beneficiaryId,
      fileNumber: fileById.get(row.beneficiaryId)?.fileNumber ?? '',
      beneficiaryName: `${fileById.get(row.beneficiaryId)?.surname ?? ''} ${fileById.get(row.beneficiaryId)?.givenName ?? ''}`,
      fromRegionId: row.fromRegionId,
      toRegionId: row.toRegionId,
      fromRegionNameHy: regionById.get(row.fromRegionId)?.nameHy ?? '',
      fromRegionNameEn: regionById.get(row.fromRegionId)?.nameEn ?? '',
      toRegionNameHy: regionById.get(row.toRegionId)?.nameHy ?? '',
      toRegionNameEn: regionById.get(row.toRegionId)?.nameEn ?? '',
      reason: row.reason,
      requestedByName: userById.get(row.requestedByUserId)?.fullName ?? '',
      requestedAt: row.requestedAt,
      status: row.status,
      decidedAt: row.decidedAt,
      decisionReason: row.decisionReason,
    }))
  }

  return {
    request,
    find,
    decide,
    forRegion: (regionId: number) => listFor({ [Op.or]: [{ fromRegionId: regionId }, { toRegionId: regionId }] }),
    forBeneficiary: (beneficiaryId: number) => listFor({ beneficiaryId }),
  }
}

export type TransferService = ReturnType<typeof transferService>
