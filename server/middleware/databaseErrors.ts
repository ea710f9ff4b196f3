import { ConnectionError, ConnectionAcquireTimeoutError } from 'sequelize'

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08003', '08006'])

/** True when an error means the database cannot be reached (as opposed to a bug or a bad query). */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof ConnectionError || error instanceof ConnectionAcquireTimeoutError) return true
  const candidate = error as { code?: string; parent?: { code?: string }; message?: string } | null
  if (!candidate) return false
  if (CONNECTION_CODES.has(candidate.code ?? '') || CONNECTION_CODES.has(candidate.parent?.code ?? '')) return true
  return /Connection terminated|timeout exceeded when trying to connect|connect ECONNREFUSED/i.test(candidate.message ?? '')
}
