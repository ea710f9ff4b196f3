import { randomUUID } from 'node:crypto'
import { Router, type Request, type Response } from 'express'
import Joi from 'joi'
import type { Authorize } from '../../server/middleware/authorize'
import { requestContext } from '../../server/middleware/requestContext'
import * as catalogue from '../../server/domain/beneficiaryCatalogue'
import { romanise } from '../../server/domain/transliteration'
import { formatDate } from '../../server/domain/dates'
import type { Actor } from '../../server/policy'
import { mustGiveReason, rememberAccessReason } from './accessReason'
import type { Services } from '../../server/services'
import { DuplicateWarning, REGISTER_PAGE_SIZE, type CardInput, type PersonalFile } from '../../server/services/beneficiaries'
import { AlreadySubmitted, NotFoundError, ServiceError, StaleEditError } from '../../server/services/context'
import { id, requiredFieldsOf, translateErrors, typedValues, validate } from '../../server/validation'
import { contentDisposition } from '../../server/domain/fileTypes'
import { MEASURE_CODES, measureType } from '../../server/domain/measureCatalogue'
import { isTerminal } from '../../server/domain/measureLifecycle'
import { accessReasonSchema, assignSchema, documentSchema, newCardSchema, closeSchema, editCardSchema, noteSchema, reopenSchema, registerQuerySchema, searchQuerySchema } from './schemas'
import { kindLabel, noteLabel } from '../board/labels'

const beneficiaryIdParam = Joi.object({ beneficiaryId: id.required() }).unknown(true)
const documentIdParam = Joi.object({ beneficiaryId: id.required(), documentId: id.required() })
const regionIdParam = Joi.object({ regionId: id.required() })

function beneficiaryIdOf(req: Request): number {
  const { value, error } = beneficiaryIdParam.validate(req.params)
  if (error) throw new NotFoundError()
  return value.beneficiaryId
}

function regionIdOf(req: Request): number {
  const { value, error } = regionIdParam.validate(req.params)
  if (error) throw new NotFoundError()
  return value.regionId
}

/** The card as the service takes it: Latin spellings left empty are generated from the Armenian names. */
function cardFrom(value: Record<string, unknown>): CardInput {
  const card = { ...value } as unknown as CardInput & { confirmDuplicate?: boolean; version?: number }
  card.surnameLatin ||= romanise(card.surname)
  card.givenNameLatin ||= romanise(card.givenName)
  card.patronymicLatin ||= card.patronymic ? romanise(card.patronymic) : null
  if (!card.riskToStaff) card.riskToStaffReason = null
  delete card.confirmDuplicate
  delete card.version
  return card
}

/** The card's required fields, marked on its form (the same for a new card and an edit). */
const CARD_REQUIRED = requiredFieldsOf(newCardSchema)

export function beneficiaryRoutes(services: Services, authorize: Authorize): Router {
  const router = Router()
  const { beneficiaries } = services
  const fileOf = async (req: Request) => beneficiaries.facts(beneficiaryIdOf(req))
  // The file page's guard reads the whole file (the policy looks only at its facts), so the page reads it once.
  const wholeFileOf = async (req: Request) => beneficiaries.get(beneficiaryIdOf(req))
  const regionOf = async (req: Request) => {
    const regionId = regionIdOf(req)
    await services.regions.get(regionId)
    return { regionId }
  }
  // The register's guard keeps the region it read for the page (res.locals.policyResource).
  const registerRegionOf = async (req: Request) => {
    const region = await beneficiaries.region(regionIdOf(req))
    return { regionId: region.id, region }
  }

  async function renderCardForm(res: Response, view: string, data: Record<string, unknown>, status = 200) {
    res.status(status).render(view, { catalogue, errors: {}, values: {}, duplicates: null, stale: null, file: null, requiredFields: CARD_REQUIRED, ...data })
  }

  router.get('/regions/:regionId/beneficiaries', authorize('beneficiary.list', registerRegionOf, { hideExistence: true }), async (req, res) => {
    const { regionId, region } = res.locals.policyResource as Awaited<ReturnType<typeof registerRegionOf>>
    const query = validate(registerQuerySchema, req.query)
    const filter = query.ok ? query.value : (registerQuerySchema.validate({}).value as Record<string, never>)
    const { rows, total, officers } = await beneficiaries.registerPage({ regionId, status: filter.status, category: filter.category, officerId: filter.officerId, riskToStaff: filter.risk === '1' ? true : undefined, sort: filter.sort, direction: filter.direction, page: filter.page })
    res.render('pages/beneficiaries/register', { region, rows, total, filter, officers, catalogue, pages: Math.max(1, Math.ceil(total / REGISTER_PAGE_SIZE)), title: null })
  })

  router.get('/caseload', authorize('beneficiary.caseload'), async (req, res) => {
    const { rows, total } = await beneficiaries.list({ regionId: req.user!.regionId!, officerId: req.user!.id, sort: 'name', direction: 'asc', page: 1 })
    res.render('pages/beneficiaries/caseload', { rows, total })
  })

  router.get('/beneficiaries/search', authorize('beneficiary.list', (req) => ({ regionId: req.user?.regionId ?? null })), async (req, res) => {
    const query = validate(searchQuerySchema, req.query)
    const q = query.ok ? query.value.q : ''
    const actor = res.locals.actor as Actor
    const rows = q ? await beneficiaries.search(q, actor.role === 'SERVICE_HEAD' ? null : [actor.regionId!]) : []
    res.render('pages/beneficiaries/search', { q, rows, searched: q !== '' })
  })

  router.get('/regions/:regionId/beneficiaries/new', authorize('beneficiary.create', regionOf, { hideExistence: true }), async (req, res) => {
    await renderCardForm(res, 'pages/beneficiaries/form', { region: await services.regions.get(regionIdOf(req)), values: { status: 'ACTIVE', sex: '', category: '', submissionId: randomUUID() } })
  })

  router.post('/regions/:regionId/beneficiaries/new', authorize('beneficiary.create', regionOf, { hideExistence: true }), async (req, res) => {
    const t = res.locals.t
    const regionId = regionIdOf(req)
    const region = await services.regions.get(regionId)
    const form = validate(newCardSchema, req.body)
    if (!form.ok) return renderCardForm(res, 'pages/beneficiaries/form', { region, values: form.values, errors: translateErrors(form.errors, t) }, 400)
    try {
      const options = { confirmDuplicate: form.value.confirmDuplicate, responsibleOfficerId: req.user!.role === 'REGIONAL_HEAD' ? null : req.user!.id, submissionId: form.value.submissionId }
      const created = await beneficiaries.create(regionId, cardFrom(form.value), options, requestContext(req))
      res.redirect(303, `/beneficiaries/${created.id}`)
    } catch (error) {
      if (error instanceof AlreadySubmitted) return res.redirect(303, `/beneficiaries/${error.resultId}`)
      const values = typedValues(newCardSchema, req.body)
      if (error instanceof DuplicateWarning) return renderCardForm(res, 'pages/beneficiaries/form', { region, values, duplicates: error.matches }, 409)
      if (error instanceof ServiceError && error.field) return renderCardForm(res, 'pages/beneficiaries/form', { region, values, errors: { [error.field]: t(error.code) } }, 400)
      throw error
    }
  })

  router.get('/beneficiaries/:beneficiaryId', authorize('beneficiary.view', wholeFileOf, { hideExistence: true }), async (req, res) => {
    const file = res.locals.policyResource as PersonalFile
    if (mustGiveReason(req, res, file)) return res.render('pages/beneficiaries/access-reason', { beneficiaryId: file.id, errors: {}, values: {} })
    await beneficiaries.recordView(file.id, file.regionId, 'beneficiary.view', requestContext(req))
    await renderFile(res, file.id, {}, 200, file)
  })

  /** The personal file page; a failed note or upload comes back to it with its errors. */
  async function renderFile(res: Response, beneficiaryId: number, forms: { noteErrors?: Record<string, string>; noteValues?: Record<string, string>; documentErrors?: Record<string, string>; documentValues?: Record<string, string> } = {}, status = 200, loaded?: PersonalFile) {
    const file = withoutHealthUnlessAllowed(res, loaded ?? (await beneficiaries.get(beneficiaryId)))
    const canSeeAccessLog = res.locals.can('beneficiary.viewAccessLog', file)
    const opening = services.deadlines.forBeneficiary(file.id, true)
    const [{ notes, documents, timeline, views, readSummary }, courtActs, deadlines, measures, correspondence, openWork, summary] = await Promise.all([
      beneficiaries.fileSections(file.id, canSeeAccessLog),
      services.measures.courtActsOf(file.id),
      opening,
      opening.then((open) => services.measures.measuresOf(file.id, open)),
      services.correspondence.forBeneficiary(file.id),
      services.board.fileWork(file.id, file.regionId),
      services.caseSummary.summaryOf(file.id),
    ])
    // A deadline counted by the Service's default rather than a legal term says so beside it.
    const onDefault = new Set(deadlines.filter((deadline) => deadline.explanation.basis === 'default').map((deadline) => `/deadlines/${deadline.id}`))
    const work = openWork.map((line) => ({ ...line, onDefaultTerm: line.explainHref !== null && onDefault.has(line.explainHref) }))
    res.status(status).render('pages/beneficiaries/file', {
      file, facts: file, notes, documents, timeline, views, readSummary, courtActs, measures, work, correspondence, measureTypes: MEASURE_TYPES_BY_CODE, catalogue, kindName: kindLabel(res), noteText: noteLabel(res),
      summary: { ...summary, measuresInForce: measures.filter((measure) => !isTerminal(measure.state)), overdue: openWork.filter((line) => line.group === 'overdue').length },
      // The note and document forms carry a one-time id (sent twice, each adds once); one shown again, the id it was sent with.
      noteErrors: forms.noteErrors ?? {}, noteValues: { submissionId: randomUUID(), ...forms.noteValues }, documentErrors: forms.documentErrors ?? {}, documentValues: { submissionId: randomUUID(), ...forms.documentValues },
    })
  }

  router.post('/beneficiaries/:beneficiaryId/access-reason', authorize('beneficiary.view', fileOf, { hideExistence: true }), async (req, res) => {
    const facts = await fileOf(req)
    const form = validate(accessReasonSchema, req.body)
    if (!form.ok) return res.status(400).render('pages/beneficiaries/access-reason', { beneficiaryId: facts.id, errors: translateErrors(form.errors, res.locals.t), values: form.values })
    await beneficiaries.recordView(facts.id, facts.regionId, 'beneficiary.accessReason', requestContext(req), { reason: form.value.reason })
    rememberAccessReason(req, facts.id)
    res.redirect(303, `/beneficiaries/${facts.id}`)
  })

  router.get('/beneficiaries/:beneficiaryId/print', authorize('beneficiary.view', fileOf, { hideExistence: true }), async (req, res) => {
    const facts = await fileOf(req)
    if (mustGiveReason(req, res, facts)) return res.redirect(303, `/beneficiaries/${facts.id}`)
    const file = withoutHealthUnlessAllowed(res, await beneficiaries.get(facts.id))
    await beneficiaries.recordView(file.id, file.regionId, 'beneficiary.print', requestContext(req))
    res.render('pages/beneficiaries/print', { file, facts, notes: await beneficiaries.notes(file.id), catalogue })
  })

  router.get('/beneficiaries/:beneficiaryId/export.pdf', authorize('beneficiary.exportFile', fileOf, { hideExistence: true }), async (req, res) => {
    const beneficiaryId = beneficiaryIdOf(req)
    const { fileName, pdf } = await services.subjectAccess.exportFile(beneficiaryId, res.locals.t, res.locals.lang, { ...requestContext(req), actorName: req.user!.fullName })
    res.set('Content-Type', 'application/pdf')
    res.set('Content-Disposition', contentDisposition(fileName, 'attachment'))
    res.set('Cache-Control', 'private, no-store')
    res.send(pdf)
  })

  router.get('/beneficiaries/:beneficiaryId/edit', authorize('beneficiary.edit', fileOf, { hideExistence: true }), async (req, res) => {
    const file = await beneficiaries.get(beneficiaryIdOf(req))
    await beneficiaries.recordView(file.id, file.regionId, 'beneficiary.view', requestContext(req), { page: 'edit' })
    await renderCardForm(res, 'pages/beneficiaries/form', { file, region: null, values: formValuesOf(file, res.locals.can('beneficiary.viewHealth', file)) })
  })

  router.post('/beneficiaries/:beneficiaryId/edit', authorize('beneficiary.edit', fileOf, { hideExistence: true }), async (req, res) => {
    const t = res.locals.t
    const current = await beneficiaries.get(beneficiaryIdOf(req))
    const mayEditHealth = res.locals.can('beneficiary.viewHealth', current)
    const form = validate(editCardSchema, req.body)
    if (!form.ok) return renderCardForm(res, 'pages/beneficiaries/form', { file: current, values: form.values, errors: translateErrors(form.errors, t) }, 400)
    const card = cardFrom(form.value)
    // Someone who may not read the health notes cannot overwrite them either.
    if (!mayEditHealth) card.healthNotes = current.healthNotes
    try {
      await beneficiaries.update(current.id, form.value.version, card, requestContext(req))
      res.redirect(303, `/beneficiaries/${current.id}`)
    } catch (error) {
      const values = typedValues(editCardSchema, req.body)
      if (error instanceof StaleEditError) {
        const saved = error.current as PersonalFile
        return renderCardForm(res, 'pages/beneficiaries/form', { file: saved, values: { ...values, version: String(saved.version) }, stale: formValuesOf(saved, mayEditHealth) }, 409)
      }
      if (error instanceof ServiceError && error.field) return renderCardForm(res, 'pages/beneficiaries/form', { file: current, values, errors: { [error.field]: t(error.code) } }, 400)
      throw error
    }
  })

  router.post('/beneficiaries/:beneficiaryId/notes', authorize('beneficiary.addNote', fileOf, { hideExistence: true }), async (req, res) => {
    const beneficiaryId = beneficiaryIdOf(req)
    const form = validate(noteSchema, req.body)
    if (!form.ok) return renderFile(res, beneficiaryId, { noteErrors: translateErrors(form.errors, res.locals.t), noteValues: form.values }, 400)
    try {
      await beneficiaries.addNote(beneficiaryId, form.value.body, requestContext(req), form.value.submissionId)
    } catch (error) {
      if (!(error instanceof AlreadySubmitted)) throw error
    }
    res.redirect(303, `/beneficiaries/${beneficiaryId}#notes`)
  })

  router.post('/beneficiaries/:beneficiaryId/documents', authorize('beneficiary.uploadDocument', fileOf, { hideExistence: true }), async (req, res) => {
    const t = res.locals.t
    const beneficiaryId = beneficiaryIdOf(req)
    const form = validate(documentSchema, req.body)
    const refuse = (errors: Record<string, string>) => renderFile(res, beneficiaryId, { documentErrors: errors, documentValues: typedValues(documentSchema, req.body) }, 400)
    if (req.uploadProblem) return refuse({ file: t(`document.${req.uploadProblem}`) })
    if (!form.ok) return refuse(translateErrors(form.errors, t))
    if (!req.file) return refuse({ file: t('document.missing') })
    try {
      await beneficiaries.addDocument(beneficiaryId, { fileName: req.file.originalname, content: req.file.buffer, description: form.value.description, kind: form.value.kind }, requestContext(req), form.value.submissionId)
    } catch (error) {
      if (error instanceof AlreadySubmitted) return res.redirect(303, `/beneficiaries/${beneficiaryId}#documents`)
      if (error instanceof ServiceError) return refuse({ [error.field ?? 'file']: t(error.code) })
      throw error
    }
    res.redirect(303, `/beneficiaries/${beneficiaryId}#documents`)
  })

  router.get('/beneficiaries/:beneficiaryId/documents/:documentId', authorize('beneficiary.downloadDocument', fileOf, { hideExistence: true }), async (req, res) => {
    const { value, error } = documentIdParam.validate(req.params)
    if (error) throw new NotFoundError()
    const facts = await fileOf(req)
    if (mustGiveReason(req, res, facts)) return res.redirect(303, `/beneficiaries/${facts.id}`)
    const document = await beneficiaries.document(facts.id, value.documentId, requestContext(req))
    res.set('Content-Type', document.mediaType)
    res.set('Content-Disposition', contentDisposition(document.fileName, 'attachment'))
    res.set('Cache-Control', 'private, no-store')
    res.send(document.content)
  })

  router.get('/beneficiaries/:beneficiaryId/photo', authorize('beneficiary.view', fileOf, { hideExistence: true }), async (req, res) => {
    const facts = await fileOf(req)
    if (mustGiveReason(req, res, facts)) return res.redirect(303, `/beneficiaries/${facts.id}`)
    const photo = await beneficiaries.document(facts.id, 'latestPhoto', requestContext(req))
    res.set('Content-Type', photo.mediaType)
    res.set('Content-Disposition', contentDisposition(photo.fileName, 'inline'))
    res.set('Cache-Control', 'private, no-store')
    res.send(photo.content)
  })

  async function renderAssign(res: Response, file: PersonalFile, data: Record<string, unknown> = {}, status = 200) {
    res.status(status).render('pages/beneficiaries/assign', { file, officers: await beneficiaries.caseloads(file.regionId), errors: {}, values: { officerId: file.responsibleOfficerId ?? '' }, ...data })
  }

  router.get('/beneficiaries/:beneficiaryId/assign', authorize('beneficiary.assign', fileOf, { hideExistence: true }), async (req, res) => {
    const file = await beneficiaries.get(beneficiaryIdOf(req))
    await beneficiaries.recordView(file.id, file.regionId, 'beneficiary.view', requestContext(req), { page: 'assign' })
    await renderAssign(res, file)
  })

  router.post('/beneficiaries/:beneficiaryId/assign', authorize('beneficiary.assign', fileOf, { hideExistence: true }), async (req, res) => {
    const t = res.locals.t
    const file = await beneficiaries.get(beneficiaryIdOf(req))
    const form = validate(assignSchema, req.body)
    if (!form.ok) return renderAssign(res, file, { errors: translateErrors(form.errors, t), values: form.values }, 400)
    try {
      await beneficiaries.assign(file.id, form.value.officerId, requestContext(req))
    } catch (error) {
      if (error instanceof ServiceError && error.field) return renderAssign(res, file, { errors: { [error.field]: t(error.code) }, values: typedValues(assignSchema, req.body) }, 400)
      throw error
    }
    res.redirect(303, `/beneficiaries/${file.id}`)
  })

  async function renderClose(res: Response, file: PersonalFile, data: Record<string, unknown> = {}, status = 200) {
    res.status(status).render('pages/beneficiaries/close', { file, catalogue, errors: {}, values: { version: String(file.version) }, ...data })
  }

  router.get('/beneficiaries/:beneficiaryId/close', authorize('beneficiary.close', fileOf, { hideExistence: true }), async (req, res) => {
    const file = await beneficiaries.get(beneficiaryIdOf(req))
    await beneficiaries.recordView(file.id, file.regionId, 'beneficiary.view', requestContext(req), { page: 'close' })
    await renderClose(res, file)
  })

  router.post('/beneficiaries/:beneficiaryId/close', authorize('beneficiary.close', fileOf, { hideExistence: true }), async (req, res) => {
    const t = res.locals.t
    const file = await beneficiaries.get(beneficiaryIdOf(req))
    const form = validate(closeSchema, req.body)
    if (!form.ok) return renderClose(res, file, { errors: translateErrors(form.errors, t), values: form.values }, 400)
    try {
      await beneficiaries.close(file.id, form.value.version, { reason: form.value.reason, closedOn: form.value.closedOn, note: form.value.note }, requestContext(req))
    } catch (error) {
      const values = typedValues(closeSchema, req.body)
      if (error instanceof StaleEditError) return renderClose(res, file, { errors: { _form: t('form.staleEdit') }, values: { ...values, version: String((error.current as PersonalFile).version) } }, 409)
      if (error instanceof ServiceError) return renderClose(res, file, { errors: { [error.field ?? '_form']: t(error.code) }, values }, 400)
      throw error
    }
    res.redirect(303, `/beneficiaries/${file.id}`)
  })

  router.post('/beneficiaries/:beneficiaryId/reopen', authorize('beneficiary.reopen', fileOf, { hideExistence: true }), async (req, res) => {
    const t = res.locals.t
    const file = await beneficiaries.get(beneficiaryIdOf(req))
    const form = validate(reopenSchema, req.body)
    const refuse = (errors: Record<string, string>, status = 400) => res.status(status).render('pages/beneficiaries/reopen', { file, errors, values: typedValues(reopenSchema, req.body) })
    if (!form.ok) return refuse(translateErrors(form.errors, t))
    try {
      await beneficiaries.reopen(file.id, form.value.version, form.value.reason, requestContext(req))
    } catch (error) {
      if (error instanceof StaleEditError) return refuse({ _form: t('form.staleEdit') }, 409)
      if (error instanceof ServiceError) return refuse({ reason: t(error.code) })
      throw error
    }
    res.redirect(303, `/beneficiaries/${file.id}`)
  })

  return router
}

/** Health notes reach the page only for the responsible officer and the heads. */
function withoutHealthUnlessAllowed(res: Response, file: PersonalFile): PersonalFile {
  return res.locals.can('beneficiary.viewHealth', file) ? file : { ...file, healthNotes: null }
}

const MEASURE_TYPES_BY_CODE = Object.fromEntries(MEASURE_CODES.map((code) => [code, measureType(code)]))

const DATE_FIELDS = new Set(['birthDate', 'identityDocumentIssuedOn'])

/** The card as form values (strings), for editing. */
function formValuesOf(file: PersonalFile, withHealth: boolean): Record<string, string> {
  const values: Record<string, string> = {}
  for (const [key, value] of Object.entries(file)) {
    if (value === null || value === undefined || value instanceof Date) continue
    values[key] = typeof value === 'boolean' ? (value ? '1' : '') : DATE_FIELDS.has(key) ? formatDate(String(value)) : String(value)
  }
  if (!withHealth) delete values.healthNotes
  return values
}
