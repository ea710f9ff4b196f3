import type { Request, Response } from 'express'
import type Joi from 'joi'
import { formatDate } from '../server/domain/dates'
import { NotFoundError, ServiceError, StaleEditError } from '../server/services/context'

/** A numeric path parameter by its schema; anything malformed is a page that does not exist. */
export function param(schema: Joi.ObjectSchema, req: Request, name: string): number {
  const { value, error } = schema.validate(req.params)
  if (error) throw new NotFoundError()
  return value[name]
}

/** Messages or typed values per form of a page with several forms, by field. */
export type FormErrors = Record<string, Record<string, string>>

/** A refusal from a service as a message beside its field (ISO dates in its values shown as dates); a stale edit as the page's own notice. */
export function refusal(error: unknown, res: Response, defaultField: string): { errors: Record<string, string>; stale: boolean } | null {
  if (error instanceof StaleEditError) return { errors: { [defaultField]: res.locals.t('form.staleEdit') }, stale: true }
  if (error instanceof ServiceError) {
    const params = Object.fromEntries(Object.entries(error.params).map(([key, value]) => [key, typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? formatDate(value) : value]))
    return { errors: { [error.field ?? defaultField]: res.locals.t(error.code, params) }, stale: false }
  }
  return null
}
