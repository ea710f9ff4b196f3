import type { Sql } from './sql'

/** Where a file's supervision stands, read in one statement: the latest completed assessment, the plan in force, the next appointment. */
export interface CaseSummaryRow {
  riskLevel: string | null
  completedOn: string | null
  assessmentStatus: string | null
  reviewDate: string | null
  contactsPerMonth: number | null
  nextAt: Date | null
  nextKind: string | null
  nextPlace: string | null
}

export function caseSummaryQueries(sql: Sql) {
  /** Each part by key, so the file page reads a few index entries and none of the assessment's answers or the plan's goals. */
  async function summaryOf(beneficiaryId: number, from: Date): Promise<CaseSummaryRow> {
    const row = await sql.one<CaseSummaryRow>(
      `SELECT a.risk_level, a.completed_on, a.status AS assessment_status, p.review_date, p.contacts_per_month,
              n.scheduled_at AS next_at, n.kind AS next_kind, n.place AS next_place
         FROM (SELECT 1) one
         LEFT JOIN LATERAL (SELECT risk_level, completed_on, status FROM assessments WHERE beneficiary_id = $1 AND status <> 'DRAFT' ORDER BY id DESC LIMIT 1) a ON true
         LEFT JOIN LATERAL (SELECT review_date, contacts_per_month FROM supervision_plans WHERE beneficiary_id = $1 AND status = 'APPROVED' LIMIT 1) p ON true
         LEFT JOIN LATERAL (SELECT scheduled_at, kind, place FROM appointments
                             WHERE beneficiary_id = $1 AND cancelled_at IS NULL AND outcome IS NULL AND scheduled_at >= $2 ORDER BY scheduled_at LIMIT 1) n ON true`,
      [beneficiaryId, from],
    )
    return row!
  }
  return { summaryOf }
}

export type CaseSummaryQueries = ReturnType<typeof caseSummaryQueries>
