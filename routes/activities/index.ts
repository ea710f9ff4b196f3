import { randomUUID } from 'node:crypto'
import { Router, type Request, type Response } from 'express'
import Joi from 'joi'
import type { Authorize } from '../../server/middleware/authorize'
import { requestContext } from '../../server/middleware/requestContext'
import { ACTIVITY_KINDS, ATTENDANCE } from '../../server/domain/activities'
import { formatDate, serviceDateOf } from '../../server/domain/dates'
import type { Services } from '../../server/services'
import { AlreadySubmitted, ServiceError, StaleEditError, type RequestContext } from '../../server/services/context'
import { submissionIdField, translateErrors, typedValues, validate } from '../../server/validation'
import * as schemas from './schemas'
import { param, type FormErrors } from '../forms'

const newEventSchema = schemas.eventSchema.keys({ submissionId: submissionIdField })

interface PageState {
  errors?: FormErrors
  values?: FormErrors
  stale?: boolean
}

/** A service's refusal beside its field; a stale edit as the page's notice. */
function refusal(error: unknown, res: Response, defaultField: string): { errors: Record<string, string>; stale: boolean } | null {
  if (error instanceof StaleEditError) return { errors: { [defaultField]: res.locals.t('form.staleEdit') }, stale: true }
  if (error instanceof ServiceError) return { errors: { [error.field ?? defaultField]: res.locals.t(error.code, error.params) }, stale: false }
  return null
}

/** Fields of the event page's forms are named `<form>-<field>` (one form per participant), the edit form's plainly. */
function fieldId(form: string, field: string): string {
  return form === 'edit' || form === 'invite' ? field : `${form}-${field}`
}

export function activityRoutes(services: Services, authorize: Authorize): Router {
  const router = Router()
  const { activities } = services
  const currentYear = () => Number(serviceDateOf(services.clock.now()).slice(0, 4))

  const regionOf = async (req: Request) => {
    const regionId = param(schemas.regionParam, req, 'regionId')
    await services.regions.get(regionId)
    return { regionId }
  }
  const eventOf = (req: Request) => activities.facts(param(schemas.eventParam, req, 'eventId'))

  router.get('/regions/:regionId/activities', authorize('activity.list', regionOf, { hideExistence: true }), async (req, res) => {
    const regionId = param(schemas.regionParam, req, 'regionId')
    const query = validate(schemas.yearQuery, req.query)
    const year = (query.ok ? query.value.year : undefined) ?? currentYear()
    const [region, events] = await Promise.all([services.regions.get(regionId), activities.list(regionId, year)])
    res.render('pages/activities/list', { region, events, year, today: serviceDateOf(services.clock.now()) })
  })

  async function renderNew(res: Response, regionId: number, state: { errors?: Record<string, string>; values?: Record<string, string> } = {}, status = 200) {
    const region = await services.regions.get(regionId)
    res.status(status).render('pages/activities/new', { region, kinds: ACTIVITY_KINDS, errors: state.errors ?? {}, values: state.values ?? {} })
  }

  router.get('/regions/:regionId/activities/new', authorize('activity.create', regionOf, { hideExistence: true }), async (req, res) => {
    // The form carries a one-time id: sent twice, the event is created once.
    await renderNew(res, param(schemas.regionParam, req, 'regionId'), { values: { date: formatDate(serviceDateOf(services.clock.now())), submissionId: randomUUID() } })
  })

  router.post('/regions/:regionId/activities/new', authorize('activity.create', regionOf, { hideExistence: true }), async (req, res) => {
    const regionId = param(schemas.regionParam, req, 'regionId')
    const form = validate(newEventSchema, req.body)
    const values = typedValues(newEventSchema, req.body)
    if (!form.ok) return renderNew(res, regionId, { errors: translateErrors(form.errors, res.locals.t), values }, 400)
    const { submissionId, ...input } = form.value
    try {
      const eventId = await activities.create(regionId, input, requestContext(req), submissionId)
      res.redirect(303, `/activities/${eventId}`)
    } catch (error) {
      if (error instanceof AlreadySubmitted) return res.redirect(303, `/activities/${error.resultId}`)
      const refused = refusal(error, res, 'date')
      if (!refused) throw error
      return renderNew(res, regionId, { errors: refused.errors, values }, 400)
    }
  })

  router.get('/regions/:regionId/activities/participation', authorize('activity.list', regionOf, { hideExistence: true }), async (req, res) => {
    const regionId = param(schemas.regionParam, req, 'regionId')
    const query = validate(schemas.yearQuery, req.query)
    const year = (query.ok ? query.value.year : undefined) ?? currentYear()
    const [region, report] = await Promise.all([services.regions.get(regionId), activities.quarterlyReport(regionId, year)])
    res.render('pages/activities/participation', { region, report })
  })

  /** The event page; opened (not shown again after a form), the read is audited with the participants it lists. */
  async function renderEvent(res: Response, eventId: number, state: PageState = {}, status = 200, openedBy: RequestContext | null = null) {
    const [event, participants, candidates] = await Promise.all([activities.get(eventId), activities.participants(eventId), activities.candidates(eventId)])
    if (openedBy) await activities.recordView(eventId, event.regionId, participants.map((participant) => participant.beneficiaryId), openedBy)
    const errors = state.errors ?? {}
    const summary = Object.fromEntries(Object.entries(errors).flatMap(([form, fields]) => Object.entries(fields).map(([field, message]) => [fieldId(form, field), message])))
    res.status(status).render('pages/activities/event', {
      event, participants, candidates, kinds: ACTIVITY_KINDS, attendance: ATTENDANCE, today: serviceDateOf(services.clock.now()),
      errors, summary, values: state.values ?? {}, stale: state.stale ?? false,
    })
  }

  router.get('/activities/:eventId', authorize('activity.view', eventOf, { hideExistence: true }), async (req, res) => {
    await renderEvent(res, param(schemas.eventParam, req, 'eventId'), {}, 200, requestContext(req))
  })

  /** One form on the event page: validate, call the service, come back to the page (with errors beside the form's fields). */
  function eventAction<T>(path: string, action: Parameters<Authorize>[0], schema: Joi.ObjectSchema<T>, defaultField: string, act: (req: Request, value: T) => Promise<unknown>, formKey: (req: Request) => string, anchor: (req: Request) => string) {
    router.post(`/activities/:eventId/${path}`, authorize(action, eventOf, { hideExistence: true }), async (req, res) => {
      const eventId = param(schemas.eventParam, req, 'eventId')
      const key = formKey(req)
      const form = validate(schema, req.body)
      const values = { [key]: typedValues(schema, req.body) }
      if (!form.ok) return renderEvent(res, eventId, { errors: { [key]: translateErrors(form.errors, res.locals.t) }, values }, 400)
      try {
        await act(req, form.value)
      } catch (error) {
        const refused = refusal(error, res, defaultField)
        if (!refused) throw error
        return renderEvent(res, eventId, { errors: { [key]: refused.errors }, values, stale: refused.stale }, refused.stale ? 409 : 400)
      }
      res.redirect(303, `/activities/${eventId}${anchor(req)}`)
    })
  }

  const eventId = (req: Request) => param(schemas.eventParam, req, 'eventId')
  const participantId = (req: Request) => param(schemas.participantParam, req, 'participantId')

  eventAction('edit', 'activity.edit', schemas.eventEditSchema, 'date', (req, { version, ...input }) => activities.update(eventId(req), input, version, requestContext(req)), () => 'edit', () => '')
  eventAction('invitations', 'activity.invite', schemas.invitationSchema, 'beneficiaryIds', (req, value) => activities.invite(eventId(req), value.beneficiaryIds, requestContext(req)), () => 'invite', () => '#participants')
  eventAction(
    'participants/:participantId',
    'activity.recordAttendance',
    schemas.participationSchema,
    'attendance',
    (req, { version, ...input }) => activities.recordParticipation(eventId(req), participantId(req), input, version, requestContext(req)),
    (req) => `participant-${participantId(req)}`,
    (req) => `#participant-${participantId(req)}`,
  )
  eventAction(
    'participants/:participantId/withdraw',
    'activity.invite',
    schemas.versionOnly,
    'attendance',
    (req, { version }) => activities.withdraw(eventId(req), participantId(req), version, requestContext(req)),
    (req) => `participant-${participantId(req)}`,
    () => '#participants',
  )

  return router
}
