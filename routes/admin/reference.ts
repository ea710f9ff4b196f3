import { Router, type Request, type Response } from 'express'
import Joi from 'joi'
import type { Authorize } from '../../server/middleware/authorize'
import { requestContext } from '../../server/middleware/requestContext'
import { DEADLINE_RULE_IDS, formatOffset, type DeadlineRuleId } from '../../server/domain/deadlineRules'
import { serviceDateOf } from '../../server/domain/dates'
import type { Services } from '../../server/services'
import { NotFoundError, ServiceError, StaleEditError } from '../../server/services/context'
import { isoDate, text, translateErrors, typedValues, validate } from '../../server/validation'

const yearQuery = Joi.object({ year: Joi.number().integer().min(2000).max(2100) })
const overrideSchema = Joi.object({ date: isoDate.required(), working: Joi.string().valid('0', '1').required(), reason: text(200).required() })
const removeSchema = Joi.object({ date: isoDate.required() })
const ruleSchema = Joi.object({ amount: Joi.number().integer().min(0).max(366).required(), version: Joi.number().integer().min(0).required() })
const ruleParam = Joi.object({ ruleId: Joi.string().valid(...DEADLINE_RULE_IDS).required() })

/** Reference data: the working-day calendar and the deadline rules' values (administrator). */
export function referenceRoutes(services: Services, authorize: Authorize): Router {
  const router = Router()

  async function renderCalendar(res: Response, year: number, data: Record<string, unknown> = {}, status = 200) {
    res.status(status).render('pages/admin/calendar', { year, days: await services.deadlines.overrides(year), errors: {}, values: {}, ...data })
  }

  router.get('/admin/calendar', authorize('calendar.edit'), async (req, res) => {
    const query = validate(yearQuery, req.query)
    await renderCalendar(res, query.ok && query.value.year ? query.value.year : Number(serviceDateOf(services.clock.now()).slice(0, 4)))
  })

  router.post('/admin/calendar', authorize('calendar.edit'), async (req, res) => {
    const form = validate(overrideSchema, req.body)
    const year = Number(serviceDateOf(services.clock.now()).slice(0, 4))
    if (!form.ok) return renderCalendar(res, year, { errors: translateErrors(form.errors, res.locals.t), values: form.values }, 400)
    await services.deadlines.setOverride(form.value.date, form.value.working === '1', form.value.reason, requestContext(req))
    res.redirect(303, `/admin/calendar?year=${form.value.date.slice(0, 4)}`)
  })

  router.post('/admin/calendar/remove', authorize('calendar.edit'), async (req, res) => {
    const form = validate(removeSchema, req.body)
    if (!form.ok) return renderCalendar(res, Number(serviceDateOf(services.clock.now()).slice(0, 4)), { errors: translateErrors(form.errors, res.locals.t) }, 400)
    await services.deadlines.removeOverride(form.value.date, requestContext(req))
    res.redirect(303, `/admin/calendar?year=${form.value.date.slice(0, 4)}`)
  })

  async function renderRules(res: Response, data: Record<string, unknown> = {}, status = 200) {
    const settings = await services.deadlines.ruleSettings()
    res.status(status).render('pages/admin/rules', { settings, formatOffset, errors: {}, values: {}, ...data })
  }

  router.get('/rules', authorize('rules.view'), async (_req, res) => {
    await renderRules(res)
  })

  router.post('/rules/:ruleId', authorize('rules.edit'), async (req: Request, res) => {
    const { value: params, error } = ruleParam.validate(req.params)
    if (error) throw new NotFoundError()
    const ruleId = params.ruleId as DeadlineRuleId
    const t = res.locals.t
    const form = validate(ruleSchema, req.body)
    const field = `amount-${ruleId}`
    if (!form.ok) return renderRules(res, { errors: { [field]: translateErrors(form.errors, t).amount ?? t('form.staleEdit') }, values: { [field]: typedValues(ruleSchema, req.body).amount ?? '' } }, 400)
    try {
      await services.deadlines.setRuleAmount(ruleId, form.value.amount, form.value.version, requestContext(req))
    } catch (caught) {
      if (caught instanceof StaleEditError) return renderRules(res, { errors: { [field]: t('form.staleEdit') } }, 409)
      if (caught instanceof ServiceError) return renderRules(res, { errors: { [field]: t(caught.code) }, values: { [field]: String(form.value.amount) } }, 400)
      throw caught
    }
    res.redirect(303, '/rules')
  })

  return router
}
