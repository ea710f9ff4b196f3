import { randomUUID } from 'node:crypto'
import { Router, type Request, type Response } from 'express'
import Joi from 'joi'
import type { Authorize } from '../../server/middleware/authorize'
import { requestContext } from '../../server/middleware/requestContext'
import { INFORMATION_SOURCES, TASK_SECTIONS } from '../../server/domain/correspondence'
import { serviceDateOf } from '../../server/domain/dates'
import type { Services } from '../../server/services'
import { AlreadySubmitted, ServiceError, StaleEditError } from '../../server/services/context'
import { text, translateErrors, typedValues, validate, version } from '../../server/validation'
import * as schemas from './schemas'
import { param, type FormErrors } from '../forms'

const SECTION_CODES = [...new Set(Object.values(TASK_SECTIONS).flat())]
const sectionsSchema = Joi.object({ version, ...Object.fromEntries(SECTION_CODES.map((code) => [`section_${code}`, text(10000).allow('').default('')])) })

/** A report request's or pardon petition's task: the checklist of information to gather, the sections, the head's approval. */
export function taskRoutes(services: Services, authorize: Authorize): Router {
  const router = Router()
  const { correspondence } = services
  const today = () => serviceDateOf(services.clock.now())
  const taskOf = async (req: Request) => correspondence.itemFacts(await correspondence.taskItem(param(schemas.taskParam, req, 'taskId')))

  async function renderTask(res: Response, taskId: number, data: { errors?: FormErrors; values?: FormErrors; stale?: boolean } = {}, status = 200) {
    const task = await correspondence.task(taskId)
    const item = await correspondence.item(task.incomingItemId)
    // The checklist form and each line's request carry a one-time id (sent twice, each makes once); one shown again, the id it was sent with.
    const withSubmissionId = (formKey: string) => [formKey, { submissionId: randomUUID(), ...data.values?.[formKey] }]
    const values = { ...data.values, ...Object.fromEntries(['checklist', ...task.checklist.map((line) => `checklist/${line.id}/request`)].map(withSubmissionId)) }
    res.status(status).render('pages/correspondence/task', { task, item, sources: INFORMATION_SOURCES, today: today(), errors: data.errors ?? {}, values, stale: data.stale ?? false })
  }

  router.get('/tasks/:taskId', authorize('correspondence.view', taskOf, { hideExistence: true }), async (req, res) => {
    await renderTask(res, param(schemas.taskParam, req, 'taskId'))
  })

  function taskAction<T>(path: string, action: Parameters<Authorize>[0], schema: Joi.ObjectSchema<T>, defaultField: string, act: (taskId: number, value: T, req: Request) => Promise<unknown>) {
    router.post(`/tasks/:taskId/${path}`, authorize(action, taskOf, { hideExistence: true }), async (req, res) => {
      const taskId = param(schemas.taskParam, req, 'taskId')
      const formKey = path.replace(':lineId', String(req.params.lineId ?? ''))
      const form = validate(schema, req.body)
      const values = { [formKey]: typedValues(schema, req.body) }
      if (!form.ok) return renderTask(res, taskId, { errors: { [formKey]: translateErrors(form.errors, res.locals.t) }, values }, 400)
      let redirect = `/tasks/${taskId}`
      try {
        const result = await act(taskId, form.value, req)
        if (typeof result === 'number') redirect = `/letters/${result}`
      } catch (error) {
        if (error instanceof AlreadySubmitted) return res.redirect(303, `/tasks/${taskId}`)
        if (error instanceof StaleEditError) return renderTask(res, taskId, { errors: { [formKey]: { [defaultField]: res.locals.t('form.staleEdit') } }, values, stale: true }, 409)
        if (error instanceof ServiceError) return renderTask(res, taskId, { errors: { [formKey]: { [error.field ?? defaultField]: res.locals.t(error.code, error.params) } }, values }, 400)
        throw error
      }
      res.redirect(303, redirect)
    })
  }

  const lineId = (req: Request) => param(schemas.lineParam, req, 'lineId')
  /** A repeated request leads, as the first did, to the letter it drafted. */
  const firstLetterOf = (error: unknown) => {
    if (error instanceof AlreadySubmitted) return error.resultId
    throw error
  }

  taskAction('checklist', 'correspondence.work', schemas.checklistSchema, 'source', (taskId, { submissionId, ...line }, req) => correspondence.addChecklistLine(taskId, line, requestContext(req), submissionId))
  taskAction('checklist/:lineId/request', 'correspondence.work', schemas.informationRequestSchema, 'letterDate', (taskId, { submissionId, ...letter }, req) =>
    correspondence.requestInformation(taskId, lineId(req), letter, requestContext(req), submissionId).catch(firstLetterOf))
  taskAction('checklist/:lineId/received', 'correspondence.work', schemas.receivedSchema, 'receivedOn', (taskId, value, req) => correspondence.markReceived(taskId, lineId(req), value, requestContext(req)))
  taskAction('sections', 'correspondence.work', sectionsSchema, 'version', (taskId, value, req) => {
    const { version: expectedVersion, ...fields } = value as Record<string, string | number>
    const sections = Object.fromEntries(Object.entries(fields).map(([key, text]) => [key.replace(/^section_/, ''), String(text)]))
    return correspondence.saveSections(taskId, sections, Number(expectedVersion), requestContext(req))
  })
  taskAction('submit', 'correspondence.work', schemas.versionOnly, 'version', (taskId, value, req) => correspondence.submitTask(taskId, value.version, requestContext(req)))
  taskAction('decide', 'task.decide', schemas.decideSchema, 'comment', (taskId, value, req) =>
    correspondence.decideTask(taskId, { approve: value.decision === 'approve', comment: value.comment, expectedVersion: value.version }, requestContext(req)))

  return router
}
