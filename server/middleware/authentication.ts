import type { Request, RequestHandler } from 'express'
import passport from 'passport'
import { Strategy as LocalStrategy } from 'passport-local'
import type { Config } from '../config'
import { can, type Action, type Actor, type Resource } from '../policy'
import type { Services } from '../services'
import type { SessionUser } from '../services/users'
import { requestContext } from './requestContext'
import { takeUserLoadedWithSession } from './session'

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends SessionUser {}
  }
}

const LAST_SEEN_PRECISION_MS = 60_000

export interface SignInFailure {
  reason: 'invalid' | 'locked'
  lockedUntil?: Date
}

/** Passport with the local strategy; the session holds only the user id, the user is reloaded each request. */
export function configurePassport(services: Services): passport.PassportStatic {
  const authenticator = new passport.Passport() as unknown as passport.PassportStatic
  authenticator.use(
    new LocalStrategy({ passReqToCallback: true }, (req, username, password, done) => {
      services.users
        .authenticate(username, password, requestContext(req))
        .then((result) => (result.ok ? done(null, result.user) : done(null, false, { reason: result.reason, lockedUntil: result.lockedUntil } as never)))
        .catch(done)
    }),
  )
  authenticator.serializeUser((user, done) => done(null, String(user.id)))
  authenticator.deserializeUser((req: Request, id: string, done: (error: unknown, user?: Express.User | false) => void) => {
    // Usually read with the session itself (middleware/session.ts); otherwise read here.
    const loaded = takeUserLoadedWithSession(req.sessionID, id)
    if (loaded !== undefined) return done(null, loaded ?? false)
    services.users
      .findActiveSessionUser(Number(id))
      .then((user) => done(null, user ?? false))
      .catch(done)
  })
  return authenticator
}

/** Signs in, rotates the session id (passport regenerates the session) and stores the session before returning. */
export function signIn(req: Request, user: SessionUser, now: number): Promise<void> {
  const language = req.session.language
  return new Promise((resolve, reject) => {
    req.login(user, (error) => {
      if (error) return reject(error)
      req.session.signedInAt = now
      req.session.lastSeenAt = now
      if (language) req.session.language = language
      // Stored before the redirect goes out: express-session would save at the response's end, after the headers,
      // and a browser following the Location at once could load the session without its sign-in time ("expired").
      req.session.save((saveError) => (saveError ? reject(saveError) : resolve()))
    })
  })
}

function destroySession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.destroy((error) => (error ? reject(error) : resolve())))
}

export function signOut(req: Request): Promise<void> {
  return new Promise((resolve, reject) => {
    req.logout({ keepSessionInfo: false }, (error) => {
      if (error) return reject(error)
      destroySession(req).then(resolve, reject)
    })
  })
}

/**
 * Enforces the idle and absolute session limits against the app's clock, then builds the actor the
 * policy judges: the user with today's acting-head delegations.
 */
export function currentUser(services: Services, config: Config): RequestHandler {
  const idleMs = config.sessionIdleMinutes * 60_000
  const absoluteMs = config.sessionAbsoluteHours * 3_600_000
  return async (req, res, next) => {
    res.locals.actor = null
    res.locals.user = null
    if (!req.user) return next()
    const now = services.clock.now().getTime()
    const { signedInAt, lastSeenAt } = req.session
    if (!signedInAt || !lastSeenAt || now - lastSeenAt > idleMs || now - signedInAt > absoluteMs) {
      await services.audit.record(requestContext(req), { action: 'session.expired', category: 'account', regionId: req.user.regionId, target: { type: 'user', id: req.user.id } })
      await signOut(req)
      // Back to the page that was being opened once signed in again; a form posted after expiry cannot be replayed.
      const returnTo = req.method === 'GET' && req.originalUrl !== '/' ? `&returnTo=${encodeURIComponent(req.originalUrl)}` : ''
      return res.redirect(303, `/sign-in?notice=expired${returnTo}`)
    }
    // Writing the session on every request would cost a database write per page; a minute's precision is enough.
    if (now - lastSeenAt >= LAST_SEEN_PRECISION_MS) req.session.lastSeenAt = now
    const acting = req.user.role === 'SENIOR_SPECIALIST' ? await services.delegations.actingHeadRegions(req.user.id) : []
    const actor: Actor = { id: req.user.id, role: req.user.role, regionId: req.user.regionId, actingHeadRegionIds: acting.map((a) => a.regionId) }
    res.locals.actor = actor
    res.locals.user = req.user
    res.locals.actingUntil = acting[0]?.endsOn ?? null
    next()
  }
}

/** Views ask the same policy as routes. */
export const policyForViews: RequestHandler = (_req, res, next) => {
  res.locals.can = (action: Action, resource?: Resource) => can(res.locals.actor ?? null, action, resource)
  next()
}

/** Someone whose password was reset must choose a new one before anything else. */
export const passwordChangeGate: RequestHandler = (req, res, next) => {
  const exempt = req.path === '/account/password' || req.path === '/account/two-factor' || req.path === '/sign-out' || req.path === '/language'
  if (req.user?.mustChangePassword && !exempt) return res.redirect(303, '/account/password')
  next()
}
