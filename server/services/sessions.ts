import type { Sequelize, Transaction } from 'sequelize'

/** Server-side sessions live in user_sessions (connect-pg-simple); ending them signs the user out everywhere. */
export function sessionRegistry(sequelize: Sequelize) {
  async function endSessionsOf(userId: number, transaction?: Transaction): Promise<number> {
    const [, result] = await sequelize.query(`DELETE FROM user_sessions WHERE sess -> 'passport' ->> 'user' = :userId`, {
      replacements: { userId: String(userId) },
      transaction,
    })
    return (result as { rowCount?: number } | undefined)?.rowCount ?? 0
  }
  return { endSessionsOf }
}

export type SessionRegistry = ReturnType<typeof sessionRegistry>
