import { Router, type Response } from 'express'
import type { Authorize } from '../../server/middleware/authorize'
import type { Services } from '../../server/services'
import { formatDateTime } from '../../server/domain/dates'
import type { HomeView } from '../../server/services/home'
import { kindLabel, noteLabel } from '../board/labels'

/** Where each count of the home page leads: the person's own list, or the region's board, cut to a group or a kind. */
function homeLinks(regionId: number | null) {
  return {
    myGroup: (group: string) => `/my-work?group=${group}`,
    myKind: (kind: string) => `/my-work?kind=${encodeURIComponent(kind)}`,
    regionGroup: (group: string) => `/regions/${regionId}/board?group=${group}`,
    officer: (officerId: number) => `/regions/${regionId}/board?officerId=${officerId}`,
  }
}

/** The home page's view model: the day's parts as the service read them, with times and labels ready to show. */
function viewOf(day: HomeView, res: Response) {
  return {
    ...day,
    appointments: day.appointments?.map((appointment) => ({ ...appointment, time: formatDateTime(appointment.scheduledAt).slice(11) })) ?? null,
    kindName: kindLabel(res),
    noteText: noteLabel(res),
    quarterName: (report: { year: number; quarter: number }) => res.locals.t('quarterly.quarterName', { ordinal: res.locals.t(`quarterly.ordinal.${report.quarter}`), year: report.year }),
  }
}

export function homeRoutes(services: Services, authorize: Authorize): Router {
  const router = Router()
  router.get('/', authorize('home.view'), async (req, res) => {
    const user = req.user!
    const can = res.locals.can
    const [regions, day] = await Promise.all([
      services.regions.list({ includeInactive: false }),
      services.home.dayOf(user, {
        ownWorkIn: can('board.mine') ? user.regionId : null,
        headOfRegion: user.regionId !== null && can('report.prepare', { regionId: user.regionId }),
        national: can('board.national'),
        accounts: can('user.list'),
        accountRequests: can('accountRequest.list'),
      }),
    ])
    const ownRegion = regions.find((region) => region.id === user.regionId) ?? null
    const notice = req.query.notice === 'passwordChanged' ? 'passwordChanged' : null
    res.render('pages/home', { ownRegion, notice, day: viewOf(day, res), links: homeLinks(user.regionId) })
  })
  return router
}
