import { Router } from 'express'
import { databaseAnswers } from '../../server/db/database'
import type { Authorize } from '../../server/middleware/authorize'
import type { Services } from '../../server/services'

/** Mounted before sessions: a probe must not create sessions or need the session store. */
export function healthRoutes(services: Services, authorize: Authorize): Router {
  const router = Router()
  router.get('/health', authorize('health.check'), (_req, res) => {
    res.json({ status: 'up' })
  })
  router.get('/ready', authorize('health.check'), async (_req, res) => {
    const ready = await databaseAnswers(services.sequelize)
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'database unavailable' })
  })
  return router
}
