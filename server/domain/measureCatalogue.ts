/*
 * The measures a regional body executes (docs/rules.md), as data: names, legal group, beneficiary category, the
 * details a court act sets for each, the execution screen, electronic monitoring, what completing it takes
 * and the deadlines that start when it is registered. Adding a measure is an entry in MEASURE_CATALOGUE; the
 * catalogue's test walks every entry, so a new one is checked without a new test of its own.
 */
import { isIsoDate } from './calendar'
import type { BeneficiaryCategory } from './beneficiaryCatalogue'

export interface Bilingual {
  readonly hy: string
  readonly en: string
}

/** docs/rules.md's status: V was read in a published source; A is our assumption and is never shown as law. */
export interface LegalSource {
  readonly status: 'V' | 'A'
  readonly text: string
}

export const MEASURE_GROUPS = {
  NON_CUSTODIAL_PUNISHMENT: {
    name: { hy: 'ազատությունից զրկելու հետ չկապված պատիժ', en: 'non-custodial punishment' },
    beneficiaryCategory: 'NON_CUSTODIAL_PUNISHMENT',
  },
  PROBATION_PERIOD: { name: { hy: 'փորձաշրջան', en: 'probation period' }, beneficiaryCategory: 'PROBATION_PERIOD' },
  ALTERNATIVE_PREVENTIVE_MEASURE: {
    name: { hy: 'այլընտրանքային խափանման միջոց', en: 'alternative preventive measure' },
    beneficiaryCategory: 'ALTERNATIVE_PREVENTIVE_MEASURE',
  },
  SECURITY_MEASURE: { name: { hy: 'անվտանգության միջոց', en: 'security measure' }, beneficiaryCategory: 'SECURITY_MEASURE' },
  // The glossary has no Armenian word for this group; the category's label names the measure instead.
  MINORS: { name: { hy: 'անչափահասներ', en: 'minors' }, beneficiaryCategory: 'MINOR_EDUCATIONAL_MEASURE' },
} as const satisfies Record<string, { name: Bilingual; beneficiaryCategory: BeneficiaryCategory }>

export type MeasureGroup = keyof typeof MEASURE_GROUPS

/** Which execution screen an officer works the measure on. */
export const EXECUTION_KINDS = ['fine', 'publicWorks', 'deprivation', 'probation', 'reporting', 'monitoringOnly', 'generic'] as const
export type ExecutionKind = (typeof EXECUTION_KINDS)[number]

export const FIELD_TYPES = ['integer', 'money', 'text', 'textList', 'date', 'boolean'] as const
export type FieldType = (typeof FIELD_TYPES)[number]

/** Deadline rules (deadlineRules.ts) a registration starts; named here by id so the catalogue stays free of them. */
export const REGISTRATION_DEADLINE_RULE_IDS = ['FINE_ACT_REGISTER', 'FINE_PAYMENT', 'ACT_REGISTER', 'EM_INSTALLATION', 'PERIOD_END_REPORT'] as const
export type RegistrationDeadlineRuleId = (typeof REGISTRATION_DEADLINE_RULE_IDS)[number]

/*
 * What must hold before the measure may be marked completed; measureLifecycle.ts holds the guard for each.
 * none: the officer decides (bail lasts until the court lifts it; an educational measure may have no term).
 */
export const COMPLETION_CONDITIONS = ['fineSettled', 'hoursWorked', 'endDateReached', 'none'] as const
export type CompletionCondition = (typeof COMPLETION_CONDITIONS)[number]

export const FINE_CONVERSION_TO_PUBLIC_WORKS = {
  hoursPerMinimumWage: 3,
  hoursPerMinimumWageOnMaliciousEvasion: 5,
  maxHours: 2200,
  source: {
    status: 'V',
    text: 'Criminal Code 2021: an unpaid fine may be converted into public works by a court decision, recorded as a new court act',
  },
} as const satisfies { source: LegalSource } & Record<string, unknown>

export const ELECTRONIC_MONITORING_DEVICES = {
  RF: {
    name: { hy: 'ռադիոհաճախականային սարք', en: 'radio-frequency device' },
    dailyFeeAmd: 1331,
    source: { status: 'V', text: 'Daily fee the Service pays per monitored beneficiary (docs/rules.md)' },
  },
  GPS: {
    name: { hy: 'GPS սարք', en: 'GPS device' },
    dailyFeeAmd: 1438,
    source: { status: 'V', text: 'Daily fee the Service pays per monitored beneficiary (docs/rules.md)' },
  },
} as const satisfies Record<string, { name: Bilingual; dailyFeeAmd: number; source: LegalSource }>

export type DeviceKind = keyof typeof ELECTRONIC_MONITORING_DEVICES

export const MONITORING_USES = ['none', 'optional', 'required'] as const
export type MonitoringUse = (typeof MONITORING_USES)[number]

export interface ElectronicMonitoring {
  readonly use: MonitoringUse
  /** Devices the measure may be monitored with; the one fitted is recorded at installation. */
  readonly devices: readonly DeviceKind[]
}

export interface FieldDefinition {
  readonly type: FieldType
  readonly label: Bilingual
  /** Bounds on the value, for integer and money fields. */
  readonly min?: number
  readonly max?: number
  /** Longest text, or longest item of a text list, in characters. */
  readonly maxLength?: number
  /** Where a bound comes from, when it is not obvious. */
  readonly boundsSource?: LegalSource
}

export interface MeasureField extends FieldDefinition {
  readonly name: string
  readonly required: boolean
}

const TEXT_MAX_LENGTH = 1000

/** The details a court act may set, defined once so a field reads the same on every measure that has it. */
export const FIELD_DEFINITIONS = {
  amountAmd: { type: 'money', label: { hy: 'Գումարը (ՀՀ դրամ)', en: 'Amount (AMD)' }, min: 1 },
  instalmentsAllowed: { type: 'boolean', label: { hy: 'Թույլատրված է մաս-մաս վճարել', en: 'Payment by instalments allowed' } },
  hoursOrdered: {
    type: 'integer',
    label: { hy: 'Նշանակված ժամերի քանակը', en: 'Hours ordered' },
    min: 1,
    max: FINE_CONVERSION_TO_PUBLIC_WORKS.maxHours,
    boundsSource: {
      status: 'A',
      text: 'The 2,200-hour ceiling of a fine converted into public works; the range for public works imposed as a sentence is to be confirmed',
    },
  },
  convertedFromFine: { type: 'boolean', label: { hy: 'Նշանակված է տուգանքը փոխարինելով', en: 'Imposed in place of an unpaid fine' } },
  termMonths: { type: 'integer', label: { hy: 'Ժամկետը (ամիս)', en: 'Term (months)' }, min: 1 },
  termEndDate: { type: 'date', label: { hy: 'Ժամկետի ավարտը', en: 'Term ends on' } },
  probationPeriodMonths: { type: 'integer', label: { hy: 'Փորձաշրջանը (ամիս)', en: 'Probation period (months)' }, min: 1 },
  prohibitedPostOrActivity: {
    type: 'text',
    label: { hy: 'Արգելված պաշտոնը կամ գործունեությունը', en: 'Prohibited post or activity' },
    maxLength: TEXT_MAX_LENGTH,
  },
  courtObligations: {
    type: 'textList',
    label: { hy: 'Դատարանի սահմանած պարտականությունները', en: 'Obligations set by the court' },
    maxLength: TEXT_MAX_LENGTH,
  },
  reportingPerWeek: {
    type: 'integer',
    label: { hy: 'Մարմին ներկայանալու հաճախականությունը (շաբաթական)', en: 'Reports to the body (times a week)' },
    min: 1,
    max: 3,
    boundsSource: { status: 'V', text: 'Criminal Procedure Code 2022: the court sets how often, up to 3 times a week' },
  },
  electronicMonitoringOrdered: {
    type: 'boolean',
    label: { hy: 'Դատարանը նշանակել է էլեկտրոնային հսկողություն', en: 'The court ordered electronic monitoring' },
  },
  houseArrestAddress: {
    type: 'text',
    label: { hy: 'Տնային կալանքը կրելու հասցեն', en: 'Address of the house arrest' },
    maxLength: TEXT_MAX_LENGTH,
  },
  placesBanned: { type: 'textList', label: { hy: 'Արգելված վայրերը', en: 'Places banned' }, maxLength: TEXT_MAX_LENGTH },
  educationalMeasures: {
    type: 'textList',
    label: { hy: 'Նշանակված դաստիարակչական միջոցները', en: 'Educational measures imposed' },
    maxLength: TEXT_MAX_LENGTH,
  },
} as const satisfies Record<string, FieldDefinition>

export type FieldName = keyof typeof FIELD_DEFINITIONS

function required(name: FieldName): MeasureField {
  return { name, required: true, ...FIELD_DEFINITIONS[name] }
}

function optional(name: FieldName): MeasureField {
  return { name, required: false, ...FIELD_DEFINITIONS[name] }
}

const NO_MONITORING: ElectronicMonitoring = { use: 'none', devices: [] }

interface MeasureDefinition {
  readonly name: Bilingual
  readonly group: MeasureGroup
  readonly beneficiaryCategory: BeneficiaryCategory
  /** docs/rules.md's source column, as written there. */
  readonly source: LegalSource
  readonly fields: readonly MeasureField[]
  readonly executionKind: ExecutionKind
  readonly electronicMonitoring: ElectronicMonitoring
  readonly completion: CompletionCondition
  readonly registrationDeadlines: readonly RegistrationDeadlineRuleId[]
}

export interface MeasureType extends MeasureDefinition {
  readonly code: MeasureCode
}

// Names are docs/rules.md's, word for word: the rules page shows them next to their source.
const MEASURE_CATALOGUE = {
  FINE: {
    name: { hy: 'տուգանք', en: 'fine' },
    group: 'NON_CUSTODIAL_PUNISHMENT',
    beneficiaryCategory: 'NON_CUSTODIAL_PUNISHMENT',
    source: { status: 'V', text: 'Criminal Code 2021, V' },
    fields: [required('amountAmd'), optional('instalmentsAllowed')],
    executionKind: 'fine',
    electronicMonitoring: NO_MONITORING,
    completion: 'fineSettled',
    registrationDeadlines: ['FINE_ACT_REGISTER', 'FINE_PAYMENT'],
  },
  PUBLIC_WORKS: {
    name: { hy: 'հանրային աշխատանքներ', en: 'public works (unpaid community work)' },
    group: 'NON_CUSTODIAL_PUNISHMENT',
    beneficiaryCategory: 'NON_CUSTODIAL_PUNISHMENT',
    source: { status: 'V', text: 'V' },
    fields: [required('hoursOrdered'), optional('convertedFromFine')],
    executionKind: 'publicWorks',
    electronicMonitoring: NO_MONITORING,
    completion: 'hoursWorked',
    registrationDeadlines: ['ACT_REGISTER'],
  },
  DEPRIVATION_OF_RIGHT: {
    name: {
      hy: 'որոշակի պաշտոններ զբաղեցնելու կամ որոշակի գործունեությամբ զբաղվելու իրավունքից զրկում',
      en: 'deprivation of the right to hold certain posts or engage in certain activities',
    },
    group: 'NON_CUSTODIAL_PUNISHMENT',
    beneficiaryCategory: 'NON_CUSTODIAL_PUNISHMENT',
    source: { status: 'V', text: 'V' },
    fields: [required('prohibitedPostOrActivity'), required('termMonths')],
    executionKind: 'deprivation',
    electronicMonitoring: NO_MONITORING,
    completion: 'endDateReached',
    registrationDeadlines: ['ACT_REGISTER'],
  },
  RESTRICTION_OF_LIBERTY: {
    name: { hy: 'ազատության սահմանափակում', en: 'restriction of liberty (with electronic monitoring)' },
    group: 'NON_CUSTODIAL_PUNISHMENT',
    beneficiaryCategory: 'NON_CUSTODIAL_PUNISHMENT',
    source: { status: 'V', text: 'V (from 01.07.2023)' },
    fields: [required('termMonths'), required('courtObligations')],
    // The restrictions are obligations checked like a probation's; the device is tracked on its own.
    executionKind: 'probation',
    // docs/rules.md names no device for it, so either may be fitted until the Service says which.
    electronicMonitoring: { use: 'required', devices: ['RF', 'GPS'] },
    completion: 'endDateReached',
    registrationDeadlines: ['ACT_REGISTER', 'EM_INSTALLATION'],
  },
  CONDITIONAL_NON_APPLICATION: {
    name: {
      hy: 'պատիժը պայմանականորեն չկիրառելը',
      en: 'conditional non-application of punishment (suspended sentence) with a probation period',
    },
    group: 'PROBATION_PERIOD',
    beneficiaryCategory: 'PROBATION_PERIOD',
    source: { status: 'V', text: 'V' },
    fields: [required('probationPeriodMonths'), optional('courtObligations')],
    executionKind: 'probation',
    electronicMonitoring: NO_MONITORING,
    completion: 'endDateReached',
    registrationDeadlines: ['ACT_REGISTER', 'PERIOD_END_REPORT'],
  },
  CONDITIONAL_EARLY_RELEASE: {
    name: { hy: 'պատժից պայմանական վաղաժամկետ ազատում', en: 'conditional early release (parole) with a probation period' },
    group: 'PROBATION_PERIOD',
    beneficiaryCategory: 'PROBATION_PERIOD',
    source: { status: 'V', text: 'V' },
    fields: [required('probationPeriodMonths'), optional('courtObligations')],
    executionKind: 'probation',
    electronicMonitoring: NO_MONITORING,
    completion: 'endDateReached',
    registrationDeadlines: ['ACT_REGISTER', 'PERIOD_END_REPORT'],
  },
  DEFERMENT: {
    name: { hy: 'պատժի կրման հետաձգում', en: 'deferment of serving the punishment' },
    group: 'PROBATION_PERIOD',
    beneficiaryCategory: 'PROBATION_PERIOD',
    source: { status: 'V', text: 'V' },
    fields: [required('probationPeriodMonths'), optional('courtObligations')],
    executionKind: 'probation',
    electronicMonitoring: NO_MONITORING,
    completion: 'endDateReached',
    registrationDeadlines: ['ACT_REGISTER', 'PERIOD_END_REPORT'],
  },
  RELEASE_FROM_SERVING: {
    name: { hy: 'պատժի կրումից ազատում', en: 'release from serving the punishment' },
    group: 'PROBATION_PERIOD',
    beneficiaryCategory: 'PROBATION_PERIOD',
    source: { status: 'V', text: 'V' },
    fields: [required('probationPeriodMonths'), optional('courtObligations')],
    executionKind: 'probation',
    electronicMonitoring: NO_MONITORING,
    completion: 'endDateReached',
    registrationDeadlines: ['ACT_REGISTER', 'PERIOD_END_REPORT'],
  },
  HOUSE_ARREST: {
    name: { hy: 'տնային կալանք', en: 'house arrest (electronic monitoring mandatory)' },
    group: 'ALTERNATIVE_PREVENTIVE_MEASURE',
    beneficiaryCategory: 'ALTERNATIVE_PREVENTIVE_MEASURE',
    source: { status: 'V', text: 'V (CPC 2022)' },
    fields: [required('houseArrestAddress'), required('termEndDate'), optional('courtObligations')],
    executionKind: 'monitoringOnly',
    electronicMonitoring: { use: 'required', devices: ['RF'] },
    completion: 'endDateReached',
    registrationDeadlines: ['ACT_REGISTER', 'EM_INSTALLATION'],
  },
  ADMINISTRATIVE_SUPERVISION: {
    name: {
      hy: 'վարչական հսկողություն',
      en: 'administrative supervision (reports to the body up to 3 times a week, as the court sets)',
    },
    group: 'ALTERNATIVE_PREVENTIVE_MEASURE',
    beneficiaryCategory: 'ALTERNATIVE_PREVENTIVE_MEASURE',
    source: { status: 'V', text: 'V (CPC 2022)' },
    fields: [required('reportingPerWeek'), required('termEndDate'), optional('electronicMonitoringOrdered'), optional('courtObligations')],
    executionKind: 'reporting',
    electronicMonitoring: { use: 'optional', devices: ['GPS'] },
    completion: 'endDateReached',
    registrationDeadlines: ['ACT_REGISTER'],
  },
  BAIL: {
    name: { hy: 'գրավ', en: 'bail' },
    group: 'ALTERNATIVE_PREVENTIVE_MEASURE',
    beneficiaryCategory: 'ALTERNATIVE_PREVENTIVE_MEASURE',
    source: { status: 'V', text: 'V' },
    fields: [required('amountAmd'), optional('courtObligations')],
    executionKind: 'generic',
    electronicMonitoring: NO_MONITORING,
    completion: 'none',
    registrationDeadlines: ['ACT_REGISTER'],
  },
  BAN_ON_VISITING_PLACES: {
    name: { hy: 'որոշակի վայրեր այցելելու արգելք', en: 'ban on visiting certain places' },
    group: 'SECURITY_MEASURE',
    beneficiaryCategory: 'SECURITY_MEASURE',
    source: { status: 'V', text: 'V' },
    fields: [required('placesBanned'), required('termMonths')],
    executionKind: 'generic',
    electronicMonitoring: NO_MONITORING,
    completion: 'endDateReached',
    registrationDeadlines: ['ACT_REGISTER'],
  },
  PSYCHOLOGICAL_HELP: {
    name: { hy: 'հոգեբանական օգնություն ստանալու պարտավորություն', en: 'obligation to receive psychological help' },
    group: 'SECURITY_MEASURE',
    beneficiaryCategory: 'SECURITY_MEASURE',
    source: { status: 'V', text: 'V' },
    fields: [required('termMonths'), optional('courtObligations')],
    executionKind: 'generic',
    electronicMonitoring: NO_MONITORING,
    completion: 'endDateReached',
    registrationDeadlines: ['ACT_REGISTER'],
  },
  EDUCATIONAL_MEASURE: {
    name: {
      hy: 'դաստիարակչական ներգործության միջոց',
      en: 'educational measure for a minor (supervision, repairing damage, leisure restrictions)',
    },
    group: 'MINORS',
    beneficiaryCategory: 'MINOR_EDUCATIONAL_MEASURE',
    source: { status: 'V', text: 'V (CC 2021 art. 105)' },
    fields: [required('educationalMeasures'), optional('termMonths')],
    executionKind: 'generic',
    electronicMonitoring: NO_MONITORING,
    completion: 'none',
    registrationDeadlines: ['ACT_REGISTER'],
  },
} satisfies Record<string, MeasureDefinition>

export type MeasureCode = keyof typeof MEASURE_CATALOGUE

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const inner of Object.values(value)) deepFreeze(inner)
  }
  return value
}

function withCodes(catalogue: Readonly<Record<MeasureCode, MeasureDefinition>>): Record<MeasureCode, MeasureType> {
  const types = {} as Record<MeasureCode, MeasureType>
  for (const code of Object.keys(catalogue) as MeasureCode[]) types[code] = { code, ...catalogue[code] }
  return types
}

// measureType hands these very objects out: frozen, so no caller can change the catalogue for the others.
const MEASURE_TYPES: Readonly<Record<MeasureCode, MeasureType>> = deepFreeze(withCodes(MEASURE_CATALOGUE))
deepFreeze(MEASURE_GROUPS)
deepFreeze(FIELD_DEFINITIONS)
deepFreeze(ELECTRONIC_MONITORING_DEVICES)
deepFreeze(FINE_CONVERSION_TO_PUBLIC_WORKS)

export const MEASURE_CODES: readonly MeasureCode[] = Object.freeze(Object.keys(MEASURE_TYPES) as MeasureCode[])

export function isMeasureCode(value: unknown): value is MeasureCode {
  return typeof value === 'string' && Object.hasOwn(MEASURE_TYPES, value)
}

export function measureType(code: MeasureCode): MeasureType {
  if (!isMeasureCode(code)) throw new RangeError(`Unknown measure code: ${String(code)}`)
  return MEASURE_TYPES[code]
}

/** The deadlines a registration starts: the type's own, plus device installation when the court ordered optional monitoring. */
export function registrationDeadlineRuleIds(code: MeasureCode, details: Readonly<Record<string, unknown>>): RegistrationDeadlineRuleId[] {
  const type = measureType(code)
  const ids = [...type.registrationDeadlines]
  const monitoringOrdered = type.electronicMonitoring.use === 'optional' && details.electronicMonitoringOrdered === true
  if (monitoringOrdered && !ids.includes('EM_INSTALLATION')) ids.push('EM_INSTALLATION')
  return ids
}

/** What the Service pays for monitoring one beneficiary over `days` days, for cost reports. */
export function electronicMonitoringCostAmd(device: DeviceKind, days: number): number {
  return ELECTRONIC_MONITORING_DEVICES[device].dailyFeeAmd * days
}

export const DETAIL_PROBLEMS = ['required', 'type', 'min', 'max', 'unknown'] as const
export type DetailProblemCode = (typeof DETAIL_PROBLEMS)[number]

export interface DetailProblem {
  readonly field: string
  readonly problem: DetailProblemCode
  /** The bound broken, for min and max, so a message can name it. */
  readonly limit?: number
}


function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0)
}

function fieldProblem(field: MeasureField, value: unknown): DetailProblem | null {
  const problem = (code: DetailProblemCode, limit?: number): DetailProblem =>
    limit === undefined ? { field: field.name, problem: code } : { field: field.name, problem: code, limit }
  switch (field.type) {
    case 'integer':
    case 'money':
      // Amounts are whole drams: courts do not set luma.
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) return problem('type')
      if (field.min !== undefined && value < field.min) return problem('min', field.min)
      if (field.max !== undefined && value > field.max) return problem('max', field.max)
      return null
    case 'text':
      if (typeof value !== 'string') return problem('type')
      return field.maxLength !== undefined && value.trim().length > field.maxLength ? problem('max', field.maxLength) : null
    case 'textList':
    {
      if (!Array.isArray(value) || !value.every((item) => typeof item === 'string' && item.trim() !== '')) return problem('type')
      const { maxLength } = field
      return maxLength !== undefined && value.some((item: string) => item.trim().length > maxLength) ? problem('max', maxLength) : null
    }
    case 'date':
      return isIsoDate(value) ? null : problem('type')
    case 'boolean':
      return typeof value === 'boolean' ? null : problem('type')
  }
}

/**
 * The problems of a court act's details for a measure, one per field at most, in the type's field order and
 * then unknown keys. Blank values (absent, null, empty or whitespace text, empty list) count as not given.
 * Anything but a plain object counts as no details at all.
 */
export function validateMeasureDetails(code: MeasureCode, details: unknown): DetailProblem[] {
  const type = measureType(code)
  const given: Record<string, unknown> =
    typeof details === 'object' && details !== null && !Array.isArray(details) ? (details as Record<string, unknown>) : {}
  const problems: DetailProblem[] = []
  for (const field of type.fields) {
    const value = Object.hasOwn(given, field.name) ? given[field.name] : undefined
    if (isBlank(value)) {
      if (field.required) problems.push({ field: field.name, problem: 'required' })
      continue
    }
    const problem = fieldProblem(field, value)
    if (problem) problems.push(problem)
  }
  // A key from another measure's form would otherwise be stored silently with this one.
  for (const key of Object.keys(given)) {
    if (!type.fields.some((field) => field.name === key)) problems.push({ field: key, problem: 'unknown' })
  }
  return problems
}
