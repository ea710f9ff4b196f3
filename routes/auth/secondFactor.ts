import { Router, type Request, type RequestHandler, type Response } from 'express'
import Joi from 'joi'
import { RECOVERY_CODE_COUNT, secondStepOpen } from '../../server/domain/twoFactor'
import type { Authorize } from '../../server/middleware/authorize'
import { signIn } from '../../server/middleware/authentication'
import { requestContext } from '../../server/middleware/requestContext'
import type { Services } from '../../server/services'
import { ServiceError } from '../../server/services/context'
import { line, translateErrors, validate } from '../../server/validation'
import { localPathOr } from '../localPath'

/** Between the right password and the second factor: who, since when, where to go after. */
export interface PendingSignIn {
  userId: number
  username: string
  at: number
  returnTo: string
  enrolled: boolean
  /** The key shown on the enrolment page, kept until a code from it is given. */
  enrolmentKey?: string
}

declare module 'express-session' {
  interface SessionData {
    pendingSignIn: PendingSignIn
    /** Recovery codes just made, shown once on the account's two-factor page. */
    recoveryCodesToShow: string[]
  }
}

const codeSchema = Joi.object({ code: line(30).required() })

/** Where the password step leads: the code, or the enrolment at the first sign-in. */
export const secondStepPath = (enrolled: boolean): string => (enrolled ? '/sign-in/code' : '/sign-in/enrol')

/**
 * The second factor after the password (services/twoFactor.ts): the code page, the enrolment at the first sign-in,
 * and the account's page of recovery codes.
 */
export function secondFactorRoutes(services: Services, authorize: Authorize, signInLimiter: RequestHandler): Router {
  const router = Router()
  const noStore: RequestHandler = (_req, res, next) => {
    // The enrolment page holds the key; none of these pages is for a shared computer's back button.
    res.set('Cache-Control', 'no-store')
    next()
  }

  /** The password step still waiting for its code, or null when there is none or it is too old. */
  function pendingOf(req: Request, enrolled: boolean): PendingSignIn | null {
    const pending = req.session.pendingSignIn
    if (!pending || pending.enrolled !== enrolled || !secondStepOpen(pending.at, services.clock.now().getTime())) return null
    return pending
  }

  const pendingOr = (enrolled: boolean): RequestHandler => (req, res, next) => {
    if (req.user) return res.redirect(303, '/')
    if (!pendingOf(req, enrolled)) return res.redirect(303, '/sign-in?notice=secondStepExpired')
    next()
  }

  async function finishSignIn(req: Request, user: Parameters<typeof signIn>[1]): Promise<string> {
    const returnTo = req.session.pendingSignIn!.returnTo
    await signIn(req, user, services.clock.now().getTime())
    return user.mustChangePassword ? '/account/password' : returnTo
  }

  const renderCode = async (req: Request, res: Response, errors: Record<string, string>, status = 200) =>
    res.status(status).render('pages/auth/code', { values: {}, errors, demoCode: await services.twoFactor.demoCodeFor(req.session.pendingSignIn!.userId) })

  router.get('/sign-in/code', authorize('session.signIn'), noStore, pendingOr(true), async (req, res) => {
    await renderCode(req, res, {})
  })

  router.post('/sign-in/code', signInLimiter, authorize('session.signIn'), noStore, pendingOr(true), async (req, res) => {
    const t = res.locals.t
    const form = validate(codeSchema, req.body)
    if (!form.ok) return renderCode(req, res, translateErrors(form.errors, t), 400)
    const result = await services.twoFactor.completeSignIn(req.session.pendingSignIn!.userId, form.value.code, requestContext(req))
    if (result.ok) return res.redirect(303, await finishSignIn(req, result.user))
    if (result.reason === 'locked') {
      delete req.session.pendingSignIn
      return res.status(401).render('pages/auth/sign-in', { values: {}, errors: {}, failure: 'invalid', notice: null, returnTo: '/' })
    }
    await renderCode(req, res, { code: t('twoFactor.wrongCode') }, 401)
  })

  async function renderEnrolment(req: Request, res: Response, errors: Record<string, string>, status = 200): Promise<void> {
    const pending = req.session.pendingSignIn!
    pending.enrolmentKey ??= services.twoFactor.newKey()
    const enrolment = await services.twoFactor.enrolmentOf(pending.username, pending.enrolmentKey)
    res.status(status).render('pages/auth/enrol', { enrolment, values: {}, errors, recoveryCodeCount: RECOVERY_CODE_COUNT })
  }

  router.get('/sign-in/enrol', authorize('session.signIn'), noStore, pendingOr(false), async (req, res) => {
    await renderEnrolment(req, res, {})
  })

  router.post('/sign-in/enrol', signInLimiter, authorize('session.signIn'), noStore, pendingOr(false), async (req, res) => {
    const t = res.locals.t
    const form = validate(codeSchema, req.body)
    const pending = req.session.pendingSignIn!
    if (!form.ok || !pending.enrolmentKey) return renderEnrolment(req, res, form.ok ? {} : translateErrors(form.errors, t), 400)
    const result = await services.twoFactor.enrol(pending.userId, pending.enrolmentKey, form.value.code, requestContext(req))
    if (!result.ok) {
      if (result.reason === 'locked') {
        delete req.session.pendingSignIn
        return res.status(401).render('pages/auth/sign-in', { values: {}, errors: {}, failure: 'invalid', notice: null, returnTo: '/' })
      }
      return renderEnrolment(req, res, { code: t('twoFactor.wrongEnrolmentCode') }, 401)
    }
    const next = await finishSignIn(req, result.user)
    req.session.recoveryCodesToShow = result.recoveryCodes
    res.redirect(303, `/account/two-factor?next=${encodeURIComponent(next)}`)
  })

  router.get('/account/two-factor', authorize('account.twoFactor'), noStore, async (req, res) => {
    const shown = req.session.recoveryCodesToShow ?? null
    delete req.session.recoveryCodesToShow
    const next = localPathOr(req.query.next, '') || null
    res.render('pages/account/two-factor', {
      recoveryCodes: shown,
      next,
      codesLeft: await services.twoFactor.recoveryCodesLeft(req.user!.id),
      values: {},
      errors: {},
    })
  })

  router.post('/account/two-factor/recovery-codes', authorize('account.twoFactor'), noStore, async (req, res) => {
    const t = res.locals.t
    const form = validate(codeSchema, req.body)
    const refused = async (errors: Record<string, string>) =>
      res.status(400).render('pages/account/two-factor', { recoveryCodes: null, next: null, codesLeft: await services.twoFactor.recoveryCodesLeft(req.user!.id), values: {}, errors })
    if (!form.ok) return refused(translateErrors(form.errors, t))
    try {
      req.session.recoveryCodesToShow = await services.twoFactor.replaceRecoveryCodes(req.user!.id, form.value.code, requestContext(req))
    } catch (error) {
      if (error instanceof ServiceError && error.field) return refused({ [error.field]: t(error.code) })
      throw error
    }
    res.redirect(303, '/account/two-factor')
  })

  return router
}
