import Joi from 'joi'
import {
  BENEFICIARY_CATEGORIES, BENEFICIARY_STATUSES, CLOSE_REASONS, DOCUMENT_NUMBER, EDITABLE_STATUSES, EDUCATION_LEVELS, FAMILY_STATUSES,
  IDENTITY_DOCUMENT_TYPES, MARZES, MILITARY_STATUSES, PUBLIC_SERVICE_NUMBER, SEXES,
} from '../../server/domain/beneficiaryCatalogue'
import { REGISTER_SORTS } from '../../server/services/beneficiaries'
import { DATE_RANGES, dateIn, id, isoDate, line, submissionIdField, text, version } from '../../server/validation'

const optional = (schema: Joi.StringSchema) => schema.allow('').empty('').default(null)
const choice = (values: readonly string[]) => Joi.string().valid(...values)
const armenianName = (max: number) => text(max).pattern(/^[\u0531-\u0556\u0561-\u0587\u2019' -]+$/u, 'armenianLetters')
const latinName = (max: number) => text(max).pattern(/^[A-Za-z' -]+$/, 'latinLetters')

/** The registration card; Latin spellings left empty are generated from the Armenian ones. */
export const cardSchema = Joi.object({
  surname: armenianName(100).required(),
  givenName: armenianName(100).required(),
  patronymic: optional(armenianName(100)),
  surnameLatin: optional(latinName(100)),
  givenNameLatin: optional(latinName(100)),
  patronymicLatin: optional(latinName(100)),
  sex: choice(SEXES).required(),
  birthDate: dateIn(DATE_RANGES.life).required(),
  birthPlace: optional(line(200)),
  citizenship: optional(line(100)),
  identityDocumentType: optional(choice(IDENTITY_DOCUMENT_TYPES)),
  identityDocumentNumber: optional(Joi.string().trim().uppercase().replace(/\s+/g, '').pattern(DOCUMENT_NUMBER, 'documentNumber')),
  identityDocumentIssuer: optional(line(200)),
  identityDocumentIssuedOn: optional(dateIn(DATE_RANGES.life)),
  publicServiceNumber: optional(Joi.string().trim().pattern(PUBLIC_SERVICE_NUMBER, 'publicServiceNumber')),
  registeredMarz: optional(choice(MARZES)),
  registeredCommunity: optional(line(100)),
  registeredStreet: optional(line(200)),
  actualMarz: optional(choice(MARZES)),
  actualCommunity: optional(line(100)),
  actualStreet: optional(line(200)),
  phones: optional(line(200).pattern(/^[0-9+()\-\s,;]+$/, 'phones')),
  email: optional(Joi.string().trim().max(200).email({ tlds: false })),
  education: optional(choice(EDUCATION_LEVELS)),
  employer: optional(line(200)),
  jobTitle: optional(line(200)),
  familyStatus: optional(choice(FAMILY_STATUSES)),
  dependants: Joi.number().integer().min(0).max(30).allow('').empty('').default(null),
  militaryStatus: optional(choice(MILITARY_STATUSES)),
  healthNotes: optional(text(2000)),
  category: choice(BENEFICIARY_CATEGORIES).required(),
  status: choice(EDITABLE_STATUSES).default('ACTIVE'),
  riskToStaff: Joi.boolean().truthy('1').falsy('0').default(false),
  riskToStaffReason: optional(line(500)).when('riskToStaff', { is: true, then: Joi.required().invalid(null) }),
  confirmDuplicate: Joi.boolean().truthy('1').default(false),
})

/** A new card carries the one-time id of its form: a repeated submit opens the file the first one registered. */
export const newCardSchema = cardSchema.keys({ submissionId: submissionIdField })

export const editCardSchema = cardSchema.keys({ version })

export const registerQuerySchema = Joi.object({
  status: choice(BENEFICIARY_STATUSES),
  category: choice(BENEFICIARY_CATEGORIES),
  officerId: id,
  risk: Joi.string().valid('1'),
  sort: choice(REGISTER_SORTS).default('name'),
  direction: Joi.string().valid('asc', 'desc').default('asc'),
  page: Joi.number().integer().min(1).max(100_000).default(1),
})

export const searchQuerySchema = Joi.object({ q: Joi.string().trim().max(100).allow('').default('') })
export const accessReasonSchema = Joi.object({ reason: text(500).min(5).required() })
export const noteSchema = Joi.object({ body: text(5000).required(), submissionId: submissionIdField })
export const assignSchema = Joi.object({ officerId: id.required() })
export const closeSchema = Joi.object({ reason: choice(CLOSE_REASONS).required(), closedOn: isoDate.required(), note: optional(text(1000)), version })
export const reopenSchema = Joi.object({ reason: text(500).required(), version })
export const documentSchema = Joi.object({ kind: Joi.string().valid('DOCUMENT', 'PHOTO').default('DOCUMENT'), description: optional(text(300)), submissionId: submissionIdField })
