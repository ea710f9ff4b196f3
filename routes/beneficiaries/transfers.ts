import { randomUUID } from 'node:crypto'
import { Router, type Request, type Response } from 'express'
import Joi from 'joi'
import type { Authorize } from '../../server/middleware/authorize'
import { requestContext } from '../../server/middleware/requestContext'
import type { Services } from '../../server/services'
import { AlreadySubmitted, ServiceError } from '../../server/services/context'
import { id, submissionIdField, text, translateErrors, typedValues, validate } from '../../server/validation'
import { param } from '../forms'

const requestSchema = Joi.object({ toRegionId: id.required(), reason: text(500).required(), submissionId: submissionIdField })
const refuseSchema = Joi.object({ reason: text(500).required() })
const beneficiaryIdParam = Joi.object({ beneficiaryId: id.required() })
const transferIdParam = Joi.object({ transferId: id.required() })
const regionIdParam = Joi.object({ regionId: id.required() })

export function transferRoutes(services: Services, authorize: Authorize): Router {
  const router = Router()
  const fileOf = (req: Request) => services.beneficiaries.facts(param(beneficiaryIdParam, req, 'beneficiaryId'))
  // A decision belongs to the receiving region's head.
  const receivingRegionOf = async (req: Request) => ({ regionId: (await services.transfers.find(param(transferIdParam, req, 'transferId'))).toRegionId })
  const regionOf = async (req: Request) => {
    const regionId = param(regionIdParam, req, 'regionId')
    await services.regions.get(regionId)
    return { regionId }
  }

  async function renderRequest(res: Response, beneficiaryId: number, data: Record<string, unknown> = {}, status = 200) {
    const [file, regions, transfers] = await Promise.all([services.beneficiaries.get(beneficiaryId), services.regions.list({ includeInactive: false }), services.transfers.forBeneficiary(beneficiaryId)])
    res.status(status).render('pages/transfers/request', { file, regions: regions.filter((r) => r.id !== file.regionId), transfers, errors: {}, values: { submissionId: randomUUID() }, ...data })
  }

  router.get('/beneficiaries/:beneficiaryId/transfer', authorize('beneficiary.requestTransfer', fileOf, { hideExistence: true }), async (req, res) => {
    const beneficiaryId = param(beneficiaryIdParam, req, 'beneficiaryId')
    const { regionId } = await services.beneficiaries.facts(beneficiaryId)
    await services.beneficiaries.recordView(beneficiaryId, regionId, 'beneficiary.view', requestContext(req), { page: 'transfer' })
    await renderRequest(res, beneficiaryId)
  })

  router.post('/beneficiaries/:beneficiaryId/transfer', authorize('beneficiary.requestTransfer', fileOf, { hideExistence: true }), async (req, res) => {
    const t = res.locals.t
    const beneficiaryId = param(beneficiaryIdParam, req, 'beneficiaryId')
    const form = validate(requestSchema, req.body)
    if (!form.ok) return renderRequest(res, beneficiaryId, { errors: translateErrors(form.errors, t), values: form.values }, 400)
    try {
      await services.transfers.request(beneficiaryId, form.value.toRegionId, form.value.reason, requestContext(req), form.value.submissionId)
    } catch (error) {
      if (error instanceof AlreadySubmitted) return res.redirect(303, `/beneficiaries/${beneficiaryId}`)
      if (error instanceof ServiceError) return renderRequest(res, beneficiaryId, { errors: { [error.field ?? 'toRegionId']: t(error.code) }, values: typedValues(requestSchema, req.body) }, 400)
      throw error
    }
    res.redirect(303, `/beneficiaries/${beneficiaryId}`)
  })

  async function renderRegion(res: Response, regionId: number, data: Record<string, unknown> = {}, status = 200) {
    const [region, transfers] = await Promise.all([services.regions.get(regionId), services.transfers.forRegion(regionId)])
    res.status(status).render('pages/transfers/region', { region, transfers, errors: {}, values: {}, ...data })
  }

  router.get('/regions/:regionId/transfers', authorize('transfer.list', regionOf, { hideExistence: true }), async (req, res) => {
    await renderRegion(res, param(regionIdParam, req, 'regionId'))
  })

  router.post('/transfers/:transferId/accept', authorize('transfer.decide', receivingRegionOf, { hideExistence: true }), async (req, res) => {
    const transfer = await services.transfers.find(param(transferIdParam, req, 'transferId'))
    try {
      await services.transfers.decide(transfer.id, true, null, requestContext(req))
    } catch (error) {
      if (error instanceof ServiceError) return renderRegion(res, transfer.toRegionId, { errors: { [`refuse-reason-${transfer.id}`]: res.locals.t(error.code) } }, 400)
      throw error
    }
    res.redirect(303, `/beneficiaries/${transfer.beneficiaryId}`)
  })

  router.post('/transfers/:transferId/refuse', authorize('transfer.decide', receivingRegionOf, { hideExistence: true }), async (req, res) => {
    const t = res.locals.t
    const transfer = await services.transfers.find(param(transferIdParam, req, 'transferId'))
    const field = `refuse-reason-${transfer.id}`
    const form = validate(refuseSchema, req.body)
    const typed = { [field]: typeof req.body?.reason === 'string' ? req.body.reason : '' }
    if (!form.ok) return renderRegion(res, transfer.toRegionId, { errors: { [field]: translateErrors(form.errors, t).reason }, values: typed }, 400)
    try {
      await services.transfers.decide(transfer.id, false, form.value.reason, requestContext(req))
    } catch (error) {
      if (error instanceof ServiceError) return renderRegion(res, transfer.toRegionId, { errors: { [field]: t(error.code) }, values: typed }, 400)
      throw error
    }
    res.redirect(303, `/regions/${transfer.toRegionId}/transfers`)
  })

  return router
}
