import type { RequestHandler } from 'express'
import session from 'express-session'
import connectPgSimple from 'connect-pg-simple'
import type pg from 'pg'
import type { Config } from '../config'

declare module 'express-session' {
  interface SessionData {
    // express-session has no absolute lifetime: the sign-in moment is kept to enforce one.
    signedInAt: number
    lastSeenAt: number
    language: string
  }
}

export const SESSION_COOKIE = 'probation.sid'

export function sessionMiddleware(config: Config, pool: pg.Pool): RequestHandler {
  const PgStore = connectPgSimple(session)
  return session({
    name: SESSION_COOKIE,
    secret: config.sessionSecret,
    store: new PgStore({ pool, tableName: 'user_sessions', createTableIfMissing: false, pruneSessionInterval: 15 * 60, ttl: config.sessionAbsoluteHours * 3600 }),
    resave: false,
    saveUninitialized: false,
    // Idle and absolute limits are enforced on the server (middleware/authentication.ts); the cookie lives
    // as long as the absolute limit, so that an unchanged session costs no write.
    rolling: false,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.env === 'production',
      maxAge: config.sessionAbsoluteHours * 3_600_000,
    },
  })
}
