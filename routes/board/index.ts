import { Router, type Request } from 'express'
import Joi from 'joi'
import type { Authorize } from '../../server/middleware/authorize'
import type { Services } from '../../server/services'
import { BOARD_GROUPS, type BoardWindow } from '../../server/services/board'
import { kindLabel, noteLabel } from './labels'
import { NotFoundError } from '../../server/services/context'
import { id, validate } from '../../server/validation'

const regionParam = Joi.object({ regionId: id.required() }).unknown(true)
const filterSchema = Joi.object({ officerId: id, kind: Joi.string().pattern(/^[A-Z_]{2,40}$/) })
const windowSchema = Joi.object({ group: Joi.string().valid(...BOARD_GROUPS).required(), page: Joi.number().integer().min(1).max(10_000).default(1) }).unknown(true)

/** One group in pages when the query names a group; otherwise each group's first lines. */
function windowOf(req: Request): BoardWindow {
  const { value, error } = windowSchema.validate(req.query)
  return error ? null : { group: value.group, page: value.page }
}

function regionIdOf(req: Request): number {
  const { value, error } = regionParam.validate(req.params)
  if (error) throw new NotFoundError()
  return value.regionId
}

/** Addresses of the board's own views: a group in pages, and back to every group's first lines, keeping the filter. */
function boardLinks(basePath: string, filter: { officerId?: number; kind?: string }) {
  const withFilter = (extra: Record<string, string>) => {
    const query = new URLSearchParams({ ...(filter.officerId ? { officerId: String(filter.officerId) } : {}), ...(filter.kind ? { kind: filter.kind } : {}), ...extra }).toString()
    return query === '' ? basePath : `${basePath}?${query}`
  }
  return { all: withFilter({}), group: (group: string, page = 1) => withFilter(page === 1 ? { group } : { group, page: String(page) }) }
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
    const [region, board] = await Promise.all([services.regions.get(regionId), services.board.regionBoard(regionId, filter, windowOf(req))])
    res.render('pages/board/board', { region, board, filter, links: boardLinks(`/regions/${regionId}/board`, filter), groups: BOARD_GROUPS, mine: false, kindName: kindLabel(res), noteText: noteLabel(res) })
  })

  router.get('/my-work', authorize('board.mine'), async (req, res) => {
    const query = validate(filterSchema, req.query)
    const user = req.user!
    const headOfRegion = res.locals.can('report.prepare', { regionId: user.regionId })
    const board = await services.board.myWork(user.regionId!, user.id, { kind: query.ok ? query.value.kind : undefined, headOfRegion, window: windowOf(req) })
    const filter = query.ok ? { kind: query.value.kind } : {}
    res.render('pages/board/board', { region: null, board, filter, links: boardLinks('/my-work', filter), groups: BOARD_GROUPS, mine: true, kindName: kindLabel(res), noteText: noteLabel(res) })
  })

  router.get('/board/national', authorize('board.national'), async (_req, res) => {
    res.render('pages/board/national', { national: await services.board.national(), kindName: kindLabel(res) })
  })

  return router
}
