import { Router } from 'express'
import Joi from 'joi'
import type { Authorize } from '../../server/middleware/authorize'
import { LANGUAGE_COOKIE } from '../../server/middleware/locale'
import { LANGUAGES } from '../../server/i18n'
import { validate } from '../../server/validation'
import { localPathOr } from '../localPath'

const schema = Joi.object({
  language: Joi.string().valid(...LANGUAGES).required(),
  returnTo: Joi.string().allow('').max(500),
})

export function languageRoutes(authorize: Authorize, secureCookies: boolean): Router {
  const router = Router()
  router.post('/language', authorize('language.change'), (req, res) => {
    const form = validate(schema, req.body)
    if (form.ok) {
      req.session.language = form.value.language
      res.cookie(LANGUAGE_COOKIE, form.value.language, { httpOnly: true, sameSite: 'lax', secure: secureCookies, maxAge: 365 * 24 * 3600_000 })
    }
    res.redirect(303, localPathOr(req.body?.returnTo, '/'))
  })
  return router
}
