import { createHash } from 'node:crypto'
import type pg from 'pg'
import type { Sequelize } from 'sequelize'

/*
 * The reads that run on nearly every page (the signed-in user, the personal file, the register, the search) go to
 * PostgreSQL as named prepared statements on Sequelize's own pooled connections: each connection parses and plans
 * a statement once (planning cost more than executing most of them: README, Performance), and no Sequelize query object
 * is built per call. Only statements whose text comes from the code go here, never text built from input: the
 * values always travel as parameters. Writes inside a transaction keep using Sequelize (its connection).
 */

const names = new Map<string, string>()

/** A statement's name on a connection: derived from its text, so one text is prepared once per connection. */
export function statementName(text: string): string {
  let name = names.get(text)
  if (!name) {
    name = `s_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`
    names.set(text, name)
  }
  return name
}

// As Sequelize's own queries do: a connection that failed this way is not given out again.
const BROKEN_CONNECTION = /Unable to set non-blocking to true|SSL SYSCALL error: EOF detected|Query read timeout/i

type Logging = false | ((sql: string, options: { bind: unknown[] }) => void)

/** Runs a statement (`$1`, `$2`… for `values`) on a pooled connection as a named prepared statement; returns the rows. */
export async function preparedQuery<T extends object>(sequelize: Sequelize, text: string, values: unknown[] = []): Promise<T[]> {
  // Sequelize reads options.logging at every query; its typings do not declare the field. The benchmark's in-process
  // timings use it to collect the statements it explains, with their values.
  const logging = (sequelize as unknown as { options: { logging: Logging } }).options.logging
  if (logging) logging(`Executing (prepared): ${text}`, { bind: values })
  const connection = (await sequelize.connectionManager.getConnection({ type: 'read' })) as pg.Client & { _invalid?: boolean }
  try {
    const result = await connection.query<T>({ name: statementName(text), text, values })
    return result.rows
  } catch (error) {
    if ((error as { code?: string }).code === 'ECONNRESET' || BROKEN_CONNECTION.test(String((error as Error).message))) connection._invalid = true
    throw error
  } finally {
    sequelize.connectionManager.releaseConnection(connection)
  }
}
