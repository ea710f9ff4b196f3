import type { RequestHandler } from 'express'
import { csrfSync } from 'csrf-sync'

/** Synchroniser-token CSRF protection on every state-changing request; the token lives in the session. */
export function csrfProtection(): { issueToken: RequestHandler; protect: RequestHandler } {
  const { csrfSynchronisedProtection, generateToken } = csrfSync({
    getTokenFromRequest: (req) => (req.body as Record<string, unknown> | undefined)?._csrf as string | undefined ?? req.get('x-csrf-token'),
  })
  return {
    issueToken: (req, res, next) => {
      res.locals.csrfToken = generateToken(req)
      next()
    },
    protect: csrfSynchronisedProtection,
  }
}
