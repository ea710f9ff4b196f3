import Joi from 'joi'
import { DECISIONS, FIGURE_CODES, FIRST_REPORT_YEAR, GRADES, LAST_REPORT_YEAR } from '../../server/domain/quarterlyReport'
import { id, text } from '../../server/validation'

const year = Joi.number().integer().min(FIRST_REPORT_YEAR).max(LAST_REPORT_YEAR)
const quarter = Joi.number().integer().min(1).max(4)
const versionNumber = Joi.number().integer().min(1).max(1000)
const narrative = text(20_000).allow('').empty('').default(null)

export const regionParam = Joi.object({ regionId: id.required() }).unknown(true)
export const quarterParams = Joi.object({ regionId: id.required(), year: year.required(), quarter: quarter.required() }).unknown(true)
export const figureParam = Joi.object({ figure: Joi.string().valid(...FIGURE_CODES).required() }).unknown(true)
export const formatParam = Joi.object({ format: Joi.string().valid('xlsx', 'csv', 'pdf').required() }).unknown(true)

export const reportQuery = Joi.object({ version: versionNumber })
export const recordsQuery = Joi.object({ version: versionNumber, part: Joi.string().pattern(/^[A-Z_]{2,40}$/), page: Joi.number().integer().min(1).max(10_000).default(1) })
export const nationalQuery = Joi.object({ year, quarter })

// The open draft's version for optimistic locking, or 0 when saving starts a new version.
export const narrativeSchema = Joi.object({
  problems: narrative,
  proposals: narrative,
  intent: Joi.string().valid('save', 'submit').required(),
  version: Joi.number().integer().min(0).max(2_147_483_647).required(),
})

export const decisionSchema = Joi.object({
  decision: Joi.string().valid(...DECISIONS).required(),
  grade: Joi.string().valid(...GRADES).allow('').empty('').default(null),
  comment: text(4000).required(),
  version: Joi.number().integer().min(1).max(2_147_483_647).required(),
})
