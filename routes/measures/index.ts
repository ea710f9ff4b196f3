import { randomUUID } from 'node:crypto'
import { Router, type Request, type Response } from 'express'
import Joi from 'joi'
import type { Authorize } from '../../server/middleware/authorize'
import { requestContext } from '../../server/middleware/requestContext'
import { isMeasureCode, MEASURE_CODES, measureType, type MeasureCode, type MeasureField } from '../../server/domain/measureCatalogue'
import { END_REASON_CODES, LIFECYCLE_ACTIONS, LIFECYCLE_STATES } from '../../server/domain/measureLifecycle'
import { explainDueDateLines } from '../../server/domain/deadlineRules'
import { VIOLATION_KINDS, VIOLATION_OUTCOMES } from '../../server/domain/violations'
import { ALERT_KINDS } from '../../server/services/monitoring'
import { parseDate } from '../../server/domain/dates'
import type { Services } from '../../server/services'
import { AlreadySubmitted, ServiceError } from '../../server/services/context'
import { CHANGE_KINDS, COURT_ACT_KINDS, MeasureDetailsError, type MeasureInput } from '../../server/services/measures'
import { decimal, id, isoDate, line, requiredFieldsOf, submissionIdField, text, translateErrors, typedValues, validate } from '../../server/validation'
import { mustGiveReason } from '../beneficiaries/accessReason'
import { param } from '../forms'

const MAX_MEASURES_PER_ACT = 4
/** The measure page's forms that create a record (besides a device's alerts, whose form each installed device has). */
const SUBMITTED_ONCE = ['sessions', 'payments', 'violations', 'placements', 'notices', 'obligations', 'reports', 'devices']
/** A create form's one-time id. */

const actSchema = Joi.object({
  court: line(200).required(),
  caseNumber: line(60).required(),
  kind: Joi.string().valid(...COURT_ACT_KINDS).required(),
  actDate: isoDate.required(),
  inForceDate: isoDate.allow('').empty('').default(null),
  receivedDate: isoDate.required(),
  documentId: id.allow('').empty('').default(null),
  changesActId: id.allow('').empty('').default(null),
  changeKind: Joi.string().valid(...CHANGE_KINDS).allow('').empty('').default(null),
  endsMeasureIds: Joi.array().items(id).single().default([]),
  types: Joi.array().items(Joi.string().valid(...MEASURE_CODES)).single().max(MAX_MEASURES_PER_ACT).default([]),
  submissionId: submissionIdField,
}).unknown(true)
/** The court act form's required fields, marked on it (read from its schema once). */
const ACT_REQUIRED = requiredFieldsOf(actSchema)
const typesQuery = Joi.object({ types: Joi.array().items(Joi.string().valid(...MEASURE_CODES)).single().max(MAX_MEASURES_PER_ACT).default([]) })
const transitionSchema = Joi.object({
  action: Joi.string().valid(...LIFECYCLE_ACTIONS).required(),
  date: isoDate.required(),
  reason: text(500).allow('').empty('').default(null),
  endReason: Joi.string().valid(...END_REASON_CODES).allow('').empty('').default(null),
  courtActReference: line(100).allow('').empty('').default(null),
})
const sessionSchema = Joi.object({ workDate: isoDate.required(), hours: decimal().precision(1).min(0.5).max(12).required(), confirmedBy: line(200).required(), submissionId: submissionIdField })
const paymentSchema = Joi.object({ paidOn: isoDate.required(), amountAmd: Joi.number().integer().min(1).max(1_000_000_000).required(), receiptNumber: line(60).required(), submissionId: submissionIdField })
const violationSchema = Joi.object({ kind: Joi.string().valid(...VIOLATION_KINDS).required(), occurredOn: isoDate.required(), description: text(2000).required(), submissionId: submissionIdField })
const obligationSchema = Joi.object({ obligationIndex: Joi.number().integer().min(0).max(100).required(), checkedOn: isoDate.required(), complied: Joi.string().valid('1', '0').required(), note: text(500).allow('').empty('').default(null), submissionId: submissionIdField })
const reportSchema = Joi.object({ expectedOn: isoDate.required(), reported: Joi.string().valid('1', '0').required(), note: text(500).allow('').empty('').default(null), submissionId: submissionIdField })
const deviceAssignSchema = Joi.object({ deviceId: id.required(), orderedOn: isoDate.required(), submissionId: submissionIdField })
const deviceStepSchema = Joi.object({ assignmentId: id.required(), step: Joi.string().valid('install', 'remove').required(), on: isoDate.required() })
const alertSchema = Joi.object({ assignmentId: id.required(), occurredOn: isoDate.required(), occurredTime: Joi.string().pattern(/^([01]\d|2[0-3]):[0-5]\d$/, 'time').required(), kind: Joi.string().valid(...ALERT_KINDS).required(), response: text(1000).required(), submissionId: submissionIdField })
const placementSchema = Joi.object({ organisation: line(200).required(), address: line(300).required(), supervisor: line(200).required(), fromDate: isoDate.required(), submissionId: submissionIdField })
const noticeSchema = Joi.object({ addresseeKind: Joi.string().valid('EMPLOYER', 'LICENSING_BODY', 'OTHER').required(), addressee: line(300).required(), sentOn: isoDate.required(), letterReference: line(60).required(), submissionId: submissionIdField })
const decisionSchema = Joi.object({ outcome: Joi.string().valid(...VIOLATION_OUTCOMES).required(), decidedOn: isoDate.required() })
const violationParam = Joi.object({ violationId: id.required() }).unknown(true)
const listSchema = Joi.object({
  type: Joi.string().valid(...MEASURE_CODES),
  state: Joi.string().valid(...LIFECYCLE_STATES),
  officerId: id,
  due: Joi.alternatives(Joi.string().valid('overdue'), Joi.number().integer().min(0).max(365)),
  page: Joi.number().integer().min(1).max(10_000).default(1),
})
const beneficiaryParam = Joi.object({ beneficiaryId: id.required() }).unknown(true)
const measureParam = Joi.object({ measureId: id.required() }).unknown(true)
const regionParam = Joi.object({ regionId: id.required() }).unknown(true)
const deadlineParam = Joi.object({ deadlineId: id.required() }).unknown(true)

/** A measure's details from the form: fields are named `m<index>_<field>`; a text list is one item per line. */
function detailsFrom(body: Record<string, unknown>, index: number, fields: readonly MeasureField[]): Record<string, unknown> {
  const details: Record<string, unknown> = {}
  for (const field of fields) {
    const raw = body[`m${index}_${field.name}`]
    if (raw === undefined || raw === '') continue
    const value = String(raw).trim()
    if (field.type === 'integer' || field.type === 'money') details[field.name] = /^-?\d+$/.test(value) ? Number(value) : value
    else if (field.type === 'boolean') details[field.name] = value === '1'
    else if (field.type === 'date') details[field.name] = parseDate(value) ?? value
    else if (field.type === 'textList') details[field.name] = value.split(/\r?\n/).map((line) => line.trim()).filter(Boolean)
    else details[field.name] = value
  }
  return details
}

/**
 * The values typed into a court act form, with each measure's details (`m<index>_<field>`) moved to the measure's place
 * in the new choice: ticking another measure shifts the others' places, never their details.
 */
function followingTheirMeasures(typed: Record<string, string>, shown: readonly string[], chosen: readonly string[]): Record<string, string> {
  const kept = Object.fromEntries(Object.entries(typed).filter(([key]) => !/^m\d+_/.test(key)))
  chosen.forEach((code, index) => {
    const before = shown.indexOf(code)
    if (before === -1) return
    for (const [key, value] of Object.entries(typed)) {
      const match = /^m(\d+)_(.+)$/.exec(key)
      if (match && Number(match[1]) === before) kept[`m${index}_${match[2]}`] = value
    }
  })
  return kept
}

export function measureRoutes(services: Services, authorize: Authorize): Router {
  const router = Router()
  const fileOf = (req: Request) => services.beneficiaries.facts(param(beneficiaryParam, req, 'beneficiaryId'))
  const measureFile = async (req: Request) => services.beneficiaries.facts((await services.measures.find(param(measureParam, req, 'measureId'))).beneficiaryId)
  const deadlineFile = async (req: Request) => services.beneficiaries.facts((await services.deadlines.get(param(deadlineParam, req, 'deadlineId'))).beneficiaryId)
  const regionOf = async (req: Request) => {
    const regionId = param(regionParam, req, 'regionId')
    await services.regions.get(regionId)
    return { regionId }
  }

  async function renderActForm(res: Response, beneficiaryId: number, types: MeasureCode[], data: Record<string, unknown> = {}, status = 200) {
    const [file, acts, measures, documents] = await Promise.all([services.beneficiaries.get(beneficiaryId), services.measures.courtActsOf(beneficiaryId), services.measures.measuresOf(beneficiaryId), services.beneficiaries.documents(beneficiaryId)])
    res.status(status).render('pages/measures/court-act', {
      file, acts, documents: documents.filter((d) => d.kind === 'DOCUMENT'), openMeasures: measures.filter((m) => !['completed', 'ended'].includes(m.state)), types: types.map((code) => measureType(code)), codes: MEASURE_CODES.map((code) => measureType(code)),
      kinds: COURT_ACT_KINDS, changeKinds: CHANGE_KINDS, errors: {}, values: {}, requiredFields: ACT_REQUIRED, ...data,
    })
  }

  router.get('/beneficiaries/:beneficiaryId/court-acts/new', authorize('measure.register', fileOf, { hideExistence: true }), async (req, res) => {
    const query = validate(typesQuery, req.query)
    const beneficiaryId = param(beneficiaryParam, req, 'beneficiaryId')
    const { regionId } = await services.beneficiaries.facts(beneficiaryId)
    await services.beneficiaries.recordView(beneficiaryId, regionId, 'beneficiary.view', requestContext(req), { page: 'courtActForm' })
    // The form carries a one-time id: sent twice, the act is registered once.
    await renderActForm(res, beneficiaryId, query.ok ? (query.value.types as MeasureCode[]) : [], { values: { submissionId: randomUUID() } })
  })

  router.post('/beneficiaries/:beneficiaryId/court-acts/new', authorize('measure.register', fileOf, { hideExistence: true }), async (req, res) => {
    const t = res.locals.t
    const beneficiaryId = param(beneficiaryParam, req, 'beneficiaryId')
    const form = validate(actSchema, req.body)
    const body = (req.body ?? {}) as Record<string, unknown>
    const types = (form.ok ? form.value.types : [body.types].flat().filter(isMeasureCode)) as MeasureCode[]
    const typed = Object.fromEntries(Object.entries(body).filter(([key, value]) => key !== '_csrf' && typeof value === 'string')) as Record<string, string>
    // Choosing (or changing) the measures shows their fields and keeps everything typed, each measure's details with it.
    if (body.intent === 'chooseMeasures') return renderActForm(res, beneficiaryId, types, { values: followingTheirMeasures(typed, [body.shown].flat().filter(isMeasureCode), types) })
    if (!form.ok) return renderActForm(res, beneficiaryId, types, { errors: translateErrors(form.errors, t), values: typed }, 400)
    const measures: MeasureInput[] = types.map((typeCode, index) => ({ typeCode, details: detailsFrom(body, index, measureType(typeCode).fields) }))
    try {
      const { submissionId, ...act } = form.value
      await services.measures.registerCourtAct(beneficiaryId, act, measures, requestContext(req), submissionId)
    } catch (error) {
      if (error instanceof AlreadySubmitted) return res.redirect(303, `/beneficiaries/${beneficiaryId}#measures`)
      if (error instanceof MeasureDetailsError) {
        const errors: Record<string, string> = {}
        for (const { index, problems } of error.problems) {
          for (const problem of problems) errors[`m${index}_${problem.field}`] = t(`measureDetail.${problem.problem}`, { limit: problem.limit ?? '' })
        }
        return renderActForm(res, beneficiaryId, types, { errors, values: typed }, 400)
      }
      if (error instanceof ServiceError) return renderActForm(res, beneficiaryId, types, { errors: { [error.field ?? 'court']: t(error.code) }, values: typed }, 400)
      throw error
    }
    res.redirect(303, `/beneficiaries/${beneficiaryId}#measures`)
  })

  /** The measure page; each of its create forms carries a one-time id (sent twice, it records once), one shown again the id it was sent with. */
  async function renderMeasure(res: Response, measureId: number, data: { errors?: Record<string, Record<string, string>>; values?: Record<string, Record<string, string>> } = {}, status = 200) {
    const measure = await services.measures.measure(measureId)
    const [file, sessions, payments, events] = await Promise.all([services.beneficiaries.get(measure.beneficiaryId), services.measures.workSessions(measureId), services.measures.payments(measureId), services.measures.events(measureId)])
    const type = measureType(measure.typeCode)
    const [placements, notices, violations, obligations, reports, assignments, availableDevices] = await Promise.all([
      services.measures.placementsOf(measureId),
      services.measures.rightNoticesOf(measureId),
      services.measures.violationsOf(measureId),
      services.measures.obligationsOf(measureId, measure.details),
      services.measures.reportsOf(measureId),
      services.monitoring.assignmentsOf(measureId),
      services.monitoring.availableDevices(file.regionId, type.electronicMonitoring.devices),
    ])
    const values = { ...data.values, ...Object.fromEntries(SUBMITTED_ONCE.map((form) => [form, { submissionId: randomUUID(), ...data.values?.[form] }])) }
    const alertSent = data.values?.alerts
    const alertSubmissionIds = Object.fromEntries(assignments.map((assignment) => [assignment.id, (alertSent?.assignmentId === String(assignment.id) && alertSent.submissionId) || randomUUID()]))
    res.status(status).render('pages/measures/measure', { measure, type, file, sessions, payments, events, placements, notices, violations, obligations, reports, assignments, availableDevices, alertKinds: ALERT_KINDS, violationKinds: VIOLATION_KINDS, endReasons: END_REASON_CODES, errors: data.errors ?? {}, values, alertSubmissionIds })
  }

  router.get('/measures/:measureId', authorize('measure.view', measureFile, { hideExistence: true }), async (req, res) => {
    const file = await measureFile(req)
    if (mustGiveReason(req, res, file)) return res.redirect(303, `/beneficiaries/${file.id}`)
    const measureId = param(measureParam, req, 'measureId')
    await services.beneficiaries.recordView(file.id, file.regionId, 'beneficiary.view', requestContext(req), { page: 'measure', measureId })
    await renderMeasure(res, measureId)
  })

  for (const [path, schema, act] of [
    ['transition', transitionSchema, (measureId: number, value: Joi.ValidationResult['value'], req: Request) => services.measures.transition(measureId, value.action, value, requestContext(req))],
    ['sessions', sessionSchema, (measureId: number, { submissionId, ...session }: Joi.ValidationResult['value'], req: Request) => services.measures.addWorkSession(measureId, session, requestContext(req), submissionId)],
    ['payments', paymentSchema, (measureId: number, { submissionId, ...payment }: Joi.ValidationResult['value'], req: Request) => services.measures.addFinePayment(measureId, payment, requestContext(req), submissionId)],
    ['violations', violationSchema, (measureId: number, { submissionId, ...violation }: Joi.ValidationResult['value'], req: Request) => services.measures.recordViolation(measureId, violation, requestContext(req), submissionId)],
    ['obligations', obligationSchema, (measureId: number, { submissionId, ...check }: Joi.ValidationResult['value'], req: Request) => services.measures.checkObligation(measureId, { ...check, complied: check.complied === '1' }, requestContext(req), submissionId)],
    ['devices', deviceAssignSchema, (measureId: number, { submissionId, ...assignment }: Joi.ValidationResult['value'], req: Request) => services.monitoring.assign(measureId, assignment, requestContext(req), submissionId)],
    ['device-steps', deviceStepSchema, (measureId: number, value: Joi.ValidationResult['value'], req: Request) => services.monitoring.mark(measureId, value.assignmentId, value.step, value.on, requestContext(req))],
    // Alerts are entered in Yerevan time.
    ['alerts', alertSchema, (measureId: number, value: Joi.ValidationResult['value'], req: Request) => services.monitoring.recordAlert(measureId, value.assignmentId, { occurredAt: new Date(`${value.occurredOn}T${value.occurredTime}:00+04:00`), kind: value.kind, response: value.response }, requestContext(req), value.submissionId)],
    ['placements', placementSchema, (measureId: number, { submissionId, ...placement }: Joi.ValidationResult['value'], req: Request) => services.measures.addPlacement(measureId, placement, requestContext(req), submissionId)],
    ['notices', noticeSchema, (measureId: number, { submissionId, ...notice }: Joi.ValidationResult['value'], req: Request) => services.measures.addRightNotice(measureId, notice, requestContext(req), submissionId)],
    ['reports', reportSchema, (measureId: number, { submissionId, ...report }: Joi.ValidationResult['value'], req: Request) => services.measures.recordReport(measureId, { ...report, reported: report.reported === '1' }, requestContext(req), submissionId)],
  ] as const) {
    router.post(`/measures/:measureId/${path}`, authorize(path === 'violations' ? 'violation.record' : ['devices', 'device-steps', 'alerts'].includes(path) ? 'monitoring.change' : 'measure.change', measureFile, { hideExistence: true }), async (req, res) => {
      const t = res.locals.t
      const measureId = param(measureParam, req, 'measureId')
      const form = validate(schema as Joi.ObjectSchema, req.body)
      const values = { [path]: typedValues(schema as Joi.ObjectSchema, req.body) }
      if (!form.ok) return renderMeasure(res, measureId, { errors: { [path]: translateErrors(form.errors, t) }, values }, 400)
      try {
        await act(measureId, form.value, req)
      } catch (error) {
        if (error instanceof AlreadySubmitted) return res.redirect(303, `/measures/${measureId}`)
        if (error instanceof ServiceError) return renderMeasure(res, measureId, { errors: { [path]: { [error.field ?? 'action']: t(error.code) } }, values }, 400)
        throw error
      }
      res.redirect(303, `/measures/${measureId}`)
    })
  }

  router.get('/regions/:regionId/measures', authorize('measure.list', regionOf, { hideExistence: true }), async (req, res) => {
    const regionId = param(regionParam, req, 'regionId')
    const query = validate(listSchema, req.query)
    const filter = query.ok ? query.value : { page: 1 }
    const [region, { rows, total }, officers] = await Promise.all([
      services.regions.get(regionId),
      services.measures.regionList({ regionId, typeCode: filter.type, state: filter.state, officerId: filter.officerId, due: filter.due, page: filter.page }),
      services.beneficiaries.officers(regionId),
    ])
    res.render('pages/measures/region', { region, rows, total, filter, officers, codes: MEASURE_CODES.map((code) => measureType(code)), states: LIFECYCLE_STATES, pages: Math.max(1, Math.ceil(total / 50)) })
  })

  const violationFile = async (req: Request) => services.beneficiaries.facts((await services.measures.findViolation(param(violationParam, req, 'violationId'))).beneficiaryId)

  async function renderViolations(res: Response, regionId: number, data: Record<string, unknown> = {}, status = 200) {
    const [region, violations] = await Promise.all([services.regions.get(regionId), services.measures.violationsAwaitingDecision(regionId)])
    res.status(status).render('pages/measures/violations', { region, violations, outcomes: VIOLATION_OUTCOMES, codes: Object.fromEntries(MEASURE_CODES.map((code) => [code, measureType(code)])), errors: {}, values: {}, ...data })
  }

  router.get('/regions/:regionId/violations', authorize('violation.list', regionOf, { hideExistence: true }), async (req, res) => {
    await renderViolations(res, param(regionParam, req, 'regionId'))
  })

  router.post('/violations/:violationId/decide', authorize('violation.decide', violationFile, { hideExistence: true }), async (req, res) => {
    const t = res.locals.t
    const violation = await services.measures.findViolation(param(violationParam, req, 'violationId'))
    const { regionId } = await services.beneficiaries.facts(violation.beneficiaryId)
    const prefix = `v${violation.id}_`
    const form = validate(decisionSchema, req.body)
    const values = Object.fromEntries(Object.entries(typedValues(decisionSchema, req.body)).map(([key, value]) => [prefix + key, value]))
    const prefixed = (errors: Record<string, string>) => Object.fromEntries(Object.entries(errors).map(([key, value]) => [prefix + key, value]))
    if (!form.ok) return renderViolations(res, regionId, { errors: prefixed(translateErrors(form.errors, t)), values }, 400)
    try {
      await services.measures.decideViolation(violation.id, form.value, requestContext(req))
    } catch (error) {
      if (error instanceof ServiceError) return renderViolations(res, regionId, { errors: prefixed({ [error.field ?? 'outcome']: t(error.code) }), values }, 400)
      throw error
    }
    res.redirect(303, `/regions/${regionId}/violations`)
  })

  router.post('/deadlines/:deadlineId/recompute', authorize('deadline.recompute', deadlineFile, { hideExistence: true }), async (req, res) => {
    const deadlineId = param(deadlineParam, req, 'deadlineId')
    try {
      await services.deadlines.recompute(deadlineId, requestContext(req))
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error
    }
    res.redirect(303, `/deadlines/${deadlineId}`)
  })

  router.get('/deadlines/:deadlineId', authorize('deadline.view', deadlineFile, { hideExistence: true }), async (req, res) => {
    const deadline = await services.deadlines.get(param(deadlineParam, req, 'deadlineId'))
    if (mustGiveReason(req, res, await deadlineFile(req))) return res.redirect(303, `/beneficiaries/${deadline.beneficiaryId}`)
    res.render('pages/measures/deadline', { deadline, file: res.locals.policyResource, lines: explainDueDateLines(deadline.explanation, res.locals.lang) })
  })

  return router
}
