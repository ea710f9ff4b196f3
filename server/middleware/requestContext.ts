import type { Request } from 'express'
import type { RequestContext } from '../services/context'

/** The part of a request that services and the audit log need. */
export function requestContext(req: Request): RequestContext {
  const locals = req.res?.locals ?? {}
  return {
    actor: locals.actor ?? null,
    actorUsername: req.user?.username ?? null,
    sourceIp: req.ip ?? null,
    requestId: typeof req.id === 'string' ? req.id : req.id !== undefined ? String(req.id) : null,
  }
}
