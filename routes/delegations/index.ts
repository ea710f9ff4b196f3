import { randomUUID } from 'node:crypto'
import { Router, type Request, type Response } from 'express'
import Joi from 'joi'
import type { Authorize } from '../../server/middleware/authorize'
import { requestContext } from '../../server/middleware/requestContext'
import type { Services } from '../../server/services'
import { AlreadySubmitted, NotFoundError, ServiceError } from '../../server/services/context'
import { id, isoDate, submissionIdField, text, translateErrors, typedValues, validate } from '../../server/validation'

const createSchema = Joi.object({
  actingUserId: id.required(),
  startsOn: isoDate.required(),
  endsOn: isoDate.required(),
  reason: text(500).required(),
  submissionId: submissionIdField,
})
const revokeSchema = Joi.object({ reason: text(500).required() })
const regionIdParam = Joi.object({ regionId: id.required() })
const delegationIdParam = Joi.object({ delegationId: id.required() })

async function regionOf(services: Services, req: Request): Promise<{ regionId: number }> {
  const { value, error } = regionIdParam.validate(req.params)
  if (error) throw new NotFoundError()
  await services.regions.get(value.regionId)
  return { regionId: value.regionId }
}

async function delegationOf(services: Services, req: Request): Promise<{ id: number; regionId: number }> {
  const { value, error } = delegationIdParam.validate(req.params)
  if (error) throw new NotFoundError()
  return services.delegations.find(value.delegationId)
}

export function delegationRoutes(services: Services, authorize: Authorize): Router {
  const router = Router()
  const inRegion = (req: Request) => regionOf(services, req)
  const ofDelegation = (req: Request) => delegationOf(services, req)

  async function renderPage(res: Response, regionId: number, data: Record<string, unknown> = {}, status = 200) {
    const [region, delegations, eligible] = await Promise.all([
      services.regions.get(regionId),
      services.delegations.listForRegion(regionId),
      services.users.activeInRegionWithRole(regionId, 'SENIOR_SPECIALIST'),
    ])
    res.status(status).render('pages/delegations/index', { region, delegations, eligible, values: { submissionId: randomUUID() }, errors: {}, ...data })
  }

  router.get('/regions/:regionId/delegations', authorize('delegation.list', inRegion), async (req, res) => {
    const { regionId } = await regionOf(services, req)
    await renderPage(res, regionId)
  })

  router.post('/regions/:regionId/delegations', authorize('delegation.create', inRegion), async (req, res) => {
    const t = res.locals.t
    const { regionId } = await regionOf(services, req)
    const form = validate(createSchema, req.body)
    if (!form.ok) return renderPage(res, regionId, { values: form.values, errors: translateErrors(form.errors, t) }, 400)
    const { submissionId: submitted, ...delegation } = form.value
    try {
      await services.delegations.create({ regionId, ...delegation }, requestContext(req), submitted)
    } catch (error) {
      if (error instanceof AlreadySubmitted) return res.redirect(303, `/regions/${regionId}/delegations`)
      if (error instanceof ServiceError && error.field) return renderPage(res, regionId, { values: typedValues(createSchema, req.body), errors: { [error.field]: t(error.code, error.params) } }, 400)
      throw error
    }
    res.redirect(303, `/regions/${regionId}/delegations`)
  })

  router.post('/delegations/:delegationId/revoke', authorize('delegation.revoke', ofDelegation), async (req, res) => {
    const t = res.locals.t
    const delegation = await delegationOf(services, req)
    const form = validate(revokeSchema, req.body)
    // The page holds one revoke form per delegation: its field is named after the delegation.
    const field = `revoke-reason-${delegation.id}`
    const typed = { [field]: typeof req.body?.reason === 'string' ? req.body.reason : '' }
    if (!form.ok) return renderPage(res, delegation.regionId, { values: typed, errors: { [field]: translateErrors(form.errors, t).reason } }, 400)
    try {
      await services.delegations.revoke(delegation.id, form.value.reason, requestContext(req))
    } catch (error) {
      if (error instanceof ServiceError) return renderPage(res, delegation.regionId, { values: typed, errors: { [field]: t(error.code) } }, 400)
      throw error
    }
    res.redirect(303, `/regions/${delegation.regionId}/delegations`)
  })

  return router
}
