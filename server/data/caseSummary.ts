import type { Sql } from './sql'

/** The next appointment of a file, not cancelled, from a moment on. */
export interface NextAppointment {
  scheduledAt: Date
  kind: string
  place: string | null
}

export function caseSummaryQueries(sql: Sql) {
  async function nextAppointment(beneficiaryId: number, from: Date): Promise<NextAppointment | undefined> {
    return sql.one(
      `SELECT scheduled_at, kind, place FROM appointments
        WHERE beneficiary_id = $1 AND cancelled_at IS NULL AND outcome IS NULL AND scheduled_at >= $2 ORDER BY scheduled_at LIMIT 1`,
      [beneficiaryId, from],
    )
  }
  return { nextAppointment }
}

export type CaseSummaryQueries = ReturnType<typeof caseSummaryQueries>
