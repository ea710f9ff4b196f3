import type { RequestHandler } from 'express'
import session from 'express-session'
import connectPgSimple from 'connect-pg-simple'
import type pg from 'pg'
import type { Config } from '../config'
import { statementName } from '../services/preparedStatements'
import { SESSION_USER_COLUMNS, sessionUserOf, type SessionUser } from '../services/users'

declare module 'express-session' {
  interface SessionData {
    // express-session has no absolute lifetime: the sign-in moment is kept to enforce one.
    signedInAt: number
    lastSeenAt: number
    language: string
  }
}

export const SESSION_COOKIE = 'probation.sid'

// connect-pg-simple's read of a session, exactly as it sends it (its table name quoted).
const STORE_GET = 'SELECT sess FROM "user_sessions" WHERE sid = $1 AND expire >= to_timestamp($2)'
// The same read with the signed-in user (active accounts only) in the same statement: one round trip instead of two on
// every request. The user id is the one passport keeps in the session (middleware/authentication.ts).
const STORE_GET_WITH_USER = `SELECT s.sess, ${SESSION_USER_COLUMNS}
    FROM user_sessions s
    LEFT JOIN users u ON u.active AND u.id = CASE WHEN s.sess -> 'passport' ->> 'user' ~ '^[0-9]{1,9}$' THEN (s.sess -> 'passport' ->> 'user')::int END
    LEFT JOIN regions r ON r.id = u.region_id
   WHERE s.sid = $1 AND s.expire >= to_timestamp($2)`

/**
 * The user read with the last session loaded: the store's callback runs express-session and then passport's
 * deserializer without waiting on anything, so the deserializer of the same request takes it at once. It is taken
 * only for the same session id and user id, and only once; anything else makes the deserializer read the user itself.
 */
let loadedWithSession: { sid: string; userId: string | undefined; user: SessionUser | null } | null = null

/** The active user read with this request's session (null: none active with that id), or undefined when there is none to take. */
export function takeUserLoadedWithSession(sid: string | undefined, userId: string): SessionUser | null | undefined {
  const loaded = loadedWithSession
  loadedWithSession = null
  return loaded !== null && loaded.sid === sid && loaded.userId === userId ? loaded.user : undefined
}

/** The store's pool: statements prepared once per connection, and the session read with its user. */
function preparingPool(pool: pg.Pool): pg.Pool {
  const query = async (text: string, values: unknown[] = []) => {
    if (text !== STORE_GET) return pool.query({ name: statementName(text), text, values })
    loadedWithSession = null
    const result = await pool.query<SessionUser & { sess: { passport?: { user?: unknown } } | string }>({ name: statementName(STORE_GET_WITH_USER), text: STORE_GET_WITH_USER, values })
    const row = result.rows[0]
    if (!row) return { rows: [] }
    const sess = typeof row.sess === 'string' ? (JSON.parse(row.sess) as { passport?: { user?: unknown } }) : row.sess
    const userId = sess.passport?.user
    loadedWithSession = { sid: String(values[0]), userId: userId === undefined ? undefined : String(userId), user: row.id === null ? null : sessionUserOf(row) }
    return { rows: [{ sess: row.sess }] }
  }
  return { query } as unknown as pg.Pool
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
