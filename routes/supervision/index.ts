import { Router, type Request, type Response } from 'express'
import Joi from 'joi'
import type { Authorize } from '../../server/middleware/authorize'
import { requestContext } from '../../server/middleware/requestContext'
import { formatDateTime, serviceDateOf } from '../../server/domain/dates'
import { formatProblem, questionNumbers } from '../../server/domain/instruments'
import { AGREEMENTS, GOAL_STATUSES, REASSESSMENT_REASONS, STEP_KINDS, SUPERVISION_DEADLINE_RULES, type AssessmentReason } from '../../server/domain/supervision'
import { RISK_LEVELS } from '../../server/domain/deadlineRules'
import type { Services } from '../../server/services'
import { IncompleteAssessmentError, InstrumentImportError } from '../../server/services/assessments'
import { ServiceError, StaleEditError } from '../../server/services/context'
import { id, isoDate, line, text, translateErrors, type FieldErrors, typedValues, validate, version } from '../../server/validation'
import { mustGiveReason } from '../beneficiaries/accessReason'
import { param, type FormErrors } from '../forms'

const beneficiaryParam = Joi.object({ beneficiaryId: id.required() }).unknown(true)
const assessmentParam = Joi.object({ assessmentId: id.required() }).unknown(true)
const planParam = Joi.object({ planId: id.required() }).unknown(true)
const goalParam = Joi.object({ goalId: id.required() }).unknown(true)
const stepParam = Joi.object({ stepId: id.required() }).unknown(true)

const startSchema = Joi.object({ reason: Joi.string().valid(...REASSESSMENT_REASONS).allow('').empty('').default(null) })
const goalSchema = Joi.object({
  needDomain: Joi.string().trim().pattern(/^[A-Z][A-Z0-9_]{0,59}$/).allow('').empty('').default(null),
  description: text(1000).allow('').default(''),
  targetDate: isoDate.allow('').empty('').default(null),
  status: Joi.string().valid(...GOAL_STATUSES).default('ACTIVE'),
  version,
})
const stepSchema = Joi.object({ kind: Joi.string().valid(...STEP_KINDS).required(), description: text(1000).required(), responsible: line(200).required(), dueDate: isoDate.allow('').empty('').default(null), version })
const agreementSchema = Joi.object({ agreement: Joi.string().valid(...AGREEMENTS).required(), words: text(2000).allow('').empty('').default(null), on: isoDate.required(), version })
const decideSchema = Joi.object({ decision: Joi.string().valid('approve', 'return').required(), comment: text(2000).allow('').empty('').default(null), overrideReason: text(1000).allow('').empty('').default(null), version })
const versionOnly = Joi.object({ version })
const frequencySchema = Joi.object({ level: Joi.string().valid(...RISK_LEVELS).required(), contactsPerMonth: Joi.number().integer().min(1).max(31).required(), version: Joi.number().integer().min(0).required() })

/** The assessment form's fields: `answer_<item>` (an option code) and `evidence_<item>` (free text). */
const answersSchema = Joi.object()
  .pattern(/^answer_[A-Za-z0-9_-]{1,60}$/, Joi.string().trim().max(60).allow(''))
  .pattern(/^evidence_[A-Za-z0-9_-]{1,60}$/, text(4000).allow(''))

/**
 * The answers and evidence typed, and what is wrong with them beside their fields (evidence too long or with control
 * characters is refused whole: dropping it would erase what was saved for that item).
 */
function answersFrom(body: unknown): { answers: Record<string, string>; evidence: Record<string, string>; problems: FieldErrors } {
  const form = validate(answersSchema, body)
  const fields = (form.ok ? form.value : form.values) as Record<string, string>
  const answers: Record<string, string> = {}
  const evidence: Record<string, string> = {}
  for (const [key, value] of Object.entries(fields)) {
    const match = /^(answer|evidence)_([A-Za-z0-9_-]{1,60})$/.exec(key)
    if (match && typeof value === 'string') (match[1] === 'answer' ? answers : evidence)[match[2]] = value
  }
  return { answers, evidence, problems: form.ok ? {} : form.errors }
}

/** Risk and needs assessments, supervision plans, and the instruments behind them. */
export function supervisionRoutes(services: Services, authorize: Authorize): Router {
  const router = Router()
  const { assessments, plans, beneficiaries } = services
  const fileOf = (req: Request) => beneficiaries.facts(param(beneficiaryParam, req, 'beneficiaryId'))
  const assessmentFile = async (req: Request) => beneficiaries.facts(await assessments.beneficiaryOf(param(assessmentParam, req, 'assessmentId')))
  const planFile = async (req: Request) => beneficiaries.facts((await plans.facts(param(planParam, req, 'planId'))).beneficiaryId)
  // Nobody countersigns or approves their own work: the policy sees who wrote or submitted it.
  const assessmentWithAuthor = async (req: Request) => ({ ...(await assessmentFile(req)), userId: (await assessments.get(param(assessmentParam, req, 'assessmentId'))).authorUserId })
  const planWithSubmitter = async (req: Request) => {
    const plan = await plans.facts(param(planParam, req, 'planId'))
    return { ...(await beneficiaries.facts(plan.beneficiaryId)), userId: plan.submittedByUserId ?? undefined }
  }

  router.get('/beneficiaries/:beneficiaryId/supervision', authorize('assessment.view', fileOf, { hideExistence: true }), async (req, res) => {
    const beneficiaryId = param(beneficiaryParam, req, 'beneficiaryId')
    const file = await fileOf(req)
    if (mustGiveReason(req, res, file)) return res.redirect(303, `/beneficiaries/${beneficiaryId}`)
    const [person, list, history, openDeadlines] = await Promise.all([beneficiaries.get(beneficiaryId), assessments.forBeneficiary(beneficiaryId), plans.history(beneficiaryId), services.deadlines.forBeneficiary(beneficiaryId, true)])
    await beneficiaries.recordView(beneficiaryId, file.regionId, 'supervision.view', requestContext(req))
    res.render('pages/supervision/overview', {
      file: person, resource: file, assessments: list, plans: history, reasons: REASSESSMENT_REASONS,
      deadlines: openDeadlines.filter((deadline) => (SUPERVISION_DEADLINE_RULES as readonly string[]).includes(deadline.ruleId)),
      errors: {}, values: {},
    })
  })

  router.post('/beneficiaries/:beneficiaryId/assessments', authorize('assessment.edit', fileOf, { hideExistence: true }), async (req, res) => {
    const beneficiaryId = param(beneficiaryParam, req, 'beneficiaryId')
    const form = validate(startSchema, req.body)
    try {
      const assessmentId = await assessments.start(beneficiaryId, form.ok ? (form.value.reason as AssessmentReason | null) : null, requestContext(req))
      res.redirect(303, `/assessments/${assessmentId}`)
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error
      res.redirect(303, `/beneficiaries/${beneficiaryId}/supervision?reasonRequired=1`)
    }
  })

  async function renderAssessment(req: Request, res: Response, assessmentId: number, data: { errors?: Record<string, string>; values?: { answers: Record<string, string>; evidence: Record<string, string> }; stale?: boolean; unanswered?: readonly string[] } = {}, status = 200) {
    const assessment = await assessments.get(assessmentId)
    const [person, comparison] = await Promise.all([beneficiaries.get(assessment.beneficiaryId), assessments.comparison(assessment)])
    if (status === 200) await beneficiaries.recordView(assessment.beneficiaryId, person.regionId, 'assessment.view', requestContext(req))
    res.status(status).render('pages/supervision/assessment', {
      assessment, file: person, resource: res.locals.policyResource, comparison,
      answers: data.values?.answers ?? assessment.answers, evidence: data.values?.evidence ?? assessment.evidence,
      errors: data.errors ?? {}, stale: data.stale ?? false, unanswered: data.unanswered ?? [], questionNumbers: questionNumbers(assessment.instrument),
    })
  }

  router.get('/assessments/:assessmentId', authorize('assessment.view', assessmentFile, { hideExistence: true }), async (req, res) => {
    const file = await assessmentFile(req)
    if (mustGiveReason(req, res, file)) return res.redirect(303, `/beneficiaries/${file.id}`)
    await renderAssessment(req, res, param(assessmentParam, req, 'assessmentId'))
  })

  /** Saved as the officer types (the page posts it in the background and asks for JSON) or with the save button. */
  router.post('/assessments/:assessmentId/draft', authorize('assessment.edit', assessmentFile, { hideExistence: true }), async (req, res) => {
    const assessmentId = param(assessmentParam, req, 'assessmentId')
    const wantsJson = req.get('accept')?.includes('application/json') ?? false
    const expected = versionOnly.validate({ version: req.body?.version }, { stripUnknown: true })
    const { problems, ...typed } = answersFrom(req.body)
    if (expected.error) return wantsJson ? res.status(400).json({ error: res.locals.t('validation.invalid') }) : renderAssessment(req, res, assessmentId, { values: typed, errors: { version: res.locals.t('validation.invalid') } }, 400)
    if (Object.keys(problems).length > 0) {
      const errors = translateErrors(problems, res.locals.t)
      const [field] = Object.keys(errors)
      return wantsJson ? res.status(400).json({ error: errors[field], field }) : renderAssessment(req, res, assessmentId, { values: typed, errors }, 400)
    }
    try {
      const saved = await assessments.saveDraft(assessmentId, { ...typed, expectedVersion: expected.value.version }, requestContext(req))
      if (wantsJson) return res.json({ version: saved, savedAt: formatDateTime(services.clock.now()) })
      res.redirect(303, `/assessments/${assessmentId}`)
    } catch (error) {
      if (error instanceof StaleEditError) return wantsJson ? res.status(409).json({ error: res.locals.t('assessment.staleDraft') }) : renderAssessment(req, res, assessmentId, { values: typed, stale: true, errors: {} }, 409)
      if (error instanceof ServiceError) return wantsJson ? res.status(400).json({ error: res.locals.t(error.code, error.params), field: error.field }) : renderAssessment(req, res, assessmentId, { values: typed, errors: { [error.field ?? 'version']: res.locals.t(error.code, error.params) } }, 400)
      throw error
    }
  })

  router.post('/assessments/:assessmentId/complete', authorize('assessment.edit', assessmentFile, { hideExistence: true }), async (req, res) => {
    const assessmentId = param(assessmentParam, req, 'assessmentId')
    const expected = versionOnly.validate({ version: req.body?.version }, { stripUnknown: true })
    const { problems, ...typed } = answersFrom(req.body)
    if (expected.error) return renderAssessment(req, res, assessmentId, { values: typed, errors: { version: res.locals.t('validation.invalid') } }, 400)
    if (Object.keys(problems).length > 0) return renderAssessment(req, res, assessmentId, { values: typed, errors: translateErrors(problems, res.locals.t) }, 400)
    try {
      // What is on the screen is saved first, so completing never loses the last answers typed.
      const saved = await assessments.saveDraft(assessmentId, { ...typed, expectedVersion: expected.value.version }, requestContext(req))
      await assessments.complete(assessmentId, saved, requestContext(req))
    } catch (error) {
      if (error instanceof StaleEditError) return renderAssessment(req, res, assessmentId, { values: typed, stale: true }, 409)
      const unanswered = error instanceof IncompleteAssessmentError ? error.missingItems : []
      if (error instanceof ServiceError) return renderAssessment(req, res, assessmentId, { values: typed, errors: { [error.field ?? 'version']: res.locals.t(error.code, error.params) }, unanswered }, 400)
      throw error
    }
    res.redirect(303, `/assessments/${assessmentId}`)
  })

  router.post('/assessments/:assessmentId/countersign', authorize('assessment.countersign', assessmentWithAuthor, { hideExistence: true }), async (req, res) => {
    const assessmentId = param(assessmentParam, req, 'assessmentId')
    const form = validate(versionOnly, req.body)
    if (!form.ok) return renderAssessment(req, res, assessmentId, { errors: { countersign: res.locals.t('validation.invalid') } }, 400)
    try {
      await assessments.countersign(assessmentId, form.value.version, requestContext(req))
    } catch (error) {
      if (error instanceof StaleEditError) return renderAssessment(req, res, assessmentId, { stale: true }, 409)
      if (error instanceof ServiceError) return renderAssessment(req, res, assessmentId, { errors: { countersign: res.locals.t(error.code) } }, 400)
      throw error
    }
    res.redirect(303, `/assessments/${assessmentId}`)
  })

  // -------------------------------------------------------------------------------------------------------
  // Plans

  router.post('/beneficiaries/:beneficiaryId/plans', authorize('plan.edit', fileOf, { hideExistence: true }), async (req, res) => {
    const beneficiaryId = param(beneficiaryParam, req, 'beneficiaryId')
    try {
      res.redirect(303, `/plans/${await plans.draftFor(beneficiaryId, requestContext(req))}`)
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error
      res.redirect(303, `/beneficiaries/${beneficiaryId}/supervision?noAssessment=1`)
    }
  })

  async function renderPlan(req: Request, res: Response, planId: number, data: { errors?: FormErrors; values?: FormErrors; stale?: boolean } = {}, status = 200) {
    const plan = await plans.get(planId)
    const [person, assessment] = await Promise.all([beneficiaries.get(plan.beneficiaryId), assessments.get(plan.assessmentId)])
    if (status === 200) await beneficiaries.recordView(plan.beneficiaryId, person.regionId, 'plan.view', requestContext(req))
    res.status(status).render('pages/supervision/plan', {
      plan, file: person, resource: res.locals.policyResource, instrument: assessment.instrument, stepKinds: STEP_KINDS, goalStatuses: GOAL_STATUSES, agreements: AGREEMENTS,
      defaultTargetDate: plans.defaultTargetDate(), today: serviceDateOf(services.clock.now()), errors: data.errors ?? {}, values: data.values ?? {}, stale: data.stale ?? false,
    })
  }

  router.get('/plans/:planId', authorize('plan.view', planFile, { hideExistence: true }), async (req, res) => {
    const file = await planFile(req)
    if (mustGiveReason(req, res, file)) return res.redirect(303, `/beneficiaries/${file.id}`)
    await renderPlan(req, res, param(planParam, req, 'planId'))
  })

  function planAction<T>(path: string, action: 'plan.edit' | 'plan.decide', schema: Joi.ObjectSchema<T>, defaultField: string, act: (planId: number, value: T, req: Request) => Promise<unknown>) {
    router.post(`/plans/:planId/${path}`, authorize(action, action === 'plan.decide' ? planWithSubmitter : planFile, { hideExistence: true }), async (req, res) => {
      const planId = param(planParam, req, 'planId')
      const formKey = path.replace(':goalId', String(req.params.goalId ?? '')).replace(':stepId', String(req.params.stepId ?? ''))
      const form = validate(schema, req.body)
      const values = { [formKey]: typedValues(schema, req.body) }
      if (!form.ok) return renderPlan(req, res, planId, { errors: { [formKey]: translateErrors(form.errors, res.locals.t) }, values }, 400)
      try {
        await act(planId, form.value, req)
      } catch (error) {
        if (error instanceof StaleEditError) return renderPlan(req, res, planId, { errors: { [formKey]: { [defaultField]: res.locals.t('form.staleEdit') } }, values, stale: true }, 409)
        if (error instanceof ServiceError) return renderPlan(req, res, planId, { errors: { [formKey]: { [error.field ?? defaultField]: res.locals.t(error.code, error.params) } }, values }, 400)
        throw error
      }
      res.redirect(303, `/plans/${planId}`)
    })
  }

  const goalInput = (value: Joi.ValidationResult['value']) => ({ needDomain: value.needDomain, description: value.description, targetDate: value.targetDate, status: value.status })
  planAction('goals', 'plan.edit', goalSchema, 'description', (planId, value, req) => plans.addGoal(planId, goalInput(value), value.version, requestContext(req)))
  planAction('goals/:goalId', 'plan.edit', goalSchema, 'description', (planId, value, req) => plans.updateGoal(planId, param(goalParam, req, 'goalId'), goalInput(value), value.version, requestContext(req)))
  planAction('goals/:goalId/steps', 'plan.edit', stepSchema, 'description', (planId, value, req) =>
    plans.addStep(planId, param(goalParam, req, 'goalId'), { kind: value.kind, description: value.description, responsible: value.responsible, dueDate: value.dueDate }, value.version, requestContext(req)))
  planAction('steps/:stepId/delete', 'plan.edit', versionOnly, 'version', (planId, value, req) => plans.removeStep(planId, param(stepParam, req, 'stepId'), value.version, requestContext(req)))
  planAction('agreement', 'plan.edit', agreementSchema, 'agreement', (planId, value, req) => plans.recordAgreement(planId, { agreement: value.agreement, words: value.words, on: value.on }, value.version, requestContext(req)))
  planAction('submit', 'plan.edit', versionOnly, 'version', (planId, value, req) => plans.submit(planId, value.version, requestContext(req)))
  planAction('decide', 'plan.decide', decideSchema, 'overrideReason', (planId, value, req) =>
    plans.decide(planId, { approve: value.decision === 'approve', comment: value.comment, overrideReason: value.overrideReason }, value.version, requestContext(req)))

  // -------------------------------------------------------------------------------------------------------
  // Instruments and the contact frequency table

  async function renderInstruments(res: Response, data: { problems?: string[]; imported?: string | null; frequencyErrors?: Record<string, string> } = {}, status = 200) {
    const [list, frequencies] = await Promise.all([assessments.instruments(), plans.frequencySettings()])
    res.status(status).render('pages/supervision/instruments', { instruments: list, frequencies, problems: data.problems ?? [], imported: data.imported ?? null, frequencyErrors: data.frequencyErrors ?? {} })
  }

  router.get('/instruments', authorize('instrument.list'), async (req, res) => {
    await renderInstruments(res, { imported: typeof req.query.imported === 'string' ? req.query.imported.slice(0, 80) : null })
  })

  router.post('/instruments/import', authorize('instrument.import'), async (req, res) => {
    const lang = res.locals.lang
    if (req.uploadProblem) return renderInstruments(res, { problems: [res.locals.t(`document.${req.uploadProblem}`)] }, 400)
    if (!req.file) return renderInstruments(res, { problems: [res.locals.t('document.missing')] }, 400)
    try {
      const { code, version: imported } = await assessments.importInstrument(req.file.buffer.toString('utf8'), requestContext(req))
      res.redirect(303, `/instruments?imported=${encodeURIComponent(`${code} v${imported}`)}`)
    } catch (error) {
      if (error instanceof InstrumentImportError) return renderInstruments(res, { problems: error.problems.map((problem) => formatProblem(problem, lang)) }, 400)
      if (error instanceof ServiceError) return renderInstruments(res, { problems: [res.locals.t(error.code, error.params)] }, 400)
      throw error
    }
  })

  router.post('/instruments/contact-frequency', authorize('contactFrequency.edit'), async (req, res) => {
    const form = validate(frequencySchema, req.body)
    if (!form.ok) return renderInstruments(res, { frequencyErrors: { [String(req.body?.level ?? '')]: Object.values(translateErrors(form.errors, res.locals.t)).join(' ') } }, 400)
    try {
      await plans.setFrequency(form.value.level, form.value.contactsPerMonth, form.value.version, requestContext(req))
    } catch (error) {
      if (error instanceof StaleEditError) return renderInstruments(res, { frequencyErrors: { [form.value.level]: res.locals.t('form.staleEdit') } }, 409)
      if (error instanceof ServiceError) return renderInstruments(res, { frequencyErrors: { [form.value.level]: res.locals.t(error.code) } }, 400)
      throw error
    }
    res.redirect(303, '/instruments')
  })

  return router
}
