import { randomUUID } from 'node:crypto'
import { Router, type Request, type Response } from 'express'
import type Joi from 'joi'
import type { Config } from '../../server/config'
import type { Authorize } from '../../server/middleware/authorize'
import { requestContext } from '../../server/middleware/requestContext'
import { CONTACT_KINDS, CONTACT_OUTCOMES, yerevanMoment } from '../../server/domain/contacts'
import { formatDate } from '../../server/domain/dates'
import { calendarFile } from '../../server/domain/icalendar'
import { measureType } from '../../server/domain/measureCatalogue'
import type { Services } from '../../server/services'
import { AlreadySubmitted, ServiceError, StaleEditError } from '../../server/services/context'
import { PENDING_PAGE_SIZE } from '../../server/services/contacts'
import { translateErrors, typedValues, validate } from '../../server/validation'
import { mustGiveReason } from '../beneficiaries/accessReason'
import * as schemas from './schemas'
import { param, type FormErrors } from '../forms'
import { OPEN_MEASURE_STATES } from '../../server/domain/measureLifecycle'
import { OPEN_FILE_STATUSES } from '../../server/domain/beneficiaryCatalogue'


interface PageState {
  errors?: FormErrors
  values?: FormErrors
  stale?: boolean
}

/** Each form's fields are named `<form>-<field>` on the page (one outcome form per appointment), the booking form's alone plainly. */
function fieldId(form: string, field: string): string {
  return form === 'book' ? field : `${form}-${field}`
}

export function contactRoutes(services: Services, authorize: Authorize, config: Pick<Config, 'unacceptableAbsencesBeforeViolation'>): Router {
  const router = Router()
  const { contacts } = services
  // The latest past appointments are what an officer works with; a file with years of contacts lists the rest on request.
  const PAST_SHOWN = 30

  const fileOf = (req: Request) => services.beneficiaries.facts(param(schemas.beneficiaryParam, req, 'beneficiaryId'))
  const appointmentFile = async (req: Request) => services.beneficiaries.facts((await contacts.facts(param(schemas.appointmentParam, req, 'appointmentId'))).beneficiaryId)
  const regionOf = async (req: Request) => {
    const regionId = param(schemas.regionParam, req, 'regionId')
    await services.regions.get(regionId)
    return { regionId }
  }

  async function renderContacts(req: Request, res: Response, beneficiaryId: number, state: PageState = {}, status = 200) {
    const [file, overview, measures, participations] = await Promise.all([
      services.beneficiaries.get(beneficiaryId),
      contacts.overview(beneficiaryId, config.unacceptableAbsencesBeforeViolation),
      services.measures.measuresOf(beneficiaryId),
      services.activities.participationsOf(beneficiaryId),
    ])
    if (status === 200) await services.beneficiaries.recordView(file.id, file.regionId, 'contact.view', requestContext(req))
    const errors = state.errors ?? {}
    // A refused outcome form is shown again wherever its appointment is in the list.
    const pageQuery = validate(schemas.contactsPageQuery, req.query)
    const allPast = (pageQuery.ok && pageQuery.value.past === 'all') || Object.keys(errors).some((form) => form.startsWith('outcome-'))
    const summary = Object.fromEntries(Object.entries(errors).flatMap(([form, fields]) => Object.entries(fields).map(([field, message]) => [fieldId(form, field), message])))
    res.status(status).render('pages/contacts/file', {
      file,
      facts: { id: file.id, regionId: file.regionId, responsibleOfficerId: file.responsibleOfficerId, status: file.status },
      ...overview,
      past: allPast ? overview.past : overview.past.slice(0, PAST_SHOWN),
      pastTotal: overview.past.length,
      violationMeasures: measures.filter((measure) => OPEN_MEASURE_STATES.includes(measure.state)).map((measure) => ({ id: measure.id, name: measureType(measure.typeCode).name })),
      fileOpen: OPEN_FILE_STATUSES.includes(file.status),
      participations,
      kinds: CONTACT_KINDS,
      outcomes: CONTACT_OUTCOMES,
      errors,
      summary,
      values: state.values ?? {},
      // A new booking form carries a one-time id: sent twice, it books once.
      defaults: { date: formatDate(contacts.suggestedDate()), time: '10:00', durationMinutes: '60', submissionId: randomUUID() },
      stale: state.stale ?? false,
    })
  }

  /** A service's refusal beside its field; a stale edit as the page's notice, the current state shown with the user's input kept. */
  function refusal(error: unknown, res: Response, defaultField: string): { errors: Record<string, string>; stale: boolean } | null {
    if (error instanceof StaleEditError) return { errors: { [defaultField]: res.locals.t('form.staleEdit') }, stale: true }
    if (error instanceof ServiceError) return { errors: { [error.field ?? defaultField]: res.locals.t(error.code, error.params) }, stale: false }
    return null
  }

  router.get('/beneficiaries/:beneficiaryId/contacts', authorize('contact.view', fileOf, { hideExistence: true }), async (req, res) => {
    const file = await fileOf(req)
    if (mustGiveReason(req, res, file)) return res.redirect(303, `/beneficiaries/${file.id}`)
    await renderContacts(req, res, file.id)
  })

  router.post('/beneficiaries/:beneficiaryId/contacts', authorize('contact.book', fileOf, { hideExistence: true }), async (req, res) => {
    const beneficiaryId = param(schemas.beneficiaryParam, req, 'beneficiaryId')
    const form = validate(schemas.bookingSchema, req.body)
    const values = { book: typedValues(schemas.bookingSchema, req.body) }
    if (!form.ok) return renderContacts(req, res, beneficiaryId, { errors: { book: translateErrors(form.errors, res.locals.t) }, values }, 400)
    const { date, time, riskAcknowledged, submissionId, ...booking } = form.value
    try {
      await contacts.book(beneficiaryId, { ...booking, scheduledAt: yerevanMoment(date, time), riskAcknowledged: riskAcknowledged === '1' }, requestContext(req), submissionId)
    } catch (error) {
      if (error instanceof AlreadySubmitted) return res.redirect(303, `/beneficiaries/${beneficiaryId}/contacts`)
      const refused = refusal(error, res, 'kind')
      if (!refused) throw error
      return renderContacts(req, res, beneficiaryId, { errors: { book: refused.errors }, values }, 400)
    }
    res.redirect(303, `/beneficiaries/${beneficiaryId}/contacts`)
  })

  /** One form on an appointment's line: validate, call the service, come back to the person's contacts page. */
  function appointmentAction<T>(path: string, action: Parameters<Authorize>[0], schema: Joi.ObjectSchema<T>, defaultField: string, act: (appointmentId: number, value: T, req: Request) => Promise<unknown>) {
    router.post(`/appointments/:appointmentId/${path}`, authorize(action, appointmentFile, { hideExistence: true }), async (req, res) => {
      const appointmentId = param(schemas.appointmentParam, req, 'appointmentId')
      const { beneficiaryId } = await contacts.facts(appointmentId)
      const formKey = `${path}-${appointmentId}`
      const form = validate(schema, req.body)
      const values = { [formKey]: typedValues(schema, req.body) }
      if (!form.ok) return renderContacts(req, res, beneficiaryId, { errors: { [formKey]: translateErrors(form.errors, res.locals.t) }, values }, 400)
      try {
        await act(appointmentId, form.value, req)
      } catch (error) {
        const refused = refusal(error, res, defaultField)
        if (!refused) throw error
        return renderContacts(req, res, beneficiaryId, { errors: { [formKey]: refused.errors }, values, stale: refused.stale }, refused.stale ? 409 : 400)
      }
      res.redirect(303, `/beneficiaries/${beneficiaryId}/contacts#appointment-${appointmentId}`)
    })
  }

  appointmentAction('outcome', 'contact.recordOutcome', schemas.outcomeSchema, 'outcome', (appointmentId, value, req) => contacts.recordOutcome(appointmentId, { outcome: value.outcome, note: value.note }, value.version, requestContext(req)))
  appointmentAction('cancel', 'contact.cancel', schemas.cancelSchema, 'reason', (appointmentId, value, req) => contacts.cancel(appointmentId, value.reason, value.version, requestContext(req)))

  router.get('/appointments/:appointmentId.ics', authorize('contact.view', appointmentFile, { hideExistence: true }), async (req, res) => {
    const file = await appointmentFile(req)
    if (mustGiveReason(req, res, file)) return res.redirect(303, `/beneficiaries/${file.id}`)
    const t = res.locals.t
    const entry = await contacts.calendarEntry(param(schemas.appointmentParam, req, 'appointmentId'))
    await contacts.recordCalendarExport(entry.id, file.id, file.regionId, requestContext(req))
    const body = calendarFile({
      uid: `appointment-${entry.id}@probation-back-office`,
      sequence: entry.version - 1,
      stamp: services.clock.now(),
      start: entry.scheduledAt,
      end: new Date(entry.scheduledAt.getTime() + entry.durationMinutes * 60_000),
      summary: `${entry.fileNumber} · ${t(`contactKind.${entry.kind}`)}`,
      location: entry.place,
      description: entry.riskWarning ? t('contacts.ics.riskWarning') : null,
      cancelled: entry.cancelled,
    })
    res.set('Content-Type', 'text/calendar; charset=utf-8')
    res.set('Content-Disposition', `attachment; filename="appointment-${entry.id}.ics"`)
    res.set('Cache-Control', 'private, no-store')
    res.send(body)
  })

  router.get('/regions/:regionId/appointments/pending', authorize('contact.pending', regionOf, { hideExistence: true }), async (req, res) => {
    const regionId = param(schemas.regionParam, req, 'regionId')
    const query = validate(schemas.pendingQuery, req.query)
    const filter = query.ok ? query.value : { page: 1, mine: undefined }
    const actor = res.locals.actor
    const [region, { rows, total }] = await Promise.all([services.regions.get(regionId), contacts.pending({ regionId, userId: actor.id, onlyMine: filter.mine === '1', page: filter.page })])
    res.render('pages/contacts/pending', { region, rows, total, filter, pages: Math.max(1, Math.ceil(total / PENDING_PAGE_SIZE)) })
  })

  return router
}
