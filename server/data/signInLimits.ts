import type { Sql } from './sql'

/* Counts of sign-in attempts per key (an address) over a window, shared by every instance of the app. */
export function signInLimitQueries(sql: Sql) {
  /** One more attempt: a key whose window has passed starts a new one at `now`. */
  async function hit(key: string, now: Date, windowMs: number): Promise<{ hits: number; resetsAt: Date }> {
    const [row] = await sql.rows<{ hits: number; resetsAt: Date }>(
      `INSERT INTO sign_in_limits AS l (key, hits, resets_at) VALUES ($1, 1, $2::timestamptz + $3 * interval '1 millisecond')
       ON CONFLICT (key) DO UPDATE
          SET hits = CASE WHEN l.resets_at <= $2 THEN 1 ELSE l.hits + 1 END,
              resets_at = CASE WHEN l.resets_at <= $2 THEN EXCLUDED.resets_at ELSE l.resets_at END
       RETURNING hits, resets_at`,
      [key, now, windowMs],
    )
    return row
  }

  /** An attempt that turned out not to count (it succeeded). */
  async function unhit(key: string): Promise<void> {
    await sql.rows('UPDATE sign_in_limits SET hits = greatest(hits - 1, 0) WHERE key = $1', [key])
  }

  async function clear(key: string): Promise<void> {
    await sql.rows('DELETE FROM sign_in_limits WHERE key = $1', [key])
  }

  /** Removes the counts whose window has passed. */
  async function prune(now: Date): Promise<void> {
    await sql.rows('DELETE FROM sign_in_limits WHERE resets_at <= $1', [now])
  }

  return { hit, unhit, clear, prune }
}

export type SignInLimitQueries = ReturnType<typeof signInLimitQueries>
