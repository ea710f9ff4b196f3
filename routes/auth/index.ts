import { INACTIVE_ACCOUNT_DAYS } from '../../server/domain/signInRules'
import { Router, type RequestHandler } from 'express'
import Joi from 'joi'
import type { Authorize } from '../../server/middleware/authorize'
import { signOut } from '../../server/middleware/authentication'
import { requestContext } from '../../server/middleware/requestContext'
import type { Services } from '../../server/services'
import { line, translateErrors, validate } from '../../server/validation'
import { localPathOr } from '../localPath'
import { secondFactorRoutes, secondStepPath } from './secondFactor'

const signInSchema = Joi.object({
  username: line(100).required(),
  password: Joi.string().max(200).required(),
  returnTo: Joi.string().allow('').max(500),
})

const NOTICES = new Set(['expired', 'signedOut', 'passwordChanged', 'secondStepExpired'])

export function authRoutes(services: Services, authorize: Authorize, signInLimiter: RequestHandler): Router {
  const router = Router()

  router.get('/sign-in', authorize('session.signIn'), (req, res) => {
    if (req.user) return res.redirect(303, '/')
    const notice = typeof req.query.notice === 'string' && NOTICES.has(req.query.notice) ? req.query.notice : null
    res.render('pages/auth/sign-in', { values: {}, errors: {}, failure: null, notice, returnTo: localPathOr(req.query.returnTo, '') })
  })

  router.post('/sign-in', signInLimiter, authorize('session.signIn'), async (req, res) => {
    const t = res.locals.t
    const form = validate(signInSchema, req.body)
    const returnTo = localPathOr(req.body?.returnTo, '/')
    if (!form.ok) {
      return res.status(400).render('pages/auth/sign-in', { values: { username: form.values.username }, errors: translateErrors(form.errors, t), failure: null, notice: null, returnTo })
    }
    const result = await services.users.authenticate(form.value.username, form.value.password, requestContext(req))
    if (!result.ok) {
      // One answer for an unknown account, a wrong password and a locked account: which accounts exist, and which
      // are locked, is not told to whoever tries (the audit log records which it was). Only the right password learns
      // that the account was disabled for want of use.
      const failure = result.reason === 'disabledForInactivity' ? 'disabledForInactivity' : 'invalid'
      return res.status(401).render('pages/auth/sign-in', { values: { username: form.value.username }, errors: {}, failure, notice: null, returnTo, inactiveDays: INACTIVE_ACCOUNT_DAYS })
    }
    // Not signed in until the second factor (secondFactor.ts) is given too.
    req.session.pendingSignIn = { userId: result.user.id, username: result.user.username, at: services.clock.now().getTime(), returnTo, enrolled: result.enrolled }
    res.redirect(303, secondStepPath(result.enrolled))
  })

  router.post('/sign-out', authorize('session.signOut'), async (req, res) => {
    await services.audit.record(requestContext(req), { action: 'signOut', category: 'account', regionId: req.user?.regionId ?? null, target: { type: 'user', id: req.user!.id } })
    await signOut(req)
    res.redirect(303, '/sign-in?notice=signedOut')
  })

  router.use(secondFactorRoutes(services, authorize, signInLimiter))
  return router
}
