import { Router, type Request, type Response } from 'express'
import Joi from 'joi'
import type { Authorize } from '../../server/middleware/authorize'
import { requestContext } from '../../server/middleware/requestContext'
import type { Services } from '../../server/services'
import { ServiceError } from '../../server/services/context'
import { id, text, translateErrors, validate } from '../../server/validation'
import { param } from '../forms'

const requestIdParam = Joi.object({ requestId: id.required() })
const refuseSchema = Joi.object({ reason: text(500).required() })

/** The administrator's requests that give a head's powers, and the service head's confirmation (two people). */
export function accountRequestRoutes(services: Services, authorize: Authorize): Router {
  const router = Router()

  async function renderList(res: Response, data: { errors?: Record<number, Record<string, string>>; values?: Record<number, Record<string, string>> } = {}, status = 200) {
    const requests = await services.users.pendingRequests()
    res.status(status).render('pages/admin/account-requests', { requests, errors: data.errors ?? {}, values: data.values ?? {} })
  }

  router.get('/account-requests', authorize('accountRequest.list'), async (_req, res) => {
    await renderList(res)
  })

  /** A decision: done, back to the list; refused by the rules (decided already, the account changed), said beside the request. */
  async function decide(req: Request, res: Response, decision: 'CONFIRMED' | 'REFUSED' | 'CANCELLED', reason: string | null) {
    const requestId = param(requestIdParam, req, 'requestId')
    try {
      await services.users.decideRequest(requestId, decision, reason, requestContext(req))
    } catch (error) {
      if (error instanceof ServiceError) return renderList(res, { errors: { [requestId]: { request: res.locals.t(error.code) } } }, 409)
      throw error
    }
    res.redirect(303, '/account-requests')
  }

  router.post('/account-requests/:requestId/confirm', authorize('accountRequest.decide'), async (req, res) => {
    await decide(req, res, 'CONFIRMED', null)
  })

  router.post('/account-requests/:requestId/refuse', authorize('accountRequest.decide'), async (req, res) => {
    const form = validate(refuseSchema, req.body)
    if (!form.ok) {
      const requestId = param(requestIdParam, req, 'requestId')
      return renderList(res, { errors: { [requestId]: translateErrors(form.errors, res.locals.t) }, values: { [requestId]: form.values } }, 400)
    }
    await decide(req, res, 'REFUSED', form.value.reason)
  })

  router.post('/account-requests/:requestId/cancel', authorize('accountRequest.cancel'), async (req, res) => {
    await decide(req, res, 'CANCELLED', null)
  })

  return router
}
