import { Router } from 'express'
import Joi from 'joi'
import type { Authorize } from '../../server/middleware/authorize'
import { requestContext } from '../../server/middleware/requestContext'
import type { Services } from '../../server/services'
import { NotFoundError } from '../../server/services/context'
import { kindLabel } from '../board/labels'

declare module 'express-session' {
  interface SessionData {
    // A new feed address is shown once, on the page the creation redirects to; only its hash is stored.
    calendarFeedUrl: string
  }
}

const tokenParam = Joi.object({ token: Joi.string().pattern(/^[A-Za-z0-9_-]{43}$/).required() })

/** The daily digest, and the personal calendar feed behind a secret, revocable address. */
export function reminderRoutes(services: Services, authorize: Authorize): Router {
  const router = Router()
  const { reminders } = services

  router.get('/digest', authorize('digest.view'), async (req, res) => {
    res.render('pages/reminders/digest', { digest: await reminders.latestDigest(req.user!.id), kindName: kindLabel(res) })
  })

  router.get('/account/calendar', authorize('calendarFeed.manage'), async (req, res) => {
    const newUrl = req.session.calendarFeedUrl ?? null
    delete req.session.calendarFeedUrl
    res.set('Cache-Control', 'private, no-store')
    res.render('pages/reminders/calendar', { status: await reminders.feedStatus(req.user!.id), newUrl })
  })

  router.post('/account/calendar', authorize('calendarFeed.manage'), async (req, res) => {
    req.session.calendarFeedUrl = await reminders.createFeed(requestContext(req))
    res.redirect(303, '/account/calendar')
  })

  router.post('/account/calendar/revoke', authorize('calendarFeed.manage'), async (req, res) => {
    await reminders.revokeFeed(requestContext(req))
    res.redirect(303, '/account/calendar')
  })

  // Calendar applications fetch this without a session: the secret token in the address is the credential.
  router.get('/calendar/:token.ics', authorize('calendarFeed.read'), async (req, res) => {
    const { value, error } = tokenParam.validate(req.params)
    if (error) throw new NotFoundError()
    const body = await reminders.feed(value.token, kindLabel(res))
    if (body === null) throw new NotFoundError()
    res.set('Cache-Control', 'private, no-store')
    res.type('text/calendar; charset=utf-8').send(body)
  })

  return router
}
