import { UniqueConstraintError, type Sequelize } from 'sequelize'
import { Region } from '../../models'
import type { Clock } from '../domain/clock'
import type { SubmissionQueries } from '../data/submissions'
import type { AuditService } from './audit'
import { NotFoundError, ServiceError, StaleEditError, type RequestContext } from './context'
import { submissionGuard, submissionOf } from './submissions'

export interface RegionView {
  id: number
  code: string
  filePrefix: string
  nameHy: string
  nameEn: string
  centreHy: string
  centreEn: string
  active: boolean
  version: number
}

export type RegionInput = Omit<RegionView, 'id' | 'version'>

function toView(region: Region): RegionView {
  const { id, code, filePrefix, nameHy, nameEn, centreHy, centreEn, active, version } = region
  return { id, code, filePrefix, nameHy, nameEn, centreHy, centreEn, active, version }
}

function uniqueField(error: UniqueConstraintError): string {
  return error.errors[0]?.path === 'file_prefix' ? 'filePrefix' : 'code'
}

export function regionService(deps: { sequelize: Sequelize; clock: Clock; audit: AuditService; submissions: SubmissionQueries }) {
  const { sequelize, clock, audit } = deps
  const submitted = submissionGuard(deps.submissions)

  async function list(options: { includeInactive: boolean }): Promise<RegionView[]> {
    const regions = await Region.findAll({ where: options.includeInactive ? {} : { active: true }, order: [['nameEn', 'ASC']] })
    return regions.map(toView)
  }

  async function get(id: number): Promise<RegionView> {
    const region = await Region.findByPk(id)
    if (!region) throw new NotFoundError()
    return toView(region)
  }

  /** A new region; with a submission id, the same form creates it once (AlreadySubmitted names it). */
  async function create(input: RegionInput, context: RequestContext, submissionId?: string): Promise<number> {
    const submission = submissionOf(submissionId, 'region.create', context, clock.now())
    await submitted.notYetMade(submission)
    try {
      return await sequelize.transaction(async (transaction) => {
        const region = await Region.create(input, { transaction })
        await audit.record(context, { action: 'region.create', category: 'region', regionId: region.id, target: { type: 'region', id: region.id }, details: { after: input } }, transaction)
        await submitted.made(submission, region.id, transaction)
        return region.id
      })
    } catch (error) {
      if (!(error instanceof UniqueConstraintError)) throw error
      // The code is taken by the region a repeat of this same form has just created: that one answers it.
      await submitted.notYetMade(submission)
      throw new ServiceError('region.taken', uniqueField(error))
    }
  }

  async function update(id: number, expectedVersion: number, input: RegionInput, context: RequestContext): Promise<void> {
    try {
      await sequelize.transaction(async (transaction) => {
        const region = await Region.findByPk(id, { transaction, lock: transaction.LOCK.UPDATE })
        if (!region) throw new NotFoundError()
        if (region.version !== expectedVersion) throw new StaleEditError(toView(region))
        const before = toView(region)
        const changed = (Object.keys(input) as (keyof RegionInput)[]).filter((key) => before[key] !== input[key])
        if (changed.length === 0) return
        Object.assign(region, input)
        region.version += 1
        await region.save({ transaction })
        await audit.record(context, {
          action: 'region.update',
          category: 'region',
          regionId: id,
          target: { type: 'region', id },
          details: { before: Object.fromEntries(changed.map((k) => [k, before[k]])), after: Object.fromEntries(changed.map((k) => [k, input[k]])) },
        }, transaction)
      })
    } catch (error) {
      if (error instanceof UniqueConstraintError) throw new ServiceError('region.taken', uniqueField(error))
      throw error
    }
  }

  return { list, get, create, update }
}

export type RegionService = ReturnType<typeof regionService>
