import { randomUUID } from 'node:crypto'
import { Router, type Request, type Response } from 'express'
import Joi from 'joi'
import type { Authorize } from '../../server/middleware/authorize'
import { requestContext } from '../../server/middleware/requestContext'
import { ROLES } from '../../server/domain/roles'
import type { Services } from '../../server/services'
import { ServiceError, StaleEditError } from '../../server/services/context'
import type { UserInput, UserSummary } from '../../server/services/users'
import { id, line, requiredFieldsOf, submissionIdField, translateErrors, typedValues, validate, version } from '../../server/validation'

const accountFields = {
  username: Joi.string().trim().lowercase().min(3).max(50).pattern(/^[a-z0-9._-]+$/, 'username').required(),
  fullName: line(200).required(),
  email: Joi.string().trim().max(200).email({ tlds: false }).allow('').empty('').default(null),
  role: Joi.string().valid(...ROLES).required(),
  regionId: id.allow('').empty('').default(null),
}
const createSchema = Joi.object({ ...accountFields, temporaryPassword: Joi.string().max(200).required(), submissionId: submissionIdField })
const editSchema = Joi.object({ ...accountFields, version })
const resetSchema = Joi.object({ temporaryPassword: Joi.string().max(200).required() })
/** The account form's required fields, marked on it (read from its schema once). */
const ACCOUNT_REQUIRED = requiredFieldsOf(createSchema)
const listSchema = Joi.object({ regionId: id, role: Joi.string().valid(...ROLES), inactive: Joi.string().valid('1') })

const userIdParam = Joi.object({ userId: id.required() })

function userIdOf(req: Request): number {
  const { value, error } = userIdParam.validate(req.params)
  return error ? 0 : value.userId
}

export function adminUserRoutes(services: Services, authorize: Authorize): Router {
  const router = Router()
  /** The account acted on, with its role: the policy keeps the administrator off the service head's. */
  const target = async (req: Request) => {
    const account = await services.users.get(userIdOf(req) || -1)
    return { userId: account.id, userRole: account.role }
  }

  async function renderForm(res: Response, view: string, data: Record<string, unknown>, status = 200) {
    const regions = await services.regions.list({ includeInactive: false })
    res.status(status).render(view, { regions, roles: ROLES, errors: {}, stale: null, requiredFields: ACCOUNT_REQUIRED, ...data })
  }

  async function loadUser(req: Request): Promise<UserSummary> {
    return services.users.get(userIdOf(req) || -1)
  }

  router.get('/admin/users', authorize('user.list'), async (req, res) => {
    const filter = validate(listSchema, req.query)
    const criteria = filter.ok ? filter.value : {}
    const users = await services.users.list({ regionId: criteria.regionId, role: criteria.role, includeInactive: criteria.inactive === '1' })
    const regions = await services.regions.list({ includeInactive: true })
    res.render('pages/admin/users/index', { users, regions, roles: ROLES, filter: criteria })
  })

  router.get('/admin/users/new', authorize('user.create'), async (_req, res) => {
    await renderForm(res, 'pages/admin/users/new', { values: { submissionId: randomUUID() } })
  })

  router.post('/admin/users/new', authorize('user.create'), async (req, res) => {
    const t = res.locals.t
    const form = validate(createSchema, req.body)
    const typed = { ...typedValues(createSchema, req.body), temporaryPassword: '' }
    if (!form.ok) return renderForm(res, 'pages/admin/users/new', { values: typed, errors: translateErrors(form.errors, t) }, 400)
    const { temporaryPassword, submissionId, ...input } = form.value
    try {
      const outcome = await services.users.create(input as UserInput, temporaryPassword, requestContext(req), submissionId)
      res.redirect(303, outcome.done ? `/admin/users/${outcome.userId}` : '/account-requests')
    } catch (error) {
      if (error instanceof ServiceError && error.field) return renderForm(res, 'pages/admin/users/new', { values: typed, errors: { [error.field]: t(error.code) } }, 400)
      throw error
    }
  })

  router.get('/admin/users/:userId', authorize('user.list'), async (req, res) => {
    const account = await loadUser(req)
    res.render('pages/admin/users/show', { account, problem: null })
  })

  router.get('/admin/users/:userId/edit', authorize('user.edit', target), async (req, res) => {
    const account = await loadUser(req)
    await renderForm(res, 'pages/admin/users/edit', { account, values: { ...account, regionId: account.regionId ?? '' } })
  })

  router.post('/admin/users/:userId/edit', authorize('user.edit', target), async (req, res) => {
    const t = res.locals.t
    const account = await loadUser(req)
    const form = validate(editSchema, req.body)
    if (!form.ok) return renderForm(res, 'pages/admin/users/edit', { account, values: form.values, errors: translateErrors(form.errors, t) }, 400)
    const { version: expectedVersion, ...input } = form.value
    try {
      const outcome = await services.users.update(account.id, expectedVersion, input as UserInput, requestContext(req))
      res.redirect(303, outcome.done ? `/admin/users/${account.id}` : '/account-requests')
    } catch (error) {
      if (error instanceof StaleEditError) {
        const current = error.current as UserSummary
        return renderForm(res, 'pages/admin/users/edit', { account: current, values: { ...typedValues(editSchema, req.body), version: String(current.version) }, stale: current }, 409)
      }
      if (error instanceof ServiceError && error.field) return renderForm(res, 'pages/admin/users/edit', { account, values: typedValues(editSchema, req.body), errors: { [error.field]: t(error.code) } }, 400)
      throw error
    }
  })

  router.post('/admin/users/:userId/deactivate', authorize('user.deactivate', target), async (req, res) => {
    const account = await loadUser(req)
    await services.users.setActive(account.id, false, requestContext(req))
    res.redirect(303, `/admin/users/${account.id}`)
  })

  router.post('/admin/users/:userId/reactivate', authorize('user.reactivate', target), async (req, res) => {
    const account = await loadUser(req)
    await services.users.setActive(account.id, true, requestContext(req))
    res.redirect(303, `/admin/users/${account.id}`)
  })

  router.get('/admin/users/:userId/reset-password', authorize('user.resetPassword', target), async (req, res) => {
    const account = await loadUser(req)
    res.render('pages/admin/users/reset-password', { account, errors: {} })
  })

  router.post('/admin/users/:userId/reset-password', authorize('user.resetPassword', target), async (req, res) => {
    const t = res.locals.t
    const account = await loadUser(req)
    const form = validate(resetSchema, req.body)
    if (!form.ok) return res.status(400).render('pages/admin/users/reset-password', { account, errors: translateErrors(form.errors, t) })
    try {
      const outcome = await services.users.resetPassword(account.id, form.value.temporaryPassword, requestContext(req))
      res.redirect(303, outcome.done ? `/admin/users/${account.id}?notice=passwordReset` : '/account-requests')
    } catch (error) {
      if (error instanceof ServiceError && error.field) return res.status(400).render('pages/admin/users/reset-password', { account, errors: { [error.field]: t(error.code) } })
      throw error
    }
  })

  router.post('/admin/users/:userId/reset-two-factor', authorize('user.resetTwoFactor', target), async (req, res) => {
    const account = await loadUser(req)
    try {
      const outcome = await services.users.resetTwoFactor(account.id, requestContext(req))
      res.redirect(303, outcome.done ? `/admin/users/${account.id}` : '/account-requests')
    } catch (error) {
      // Not enrolled (reset meanwhile) or a request already waiting: the page says how the account stands now.
      if (error instanceof ServiceError) return res.status(409).render('pages/admin/users/show', { account: await loadUser(req), problem: res.locals.t(error.code) })
      throw error
    }
  })

  return router
}
