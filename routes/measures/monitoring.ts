import { randomUUID } from 'node:crypto'
import { Router, type Request, type Response } from 'express'
import Joi from 'joi'
import type { Authorize } from '../../server/middleware/authorize'
import { requestContext } from '../../server/middleware/requestContext'
import type { Services } from '../../server/services'
import { AlreadySubmitted, ServiceError } from '../../server/services/context'
import { id, submissionIdField, translateErrors, typedValues, validate } from '../../server/validation'
import { param } from '../forms'

const deviceSchema = Joi.object({ serial: Joi.string().trim().uppercase().pattern(/^[A-Z0-9-]{4,40}$/, 'serial').required(), kind: Joi.string().valid('RF', 'GPS').required(), submissionId: submissionIdField })
const regionParam = Joi.object({ regionId: id.required() }).unknown(true)

/** The region's register of electronic monitoring devices. */
export function monitoringRoutes(services: Services, authorize: Authorize): Router {
  const router = Router()
  const regionOf = async (req: Request) => {
    const regionId = param(regionParam, req, 'regionId')
    await services.regions.get(regionId)
    return { regionId }
  }

  async function renderDevices(res: Response, regionId: number, data: Record<string, unknown> = {}, status = 200) {
    const [region, devices] = await Promise.all([services.regions.get(regionId), services.monitoring.devices(regionId)])
    // The form carries a one-time id (sent twice, it registers once); one shown again, the id it was sent with.
    res.status(status).render('pages/measures/devices', { region, devices, errors: {}, ...data, values: { submissionId: randomUUID(), ...(data.values as Record<string, string> | undefined) } })
  }

  router.get('/regions/:regionId/devices', authorize('device.list', regionOf, { hideExistence: true }), async (req, res) => {
    await renderDevices(res, param(regionParam, req, 'regionId'))
  })

  router.post('/regions/:regionId/devices', authorize('device.add', regionOf, { hideExistence: true }), async (req, res) => {
    const regionId = param(regionParam, req, 'regionId')
    const t = res.locals.t
    const form = validate(deviceSchema, req.body)
    if (!form.ok) return renderDevices(res, regionId, { errors: translateErrors(form.errors, t), values: form.values }, 400)
    const { submissionId, ...device } = form.value
    try {
      await services.monitoring.addDevice(regionId, device, requestContext(req), submissionId)
    } catch (error) {
      if (error instanceof AlreadySubmitted) return res.redirect(303, `/regions/${regionId}/devices`)
      if (error instanceof ServiceError) return renderDevices(res, regionId, { errors: { [error.field ?? 'serial']: t(error.code) }, values: typedValues(deviceSchema, req.body) }, 400)
      throw error
    }
    res.redirect(303, `/regions/${regionId}/devices`)
  })

  return router
}
