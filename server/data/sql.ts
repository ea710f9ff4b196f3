import { QueryTypes, type Sequelize, type Transaction } from 'sequelize'

/*
 * The one way a query module talks to PostgreSQL: SQL text written in the code with `$1`, `$2`… for every value (bound
 * by the server, never spliced into the text), the caller's transaction when there is one, and rows back as plain
 * objects with camelCase keys, typed by the caller.
 */
export interface Sql {
  rows<T extends object>(text: string, values?: readonly unknown[], transaction?: Transaction): Promise<T[]>
  one<T extends object>(text: string, values?: readonly unknown[], transaction?: Transaction): Promise<T | undefined>
}

const camelCase = (name: string) => name.replace(/_([a-z0-9])/g, (_whole, letter: string) => letter.toUpperCase())

export function sqlOf(sequelize: Sequelize): Sql {
  async function rows<T extends object>(text: string, values: readonly unknown[] = [], transaction?: Transaction): Promise<T[]> {
    const found = await sequelize.query<Record<string, unknown>>(text, { bind: [...values], type: QueryTypes.SELECT, transaction })
    return found.map((row) => Object.fromEntries(Object.entries(row).map(([name, value]) => [camelCase(name), value])) as T)
  }
  return {
    rows,
    one: async <T extends object>(text: string, values: readonly unknown[] = [], transaction?: Transaction) => (await rows<T>(text, values, transaction))[0],
  }
}
