import Joi from 'joi'
import { ACTIVITY_KINDS, ATTENDANCE } from '../../server/domain/activities'
import { id, isoDate, line, optionalText, version } from '../../server/validation'
import { time } from '../contacts/schemas'


export const eventSchema = Joi.object({
  kind: Joi.string().valid(...ACTIVITY_KINDS).required(),
  title: line(300).required(),
  date: isoDate.required(),
  time: time.allow('').empty('').default(null),
  place: line(300).required(),
  organiser: line(300).required(),
  description: optionalText(4000),
})
export const eventEditSchema = eventSchema.keys({ version })
export const invitationSchema = Joi.object({ beneficiaryIds: Joi.array().items(id).single().min(1).max(500).required() })
export const participationSchema = Joi.object({
  attendance: Joi.string().valid(...ATTENDANCE).allow('').empty('').default(null),
  goalId: id.allow('').empty('').default(null),
  note: optionalText(1000),
  version,
})
export const versionOnly = Joi.object({ version })
export const yearQuery = Joi.object({ year: Joi.number().integer().min(2000).max(2100) })

export const regionParam = Joi.object({ regionId: id.required() }).unknown(true)
export const eventParam = Joi.object({ eventId: id.required() }).unknown(true)
export const participantParam = Joi.object({ eventId: id.required(), participantId: id.required() }).unknown(true)
