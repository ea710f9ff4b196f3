import { QueryTypes, type Sequelize, type Transaction } from 'sequelize'
import { preparedQuery } from '../services/preparedStatements'

/*
 * The one way a query module talks to PostgreSQL: SQL text written in the code with `$1`, `$2`… for every value (bound
 * by the server, never spliced into the text), the caller's transaction when there is one, and rows back as plain
 * objects with camelCase keys, typed by the caller. Outside a transaction a statement is prepared once per pooled
 * connection and its plan reused: planning the lists' queries cost more than running them.
 */
export interface Sql {
  rows<T extends object>(text: string, values?: readonly unknown[], transaction?: Transaction): Promise<T[]>
  one<T extends object>(text: string, values?: readonly unknown[], transaction?: Transaction): Promise<T | undefined>
}

const camelNames = new Map<string, string>()
const camelCase = (name: string): string => {
  let camel = camelNames.get(name)
  if (camel === undefined) {
    camel = name.replace(/_([a-z0-9])/g, (_whole, letter: string) => letter.toUpperCase())
    camelNames.set(name, camel)
  }
  return camel
}
const camelRow = (row: Record<string, unknown>): Record<string, unknown> => {
  const camel: Record<string, unknown> = {}
  for (const name of Object.keys(row)) camel[camelCase(name)] = row[name]
  return camel
}

export function sqlOf(sequelize: Sequelize): Sql {
  async function rows<T extends object>(text: string, values: readonly unknown[] = [], transaction?: Transaction): Promise<T[]> {
    const found = transaction
      ? await sequelize.query<Record<string, unknown>>(text, { bind: [...values], type: QueryTypes.SELECT, transaction })
      : await preparedQuery<Record<string, unknown>>(sequelize, text, [...values])
    return found.map((row) => camelRow(row) as T)
  }
  return {
    rows,
    one: async <T extends object>(text: string, values: readonly unknown[] = [], transaction?: Transaction) => (await rows<T>(text, values, transaction))[0],
  }
}
