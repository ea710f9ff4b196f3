import type { CaseSummaryQueries, NextAppointment } from '../data/caseSummary'
import type { Clock } from '../domain/clock'
import type { AssessmentService } from './assessments'
import type { PlanService } from './plans'

/** Where a file's supervision stands: the latest assessment's risk, the plan in force, the next appointment. */
export interface CaseSummary {
  assessment: { riskLevel: string | null; completedOn: string | null; countersigned: boolean } | null
  plan: { reviewDate: string | null; contactsPerMonth: number } | null
  nextAppointment: NextAppointment | null
}

/** The file page's summary of the case, read from the assessments, the plans and the appointments. */
export function caseSummaryService(deps: { clock: Clock; assessments: Pick<AssessmentService, 'latestCompleted'>; plans: Pick<PlanService, 'inForce'>; queries: CaseSummaryQueries }) {
  const { clock, assessments, plans, queries } = deps

  async function summaryOf(beneficiaryId: number): Promise<CaseSummary> {
    const [assessment, plan, nextAppointment] = await Promise.all([assessments.latestCompleted(beneficiaryId), plans.inForce(beneficiaryId), queries.nextAppointment(beneficiaryId, clock.now())])
    return {
      assessment: assessment && { riskLevel: assessment.riskLevel, completedOn: assessment.completedOn, countersigned: assessment.status === 'COUNTERSIGNED' },
      plan: plan && { reviewDate: plan.reviewDate, contactsPerMonth: plan.contactsPerMonth },
      nextAppointment: nextAppointment ?? null,
    }
  }

  return { summaryOf }
}

export type CaseSummaryService = ReturnType<typeof caseSummaryService>
