import Joi from 'joi'
import { CONTACT_KINDS, CONTACT_OUTCOMES } from '../../server/domain/contacts'
import { id, isoDate, optionalLine, optionalText, submissionIdField, text, version } from '../../server/validation'

/** A wall-clock time as typed or sent by a time input: HH:MM, 24-hour. */
export const time = Joi.string().trim().pattern(/^([01]\d|2[0-3]):[0-5]\d$/, 'time')

export const bookingSchema = Joi.object({
  kind: Joi.string().valid(...CONTACT_KINDS).required(),
  date: isoDate.required(),
  time: time.required(),
  durationMinutes: Joi.number().integer().min(5).max(480).default(60),
  place: optionalLine(300),
  submissionId: submissionIdField,
  notes: optionalText(2000),
  outcome: Joi.string().valid(...CONTACT_OUTCOMES).allow('').empty('').default(null),
  outcomeNote: optionalText(2000),
  riskAcknowledged: Joi.string().valid('1').allow('').empty('').default(null),
})

export const outcomeSchema = Joi.object({ outcome: Joi.string().valid(...CONTACT_OUTCOMES).required(), note: optionalText(2000), version })
export const cancelSchema = Joi.object({ reason: text(500).required(), version })
/** The contacts page lists the latest past appointments; `past=all` lists every one. */
export const contactsPageQuery = Joi.object({ past: Joi.string().valid('all') }).unknown(true)
export const pendingQuery = Joi.object({ mine: Joi.string().valid('1'), page: Joi.number().integer().min(1).max(10_000).default(1) })

export const beneficiaryParam = Joi.object({ beneficiaryId: id.required() }).unknown(true)
export const appointmentParam = Joi.object({ appointmentId: id.required() }).unknown(true)
export const regionParam = Joi.object({ regionId: id.required() }).unknown(true)
