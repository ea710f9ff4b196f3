import Joi from 'joi'
import { CHANNELS, COMPLAINT_SUBJECTS, INCOMING_KIND_CODES, INFORMATION_SOURCES, ITEM_STATUSES, REPORT_PURPOSES, SENDING_METHODS, TOPICS } from '../../server/domain/correspondence'
import { id, isoDate, line, optionalLine, optionalText, submissionIdField, text, version } from '../../server/validation'

const optionalDate = isoDate.allow('').empty('').default(null)
const checkbox = Joi.string().valid('1').allow('').empty('').default(null)

/** Personal file numbers as printed: region prefix, year, sequence (e.g. ԱՐ-2026-0001). */
const fileNumber = Joi.string().trim().max(30).pattern(/^[\p{L}]{1,6}-\d{4}-\d{4,}$/u, 'fileNumber')

export const incomingSchema = Joi.object({
  receivedOn: isoDate.required(),
  channel: Joi.string().valid(...CHANNELS).required(),
  kind: Joi.string().valid(...INCOMING_KIND_CODES).required(),
  sender: line(300).required(),
  senderAddress: optionalLine(300),
  senderReference: optionalLine(60),
  senderDate: optionalDate,
  subject: line(500).required(),
  summary: optionalText(4000),
  beneficiaryFileNumber: fileNumber.allow('').empty('').default(null),
  topic: Joi.string().valid(...TOPICS).allow('').empty('').default(null),
  complaintSubject: Joi.string().valid(...COMPLAINT_SUBJECTS).allow('').empty('').default(null),
  complaintStaffUserId: id.allow('').empty('').default(null),
  complaintAbout: optionalLine(300),
  documentDueDate: optionalDate,
  reportRequested: checkbox,
  reportPurpose: Joi.string().valid(...REPORT_PURPOSES).allow('').empty('').default(null),
  /** The form's one-time id: a repeated submit opens the item the first one registered. */
  submissionId: submissionIdField,
})

export const assignSchema = Joi.object({ assigneeId: id.required(), resolution: text(1000).required(), version })
export const versionOnly = Joi.object({ version })
export const controlSchema = Joi.object({ underControl: Joi.string().valid('1', '0').required(), version })
export const overrideSchema = Joi.object({ dueDate: isoDate.required(), reason: text(500).required(), version })
export const extendSchema = Joi.object({
  noticeDate: isoDate.required(),
  newDueDate: optionalDate,
  addressee: line(300).required(),
  body: text(4000).required(),
  sendingMethod: Joi.string().valid(...SENDING_METHODS).required(),
  version,
})
export const letterSchema = Joi.object({
  addressee: line(300).required(),
  addresseeAddress: optionalLine(300),
  subject: line(500).required(),
  body: text(20000).required(),
  letterDate: isoDate.required(),
})
export const replySchema = letterSchema.keys({ version })
export const informationRequestSchema = letterSchema.keys({ submissionId: submissionIdField })
export const letterEditSchema = letterSchema.keys({ version })
export const standaloneSchema = letterSchema.keys({ beneficiaryFileNumber: fileNumber.allow('').empty('').default(null), submissionId: submissionIdField })
export const sendSchema = Joi.object({ sentOn: isoDate.required(), sendingMethod: Joi.string().valid(...SENDING_METHODS).required(), replyDueDate: optionalDate, version })
export const closeSchema = Joi.object({ closedOn: isoDate.required(), reason: optionalText(500), version })
export const attachmentSchema = Joi.object({ submissionId: submissionIdField })
export const checklistSchema = Joi.object({ source: Joi.string().valid(...INFORMATION_SOURCES).required(), description: text(300).required(), submissionId: submissionIdField })
export const receivedSchema = Joi.object({ receivedOn: isoDate.required(), note: optionalText(500) })
export const decideSchema = Joi.object({ decision: Joi.string().valid('approve', 'return').required(), comment: optionalText(2000), version })

export const registerQuery = Joi.object({
  register: Joi.string().valid('IN', 'OUT').default('IN'),
  q: line(100).allow('').empty(''),
  kind: Joi.string().valid(...INCOMING_KIND_CODES),
  status: Joi.string().valid(...ITEM_STATUSES),
  assigneeId: id,
  from: isoDate,
  to: isoDate,
  overdue: Joi.string().valid('1'),
  underControl: Joi.string().valid('1'),
  page: Joi.number().integer().min(1).max(10_000).default(1),
})
export const controlQuery = Joi.object({ assigneeId: id, kind: Joi.string().valid(...INCOMING_KIND_CODES), underControl: Joi.string().valid('1') })
export const exportQuery = Joi.object({ register: Joi.string().valid('IN', 'OUT').required(), from: isoDate.required(), to: isoDate.required() })
export const summaryQuery = Joi.object({ year: Joi.number().integer().min(2000).max(2100), quarter: Joi.number().integer().min(1).max(4) })

export const itemParam = Joi.object({ itemId: id.required() }).unknown(true)
export const letterParam = Joi.object({ letterId: id.required() }).unknown(true)
export const taskParam = Joi.object({ taskId: id.required() }).unknown(true)
export const lineParam = Joi.object({ lineId: id.required() }).unknown(true)
export const regionParam = Joi.object({ regionId: id.required() }).unknown(true)
export const attachmentParam = Joi.object({ attachmentId: id.required() }).unknown(true)
export const formatParam = Joi.object({ format: Joi.string().valid('pdf', 'xlsx').required() }).unknown(true)
