/*
 * The deadline rules of docs/rules.md as data, and the computation of a due date from a rule, an event date and
 * the working calendar, with an explanation a user can check. Rules are values, not code: an authorised
 * user may change one (the caller stores the rule a deadline was computed with), so everything below takes
 * the rule itself, never just its id.
 *
 * basis 'law' is a term read in a published source; 'default' is the application's assumption awaiting the
 * Service's confirmation, and every explanation says so: a default is never presented as law.
 */
import {
  addCalendarDays,
  addMonths,
  dayOfFollowingMonth,
  deepFreeze,
  isIsoDate,
  isoWeekday,
  type LocalizedText,
  type NonWorkingReason,
  type SkippedDay,
  type WorkingCalendar,
} from './calendar'
import { formatDate } from './dates'

export type Language = 'hy' | 'en'
export type Basis = 'law' | 'default'
export type OffsetUnit = 'workingDays' | 'calendarDays' | 'months' | 'dayOfFollowingMonth' | 'workingDaysBefore'

export interface Offset {
  readonly amount: number
  readonly unit: OffsetUnit
}

export interface Trigger {
  readonly code: string
  readonly description: LocalizedText
}

export interface ExtensionRule {
  readonly maxTimes: number
  /** Counted from the due date being extended. */
  readonly maxOffset: Offset & { readonly unit: 'months' | 'calendarDays' | 'workingDays' }
  /** The notice of the extension must reach the person at least this long before the due date. */
  readonly noticeBefore: Offset & { readonly unit: 'workingDays' | 'calendarDays' }
  readonly grounds: LocalizedText
}

/** A second, longer term the law allows in a stated case, announced by a notice within a shorter term. */
export interface LongerTerm {
  readonly offset: Offset
  readonly when: LocalizedText
  readonly noticeWithin: Offset
}

export const DEADLINE_RULE_IDS = [
  'FINE_ACT_REGISTER',
  'FINE_PAYMENT',
  'ACT_REGISTER',
  'EARLY_RELEASE_REPORT_FILE',
  'FIRST_CONTACT',
  'INITIAL_ASSESSMENT',
  'PLAN_AFTER_ASSESSMENT',
  'REASSESSMENT',
  'REASSESSMENT_AFTER_VIOLATION',
  'PLAN_REVIEW',
  'VIOLATION_ACTION',
  'EM_INSTALLATION',
  'PERIOD_END_REPORT',
  'PETITION_REPLY',
  'FOI_REPLY',
  'ADMIN_PROCEEDING',
  'OFFICIAL_LETTER_REPLY',
  'PARDON_PETITION_FORWARD',
  'QUARTERLY_REPORT',
  'MEDIATION_REPORT',
] as const

export type DeadlineRuleId = (typeof DEADLINE_RULE_IDS)[number]

export interface DeadlineRule {
  readonly id: DeadlineRuleId
  readonly trigger: Trigger
  /** What must be done by the due date. */
  readonly duty: LocalizedText
  readonly offset: Offset
  readonly basis: Basis
  readonly source: LocalizedText
  /** A caveat or a condition shown with every due date of the rule. */
  readonly note?: LocalizedText
  readonly extension?: ExtensionRule
  readonly longerTerm?: LongerTerm
  /** A date set in the triggering document itself replaces the offset. */
  readonly documentDateWins?: boolean
  /** Trigger codes on which the officer should schedule the duty earlier than the due date. */
  readonly soonerOn?: readonly string[]
}

// Sources of defaults name their model and never start with a common word, so that they read well both alone
// (the rules page) and after a label in a sentence (explanations).
const DEFAULT_SOURCE = {
  hy: 'Ծառայության կողմից հաստատման ենթակա ենթադրություն',
  en: 'An assumption to be confirmed by the Service',
}

const PENITENTIARY_CODE = {
  source: {
    hy: 'ՀՀ քրեակատարողական օրենսգիրք, հոդված 24, մաս 2 (2016 թ. փոփոխություններով)',
    en: 'Penitentiary Code, art. 24(2), as amended in 2016',
  },
  note: {
    hy: 'Ընթերցված է օրենսգրքի 2016 թ. խմբագրությամբ. անհրաժեշտ է ստուգել, արդյոք գործում է այսօր։',
    en: 'Read in the code as amended in 2016; to be confirmed that it still applies.',
  },
}

const TRIGGERS = {
  FINE_ACT_RECEIVED: {
    code: 'FINE_ACT_RECEIVED',
    description: { hy: 'Ստացվել է տուգանք նշանակելու մասին դատական ակտը', en: 'Court act imposing a fine received' },
  },
  FINE_ACT_IN_FORCE: {
    code: 'FINE_ACT_IN_FORCE',
    description: { hy: 'Տուգանք նշանակելու մասին ակտն օրինական ուժի մեջ է մտել', en: 'Act imposing a fine entered into force' },
  },
  COURT_ACT_RECEIVED: {
    code: 'COURT_ACT_RECEIVED',
    description: { hy: 'Ստացվել է այլ դատական ակտ', en: 'Another court act received' },
  },
  EARLY_RELEASE_REPORT_NOTICE: {
    code: 'EARLY_RELEASE_REPORT_NOTICE',
    description: {
      hy: 'Ստացվել է պայմանական վաղաժամկետ ազատման կամ պատժի փոխարինման վերաբերյալ զեկույց պատրաստելու մասին ծանուցում',
      en: 'Notice to prepare an early-release or replacement report received',
    },
  },
  BENEFICIARY_REGISTERED: {
    code: 'BENEFICIARY_REGISTERED',
    description: { hy: 'Շահառուն հաշվառվել է', en: 'Beneficiary registered' },
  },
  ASSESSMENT_COMPLETED: {
    code: 'ASSESSMENT_COMPLETED',
    description: { hy: 'Ռիսկերի և կարիքների գնահատումն ավարտվել է', en: 'Risk and needs assessment completed' },
  },
  PLAN_APPROVED: {
    code: 'PLAN_APPROVED',
    description: { hy: 'Վերահսկողության պլանը հաստատվել է', en: 'Supervision plan approved' },
  },
  PLAN_IN_FORCE: {
    code: 'PLAN_IN_FORCE',
    description: { hy: 'Վերահսկողության պլանը գործում է', en: 'Supervision plan in force' },
  },
  VIOLATION_RECORDED: {
    code: 'VIOLATION_RECORDED',
    description: { hy: 'Գրանցվել է խախտում', en: 'Violation recorded' },
  },
  CIRCUMSTANCES_CHANGED: {
    code: 'CIRCUMSTANCES_CHANGED',
    description: { hy: 'Փոխվել են շահառուի հանգամանքները', en: "The beneficiary's circumstances changed" },
  },
  EM_ACT_RECEIVED: {
    code: 'EM_ACT_RECEIVED',
    description: { hy: 'Ստացվել է էլեկտրոնային հսկողություն պահանջող ակտ', en: 'Act requiring electronic monitoring received' },
  },
  PROBATION_PERIOD_END: {
    code: 'PROBATION_PERIOD_END',
    description: { hy: 'Փորձաշրջանի ավարտ (հաշվարկվում է դրանից հետ)', en: 'End of the probation period (counted back from it)' },
  },
  PETITION_REGISTERED: {
    code: 'PETITION_REGISTERED',
    description: { hy: 'Գրանցվել է քաղաքացու կամ շահառուի դիմումը կամ բողոքը', en: "Citizen's or beneficiary's application or complaint registered" },
  },
  FOI_REQUEST_REGISTERED: {
    code: 'FOI_REQUEST_REGISTERED',
    description: { hy: 'Գրանցվել է տեղեկություն ստանալու հարցում', en: 'Request for information registered' },
  },
  ADMIN_PROCEEDING_OPENED: {
    code: 'ADMIN_PROCEEDING_OPENED',
    description: { hy: 'Հարուցվել է վարչական վարույթ', en: 'Administrative proceeding opened' },
  },
  OFFICIAL_LETTER_REGISTERED: {
    code: 'OFFICIAL_LETTER_REGISTERED',
    description: { hy: 'Գրանցվել է պետական մարմնի կամ այլ ստորաբաժանման գրություն', en: 'Letter from a state body or another unit registered' },
  },
  PARDON_PETITION_REGISTERED: {
    code: 'PARDON_PETITION_REGISTERED',
    description: { hy: 'Գրանցվել է ներման խնդրագիր', en: 'Pardon petition registered' },
  },
  QUARTER_ENDED: {
    code: 'QUARTER_ENDED',
    description: { hy: 'Եռամսյակն ավարտվել է (նրա վերջին օրը)', en: 'Quarter ended (its last day)' },
  },
  MEDIATION_CONCLUDED: {
    code: 'MEDIATION_CONCLUDED',
    description: { hy: 'Հաշտարարությունն ավարտվել է (արդյունքը գրանցվել է)', en: 'Mediation concluded (its outcome recorded)' },
  },
} as const satisfies Record<string, Trigger>

export const DEADLINE_RULES: Readonly<Record<DeadlineRuleId, DeadlineRule>> = deepFreeze({
  FINE_ACT_REGISTER: {
    id: 'FINE_ACT_REGISTER',
    trigger: TRIGGERS.FINE_ACT_RECEIVED,
    duty: {
      hy: 'Հաշվառել ակտը, բացել անձնական գործ և հաշվառման քարտ, կանչել անձին',
      en: 'Register the act, open the personal file and registration card, summon the person',
    },
    offset: { amount: 1, unit: 'workingDays' },
    basis: 'law',
    ...PENITENTIARY_CODE,
  },
  FINE_PAYMENT: {
    id: 'FINE_PAYMENT',
    trigger: TRIGGERS.FINE_ACT_IN_FORCE,
    duty: { hy: 'Անձը վճարում է տուգանքը և ներկայացնում անդորրագիրը', en: 'The person pays the fine and shows the receipt' },
    offset: { amount: 10, unit: 'workingDays' },
    basis: 'law',
    ...PENITENTIARY_CODE,
  },
  ACT_REGISTER: {
    id: 'ACT_REGISTER',
    trigger: TRIGGERS.COURT_ACT_RECEIVED,
    duty: { hy: 'Հաշվառել ակտը և բացել անձնական գործ', en: 'Register the act and open the personal file' },
    offset: { amount: 3, unit: 'workingDays' },
    basis: 'default',
    source: DEFAULT_SOURCE,
  },
  EARLY_RELEASE_REPORT_FILE: {
    id: 'EARLY_RELEASE_REPORT_FILE',
    trigger: TRIGGERS.EARLY_RELEASE_REPORT_NOTICE,
    duty: { hy: 'Բացել անձնական գործ և հաշվառման քարտ', en: 'Open the personal file and registration card' },
    offset: { amount: 5, unit: 'workingDays' },
    basis: 'law',
    source: { hy: 'ՀՀ արդարադատության նախարարի N 336-Լ հրաման, կետ 11', en: 'Order of the Minister of Justice No. 336-L, para. 11' },
  },
  FIRST_CONTACT: {
    id: 'FIRST_CONTACT',
    trigger: TRIGGERS.BENEFICIARY_REGISTERED,
    duty: { hy: 'Առաջին հանդիպում շահառուի հետ', en: 'First meeting with the beneficiary' },
    offset: { amount: 2, unit: 'workingDays' },
    basis: 'default',
    source: {
      hy: 'ԱՄՆ (PA) չափորոշիչ՝ 2 աշխատանքային օր. Միացյալ Թագավորությունում՝ 5 աշխատանքային օր. ենթակա է Ծառայության հաստատմանը',
      en: 'US (PA) standard of 2 business days; the UK uses 5 working days; to be confirmed by the Service',
    },
  },
  INITIAL_ASSESSMENT: {
    id: 'INITIAL_ASSESSMENT',
    trigger: TRIGGERS.BENEFICIARY_REGISTERED,
    duty: { hy: 'Ավարտել ռիսկերի և կարիքների գնահատումը', en: 'Complete the risk and needs assessment' },
    offset: { amount: 15, unit: 'workingDays' },
    basis: 'default',
    source: {
      hy: 'Միացյալ Թագավորության պատժի կրման պլանի չափորոշիչ (15 աշխատանքային օր). ենթակա է Ծառայության հաստատմանը',
      en: 'UK sentence plan standard (15 working days); to be confirmed by the Service',
    },
  },
  PLAN_AFTER_ASSESSMENT: {
    id: 'PLAN_AFTER_ASSESSMENT',
    trigger: TRIGGERS.ASSESSMENT_COMPLETED,
    duty: { hy: 'Ներկայացնել վերահսկողության պլանը հաստատման', en: 'Submit the supervision plan for approval' },
    offset: { amount: 5, unit: 'workingDays' },
    basis: 'default',
    source: DEFAULT_SOURCE,
  },
  REASSESSMENT: {
    id: 'REASSESSMENT',
    trigger: TRIGGERS.ASSESSMENT_COMPLETED,
    duty: { hy: 'Կատարել կրկնակի գնահատում', en: 'Carry out the next assessment' },
    offset: { amount: 6, unit: 'months' },
    basis: 'default',
    source: DEFAULT_SOURCE,
    note: {
      hy: 'Ավելի վաղ՝ խախտման կամ հանգամանքների փոփոխության դեպքում։',
      en: 'Sooner on a violation or a change of circumstances.',
    },
    soonerOn: [TRIGGERS.VIOLATION_RECORDED.code, TRIGGERS.CIRCUMSTANCES_CHANGED.code],
  },
  // The source says only "sooner on a violation" (docs/rules.md, REASSESSMENT): the term is the initial assessment's,
  // as an assumption.
  REASSESSMENT_AFTER_VIOLATION: {
    id: 'REASSESSMENT_AFTER_VIOLATION',
    trigger: TRIGGERS.VIOLATION_RECORDED,
    duty: { hy: 'Կատարել վերագնահատում խախտումից հետո', en: 'Reassess after the violation' },
    offset: { amount: 15, unit: 'workingDays' },
    basis: 'default',
    source: DEFAULT_SOURCE,
  },
  PLAN_REVIEW: {
    id: 'PLAN_REVIEW',
    trigger: TRIGGERS.PLAN_APPROVED,
    duty: { hy: 'Վերանայել վերահսկողության պլանը', en: 'Review the supervision plan' },
    offset: { amount: 3, unit: 'months' },
    basis: 'default',
    source: DEFAULT_SOURCE,
  },
  VIOLATION_ACTION: {
    id: 'VIOLATION_ACTION',
    trigger: TRIGGERS.VIOLATION_RECORDED,
    duty: {
      hy: 'Որոշել՝ նախազգուշացում, թե միջնորդություն դատարանին',
      en: 'Decide on a warning or a submission to court',
    },
    offset: { amount: 10, unit: 'workingDays' },
    basis: 'default',
    source: {
      hy: 'Միացյալ Թագավորության խախտումների չափորոշիչ. ենթակա է Ծառայության հաստատմանը',
      en: 'UK breach standard; to be confirmed by the Service',
    },
  },
  EM_INSTALLATION: {
    id: 'EM_INSTALLATION',
    trigger: TRIGGERS.EM_ACT_RECEIVED,
    duty: { hy: 'Տեղադրել էլեկտրոնային հսկողության սարքը', en: 'Install the electronic monitoring device' },
    offset: { amount: 1, unit: 'workingDays' },
    basis: 'default',
    source: DEFAULT_SOURCE,
  },
  PERIOD_END_REPORT: {
    id: 'PERIOD_END_REPORT',
    trigger: TRIGGERS.PROBATION_PERIOD_END,
    duty: { hy: 'Ներկայացնել եզրափակիչ զեկույցը', en: 'Submit the closing report' },
    offset: { amount: 5, unit: 'workingDaysBefore' },
    basis: 'default',
    source: DEFAULT_SOURCE,
  },
  PETITION_REPLY: {
    id: 'PETITION_REPLY',
    trigger: TRIGGERS.PETITION_REGISTERED,
    duty: { hy: 'Պատասխանել դիմողին', en: 'Reply to the applicant' },
    offset: { amount: 1, unit: 'months' },
    basis: 'law',
    source: {
      hy: '«Հանրագրերի մասին» ՀՀ օրենք (2018), հոդված 10',
      en: 'Law on Petitions (2018), art. 10',
    },
    extension: {
      maxTimes: 1,
      maxOffset: { amount: 1, unit: 'months' },
      noticeBefore: { amount: 3, unit: 'workingDays' },
      grounds: {
        hy: 'Անհրաժեշտ են լրացուցիչ ուսումնասիրություններ, կամ նույն հարցի վերաբերյալ առկա է մեկից ավելի դիմում',
        en: 'Further study is needed, or there is more than one application on the same question',
      },
    },
  },
  FOI_REPLY: {
    id: 'FOI_REPLY',
    trigger: TRIGGERS.FOI_REQUEST_REGISTERED,
    duty: { hy: 'Տրամադրել տեղեկությունը', en: 'Provide the information' },
    offset: { amount: 5, unit: 'calendarDays' },
    basis: 'law',
    source: { hy: '«Տեղեկատվության ազատության մասին» ՀՀ օրենք', en: 'Law on Freedom of Information' },
    note: {
      hy: 'Աղբյուրները տարբերվում են՝ օրացուցային, թե աշխատանքային օրեր. կանխադրված են օրացուցային օրերը, միավորը կարելի է փոխել։',
      en: 'Sources differ on calendar or working days; calendar days by default, the unit can be changed.',
    },
    longerTerm: {
      offset: { amount: 30, unit: 'calendarDays' },
      when: {
        hy: 'տեղեկությունը տրամադրելու համար անհրաժեշտ է լրացուցիչ աշխատանք',
        en: 'extra work is needed to provide the information',
      },
      noticeWithin: { amount: 5, unit: 'calendarDays' },
    },
  },
  ADMIN_PROCEEDING: {
    id: 'ADMIN_PROCEEDING',
    trigger: TRIGGERS.ADMIN_PROCEEDING_OPENED,
    duty: { hy: 'Ընդունել վարչական վարույթի արդյունքում որոշումը', en: 'Decide the administrative proceeding' },
    offset: { amount: 30, unit: 'calendarDays' },
    basis: 'law',
    source: {
      hy: '«Վարչարարության հիմունքների և վարչական վարույթի մասին» ՀՀ օրենք',
      en: 'Law on the Fundamentals of Administrative Action and Administrative Proceedings',
    },
  },
  OFFICIAL_LETTER_REPLY: {
    id: 'OFFICIAL_LETTER_REPLY',
    trigger: TRIGGERS.OFFICIAL_LETTER_REGISTERED,
    duty: { hy: 'Պատասխանել գրությանը', en: 'Reply to the letter' },
    offset: { amount: 10, unit: 'workingDays' },
    basis: 'default',
    source: DEFAULT_SOURCE,
    documentDateWins: true,
  },
  PARDON_PETITION_FORWARD: {
    id: 'PARDON_PETITION_FORWARD',
    trigger: TRIGGERS.PARDON_PETITION_REGISTERED,
    duty: { hy: 'Նախապատրաստել նյութերը և ուղարկել խնդրագիրը', en: 'Prepare the materials and forward the petition' },
    offset: { amount: 10, unit: 'workingDays' },
    basis: 'default',
    source: DEFAULT_SOURCE,
    note: {
      hy: 'Ծառայության կանոններում ներման խնդրագրերի ժամկետ չկա. ենթադրություն է, մինչև Ծառայությունը հաստատի ներման կարգով սահմանված ժամկետը։',
      en: "The Service's rules give no term for pardon petitions: an assumption until the Service confirms the term of the pardon procedure.",
    },
  },
  QUARTERLY_REPORT: {
    id: 'QUARTERLY_REPORT',
    trigger: TRIGGERS.QUARTER_ENDED,
    duty: { hy: 'Մարմնի պետը ներկայացնում է եռամսյակային հաշվետվությունը', en: 'The regional head submits the quarterly report' },
    offset: { amount: 5, unit: 'dayOfFollowingMonth' },
    basis: 'default',
    source: {
      hy: 'Ծառայության եռամսյակային հաշվետվությունների պրակտիկա. ենթակա է հաստատման',
      en: "The Service's practice for quarterly reports; to be confirmed",
    },
  },
  // Counted from the conclusion, since the report gives the outcome; a report date set in the instruction wins and is
  // known from the start.
  MEDIATION_REPORT: {
    id: 'MEDIATION_REPORT',
    trigger: TRIGGERS.MEDIATION_CONCLUDED,
    duty: { hy: 'Զեկուցել հանձնարարած մարմնին հաշտարարության արդյունքի մասին', en: 'Report the outcome to the instructing authority' },
    offset: { amount: 10, unit: 'workingDays' },
    basis: 'default',
    source: DEFAULT_SOURCE,
    documentDateWins: true,
    note: {
      hy: 'Զեկույցի ժամկետը սահմանում է հանձնարարած մարմինը. եթե հանձնարարականում ժամկետ չկա, ավարտից հաշվվող կանխադրված ժամկետը ենթադրություն է, մինչև Ծառայությունը այն հաստատի։',
      en: 'The instructing authority sets the term of the report; when the instruction sets none, the default term counted from the conclusion is an assumption until the Service confirms it.',
    },
  },
} satisfies Record<DeadlineRuleId, DeadlineRule>)

export const RISK_LEVELS = ['HIGH', 'MEDIUM', 'LOW'] as const
export type RiskLevel = (typeof RISK_LEVELS)[number]

/** Not a due date but a rate: how many contacts a month the plan in force requires, by risk level. */
export const CONTACT_FREQUENCY_BY_RISK = deepFreeze({
  id: 'CONTACT_FREQUENCY',
  trigger: TRIGGERS.PLAN_IN_FORCE,
  contactsPerMonth: { HIGH: 4, MEDIUM: 2, LOW: 1 } satisfies Record<RiskLevel, number>,
  basis: 'default' as Basis,
  source: {
    hy: 'ԱՄՆ և Միացյալ Թագավորության չափորոշիչներ. ենթակա է Ծառայության հաստատմանը',
    en: 'US and UK standards; to be confirmed by the Service',
  },
})

/** What is wrong with a (possibly user-edited) rule, as messages for the rules page; empty when usable. */
export function deadlineRuleProblems(rule: DeadlineRule): string[] {
  const problems: string[] = []
  const checkOffset = (offset: Offset, what: string) => {
    const min = offset.unit === 'dayOfFollowingMonth' ? 1 : 0
    if (!Number.isSafeInteger(offset.amount) || offset.amount < min) problems.push(`${what}: amount must be a whole number >= ${min}`)
    if (!['workingDays', 'calendarDays', 'months', 'dayOfFollowingMonth', 'workingDaysBefore'].includes(offset.unit)) problems.push(`${what}: unknown unit ${String(offset.unit)}`)
    if (offset.unit === 'dayOfFollowingMonth' && offset.amount > 31) problems.push(`${what}: no month has day ${offset.amount}`)
  }
  checkOffset(rule.offset, 'offset')
  if (rule.basis !== 'law' && rule.basis !== 'default') problems.push(`basis must be 'law' or 'default'`)
  if (!rule.source.hy.trim() || !rule.source.en.trim()) problems.push('source is needed in both languages')
  if (rule.extension) {
    checkOffset(rule.extension.maxOffset, 'extension')
    checkOffset(rule.extension.noticeBefore, 'extension notice')
    if (!Number.isSafeInteger(rule.extension.maxTimes) || rule.extension.maxTimes < 1) problems.push('extension: maxTimes must be at least 1')
  }
  if (rule.longerTerm) {
    checkOffset(rule.longerTerm.offset, 'longer term')
    checkOffset(rule.longerTerm.noticeWithin, 'longer term notice')
  }
  return problems
}

// ---------------------------------------------------------------------------------------------------------
// Computing a due date

export interface ComputeOptions {
  /** The reply date the triggering document sets (rules with documentDateWins only). */
  documentDueDate?: string
  /** Apply the rule's longer term (e.g. FOI_REPLY when extra work is needed). */
  longerTerm?: boolean
}

export interface ExplainedSkip extends SkippedDay {
  /** notCounted: passed over while counting working days; movedOver: the due date moved past it. */
  readonly effect: 'notCounted' | 'movedOver'
}

export interface DueDateExplanation {
  readonly ruleId: string
  readonly duty: LocalizedText
  readonly basis: Basis
  readonly source: LocalizedText
  readonly note: LocalizedText | null
  /** The event date the term runs from (for workingDaysBefore: the end counted back from). */
  readonly countedFrom: string
  /** The offset applied; null when the document's own date was used. */
  readonly offset: Offset | null
  readonly setByDocument: boolean
  readonly longerTerm: { readonly when: LocalizedText; readonly noticeDueDate: string } | null
  /** The date the offset gives, before any move off a non-working day. */
  readonly rawDueDate: string
  readonly dueDate: string
  readonly moved: 'later' | 'earlier' | null
  /** In date order. */
  readonly skipped: readonly ExplainedSkip[]
}

export interface ComputedDueDate {
  readonly dueDate: string
  readonly explanation: DueDateExplanation
}

function requireDate(date: string, what: string): void {
  if (!isIsoDate(date)) throw new RangeError(`${what} is not an ISO date (YYYY-MM-DD): ${String(date)}`)
}

function applyOffset(offset: Offset, from: string, calendar: WorkingCalendar): string {
  switch (offset.unit) {
    case 'workingDays':
      // 0 working days gives the event day itself; the general move below handles a non-working one.
      return offset.amount === 0 ? from : calendar.addWorkingDays(from, offset.amount)
    case 'workingDaysBefore':
      return offset.amount === 0 ? from : calendar.subtractWorkingDays(from, offset.amount)
    case 'calendarDays':
      return addCalendarDays(from, offset.amount)
    case 'months':
      return addMonths(from, offset.amount)
    case 'dayOfFollowingMonth':
      return dayOfFollowingMonth(from, offset.amount)
  }
}

function dayAfter(date: string): string {
  return addCalendarDays(date, 1)
}

function dayBefore(date: string): string {
  return addCalendarDays(date, -1)
}

function withEffect(days: SkippedDay[], effect: ExplainedSkip['effect']): ExplainedSkip[] {
  return days.map((day) => ({ ...day, effect }))
}

/** The date `offset` gives from `from`, moved forward to a working day, as the general rule requires. */
function dueAfter(offset: Offset, from: string, calendar: WorkingCalendar): string {
  return calendar.nextWorkingDayOnOrAfter(applyOffset(offset, from, calendar))
}

export function computeDueDate(rule: DeadlineRule, eventDate: string, calendar: WorkingCalendar, options: ComputeOptions = {}): ComputedDueDate {
  requireDate(eventDate, 'The event date')
  const problems = deadlineRuleProblems(rule)
  if (problems.length > 0) throw new RangeError(`Rule ${rule.id} is not usable: ${problems.join('; ')}`)

  let offset: Offset | null = rule.offset
  let longerTerm: DueDateExplanation['longerTerm'] = null
  let raw: string
  if (options.documentDueDate !== undefined) {
    if (!rule.documentDateWins) throw new RangeError(`Rule ${rule.id}: a date in the document does not set this deadline`)
    requireDate(options.documentDueDate, "The document's date")
    offset = null
    raw = options.documentDueDate
  } else {
    if (options.longerTerm) {
      if (!rule.longerTerm) throw new RangeError(`Rule ${rule.id} has no longer term`)
      offset = rule.longerTerm.offset
      longerTerm = { when: rule.longerTerm.when, noticeDueDate: dueAfter(rule.longerTerm.noticeWithin, eventDate, calendar) }
    }
    raw = applyOffset(offset, eventDate, calendar)
  }

  const skipped: ExplainedSkip[] = []
  if (offset?.unit === 'workingDays' && offset.amount > 0) {
    skipped.push(...withEffect(calendar.skippedBetween(dayAfter(eventDate), dayBefore(raw)), 'notCounted'))
  }
  if (offset?.unit === 'workingDaysBefore' && offset.amount > 0) {
    skipped.push(...withEffect(calendar.skippedBetween(dayAfter(raw), dayBefore(eventDate)), 'notCounted'))
  }

  let dueDate: string
  let moved: DueDateExplanation['moved'] = null
  if (offset?.unit === 'workingDaysBefore') {
    // Counting back over working days lands on a working day by itself; only "0 days before" a non-working
    // end can land on one. Then the date moves EARLIER, unlike every other rule: a report due before an end
    // that slid to the next working day would fall after the end it is meant to precede.
    dueDate = calendar.previousWorkingDayOnOrBefore(raw)
    if (dueDate !== raw) {
      moved = 'earlier'
      skipped.unshift(...withEffect(calendar.skippedBetween(dayAfter(dueDate), raw), 'movedOver'))
    }
  } else {
    dueDate = calendar.nextWorkingDayOnOrAfter(raw)
    if (dueDate !== raw) {
      moved = 'later'
      skipped.push(...withEffect(calendar.skippedBetween(raw, dayBefore(dueDate)), 'movedOver'))
    }
  }

  return {
    dueDate,
    explanation: {
      ruleId: rule.id,
      duty: rule.duty,
      basis: rule.basis,
      source: rule.source,
      note: rule.note ?? null,
      countedFrom: eventDate,
      offset,
      setByDocument: options.documentDueDate !== undefined,
      longerTerm,
      rawDueDate: raw,
      dueDate,
      moved,
      skipped,
    },
  }
}

// ---------------------------------------------------------------------------------------------------------
// Extension

export interface ExtensionWindow {
  /** The receipt date when given: no notice can precede it. */
  readonly from: string | null
  /** The last day the extension notice may be sent, inclusive. */
  readonly until: string
}

/**
 * The days on which an extension may be announced: from receipt up to the day that lies the rule's notice
 * period before the due date, inclusive (PETITION_REPLY: 3 working days before, counted like any term, so a
 * due date on a Friday gives the Tuesday before). Null when the rule allows no extension or the window is
 * empty.
 */
export function extensionWindow(rule: DeadlineRule, dueDate: string, calendar: WorkingCalendar, receivedOn?: string): ExtensionWindow | null {
  requireDate(dueDate, 'The due date')
  if (!rule.extension) return null
  const notice = rule.extension.noticeBefore
  const until =
    notice.unit === 'workingDays' ? calendar.subtractWorkingDays(dueDate, notice.amount) : addCalendarDays(dueDate, -notice.amount)
  if (receivedOn === undefined) return { from: null, until }
  requireDate(receivedOn, 'The receipt date')
  return receivedOn <= until ? { from: receivedOn, until } : null
}

export interface ExtensionRequest {
  /** The day the person is notified of the extension. */
  noticeDate: string
  /** How many times this deadline has already been extended. */
  timesExtended: number
  /** The new due date asked for; the longest the rule allows when absent. */
  newDueDate?: string
  receivedOn?: string
}

export type ExtensionRefusal = 'notExtendable' | 'alreadyExtended' | 'noticeTooLate' | 'noticeBeforeReceipt' | 'notLater' | 'beyondMaximum'

export type ExtensionResult =
  | {
      readonly ok: true
      readonly previousDueDate: string
      readonly dueDate: string
      readonly latestAllowed: string
      readonly timesExtended: number
      readonly noticeDate: string
      readonly skipped: readonly SkippedDay[]
    }
  | { readonly ok: false; readonly refusal: ExtensionRefusal; readonly latestNoticeDate: string | null }

/**
 * Extends `dueDate` once (as many times as the rule allows), by at most the rule's maximum counted from the
 * current due date; the new date, if it falls on a non-working day, moves to the next working day.
 */
export function extendDueDate(rule: DeadlineRule, dueDate: string, calendar: WorkingCalendar, request: ExtensionRequest): ExtensionResult {
  requireDate(dueDate, 'The due date')
  requireDate(request.noticeDate, 'The notice date')
  const extension = rule.extension
  if (!extension) return { ok: false, refusal: 'notExtendable', latestNoticeDate: null }
  const window = extensionWindow(rule, dueDate, calendar)
  const latestNoticeDate = window?.until ?? null
  if (request.timesExtended >= extension.maxTimes) return { ok: false, refusal: 'alreadyExtended', latestNoticeDate }
  if (request.receivedOn !== undefined) {
    requireDate(request.receivedOn, 'The receipt date')
    if (request.noticeDate < request.receivedOn) return { ok: false, refusal: 'noticeBeforeReceipt', latestNoticeDate }
  }
  if (latestNoticeDate === null || request.noticeDate > latestNoticeDate) return { ok: false, refusal: 'noticeTooLate', latestNoticeDate }

  const longest = applyOffset(extension.maxOffset, dueDate, calendar)
  const latestAllowed = calendar.nextWorkingDayOnOrAfter(longest)
  let raw = longest
  if (request.newDueDate !== undefined) {
    requireDate(request.newDueDate, 'The new due date')
    raw = request.newDueDate
  }
  const newDueDate = calendar.nextWorkingDayOnOrAfter(raw)
  if (newDueDate <= dueDate) return { ok: false, refusal: 'notLater', latestNoticeDate }
  if (newDueDate > latestAllowed) return { ok: false, refusal: 'beyondMaximum', latestNoticeDate }
  return {
    ok: true,
    previousDueDate: dueDate,
    dueDate: newDueDate,
    latestAllowed,
    timesExtended: request.timesExtended + 1,
    noticeDate: request.noticeDate,
    skipped: calendar.skippedBetween(raw, dayBefore(newDueDate)),
  }
}

// ---------------------------------------------------------------------------------------------------------
// Explanations in words

const WEEKDAYS: Record<Language, readonly string[]> = {
  hy: ['երկուշաբթի', 'երեքշաբթի', 'չորեքշաբթի', 'հինգշաբթի', 'ուրբաթ', 'շաբաթ', 'կիրակի'],
  en: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
}

/** "5 working days" / "5 աշխատանքային օր" (Armenian keeps the noun singular after a number). */
export function formatOffset(offset: Offset, lang: Language): string {
  const n = offset.amount
  if (lang === 'hy') {
    switch (offset.unit) {
      case 'workingDays':
        return `${n} աշխատանքային օր`
      case 'workingDaysBefore':
        return `${n} աշխատանքային օր առաջ`
      case 'calendarDays':
        return `${n} օրացուցային օր`
      case 'months':
        return `${n} ամիս`
      case 'dayOfFollowingMonth':
        return `հաջորդ ամսվա ${ordinalHy(n)} օրը`
    }
  }
  const plural = (word: string) => (n === 1 ? word : `${word}s`)
  switch (offset.unit) {
    case 'workingDays':
      return `${n} working ${plural('day')}`
    case 'workingDaysBefore':
      return `${n} working ${plural('day')} before`
    case 'calendarDays':
      return `${n} calendar ${plural('day')}`
    case 'months':
      return `${n} ${plural('month')}`
    case 'dayOfFollowingMonth':
      return `the ${ordinalEn(n)} day of the following month`
  }
}

function ordinalHy(n: number): string {
  return n === 1 ? '1-ին' : `${n}-րդ`
}

function ordinalEn(n: number): string {
  const lastTwo = n % 100
  if (lastTwo >= 11 && lastTwo <= 13) return `${n}th`
  return `${n}${{ 1: 'st', 2: 'nd', 3: 'rd' }[n % 10] ?? 'th'}`
}

/** Why a day is not working, in words. */
export function describeNonWorkingReason(reason: NonWorkingReason, lang: Language): string {
  switch (reason.kind) {
    case 'weekend':
      return WEEKDAYS[lang][reason.weekday === 'saturday' ? 5 : 6]
    case 'holiday':
      return reason.holiday.name[lang]
    case 'override':
      return reason.reason
  }
}

function dated(date: string, lang: Language): string {
  return `${formatDate(date)} (${WEEKDAYS[lang][isoWeekday(date) - 1]})`
}

function listSkipped(days: readonly SkippedDay[], lang: Language): string {
  return days.map((day) => `${formatDate(day.date)} (${describeNonWorkingReason(day.reason, lang)})`).join(', ')
}

function countingSentence(explanation: DueDateExplanation, lang: Language): string {
  const from = formatDate(explanation.countedFrom)
  const offset = explanation.offset
  if (offset === null) {
    const date = formatDate(explanation.rawDueDate)
    return lang === 'hy'
      ? `Կիրառվել է փաստաթղթում նշված ժամկետը՝ ${date}, կանխադրված ժամկետի փոխարեն։`
      : `The date set in the document itself, ${date}, is used instead of the default term.`
  }
  const amount = formatOffset(offset, lang)
  if (lang === 'hy') {
    switch (offset.unit) {
      case 'workingDays':
        return `Հաշվարկվել է ${from}-ին հաջորդող օրվանից՝ ${amount} (իրադարձության օրը չի հաշվվում)։`
      case 'calendarDays':
        return `Հաշվարկվել է ${from}-ին հաջորդող օրվանից՝ ${amount}։`
      case 'months':
        return `Հաշվարկվել է ${from}-ից՝ ${amount} (նույն ամսաթիվը, իսկ ավելի կարճ ամսում՝ դրա վերջին օրը)։`
      case 'dayOfFollowingMonth':
        return `Հաշվարկվել է որպես ${from}-ին հաջորդող ամսվա ${ordinalHy(offset.amount)} օր։`
      case 'workingDaysBefore':
        return `Հաշվարկվել է ${from}-ից ${amount} (այդ օրը չի հաշվվում)։`
    }
  }
  switch (offset.unit) {
    case 'workingDays':
      return `Counted ${amount} from the day after ${from} (the day of the event itself is not counted).`
    case 'calendarDays':
      return `Counted ${amount} from the day after ${from}.`
    case 'months':
      return `Counted ${amount} from ${from} (the same day of the month, or the last day of a shorter month).`
    case 'dayOfFollowingMonth':
      return `Set as the ${ordinalEn(offset.amount)} day of the month following ${from}.`
    case 'workingDaysBefore':
      return `Counted ${amount} ${from} (that day itself is not counted).`
  }
}

/** The explanation as sentences, in Armenian or English, for the due date's page and its tooltip. */
export function explainDueDateLines(explanation: DueDateExplanation, lang: Language): string[] {
  const lines: string[] = []
  const due = dated(explanation.dueDate, lang)
  lines.push(lang === 'hy' ? `${explanation.duty.hy}. ժամկետը՝ ${due}։` : `${explanation.duty.en}: due ${due}.`)
  lines.push(countingSentence(explanation, lang))

  if (explanation.longerTerm) {
    const notice = formatDate(explanation.longerTerm.noticeDueDate)
    lines.push(
      lang === 'hy'
        ? `Կիրառվել է ավելի երկար ժամկետը, քանի որ ${explanation.longerTerm.when.hy}. դիմողին պետք է ծանուցել մինչև ${notice}։`
        : `The longer term applies because ${explanation.longerTerm.when.en}; the requester must be notified by ${notice}.`,
    )
  }

  const notCounted = explanation.skipped.filter((day) => day.effect === 'notCounted')
  if (notCounted.length > 0) {
    const list = listSkipped(notCounted, lang)
    lines.push(lang === 'hy' ? `Չեն հաշվվել ոչ աշխատանքային օրերը՝ ${list}։` : `Non-working days not counted: ${list}.`)
  }

  const movedOver = explanation.skipped.filter((day) => day.effect === 'movedOver')
  if (explanation.moved) {
    const raw = formatDate(explanation.rawDueDate)
    const list = listSkipped(movedOver, lang)
    const dueDate = formatDate(explanation.dueDate)
    if (explanation.moved === 'later') {
      lines.push(
        lang === 'hy'
          ? `Հաշվարկված օրը՝ ${raw}, աշխատանքային չէ, ուստի ժամկետը տեղափոխվում է հաջորդ աշխատանքային օրը՝ ${dueDate}։ Բաց թողնված օրեր՝ ${list}։`
          : `The computed day, ${raw}, is not a working day, so the due date moves to the next working day, ${dueDate}. Skipped: ${list}.`,
      )
    } else {
      lines.push(
        lang === 'hy'
          ? `Հաշվարկված օրը՝ ${raw}, աշխատանքային չէ, ուստի ժամկետը տեղափոխվում է նախորդ աշխատանքային օրը՝ ${dueDate}, որպեսզի չանցնի ավարտից հետո։ Բաց թողնված օրեր՝ ${list}։`
          : `The computed day, ${raw}, is not a working day, so the due date moves to the previous working day, ${dueDate}, so as not to fall after the end. Skipped: ${list}.`,
      )
    }
  }

  if (explanation.basis === 'law') {
    lines.push(lang === 'hy' ? `Աղբյուր՝ ${explanation.source.hy}։` : `Source: ${explanation.source.en}.`)
  } else {
    lines.push(
      lang === 'hy'
        ? `Կանխադրված ժամկետ է, օրենքով սահմանված չէ։ Հիմք՝ ${explanation.source.hy}։`
        : `Default term, not from law. Basis: ${explanation.source.en}.`,
    )
  }
  if (explanation.note) lines.push(explanation.note[lang])
  return lines
}

export function explainDueDate(explanation: DueDateExplanation, lang: Language): string {
  return explainDueDateLines(explanation, lang).join(' ')
}
