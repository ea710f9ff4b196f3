import Joi from 'joi'
import { MEDIATION_END_KINDS, MEDIATION_OUTCOMES, MEDIATION_STATUSES } from '../../server/domain/mediation'
import { id, isoDate, line, optionalLine, optionalText, submissionIdField, text, version } from '../../server/validation'

const optionalDate = isoDate.allow('').empty('').default(null)

/** Personal file numbers as printed: region prefix, year, sequence (e.g. ԼՌ-2030-0001). */
const fileNumber = Joi.string().trim().max(30).pattern(/^[\p{L}]{1,6}-\d{4}-\d{4,}$/u, 'fileNumber')

const instructionFields = {
  criminalCaseNumber: line(60).required(),
  authority: line(300).required(),
  authorityReference: optionalLine(60),
  authorityDecisionDate: isoDate.required(),
  receivedOn: isoDate.required(),
  authorityReportDate: optionalDate,
  instructedOn: isoDate.required(),
  instructionNote: optionalText(4000),
}

const victimFields = {
  victimName: line(300).required(),
  victimContact: optionalLine(300),
  victimRepresentative: optionalLine(300),
  victimNotes: optionalText(2000),
}

export const newCaseSchema = Joi.object({ ...instructionFields, beneficiaryFileNumber: fileNumber.required(), ...victimFields })
export const instructionSchema = Joi.object({ ...instructionFields, version })
export const victimSchema = Joi.object({ ...victimFields, version })
export const mediatorSchema = Joi.object({ mediatorUserId: id.required(), version })
export const meetingSchema = Joi.object({
  heldOn: isoDate.required(),
  place: line(300).required(),
  participants: text(1000).required(),
  summary: text(4000).required(),
  nextSteps: optionalText(2000),
  submissionId: submissionIdField,
})
export const outcomeSchema = Joi.object({
  outcome: Joi.string().valid(...MEDIATION_OUTCOMES).required(),
  concludedOn: isoDate.required(),
  outcomeReason: optionalText(2000).when('outcome', { is: 'NOT_HELD', then: Joi.required() }),
  agreementTerms: optionalText(4000).when('outcome', { is: 'AGREEMENT', then: Joi.required() }),
  version,
})
export const reportSchema = Joi.object({ sentOn: isoDate.required(), letterReference: line(60).required(), version })
export const endSchema = Joi.object({ kind: Joi.string().valid(...MEDIATION_END_KINDS).required(), endedOn: isoDate.required(), reason: text(2000).required(), version })

export const listQuery = Joi.object({
  status: Joi.string().valid(...MEDIATION_STATUSES),
  page: Joi.number().integer().min(1).max(10_000).default(1),
})

export const caseParam = Joi.object({ caseId: id.required() }).unknown(true)
export const regionParam = Joi.object({ regionId: id.required() }).unknown(true)
