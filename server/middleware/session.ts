import type { RequestHandler } from 'express'
import session from 'express-session'
import connectPgSimple from 'connect-pg-simple'
import type pg from 'pg'
import type { Config } from '../config'
import { statementName } from '../services/preparedStatements'

declare module 'express-session' {
  interface SessionData {
    // express-session has no absolute lifetime: the sign-in moment is kept to enforce one.
    signedInAt: number
    lastSeenAt: number
    language: string
  }
}

export const SESSION_COOKIE = 'probation.sid'

/** The store's pool, its statements prepared once per connection (it sends the same few texts on every request). */
function preparingPool(pool: pg.Pool): pg.Pool {
  return { query: (text: string, values?: unknown[]) => pool.query({ name: statementName(text), text, values }) } as unknown as pg.Pool
}

export function sessionMiddleware(config: Config, pool: pg.Pool): RequestHandler {
  const PgStore = connectPgSimple(session)
  return session({
    name: SESSION_COOKIE,
    secret: config.sessionSecret,
    // No touch: express-session would otherwise UPDATE the row's expiry after every request that did not change the
    // session. The row's expiry is set whenever the session is saved (sign-in, then at most once a minute as
    // lastSeenAt moves), always at least the absolute limit ahead; the idle and absolute limits are enforced on the
    // server (middleware/authentication.ts) and pruning removes rows past their expiry.
    store: new PgStore({ pool: preparingPool(pool), tableName: 'user_sessions', createTableIfMissing: false, pruneSessionInterval: 15 * 60, ttl: config.sessionAbsoluteHours * 3600, disableTouch: true }),
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
