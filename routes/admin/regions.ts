import { randomUUID } from 'node:crypto'
import { Router, type Request, type Response } from 'express'
import Joi from 'joi'
import type { Authorize } from '../../server/middleware/authorize'
import { requestContext } from '../../server/middleware/requestContext'
import type { Services } from '../../server/services'
import { AlreadySubmitted, ServiceError, StaleEditError } from '../../server/services/context'
import type { RegionInput, RegionView } from '../../server/services/regions'
import { id, line, submissionIdField, translateErrors, typedValues, validate, version } from '../../server/validation'

const regionFields = {
  code: Joi.string().trim().uppercase().min(2).max(40).pattern(/^[A-Z_]+$/, 'code').required(),
  filePrefix: Joi.string().trim().min(1).max(4).pattern(/^[\u0531-\u0556]+$/, 'armenianCapitals').required(),
  nameHy: line(200).required(),
  nameEn: line(200).required(),
  centreHy: line(100).required(),
  centreEn: line(100).required(),
  active: Joi.boolean().truthy('1').falsy('0').default(false),
}
const createSchema = Joi.object({ ...regionFields, submissionId: submissionIdField })
const editSchema = Joi.object({ ...regionFields, version })
const regionIdParam = Joi.object({ regionId: id.required() })

function regionIdOf(req: Request): number {
  const { value, error } = regionIdParam.validate(req.params)
  return error ? -1 : value.regionId
}

export function adminRegionRoutes(services: Services, authorize: Authorize): Router {
  const router = Router()

  function renderForm(res: Response, view: string, data: Record<string, unknown>, status = 200) {
    res.status(status).render(view, { errors: {}, stale: null, region: null, ...data })
  }

  router.get('/admin/regions', authorize('region.list'), async (_req, res) => {
    res.render('pages/admin/regions/index', { regions: await services.regions.list({ includeInactive: true }) })
  })

  router.get('/admin/regions/new', authorize('region.create'), (_req, res) => {
    renderForm(res, 'pages/admin/regions/form', { values: { active: '1', submissionId: randomUUID() } })
  })

  router.post('/admin/regions/new', authorize('region.create'), async (req, res) => {
    const t = res.locals.t
    const form = validate(createSchema, req.body)
    if (!form.ok) return renderForm(res, 'pages/admin/regions/form', { values: form.values, errors: translateErrors(form.errors, t) }, 400)
    const { submissionId, ...input } = form.value
    try {
      await services.regions.create(input as RegionInput, requestContext(req), submissionId)
      res.redirect(303, '/admin/regions')
    } catch (error) {
      if (error instanceof AlreadySubmitted) return res.redirect(303, '/admin/regions')
      if (error instanceof ServiceError && error.field) return renderForm(res, 'pages/admin/regions/form', { values: typedValues(createSchema, req.body), errors: { [error.field]: t(error.code) } }, 400)
      throw error
    }
  })

  router.get('/admin/regions/:regionId/edit', authorize('region.edit'), async (req, res) => {
    const region = await services.regions.get(regionIdOf(req))
    renderForm(res, 'pages/admin/regions/form', { region, values: { ...region, active: region.active ? '1' : '' } })
  })

  router.post('/admin/regions/:regionId/edit', authorize('region.edit'), async (req, res) => {
    const t = res.locals.t
    const region = await services.regions.get(regionIdOf(req))
    const form = validate(editSchema, req.body)
    if (!form.ok) return renderForm(res, 'pages/admin/regions/form', { region, values: form.values, errors: translateErrors(form.errors, t) }, 400)
    const { version: expectedVersion, ...input } = form.value
    try {
      await services.regions.update(region.id, expectedVersion, input as RegionInput, requestContext(req))
      res.redirect(303, '/admin/regions')
    } catch (error) {
      if (error instanceof StaleEditError) {
        const current = error.current as RegionView
        return renderForm(res, 'pages/admin/regions/form', { region: current, values: { ...typedValues(editSchema, req.body), version: String(current.version) }, stale: current }, 409)
      }
      if (error instanceof ServiceError && error.field) return renderForm(res, 'pages/admin/regions/form', { region, values: typedValues(editSchema, req.body), errors: { [error.field]: t(error.code) } }, 400)
      throw error
    }
  })

  return router
}
