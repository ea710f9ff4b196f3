import { randomUUID } from 'node:crypto'
import { Router, type Request, type Response } from 'express'
import Joi from 'joi'
import type { Authorize } from '../../server/middleware/authorize'
import { requestContext } from '../../server/middleware/requestContext'
import { explainDueDateLines } from '../../server/domain/deadlineRules'
import { formatDate, serviceDateOf } from '../../server/domain/dates'
import { MEDIATION_END_KINDS, MEDIATION_EVENTS, MEDIATION_OUTCOMES, MEDIATION_STATUSES, nextMediationStatus, REPORT_OWED_STATUSES, type MediationStatus } from '../../server/domain/mediation'
import type { Services } from '../../server/services'
import { AlreadySubmitted, NotFoundError } from '../../server/services/context'
import { MEDIATION_PAGE_SIZE } from '../../server/services/mediation'
import { submissionIdField, translateErrors, typedValues, validate } from '../../server/validation'
import * as schemas from './schemas'
import { param, type FormErrors, refusal } from '../forms'

const instructSchema = schemas.newCaseSchema.keys({ submissionId: submissionIdField })

/** The victim form's fields as the service takes them. */
function victimOf(value: { victimName: string; victimContact: string | null; victimRepresentative: string | null; victimNotes: string | null }) {
  return { fullName: value.victimName, contact: value.victimContact, representative: value.victimRepresentative, notes: value.victimNotes }
}

/** Mediation run on the service head's instruction: the service head's overview, the region's list, the case and its steps. */
export function mediationRoutes(services: Services, authorize: Authorize): Router {
  const router = Router()
  const { mediation } = services
  const today = () => serviceDateOf(services.clock.now())

  const regionOf = async (req: Request) => {
    const regionId = param(schemas.regionParam, req, 'regionId')
    await services.regions.get(regionId)
    return { regionId }
  }
  const caseOf = (req: Request) => mediation.caseFacts(param(schemas.caseParam, req, 'caseId'))

  router.get('/mediation', authorize('mediation.overview'), async (_req, res) => {
    res.render('pages/mediation/overview', { regions: await mediation.overview() })
  })

  router.get('/regions/:regionId/mediation', authorize('mediation.list', regionOf, { hideExistence: true }), async (req, res) => {
    const regionId = param(schemas.regionParam, req, 'regionId')
    const query = validate(schemas.listQuery, req.query)
    const filter = query.ok ? query.value : { page: 1 }
    // Staff without the head's powers see the cases they mediate, not the region's.
    const ownOnly = !res.locals.can('mediation.listAll', { regionId })
    const [region, { rows, total }] = await Promise.all([
      services.regions.get(regionId),
      mediation.list({ regionId, mediatorUserId: ownOnly ? req.user!.id : undefined, status: filter.status as MediationStatus | undefined, page: filter.page }),
    ])
    res.render('pages/mediation/list', { region, rows, total, filter, ownOnly, statuses: MEDIATION_STATUSES, pages: Math.max(1, Math.ceil(total / MEDIATION_PAGE_SIZE)), today: today() })
  })

  /** A new form carries a one-time id: sent twice, the case is instructed once. One shown again keeps the id it was sent with. */
  async function renderNew(res: Response, regionId: number, data: Record<string, unknown> = {}, status = 200) {
    res.status(status).render('pages/mediation/new', { region: await services.regions.get(regionId), errors: {}, values: { instructedOn: formatDate(today()), submissionId: randomUUID() }, ...data })
  }

  router.get('/regions/:regionId/mediation/new', authorize('mediation.instruct', regionOf, { hideExistence: true }), async (req, res) => {
    await renderNew(res, param(schemas.regionParam, req, 'regionId'))
  })

  router.post('/regions/:regionId/mediation/new', authorize('mediation.instruct', regionOf, { hideExistence: true }), async (req, res) => {
    const regionId = param(schemas.regionParam, req, 'regionId')
    const form = validate(instructSchema, req.body)
    const values = typedValues(instructSchema, req.body)
    if (!form.ok) return renderNew(res, regionId, { errors: translateErrors(form.errors, res.locals.t), values }, 400)
    const { victimName, victimContact, victimRepresentative, victimNotes, submissionId, ...instruction } = form.value
    try {
      const { id } = await mediation.instruct(regionId, { ...instruction, victim: victimOf({ victimName, victimContact, victimRepresentative, victimNotes }) }, requestContext(req), submissionId)
      res.redirect(303, `/mediation/${id}`)
    } catch (error) {
      if (error instanceof AlreadySubmitted) return res.redirect(303, `/mediation/${error.resultId}`)
      const refused = refusal(error, res, 'criminalCaseNumber')
      if (!refused) throw error
      return renderNew(res, regionId, { errors: refused.errors, values }, 400)
    }
  })

  // -------------------------------------------------------------------------------------------------------
  // One case

  async function renderCase(req: Request, res: Response, caseId: number, data: { errors?: FormErrors; values?: FormErrors; stale?: boolean } = {}, status = 200) {
    const record = await mediation.get(caseId)
    const resource = { regionId: record.regionId, assigneeId: record.mediatorUserId }
    // The victim's details and the confidential record leave the database only for those running the mediation.
    const runsMediation = res.locals.can('mediation.viewVictim', resource)
    const [confidential, meetingDates, candidates] = await Promise.all([
      runsMediation ? mediation.confidential(caseId) : Promise.resolve(null),
      mediation.meetingDates(caseId),
      res.locals.can('mediation.nameMediator', resource) ? mediation.mediatorCandidates(record.regionId) : Promise.resolve([]),
    ])
    // Re-rendered forms show the victim's details too: every rendering is a view.
    await mediation.recordView(caseId, record.regionId, runsMediation, requestContext(req))
    const steps = Object.fromEntries(MEDIATION_EVENTS.map((event) => [event, nextMediationStatus(record.status, event) !== null]))
    const reportOverdue = REPORT_OWED_STATUSES.includes(record.status) && record.reportDueDate !== null && record.reportDueDate < today()
    const reportOnTime = record.reportSentOn !== null && record.reportDueDate !== null && record.reportSentOn <= record.reportDueDate
    res.status(status).render('pages/mediation/case', {
      record, resource, confidential, meetingDates, candidates, steps, reportOverdue, reportOnTime, today: today(), outcomes: MEDIATION_OUTCOMES, endKinds: MEDIATION_END_KINDS,
      explanation: record.reportDueExplanation ? explainDueDateLines(record.reportDueExplanation, res.locals.lang) : [],
      // The meeting form carries a one-time id (sent twice, the meeting is recorded once); shown again, the id it was sent with.
      errors: data.errors ?? {}, values: { ...data.values, meetings: { submissionId: randomUUID(), ...data.values?.meetings } }, stale: data.stale ?? false,
    })
  }

  router.get('/mediation/:caseId', authorize('mediation.view', caseOf, { hideExistence: true }), async (req, res) => {
    await renderCase(req, res, param(schemas.caseParam, req, 'caseId'))
  })

  /** One form on the case page: validate, call the service, come back to the page (with errors beside the form's fields). */
  function caseAction<T>(path: string, action: Parameters<Authorize>[0], schema: Joi.ObjectSchema<T>, defaultField: string, act: (caseId: number, value: T, req: Request) => Promise<unknown>, anchor: string) {
    router.post(`/mediation/:caseId/${path}`, authorize(action, caseOf, { hideExistence: true }), async (req, res) => {
      const caseId = param(schemas.caseParam, req, 'caseId')
      const form = validate(schema, req.body)
      const values = { [path]: typedValues(schema, req.body) }
      if (!form.ok) return renderCase(req, res, caseId, { errors: { [path]: translateErrors(form.errors, res.locals.t) }, values }, 400)
      try {
        await act(caseId, form.value, req)
      } catch (error) {
        if (error instanceof AlreadySubmitted) return res.redirect(303, `/mediation/${caseId}${anchor}`)
        const refused = refusal(error, res, defaultField)
        if (!refused) throw error
        return renderCase(req, res, caseId, { errors: { [path]: refused.errors }, values, stale: refused.stale }, refused.stale ? 409 : 400)
      }
      res.redirect(303, `/mediation/${caseId}${anchor}`)
    })
  }

  caseAction('instruction', 'mediation.editInstruction', schemas.instructionSchema, 'criminalCaseNumber', (caseId, value, req) => {
    const { version, ...instruction } = value
    return mediation.editInstruction(caseId, { ...instruction, expectedVersion: version }, requestContext(req))
  }, '#instruction')
  caseAction('mediator', 'mediation.nameMediator', schemas.mediatorSchema, 'mediatorUserId', (caseId, value, req) =>
    mediation.nameMediator(caseId, { mediatorUserId: value.mediatorUserId, expectedVersion: value.version }, requestContext(req)), '#mediator')
  caseAction('meetings', 'mediation.work', schemas.meetingSchema, 'heldOn', (caseId, { submissionId, ...meeting }, req) => mediation.recordMeeting(caseId, meeting, requestContext(req), submissionId), '#meetings')
  caseAction('outcome', 'mediation.work', schemas.outcomeSchema, 'outcome', (caseId, value, req) =>
    mediation.conclude(caseId, { outcome: value.outcome, outcomeReason: value.outcomeReason, agreementTerms: value.agreementTerms, concludedOn: value.concludedOn, expectedVersion: value.version }, requestContext(req)), '#outcome')
  caseAction('report', 'mediation.work', schemas.reportSchema, 'sentOn', (caseId, value, req) =>
    mediation.recordReport(caseId, { sentOn: value.sentOn, letterReference: value.letterReference, expectedVersion: value.version }, requestContext(req)), '#report')
  caseAction('end', 'mediation.end', schemas.endSchema, 'kind', (caseId, value, req) =>
    mediation.end(caseId, { kind: value.kind, endedOn: value.endedOn, reason: value.reason, expectedVersion: value.version }, requestContext(req)), '')

  // -------------------------------------------------------------------------------------------------------
  // The victim's details: only those running the mediation reach these routes.

  async function renderVictim(req: Request, res: Response, caseId: number, data: { errors?: Record<string, string>; values?: Record<string, string>; stale?: boolean } = {}, status = 200) {
    const [record, { victim }] = await Promise.all([mediation.get(caseId), mediation.confidential(caseId)])
    if (!victim) throw new NotFoundError()
    await mediation.recordView(caseId, record.regionId, true, requestContext(req))
    const current = { victimName: victim.fullName, victimContact: victim.contact ?? '', victimRepresentative: victim.representative ?? '', victimNotes: victim.notes ?? '' }
    res.status(status).render('pages/mediation/victim', { record, victim, errors: data.errors ?? {}, values: { ...current, ...data.values }, stale: data.stale ?? false })
  }

  router.get('/mediation/:caseId/victim', authorize('mediation.viewVictim', caseOf, { hideExistence: true }), async (req, res) => {
    await renderVictim(req, res, param(schemas.caseParam, req, 'caseId'))
  })

  router.post('/mediation/:caseId/victim', authorize('mediation.editVictim', caseOf, { hideExistence: true }), async (req, res) => {
    const caseId = param(schemas.caseParam, req, 'caseId')
    const form = validate(schemas.victimSchema, req.body)
    const values = typedValues(schemas.victimSchema, req.body)
    if (!form.ok) return renderVictim(req, res, caseId, { errors: translateErrors(form.errors, res.locals.t), values }, 400)
    try {
      await mediation.editVictim(caseId, { ...victimOf(form.value), expectedVersion: form.value.version }, requestContext(req))
    } catch (error) {
      const refused = refusal(error, res, 'victimName')
      if (!refused) throw error
      return renderVictim(req, res, caseId, { errors: refused.errors, values, stale: refused.stale }, refused.stale ? 409 : 400)
    }
    res.redirect(303, `/mediation/${caseId}#parties`)
  })

  return router
}
