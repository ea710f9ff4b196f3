import { Router } from 'express'
import type { Authorize } from '../../server/middleware/authorize'
import type { Services } from '../../server/services'

export function homeRoutes(services: Services, authorize: Authorize): Router {
  const router = Router()
  router.get('/', authorize('home.view'), async (req, res) => {
    const regions = await services.regions.list({ includeInactive: false })
    const ownRegion = regions.find((region) => region.id === req.user!.regionId) ?? null
    const notice = req.query.notice === 'passwordChanged' ? 'passwordChanged' : null
    res.render('pages/home', { regions, ownRegion, notice, today: services.clock.now() })
  })
  return router
}
