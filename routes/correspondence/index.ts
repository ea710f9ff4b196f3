import { randomUUID } from 'node:crypto'
import { Router, type Request, type Response } from 'express'
import type Joi from 'joi'
import type { Authorize } from '../../server/middleware/authorize'
import { requestContext } from '../../server/middleware/requestContext'
import { CHANNELS, COMPLAINT_SUBJECTS, INCOMING_KINDS, ITEM_STATUSES, nextItemStatus, OPEN_ITEM_STATUSES, REPORT_PURPOSES, SENDING_METHODS, TOPICS, type IncomingKindCode, type ItemStatus } from '../../server/domain/correspondence'
import { explainDueDateLines } from '../../server/domain/deadlineRules'
import { contentDisposition } from '../../server/domain/fileTypes'
import { formatDate, formatDateTime, serviceDateOf } from '../../server/domain/dates'
import type { Services } from '../../server/services'
import { AlreadySubmitted, NotFoundError, ServiceError } from '../../server/services/context'
import { CONTROL_BUCKETS, OTHER_MATCHES_LIMIT, PAGE_SIZE } from '../../server/services/correspondence'
import { tableToPdf, tableToXlsx, type TableModel } from '../../server/export/table'
import { requiredFieldsOf, translateErrors, typedValues, validate } from '../../server/validation'
import * as schemas from './schemas'
import { param, type FormErrors, refusal } from '../forms'


/** The forms' required fields, marked on them (read from their schemas once). */
const INCOMING_REQUIRED = requiredFieldsOf(schemas.incomingSchema)
const LETTER_REQUIRED = requiredFieldsOf(schemas.standaloneSchema)

export function correspondenceRoutes(services: Services, authorize: Authorize): Router {
  const router = Router()
  const { correspondence } = services
  const today = () => serviceDateOf(services.clock.now())

  const regionOf = async (req: Request) => {
    const regionId = param(schemas.regionParam, req, 'regionId')
    await services.regions.get(regionId)
    return { regionId }
  }
  const itemOf = (req: Request) => correspondence.itemFacts(param(schemas.itemParam, req, 'itemId'))
  const letterOf = (req: Request) => correspondence.letterFacts(param(schemas.letterParam, req, 'letterId'))
  const attachmentOf = async (req: Request) => correspondence.itemFacts(await correspondence.attachmentItem(param(schemas.attachmentParam, req, 'attachmentId')))

  // -------------------------------------------------------------------------------------------------------
  // The registers

  /** The other register's matches as its link says them: the count, or "100+" beyond what is counted. */
  const otherMatches = (matches: number | null) => (matches === null ? null : matches > OTHER_MATCHES_LIMIT ? `${OTHER_MATCHES_LIMIT}+` : String(matches))

  router.get('/regions/:regionId/correspondence', authorize('correspondence.list', regionOf, { hideExistence: true }), async (req, res) => {
    const regionId = param(schemas.regionParam, req, 'regionId')
    const query = validate(schemas.registerQuery, req.query)
    const filter = query.ok ? query.value : { register: 'IN' as const, page: 1 }
    const [region, staff, inProgress] = await Promise.all([services.regions.get(regionId), correspondence.staff(regionId), correspondence.lettersInProgress(regionId)])
    const common = { region, staff, filter, kinds: INCOMING_KINDS, statuses: ITEM_STATUSES, inProgress, queryErrors: query.ok ? {} : translateErrors(query.errors, res.locals.t) }
    if (filter.register === 'OUT') {
      const [{ rows, total }, other] = await Promise.all([
        correspondence.outgoingRegister({ regionId, q: filter.q, from: filter.from, to: filter.to, page: filter.page }),
        filter.q ? correspondence.matchesIn('IN', regionId, filter.q) : Promise.resolve(null),
      ])
      return res.render('pages/correspondence/register', { ...common, incoming: [], outgoing: rows, total, otherTotal: otherMatches(other), pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) })
    }
    const [{ rows, total }, other] = await Promise.all([
      correspondence.incomingRegister({ regionId, q: filter.q, kind: filter.kind as IncomingKindCode | undefined, status: filter.status as ItemStatus | undefined, assigneeId: filter.assigneeId, from: filter.from, to: filter.to, overdue: filter.overdue === '1', underControl: filter.underControl === '1', page: filter.page }),
      filter.q ? correspondence.matchesIn('OUT', regionId, filter.q) : Promise.resolve(null),
    ])
    res.render('pages/correspondence/register', { ...common, incoming: rows, outgoing: [], total, otherTotal: otherMatches(other), pages: Math.max(1, Math.ceil(total / PAGE_SIZE)), today: today() })
  })

  async function renderNew(res: Response, regionId: number, data: Record<string, unknown> = {}, status = 200) {
    const [region, staff] = await Promise.all([services.regions.get(regionId), correspondence.staff(regionId)])
    res.status(status).render('pages/correspondence/new', {
      region, staff, kinds: INCOMING_KINDS, channels: CHANNELS, topics: TOPICS, complaintSubjects: COMPLAINT_SUBJECTS, reportPurposes: REPORT_PURPOSES,
      errors: {}, values: { receivedOn: formatDate(today()), submissionId: randomUUID() }, requiredFields: INCOMING_REQUIRED, ...data,
    })
  }

  router.get('/regions/:regionId/correspondence/new', authorize('correspondence.register', regionOf, { hideExistence: true }), async (req, res) => {
    await renderNew(res, param(schemas.regionParam, req, 'regionId'))
  })

  router.post('/regions/:regionId/correspondence/new', authorize('correspondence.register', regionOf, { hideExistence: true }), async (req, res) => {
    const regionId = param(schemas.regionParam, req, 'regionId')
    const form = validate(schemas.incomingSchema, req.body)
    const values = typedValues(schemas.incomingSchema, req.body)
    if (!form.ok) return renderNew(res, regionId, { errors: translateErrors(form.errors, res.locals.t), values }, 400)
    try {
      const { submissionId, ...typed } = form.value
      const { id } = await correspondence.registerIncoming(regionId, { ...typed, reportRequested: typed.reportRequested === '1' } as Parameters<typeof correspondence.registerIncoming>[1], requestContext(req), submissionId)
      res.redirect(303, `/correspondence/${id}`)
    } catch (error) {
      if (error instanceof AlreadySubmitted) return res.redirect(303, `/correspondence/${error.resultId}`)
      const refused = refusal(error, res, 'kind')
      if (!refused) throw error
      return renderNew(res, regionId, { errors: refused.errors, values }, 400)
    }
  })

  // -------------------------------------------------------------------------------------------------------
  // One item

  async function renderItem(req: Request, res: Response, itemId: number, data: { errors?: FormErrors; values?: FormErrors; stale?: boolean } = {}, status = 200) {
    const item = await correspondence.item(itemId)
    const [letters, attachments, taskId, offer, staff] = await Promise.all([
      correspondence.lettersOf(itemId),
      correspondence.attachments(itemId),
      correspondence.taskOf(itemId),
      correspondence.extensionOffer(itemId),
      correspondence.staff(item.regionId),
    ])
    if (status === 200) await correspondence.recordView(itemId, item.regionId, requestContext(req))
    res.status(status).render('pages/correspondence/item', {
      item, letters, attachments, taskId, offer, staff, today: today(), sendingMethods: SENDING_METHODS,
      isOpen: OPEN_ITEM_STATUSES.includes(item.status),
      possible: Object.fromEntries((['assign', 'start', 'draftReply', 'close'] as const).map((event) => [event, nextItemStatus(item.status, event) !== null])),
      explanation: explainDueDateLines(item.dueExplanation, res.locals.lang),
      // The attachment form carries a one-time id (sent twice, it attaches once); one shown again, the id it was sent with.
      errors: data.errors ?? {}, values: { ...data.values, attachments: { submissionId: randomUUID(), ...data.values?.attachments } }, stale: data.stale ?? false,
    })
  }

  // Before /correspondence/:itemId, which would take "mine" for an id.
  router.get('/correspondence/mine', authorize('correspondence.mine'), async (req, res) => {
    const view = await correspondence.control({ regionId: req.user!.regionId ?? undefined, assigneeId: req.user!.id })
    res.render('pages/correspondence/control', { region: null, staff: [], view, filter: {}, kinds: INCOMING_KINDS, buckets: CONTROL_BUCKETS, mine: true })
  })

  router.get('/correspondence/:itemId', authorize('correspondence.view', itemOf, { hideExistence: true }), async (req, res) => {
    await renderItem(req, res, param(schemas.itemParam, req, 'itemId'))
  })

  /** One form on the item page: validate, call the service, come back to the page (with errors beside the form's fields). */
  function itemAction<T>(path: string, action: Parameters<Authorize>[0], schema: Joi.ObjectSchema<T>, defaultField: string, act: (itemId: number, value: T, req: Request) => Promise<unknown>, anchor = '') {
    router.post(`/correspondence/:itemId/${path}`, authorize(action, itemOf, { hideExistence: true }), async (req, res) => {
      const itemId = param(schemas.itemParam, req, 'itemId')
      const form = validate(schema, req.body)
      const values = { [path]: typedValues(schema, req.body) }
      if (!form.ok) return renderItem(req, res, itemId, { errors: { [path]: translateErrors(form.errors, res.locals.t) }, values }, 400)
      try {
        await act(itemId, form.value, req)
      } catch (error) {
        const refused = refusal(error, res, defaultField)
        if (!refused) throw error
        return renderItem(req, res, itemId, { errors: { [path]: refused.errors }, values, stale: refused.stale }, refused.stale ? 409 : 400)
      }
      res.redirect(303, `/correspondence/${itemId}${anchor}`)
    })
  }

  itemAction('assign', 'correspondence.assign', schemas.assignSchema, 'assigneeId', (itemId, value, req) =>
    correspondence.assign(itemId, { assigneeId: value.assigneeId, resolution: value.resolution, expectedVersion: value.version }, requestContext(req)))
  itemAction('start', 'correspondence.work', schemas.versionOnly, 'version', (itemId, value, req) => correspondence.start(itemId, value.version, requestContext(req)))
  itemAction('control', 'correspondence.setControl', schemas.controlSchema, 'underControl', (itemId, value, req) =>
    correspondence.setControl(itemId, value.underControl === '1', value.version, requestContext(req)))
  itemAction('due-date', 'correspondence.overrideDue', schemas.overrideSchema, 'dueDate', (itemId, value, req) =>
    correspondence.overrideDueDate(itemId, { dueDate: value.dueDate, reason: value.reason, expectedVersion: value.version }, requestContext(req)))
  itemAction('extend', 'correspondence.extend', schemas.extendSchema, 'noticeDate', (itemId, value, req) =>
    correspondence.extend(itemId, { noticeDate: value.noticeDate, newDueDate: value.newDueDate, addressee: value.addressee, body: value.body, sendingMethod: value.sendingMethod, expectedVersion: value.version }, requestContext(req)))
  itemAction('reply', 'correspondence.work', schemas.replySchema, 'letterDate', async (itemId, value, req) => {
    const { version, ...letter } = value
    await correspondence.draftReply(itemId, { ...letter, expectedVersion: version }, requestContext(req))
  }, '#letters')
  itemAction('close', 'correspondence.work', schemas.closeSchema, 'reason', (itemId, value, req) =>
    correspondence.close(itemId, { closedOn: value.closedOn, reason: value.reason, expectedVersion: value.version }, requestContext(req)))

  router.post('/correspondence/:itemId/attachments', authorize('correspondence.attach', itemOf, { hideExistence: true }), async (req, res) => {
    const itemId = param(schemas.itemParam, req, 'itemId')
    const refuse = (errors: Record<string, string>) => renderItem(req, res, itemId, { errors: { attachments: errors }, values: { attachments: typedValues(schemas.attachmentSchema, req.body) } }, 400)
    if (req.uploadProblem) return refuse({ file: res.locals.t(`document.${req.uploadProblem}`) })
    const form = validate(schemas.attachmentSchema, req.body)
    if (!form.ok) return refuse(translateErrors(form.errors, res.locals.t))
    if (!req.file) return refuse({ file: res.locals.t('document.missing') })
    try {
      await correspondence.addAttachment(itemId, { fileName: req.file.originalname, content: req.file.buffer }, requestContext(req), form.value.submissionId)
    } catch (error) {
      if (error instanceof AlreadySubmitted) return res.redirect(303, `/correspondence/${itemId}#attachments`)
      if (error instanceof ServiceError) return refuse({ file: res.locals.t(error.code) })
      throw error
    }
    res.redirect(303, `/correspondence/${itemId}#attachments`)
  })

  router.get('/correspondence/attachments/:attachmentId', authorize('correspondence.view', attachmentOf, { hideExistence: true }), async (req, res) => {
    const attachment = await correspondence.attachment(param(schemas.attachmentParam, req, 'attachmentId'))
    const { regionId } = await correspondence.itemFacts(attachment.itemId)
    await correspondence.recordDownload(attachment.id, attachment.itemId, regionId, requestContext(req))
    res.set('Content-Type', attachment.mediaType)
    res.set('Content-Disposition', contentDisposition(attachment.fileName, 'attachment'))
    res.set('Cache-Control', 'private, no-store')
    res.send(attachment.content)
  })

  // -------------------------------------------------------------------------------------------------------
  // Outgoing letters

  async function renderLetter(res: Response, letterId: number, data: { errors?: FormErrors; values?: FormErrors; stale?: boolean } = {}, status = 200) {
    const letter = await correspondence.letter(letterId)
    res.status(status).render('pages/correspondence/letter', { letter, sendingMethods: SENDING_METHODS, today: today(), errors: data.errors ?? {}, values: data.values ?? {}, stale: data.stale ?? false })
  }

  router.get('/letters/:letterId', authorize('letter.view', letterOf, { hideExistence: true }), async (req, res) => {
    await renderLetter(res, param(schemas.letterParam, req, 'letterId'))
  })

  function letterAction<T>(path: string, action: Parameters<Authorize>[0], schema: Joi.ObjectSchema<T>, defaultField: string, act: (letterId: number, value: T, req: Request) => Promise<unknown>) {
    router.post(`/letters/:letterId/${path}`, authorize(action, letterOf, { hideExistence: true }), async (req, res) => {
      const letterId = param(schemas.letterParam, req, 'letterId')
      const form = validate(schema, req.body)
      const values = { [path]: typedValues(schema, req.body) }
      if (!form.ok) return renderLetter(res, letterId, { errors: { [path]: translateErrors(form.errors, res.locals.t) }, values }, 400)
      let redirect = `/letters/${letterId}`
      try {
        const result = await act(letterId, form.value, req)
        if (typeof result === 'string') redirect = result
      } catch (error) {
        const refused = refusal(error, res, defaultField)
        if (!refused) throw error
        return renderLetter(res, letterId, { errors: { [path]: refused.errors }, values, stale: refused.stale }, refused.stale ? 409 : 400)
      }
      res.redirect(303, redirect)
    })
  }

  letterAction('edit', 'letter.edit', schemas.letterEditSchema, 'body', async (letterId, value, req) => {
    const { version, ...letter } = value
    await correspondence.editDraft(letterId, { ...letter, expectedVersion: version }, requestContext(req))
  })
  letterAction('delete', 'letter.edit', schemas.versionOnly, 'version', async (letterId, value, req) => {
    const { itemId, taskId, regionId } = await correspondence.deleteDraft(letterId, value.version, requestContext(req))
    return taskId ? `/tasks/${taskId}` : itemId ? `/correspondence/${itemId}` : `/regions/${regionId}/correspondence?register=OUT`
  })
  letterAction('sign', 'letter.sign', schemas.versionOnly, 'version', (letterId, value, req) => correspondence.sign(letterId, value.version, requestContext(req)).then(() => undefined))
  letterAction('send', 'letter.send', schemas.sendSchema, 'sentOn', (letterId, value, req) =>
    correspondence.send(letterId, { sentOn: value.sentOn, sendingMethod: value.sendingMethod, replyDueDate: value.replyDueDate, expectedVersion: value.version }, requestContext(req)))

  async function renderStandalone(res: Response, regionId: number, data: Record<string, unknown> = {}, status = 200) {
    res.status(status).render('pages/correspondence/letter-new', { region: await services.regions.get(regionId), errors: {}, values: { letterDate: formatDate(today()), submissionId: randomUUID() }, requiredFields: LETTER_REQUIRED, ...data })
  }

  router.get('/regions/:regionId/letters/new', authorize('letter.draft', regionOf, { hideExistence: true }), async (req, res) => {
    await renderStandalone(res, param(schemas.regionParam, req, 'regionId'))
  })

  router.post('/regions/:regionId/letters/new', authorize('letter.draft', regionOf, { hideExistence: true }), async (req, res) => {
    const regionId = param(schemas.regionParam, req, 'regionId')
    const form = validate(schemas.standaloneSchema, req.body)
    const values = typedValues(schemas.standaloneSchema, req.body)
    if (!form.ok) return renderStandalone(res, regionId, { errors: translateErrors(form.errors, res.locals.t), values }, 400)
    try {
      const { submissionId, ...letter } = form.value
      const letterId = await correspondence.draftStandalone(regionId, letter, requestContext(req), submissionId)
      res.redirect(303, `/letters/${letterId}`)
    } catch (error) {
      if (error instanceof AlreadySubmitted) return res.redirect(303, `/letters/${error.resultId}`)
      const refused = refusal(error, res, 'addressee')
      if (!refused) throw error
      return renderStandalone(res, regionId, { errors: refused.errors, values }, 400)
    }
  })

  // -------------------------------------------------------------------------------------------------------
  // Control, summaries, print and export

  router.get('/regions/:regionId/correspondence/control', authorize('correspondence.control', regionOf, { hideExistence: true }), async (req, res) => {
    const regionId = param(schemas.regionParam, req, 'regionId')
    const query = validate(schemas.controlQuery, req.query)
    const filter = query.ok ? query.value : {}
    const [region, staff, view] = await Promise.all([
      services.regions.get(regionId),
      correspondence.staff(regionId),
      correspondence.control({ regionId, assigneeId: filter.assigneeId, kind: filter.kind as IncomingKindCode | undefined, underControl: filter.underControl === '1' }),
    ])
    res.render('pages/correspondence/control', { region, staff, view, filter, kinds: INCOMING_KINDS, buckets: CONTROL_BUCKETS, mine: false })
  })

  router.get('/regions/:regionId/correspondence/summary', authorize('correspondence.summary', regionOf, { hideExistence: true }), async (req, res) => {
    const regionId = param(schemas.regionParam, req, 'regionId')
    const query = validate(schemas.summaryQuery, req.query)
    const now = today()
    const year = (query.ok && query.value.year) || Number(now.slice(0, 4))
    const quarter = (query.ok && query.value.quarter) || Math.ceil(Number(now.slice(5, 7)) / 3)
    const [region, summary] = await Promise.all([services.regions.get(regionId), correspondence.quarterSummary(regionId, year, quarter)])
    res.render('pages/correspondence/summary', { region, summary, year, quarter })
  })

  router.get('/regions/:regionId/correspondence/register.:format', authorize('correspondence.list', regionOf, { hideExistence: true }), async (req, res) => {
    const regionId = param(schemas.regionParam, req, 'regionId')
    const format = schemas.formatParam.validate(req.params)
    if (format.error) throw new NotFoundError()
    const query = validate(schemas.exportQuery, req.query)
    if (!query.ok || query.value.from > query.value.to) return res.status(400).render('errors/400', { message: res.locals.t('correspondence.export.badPeriod') })
    const { register, from, to } = query.value
    const t = res.locals.t
    const region = await services.regions.get(regionId)
    const lines = await correspondence.registerForPeriod(regionId, register, from, to)
    const regionName = res.locals.lang === 'hy' ? region.nameHy : region.nameEn
    const table: TableModel =
      register === 'IN'
        ? {
            title: `${t('correspondence.register.IN')} — ${regionName}`,
            columns: [
              { header: t('correspondence.number'), width: 2 }, { header: t('correspondence.receivedOn'), width: 1.4 }, { header: t('correspondence.senderColumn'), width: 3 },
              { header: t('correspondence.subject'), width: 4 }, { header: t('correspondence.resolutionColumn'), width: 3 }, { header: t('correspondence.dueDate'), width: 1.4 },
              { header: t('correspondence.executionColumn'), width: 2.5 }, { header: t('correspondence.status'), width: 1.6 },
            ],
            rows: lines.incoming.map((line) => [
              line.number, formatDate(line.receivedOn),
              [line.sender, line.senderReference ? `№ ${line.senderReference}${line.senderDate ? ` (${formatDate(line.senderDate)})` : ''}` : '', t(`channel.${line.channel}`)].filter(Boolean).join('\n'),
              `${t(`incomingKind.${line.kind}`)}: ${line.subject}`,
              [line.assigneeName, line.resolution].filter(Boolean).join(': '), formatDate(line.dueDate), line.replies ?? '', t(`itemStatus.${line.status}`),
            ]),
            footer: '', language: res.locals.lang, subtitle: '', sheetName: t('correspondence.register.IN'),
          }
        : {
            title: `${t('correspondence.register.OUT')} — ${regionName}`,
            columns: [
              { header: t('correspondence.number'), width: 2 }, { header: t('letter.signedOn'), width: 1.4 }, { header: t('letter.addressee'), width: 3 },
              { header: t('correspondence.subject'), width: 4 }, { header: t('letter.inReplyTo'), width: 2 }, { header: t('letter.signedBy'), width: 2 },
              { header: t('letter.sending'), width: 2.4 },
            ],
            rows: lines.outgoing.map((line) => [
              line.number, formatDate(line.signedOn), line.addressee, line.subject, line.incomingNumber ?? '', line.signedByName ?? '',
              line.sentOn ? `${t(`sendingMethod.${line.sendingMethod}`)}, ${formatDate(line.sentOn)}` : t(`letterStatus.${line.status}`),
            ]),
            footer: '', language: res.locals.lang, subtitle: '', sheetName: t('correspondence.register.OUT'),
          }
    table.subtitle = `${formatDate(from)} – ${formatDate(to)}`
    table.footer = t('correspondence.export.footer', { at: formatDateTime(services.clock.now()), by: req.user!.fullName })
    await services.audit.record(requestContext(req), { action: 'correspondence.export', category: 'correspondence', regionId, details: { register, from, to, format: format.value.format, lines: table.rows.length } })
    const fileName = `${register === 'IN' ? 'incoming' : 'outgoing'}-${from}-${to}.${format.value.format}`
    res.set('Cache-Control', 'private, no-store')
    res.set('Content-Disposition', contentDisposition(fileName, 'attachment'))
    if (format.value.format === 'pdf') {
      res.type('application/pdf').send(await tableToPdf(table, services.clock))
    } else {
      res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(await tableToXlsx(table, services.clock))
    }
  })

  return router
}
