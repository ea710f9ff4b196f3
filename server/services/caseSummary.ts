import type { CaseSummaryQueries } from '../data/caseSummary'
import type { Clock } from '../domain/clock'

/** Where a file's supervision stands: the latest assessment's risk, the plan in force, the next appointment. */
export interface CaseSummary {
  assessment: { riskLevel: string | null; completedOn: string | null; countersigned: boolean } | null
  plan: { reviewDate: string | null; contactsPerMonth: number } | null
  nextAppointment: { scheduledAt: Date; kind: string; place: string | null } | null
}

/** The file page's summary of the case, read from the assessments, the plans and the appointments. */
export function caseSummaryService(deps: { clock: Clock; queries: CaseSummaryQueries }) {
  const { clock, queries } = deps

  async function summaryOf(beneficiaryId: number): Promise<CaseSummary> {
    const row = await queries.summaryOf(beneficiaryId, clock.now())
    return {
      assessment: row.assessmentStatus === null ? null : { riskLevel: row.riskLevel, completedOn: row.completedOn, countersigned: row.assessmentStatus === 'COUNTERSIGNED' },
      plan: row.contactsPerMonth === null ? null : { reviewDate: row.reviewDate, contactsPerMonth: row.contactsPerMonth },
      nextAppointment: row.nextAt === null ? null : { scheduledAt: row.nextAt, kind: row.nextKind!, place: row.nextPlace },
    }
  }

  return { summaryOf }
}

export type CaseSummaryService = ReturnType<typeof caseSummaryService>
