import { Router, type Request } from 'express'
import Joi from 'joi'
import type { Authorize } from '../../server/middleware/authorize'
import type { Services } from '../../server/services'
import { BOARD_GROUPS } from '../../server/services/board'
import { kindLabel, noteLabel } from './labels'
import { NotFoundError } from '../../server/services/context'
import { id, validate } from '../../server/validation'

const regionParam = Joi.object({ regionId: id.required() }).unknown(true)
const filterSchema = Joi.object({ officerId: id, kind: Joi.string().pattern(/^[A-Z_]{2,40}$/) })

function regionIdOf(req: Request): number {
  const { value, error } = regionParam.validate(req.params)
  if (error) throw new NotFoundError()
  return value.regionId
}

/** The heads' view of deadlines: the region's board, each officer's own work, and the national board. */
export function boardRoutes(services: Services, authorize: Authorize): Router {
  const router = Router()
  const regionOf = async (req: Request) => {
    const regionId = regionIdOf(req)
    await services.regions.get(regionId)
    return { regionId }
  }

  router.get('/regions/:regionId/board', authorize('board.region', regionOf, { hideExistence: true }), async (req, res) => {
    const regionId = regionIdOf(req)
    const query = validate(filterSchema, req.query)
    const filter = query.ok ? query.value : {}
    const [region, board] = await Promise.all([services.regions.get(regionId), services.board.regionBoard(regionId, filter)])
    res.render('pages/board/board', { region, board, filter, groups: BOARD_GROUPS, mine: false, kindName: kindLabel(res), noteText: noteLabel(res) })
  })

  router.get('/my-work', authorize('board.mine'), async (req, res) => {
    const query = validate(filterSchema, req.query)
    const user = req.user!
    const headOfRegion = res.locals.can('report.prepare', { regionId: user.regionId })
    const board = await services.board.myWork(user.regionId!, user.id, { kind: query.ok ? query.value.kind : undefined, headOfRegion })
    res.render('pages/board/board', { region: null, board, filter: query.ok ? query.value : {}, groups: BOARD_GROUPS, mine: true, kindName: kindLabel(res), noteText: noteLabel(res) })
  })

  router.get('/board/national', authorize('board.national'), async (_req, res) => {
    res.render('pages/board/national', { national: await services.board.national(), kindName: kindLabel(res) })
  })

  return router
}
