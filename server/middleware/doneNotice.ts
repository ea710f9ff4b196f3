import type { RequestHandler } from 'express'
import { collectingRecordedActions, type RecordedAction } from '../services/audit'

declare module 'express-session' {
  interface SessionData {
    /** What the last form changed, told on the page it led to. */
    doneActions: RecordedAction[]
  }
}

/** Actions that read or leave rather than change: nothing to tell. */
const NOT_TOLD = /^(signIn|signOut|access\.denied|session\.expired|account\.locked)$|\.(view|viewVictim|accessReason|print|export|exportNational|download|calendarExport)$/

/**
 * After a form changes something, the page it leads to says what was done ("Letter signed · ԱՐ-Ե-2026-0012"), in the user's language:
 * the actions the audit log recorded while the form was handled, carried through the redirect in the session.
 */
export const doneNotice: RequestHandler = (req, res, next) => {
  if (req.method === 'GET' && req.session?.doneActions) {
    res.locals.doneActions = req.session.doneActions
    delete req.session.doneActions
  }
  if (req.method !== 'POST') return next()
  const actions: RecordedAction[] = []
  const redirect = res.redirect.bind(res) as (...args: unknown[]) => void
  res.redirect = ((...args: unknown[]) => {
    const told = actions.filter((recorded, index) => !NOT_TOLD.test(recorded.action) && actions.findIndex((other) => other.action === recorded.action && other.reference === recorded.reference) === index)
    if (!req.session) return redirect(...args)
    if (told.length > 0) req.session.doneActions = told
    // Saved before the redirect is sent: express-session would otherwise send the headers while it saves, and a browser
    // following the Location at once can load the next page before the notice (or the form's other session change) is stored.
    req.session.save((error) => (error ? next(error) : redirect(...args)))
  }) as typeof res.redirect
  collectingRecordedActions(actions, next)
}
