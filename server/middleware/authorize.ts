import type { Request, RequestHandler } from 'express'
import { can, type Action, type Resource } from '../policy'
import type { AuditService } from '../services/audit'
import { requestContext } from './requestContext'

export type ResourceResolver = (req: Request) => Promise<Resource> | Resource

export interface PolicyGuard extends RequestHandler {
  readonly policyAction: Action
}

/**
 * The gate on every route: asks the policy, refuses otherwise. A route without one is caught by the
 * route inventory test. Anonymous visitors are sent to sign in; signed-in users get 403 and an audit line.
 */
export function authorizer(audit: AuditService) {
  /**
   * `hideExistence`: a refusal answers 404, so that a user cannot learn that another region's record exists.
   */
  return function authorize(action: Action, resolveResource?: ResourceResolver, options: { hideExistence?: boolean } = {}): PolicyGuard {
    const guard: RequestHandler = async (req, res, next) => {
      const actor = res.locals.actor ?? null
      const resource = resolveResource ? await resolveResource(req) : {}
      if (can(actor, action, resource)) {
        // The handler may reuse what the guard resolved instead of loading it again.
        res.locals.policyResource = resource
        return next()
      }
      if (!actor) {
        const returnTo = req.method === 'GET' ? `?returnTo=${encodeURIComponent(req.originalUrl)}` : ''
        return res.redirect(303, `/sign-in${returnTo}`)
      }
      await audit.record(requestContext(req), { action: 'access.denied', category: 'access', outcome: 'denied', regionId: actor.regionId, details: { policyAction: action, method: req.method, path: req.path } })
      if (options.hideExistence) return res.status(404).render('errors/404')
      res.status(403).render('errors/403')
    }
    return Object.assign(guard, { policyAction: action })
  }
}

export type Authorize = ReturnType<typeof authorizer>
