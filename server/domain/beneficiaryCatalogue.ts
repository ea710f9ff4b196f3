/*
 * The registration card's closed lists, as data: each value is a code stored in the database and
 * shown through the locale key `<list>.<code>`. Adding a value is a change here plus its labels.
 */

/** The Law on Probation's beneficiary categories (docs/rules.md): the measure groups plus two more. */
export const BENEFICIARY_CATEGORIES = [
  'NON_CUSTODIAL_PUNISHMENT',
  'PROBATION_PERIOD',
  'ALTERNATIVE_PREVENTIVE_MEASURE',
  'SECURITY_MEASURE',
  'MINOR_EDUCATIONAL_MEASURE',
  'MEDIATION_PARTICIPANT',
  'ADVISORY_REPORT_SUBJECT',
] as const

export const BENEFICIARY_STATUSES = ['ACTIVE', 'SUSPENDED', 'CLOSED', 'TRANSFERRED', 'ARCHIVED'] as const
/** Statuses an officer may set on the card; closing, transfer and archiving have their own procedures. */
export const EDITABLE_STATUSES = ['ACTIVE', 'SUSPENDED'] as const
/** A file under supervision: open to change by its officer, to appointments and invitations. */
export const OPEN_FILE_STATUSES: readonly string[] = ['ACTIVE', 'SUSPENDED']
export const CLOSE_REASONS = ['MEASURE_COMPLETED', 'REVOKED', 'REPLACED', 'DEATH', 'LEFT_COUNTRY', 'OTHER'] as const
export const SEXES = ['MALE', 'FEMALE'] as const
export const IDENTITY_DOCUMENT_TYPES = ['PASSPORT', 'ID_CARD', 'BIOMETRIC_PASSPORT', 'BIRTH_CERTIFICATE', 'FOREIGN_PASSPORT', 'RESIDENCE_PERMIT', 'OTHER'] as const
export const EDUCATION_LEVELS = ['NONE', 'PRIMARY', 'BASIC', 'SECONDARY', 'VOCATIONAL', 'HIGHER', 'UNKNOWN'] as const
export const FAMILY_STATUSES = ['SINGLE', 'MARRIED', 'DIVORCED', 'WIDOWED', 'COHABITING', 'UNKNOWN'] as const
export const MILITARY_STATUSES = ['NOT_LIABLE', 'SERVED', 'RESERVE', 'EXEMPT', 'DEFERRED', 'UNKNOWN'] as const
/** Armenia's provinces (marz) and Yerevan, for addresses. */
export const MARZES = ['YEREVAN', 'ARAGATSOTN', 'ARARAT', 'ARMAVIR', 'GEGHARKUNIK', 'KOTAYK', 'LORI', 'SHIRAK', 'SYUNIK', 'VAYOTS_DZOR', 'TAVUSH', 'ABROAD'] as const

export type BeneficiaryCategory = (typeof BENEFICIARY_CATEGORIES)[number]
export type BeneficiaryStatus = (typeof BENEFICIARY_STATUSES)[number]
export type CloseReason = (typeof CLOSE_REASONS)[number]

/** The youngest age at which criminal liability arises under the Criminal Code: no beneficiary is younger. */
export const MINIMUM_AGE_YEARS = 14

/** Public service number (ՀԾՀ): ten digits. */
export const PUBLIC_SERVICE_NUMBER = /^\d{10}$/
/** Identity document numbers: letters and digits, as printed (e.g. AN0123456, 012345678). */
export const DOCUMENT_NUMBER = /^[A-Z0-9]{5,20}$/

/** Nobody under supervision is older than this: an earlier birth date is a typing mistake. */
export const MAXIMUM_AGE_YEARS = 110

function yearsBefore(today: string, years: number): string {
  const [year, month, day] = today.split('-')
  return `${String(Number(year) - years).padStart(4, '0')}-${month}-${day}`
}

/** Why a birth date cannot be right for a beneficiary on `today` (both ISO dates), or null. */
export function birthDateProblem(birthDate: string, today: string): 'inFuture' | 'tooYoung' | 'tooOld' | null {
  if (birthDate > today) return 'inFuture'
  if (birthDate > yearsBefore(today, MINIMUM_AGE_YEARS)) return 'tooYoung'
  return birthDate < yearsBefore(today, MAXIMUM_AGE_YEARS) ? 'tooOld' : null
}
