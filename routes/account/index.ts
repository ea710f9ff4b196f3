import { Router } from 'express'
import Joi from 'joi'
import type { Authorize } from '../../server/middleware/authorize'
import { requestContext } from '../../server/middleware/requestContext'
import type { Services } from '../../server/services'
import { ServiceError } from '../../server/services/context'
import { translateErrors, validate } from '../../server/validation'

const schema = Joi.object({
  currentPassword: Joi.string().max(200).required(),
  newPassword: Joi.string().max(200).required(),
  confirmPassword: Joi.string().max(200).required(),
})

export function accountRoutes(services: Services, authorize: Authorize): Router {
  const router = Router()

  router.get('/account/password', authorize('account.changePassword'), (_req, res) => {
    res.render('pages/account/password', { errors: {} })
  })

  router.post('/account/password', authorize('account.changePassword'), async (req, res) => {
    const t = res.locals.t
    const form = validate(schema, req.body)
    // Passwords are never sent back into the form.
    if (!form.ok) return res.status(400).render('pages/account/password', { errors: translateErrors(form.errors, t) })
    if (form.value.confirmPassword !== form.value.newPassword) {
      return res.status(400).render('pages/account/password', { errors: { confirmPassword: t('password.mismatch') } })
    }
    try {
      await services.users.changeOwnPassword(req.user!.id, form.value.currentPassword, form.value.newPassword, requestContext(req))
    } catch (error) {
      if (error instanceof ServiceError && error.field) {
        return res.status(400).render('pages/account/password', { errors: { [error.field]: t(error.code) } })
      }
      throw error
    }
    req.user!.mustChangePassword = false
    res.redirect(303, '/?notice=passwordChanged')
  })

  return router
}
