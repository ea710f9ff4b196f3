import { serviceDateOf } from '../../server/domain/dates'
import { sampleInstrument } from '../../server/domain/sampleInstrument'
import type { Services } from '../../server/services'
import type { RequestContext } from '../../server/services/context'
import type { PlanView } from '../../server/services/plans'
import type { TestPerson } from './people'

/** What a service needs of a request, for a test person acting directly through the services. */
export function contextOf(person: TestPerson, actingHeadRegionIds: number[] = []): RequestContext {
  return { actor: { id: person.id, role: person.role, regionId: person.regionId, actingHeadRegionIds }, actorUsername: person.username, sourceIp: null, requestId: null }
}

/**
 * Needs found by the answers below: four domains of the sample instrument answered at their worst, every other item
 * at its best: a medium risk level overall, so the plan's frequency is the MEDIUM level's (2 a month by default).
 */
const NEED_DOMAINS = ['EDUCATION_EMPLOYMENT', 'FINANCES', 'ACCOMMODATION', 'LEISURE']

/**
 * Drives the services to a plan in force for a file, as the officer and the head would through the pages: an
 * assessment with every item answered (and evidence where the instrument asks for it), completed; the plan drafted
 * on it with each goal described and dated, the person's agreement, submitted by the officer, approved by the head.
 * The clock must stand at the day the plan should come into force.
 */
export async function planInForce(services: Services, beneficiaryId: number, officer: TestPerson, head: TestPerson): Promise<PlanView> {
  const officerContext = contextOf(officer)
  const headContext = contextOf(head)
  const instrument = sampleInstrument()
  const answers: Record<string, string> = {}
  const evidence: Record<string, string> = {}
  for (const domain of instrument.domains) {
    for (const item of domain.items) {
      const options = item.options
      answers[item.code] = NEED_DOMAINS.includes(domain.code) ? options[options.length - 1].code : options[0].code
      if (item.evidenceRequired) evidence[item.code] = 'Court records checked'
    }
  }
  const assessmentId = await services.assessments.start(beneficiaryId, null, officerContext)
  const draft = await services.assessments.get(assessmentId)
  const saved = await services.assessments.saveDraft(assessmentId, { answers, evidence, expectedVersion: draft.version }, officerContext)
  await services.assessments.complete(assessmentId, saved, officerContext)
  const planId = await services.plans.draftFor(beneficiaryId, officerContext)
  let plan = await services.plans.get(planId)
  for (const goal of plan.goals) {
    await services.plans.updateGoal(planId, goal.id, { needDomain: goal.needDomain, description: `Work on ${goal.needDomain ?? 'other'}`, targetDate: services.plans.defaultTargetDate(), status: 'ACTIVE' }, plan.version, officerContext)
    plan = await services.plans.get(planId)
  }
  const today = serviceDateOf(services.clock.now())
  await services.plans.recordAgreement(planId, { agreement: 'AGREES', words: null, on: today }, plan.version, officerContext)
  plan = await services.plans.get(planId)
  await services.plans.submit(planId, plan.version, officerContext)
  plan = await services.plans.get(planId)
  await services.plans.decide(planId, { approve: true, comment: null, overrideReason: null }, plan.version, headContext)
  return services.plans.get(planId)
}
