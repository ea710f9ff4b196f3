import { AsyncLocalStorage } from 'node:async_hooks'
import type { NextFunction, Request, Response } from 'express'
import Joi from 'joi'
import { addMonths } from './domain/calendar'
import { formatDate, parseDate, serviceDateOf } from './domain/dates'
import type { Translate } from './i18n'

/** Control characters other than tab and line breaks have no place in a record. */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/

/**
 * Bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) make text show other than it reads:
 * a name or subject typed with them can pass for another in a list.
 */
const NO_BIDI_CONTROLS = /^[^\u202a-\u202e\u2066-\u2069]*$/

/** Free text of at most `max` characters, trimmed, without control characters. */
export function text(max: number) {
  return Joi.string().trim().max(max).pattern(CONTROL_CHARACTERS, 'controlCharacters').pattern(NO_BIDI_CONTROLS, 'controlCharacters')
}

/**
 * Text of one line (a name, number, subject, place): `text` without line breaks. A line break sent in such a field
 * split the value in lists, headers and exports, and in a CSV cell or a letter's header it began a line of its own.
 */
export function line(max: number) {
  return text(max).pattern(/^[^\r\n\u2028\u2029]*$/, 'oneLine')
}

/**
 * The fields a form's schema requires whatever else is typed: the form's view marks them (the field partials read
 * `requiredFields` from the page), so the mark and the rule are one.
 */
export function requiredFieldsOf(schema: Joi.ObjectSchema): string[] {
  const { keys } = schema.describe() as { keys?: Record<string, { flags?: { presence?: string } }> }
  return Object.entries(keys ?? {}).filter(([, key]) => key.flags?.presence === 'required').map(([name]) => name)
}

/** An optional field: left empty, it is null. */
export const optionalText = (max: number) => text(max).allow('').empty('').default(null)
export const optionalLine = (max: number) => line(max).allow('').empty('').default(null)

/**
 * The plausible years around today for a date a person types: anything a probation record holds happened within
 * the last thirty years or is due within five; a date of a person's life (birth, an identity document) at most 110
 * years back. A far date is a typing mistake, and stored it broke every page of its record (date arithmetic ends at
 * the year 9999). Rules of their own (a birth date not in the future, a document not issued before the birth) are
 * the services', with their own messages.
 */
export const DATE_RANGES = {
  record: { yearsBack: 30, yearsAhead: 5 },
  life: { yearsBack: 110, yearsAhead: 5 },
} as const satisfies Record<string, { yearsBack: number; yearsAhead: number }>
export type DateRange = (typeof DATE_RANGES)[keyof typeof DATE_RANGES]

/** The app's today while a request is validated (its clock, which tests set), else the machine's. */
const validationDay = new AsyncLocalStorage<() => string>()
const todayForValidation = () => validationDay.getStore()?.() ?? serviceDateOf(new Date())

/** Middleware: the request's dates are judged against the app's clock. */
export function judgeDatesBy(today: () => string) {
  return (_req: Request, _res: Response, next: NextFunction) => validationDay.run(today, next)
}

/** The first and last plausible day of a range, as of `today`. */
export function dateBounds(range: DateRange, today: string): { from: string; to: string } {
  return { from: addMonths(today, -12 * range.yearsBack), to: addMonths(today, 12 * range.yearsAhead) }
}

/** A date typed as DD.MM.YYYY or sent by a date input as YYYY-MM-DD, within its plausible range; validated to ISO. */
export function dateIn(range: DateRange) {
  return Joi.string()
    .trim()
    .custom((value: string, helpers) => {
      const date = parseDate(value)
      if (date === null) return helpers.error('date.format')
      const { from, to } = dateBounds(range, todayForValidation())
      return date < from || date > to ? helpers.error('date.range', { from, to }) : date
    }, 'date')
}

/** A date of a record: within DATE_RANGES.record of today. */
export const isoDate = dateIn(DATE_RANGES.record)

/** Numbers as people write them in Armenia too: a decimal comma ("6,5") is a decimal point. */
const decimalCommaJoi = Joi.extend((joi) => ({
  type: 'number',
  base: joi.number(),
  prepare: (value: unknown) => ({ value: typeof value === 'string' ? value.trim().replace(/^(-?\d+),(\d+)$/, '$1.$2') : value }),
}))

/** A number field that takes a decimal comma or point. */
export const decimal = (): Joi.NumberSchema => decimalCommaJoi.number()

/** Ids are chosen, not typed (a select, a hidden field): whatever is wrong with one, the message is "Enter a number". */
const asNumberError = (errors: Joi.ErrorReport[]) => errors.map((error) => Object.assign(error, { code: error.code === 'any.required' ? error.code : 'number.base' }))
export const id = Joi.number().integer().min(1).max(2_147_483_647).error(asNumberError)
export const version = Joi.number().integer().min(1).max(2_147_483_647).error(asNumberError).required()

export interface FieldError {
  key: string
  params?: Record<string, string | number>
  /** Shown when the specific message has no text in the locale files. */
  fallbackKey?: string
}

export type FieldErrors = Record<string, FieldError>

function errorFor(detail: Joi.ValidationErrorItem): FieldError {
  // An empty choice or number field is a missing value, whatever type it should have had.
  if (detail.context?.value === '') return { key: 'validation.required' }
  switch (detail.type) {
    case 'any.required':
    case 'string.empty':
      return { key: 'validation.required' }
    case 'string.max':
      return { key: 'validation.tooLong', params: { max: detail.context?.limit as number } }
    case 'string.min':
      return { key: 'validation.tooShort', params: { min: detail.context?.limit as number } }
    case 'string.pattern.name':
      return detail.context?.name === 'controlCharacters' ? { key: 'validation.controlCharacters' } : { key: `validation.pattern.${detail.context?.name}`, fallbackKey: 'validation.format' }
    case 'string.pattern.base':
      return { key: 'validation.format' }
    case 'string.email':
      return { key: 'validation.email' }
    case 'any.only':
      return { key: 'validation.choose' }
    case 'date.format':
      return { key: 'validation.date' }
    case 'date.range':
      return { key: 'validation.dateRange', params: { from: formatDate(detail.context?.from as string), to: formatDate(detail.context?.to as string) } }
    case 'number.min':
      return { key: 'validation.numberMin', params: { min: detail.context?.limit as number } }
    case 'number.max':
      return { key: 'validation.numberMax', params: { max: detail.context?.limit as number } }
    case 'number.integer':
      return { key: 'validation.wholeNumber' }
    case 'number.precision':
      return { key: 'validation.decimals', params: { places: detail.context?.limit as number } }
    default:
      return detail.type.startsWith('number.') ? { key: 'validation.number' } : { key: 'validation.invalid' }
  }
}

export type Validated<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors; values: Record<string, string> }

/**
 * Validates a form against its schema: every problem at once, unknown keys dropped (no mass
 * assignment), and on failure what the user typed, to put back into the form.
 */
export function validate<T>(schema: Joi.ObjectSchema<T>, input: unknown): Validated<T> {
  const { value, error } = schema.validate(input ?? {}, { abortEarly: false, stripUnknown: true, convert: true })
  if (!error) return { ok: true, value: value as T }
  const errors: FieldErrors = {}
  for (const detail of error.details) {
    const field = String(detail.path[0] ?? '_form')
    errors[field] ??= errorFor(detail)
  }
  return { ok: false, errors, values: typedValues(schema, input) }
}

/** What the user typed for the schema's own fields, as strings: safe to hand back to a form. */
export function typedValues(schema: Joi.ObjectSchema, input: unknown): Record<string, string> {
  const source = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {}
  const keys = Object.keys(schema.describe().keys ?? {})
  return Object.fromEntries(keys.filter((key) => typeof source[key] === 'string').map((key) => [key, source[key] as string]))
}

/** Field errors as text in the user's language, for the view. */
export function translateErrors(errors: FieldErrors, t: Translate): Record<string, string> {
  return Object.fromEntries(
    Object.entries(errors).map(([field, error]) => {
      const message = t(error.key, error.params)
      return [field, message === error.key && error.fallbackKey ? t(error.fallbackKey, error.params) : message]
    }),
  )
}

/** A create form's one-time id (services/submissions.ts): the same form sent again creates nothing more. */
export const submissionIdField = Joi.string().guid({ version: 'uuidv4' })
