import { Router } from 'express'
import Joi from 'joi'
import type { Authorize } from '../../server/middleware/authorize'
import { requestContext } from '../../server/middleware/requestContext'
import type { Services } from '../../server/services'
import { id, validate } from '../../server/validation'

const anonymiseSchema = Joi.object({ ids: Joi.array().items(id).single().min(1).max(200).required() })

export function retentionRoutes(services: Services, authorize: Authorize): Router {
  const router = Router()

  router.get('/retention', authorize('beneficiary.anonymise'), async (req, res) => {
    const notice = req.query.done === undefined ? null : Number(req.query.done) || 0
    res.render('pages/retention/index', { files: await services.retention.eligible(), cutoff: services.retention.cutoff(), errors: {}, notice })
  })

  router.post('/retention/anonymise', authorize('beneficiary.anonymise'), async (req, res) => {
    const form = validate(anonymiseSchema, req.body)
    if (!form.ok) {
      return res.status(400).render('pages/retention/index', { files: await services.retention.eligible(), cutoff: services.retention.cutoff(), errors: { ids: res.locals.t('retention.chooseFiles') }, notice: null })
    }
    const done = await services.retention.anonymiseMany(form.value.ids, requestContext(req))
    res.redirect(303, `/retention?done=${done}`)
  })

  return router
}
