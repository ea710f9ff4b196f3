import { Router } from 'express'
import Joi from 'joi'
import { AUDIT_CATEGORIES } from '../../models/AuditEvent'
import type { Authorize } from '../../server/middleware/authorize'
import { auditScope } from '../../server/policy'
import type { Services } from '../../server/services'
import { AUDIT_PAGE_SIZE } from '../../server/services/audit'
import { validate } from '../../server/validation'

const querySchema = Joi.object({
  category: Joi.string().valid(...AUDIT_CATEGORIES),
  page: Joi.number().integer().min(1).max(100_000).default(1),
})

export function auditRoutes(services: Services, authorize: Authorize): Router {
  const router = Router()
  router.get('/audit', authorize('audit.view'), async (req, res) => {
    const query = validate(querySchema, req.query)
    const filter = query.ok ? query.value : { page: 1 }
    const scope = auditScope(res.locals.actor)!
    const { lines, total } = await services.audit.list(scope, filter)
    const regions = await services.regions.list({ includeInactive: true })
    res.render('pages/audit/index', { lines, total, page: filter.page, pages: Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE)), category: filter.category ?? '', categories: AUDIT_CATEGORIES, regions })
  })
  return router
}
