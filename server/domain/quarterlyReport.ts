/*
 * The regional body's quarterly report (եռամսյակային հաշվետվություն) as data: the figures it gives (how each is
 * counted lives in services/quarterlyReports.ts), the breakdowns they are split by, quarter arithmetic, the life of
 * a report version (prepared, submitted, accepted with a grade or returned) and which figures the national roll-up
 * reads. Labels are the locale keys `quarterly.section.<code>` and `quarterly.figure.<code>`.
 */
import { addCalendarDays, daysInMonth } from './calendar'
import { BENEFICIARY_CATEGORIES } from './beneficiaryCatalogue'
import { MEASURE_CODES } from './measureCatalogue'
import { VIOLATION_KINDS } from './violations'
import { INCOMING_KIND_CODES, TOPICS } from './correspondence'
import { MEDIATION_OUTCOMES } from './mediation'

// ---------------------------------------------------------------------------------------------------------
// Quarters

export type QuarterNumber = 1 | 2 | 3 | 4

export interface Quarter {
  readonly year: number
  readonly quarter: QuarterNumber
}

/** Reports are kept from the Service's first year in the system to well past any plausible use. */
export const FIRST_REPORT_YEAR = 2020
export const LAST_REPORT_YEAR = 2100

export function isQuarter(year: number, quarter: number): boolean {
  return Number.isSafeInteger(year) && year >= FIRST_REPORT_YEAR && year <= LAST_REPORT_YEAR && [1, 2, 3, 4].includes(quarter)
}

/** The first and last day of a quarter, ISO. */
export function quarterPeriod({ year, quarter }: Quarter): { from: string; to: string } {
  const firstMonth = (quarter - 1) * 3 + 1
  const lastMonth = firstMonth + 2
  const pad = (n: number) => String(n).padStart(2, '0')
  return { from: `${year}-${pad(firstMonth)}-01`, to: `${year}-${pad(lastMonth)}-${pad(daysInMonth(year, lastMonth))}` }
}

export function previousQuarter({ year, quarter }: Quarter): Quarter {
  return quarter === 1 ? { year: year - 1, quarter: 4 } : { year, quarter: (quarter - 1) as QuarterNumber }
}

export function quarterOf(date: string): Quarter {
  return { year: Number(date.slice(0, 4)), quarter: Math.ceil(Number(date.slice(5, 7)) / 3) as QuarterNumber }
}

/** The quarter whose report is due next on `today`: the one before today's quarter. */
export function quarterToReport(today: string): Quarter {
  return previousQuarter(quarterOf(today))
}

/** A quarter's report can be submitted from the day after its last day. */
export function quarterHasEnded(quarter: Quarter, today: string): boolean {
  return today > quarterPeriod(quarter).to
}

/** The first day of each month of the quarter, with the first day of the month after it (exclusive end). */
export function monthsOf(quarter: Quarter): { from: string; until: string }[] {
  const { from, to } = quarterPeriod(quarter)
  const starts = [0, 1, 2].map((i) => `${from.slice(0, 5)}${String(Number(from.slice(5, 7)) + i).padStart(2, '0')}-01`)
  return starts.map((start, i) => ({ from: start, until: starts[i + 1] ?? addCalendarDays(to, 1) }))
}

/** The last `count` quarters up to and including `latest`, newest first. */
export function recentQuarters(latest: Quarter, count: number): Quarter[] {
  const quarters: Quarter[] = [latest]
  while (quarters.length < count) quarters.push(previousQuarter(quarters[quarters.length - 1]))
  return quarters
}

// ---------------------------------------------------------------------------------------------------------
// Figures

export const REPORT_SECTIONS = ['caseload', 'measures', 'publicWorks', 'fines', 'violations', 'assessmentsAndPlans', 'contacts', 'activities', 'correspondence', 'complaints', 'mediation'] as const
export type ReportSection = (typeof REPORT_SECTIONS)[number]

/** What a figure's drill-down lists: the records counted (or summed) to make it. */
export const RECORD_KINDS = ['beneficiary', 'measure', 'workSession', 'finePayment', 'violation', 'assessment', 'plan', 'deadline', 'appointment', 'activityEvent', 'participation', 'incomingItem', 'mediationCase'] as const
export type RecordKind = (typeof RECORD_KINDS)[number]

export type FigureUnit = 'count' | 'hours' | 'amd'

/** The closed lists a figure may be split by; each key is shown through its own catalogue's label. */
export const BREAKDOWNS = {
  category: BENEFICIARY_CATEGORIES,
  measureType: MEASURE_CODES,
  violationKind: VIOLATION_KINDS,
  incomingKind: INCOMING_KIND_CODES,
  topic: TOPICS,
  mediationOutcome: MEDIATION_OUTCOMES,
} as const satisfies Record<string, readonly string[]>
export type Breakdown = keyof typeof BREAKDOWNS

export interface FigureDefinition {
  readonly code: string
  readonly section: ReportSection
  readonly unit: FigureUnit
  readonly records: RecordKind
  readonly breakdown?: Breakdown
}

/*
 * In the order the report gives them. Every figure counts records of its region dated within the quarter, except
 * the caseload at the start and end (a state on a day) and the open overdue correspondence (judged on the day the
 * figures are computed: the submission day for a submitted report).
 */
export const FIGURES = [
  { code: 'caseloadAtStart', section: 'caseload', unit: 'count', records: 'beneficiary' },
  { code: 'caseloadAtEnd', section: 'caseload', unit: 'count', records: 'beneficiary' },
  { code: 'newBeneficiaries', section: 'caseload', unit: 'count', records: 'beneficiary', breakdown: 'category' },
  { code: 'closedBeneficiaries', section: 'caseload', unit: 'count', records: 'beneficiary', breakdown: 'category' },
  { code: 'newMeasures', section: 'measures', unit: 'count', records: 'measure', breakdown: 'measureType' },
  { code: 'endedMeasures', section: 'measures', unit: 'count', records: 'measure', breakdown: 'measureType' },
  { code: 'publicWorksHoursOrdered', section: 'publicWorks', unit: 'hours', records: 'measure' },
  { code: 'publicWorksHoursWorked', section: 'publicWorks', unit: 'hours', records: 'workSession' },
  { code: 'finesImposed', section: 'fines', unit: 'count', records: 'measure' },
  { code: 'finesImposedAmd', section: 'fines', unit: 'amd', records: 'measure' },
  { code: 'finesPaidAmd', section: 'fines', unit: 'amd', records: 'finePayment' },
  { code: 'violationsRecorded', section: 'violations', unit: 'count', records: 'violation', breakdown: 'violationKind' },
  { code: 'submissionsToCourt', section: 'violations', unit: 'count', records: 'violation' },
  { code: 'assessmentsCompleted', section: 'assessmentsAndPlans', unit: 'count', records: 'assessment' },
  { code: 'assessmentsDue', section: 'assessmentsAndPlans', unit: 'count', records: 'deadline' },
  { code: 'assessmentsOnTime', section: 'assessmentsAndPlans', unit: 'count', records: 'deadline' },
  { code: 'plansApproved', section: 'assessmentsAndPlans', unit: 'count', records: 'plan' },
  { code: 'plansDue', section: 'assessmentsAndPlans', unit: 'count', records: 'deadline' },
  { code: 'plansOnTime', section: 'assessmentsAndPlans', unit: 'count', records: 'deadline' },
  { code: 'contactsRequired', section: 'contacts', unit: 'count', records: 'beneficiary' },
  { code: 'contactsHeld', section: 'contacts', unit: 'count', records: 'appointment' },
  { code: 'peopleMeetingStandard', section: 'contacts', unit: 'count', records: 'beneficiary' },
  { code: 'peopleBelowStandard', section: 'contacts', unit: 'count', records: 'beneficiary' },
  { code: 'activityEvents', section: 'activities', unit: 'count', records: 'activityEvent' },
  { code: 'activityInvitations', section: 'activities', unit: 'count', records: 'participation' },
  { code: 'activityAttendances', section: 'activities', unit: 'count', records: 'participation' },
  { code: 'activityPeople', section: 'activities', unit: 'count', records: 'beneficiary' },
  { code: 'correspondenceReceived', section: 'correspondence', unit: 'count', records: 'incomingItem', breakdown: 'incomingKind' },
  { code: 'correspondenceAnsweredOnTime', section: 'correspondence', unit: 'count', records: 'incomingItem', breakdown: 'incomingKind' },
  { code: 'correspondenceAnsweredLate', section: 'correspondence', unit: 'count', records: 'incomingItem', breakdown: 'incomingKind' },
  { code: 'correspondenceOpenOverdue', section: 'correspondence', unit: 'count', records: 'incomingItem', breakdown: 'incomingKind' },
  { code: 'complaintsReceived', section: 'complaints', unit: 'count', records: 'incomingItem', breakdown: 'topic' },
  { code: 'mediationInstructed', section: 'mediation', unit: 'count', records: 'mediationCase' },
  { code: 'mediationConcluded', section: 'mediation', unit: 'count', records: 'mediationCase', breakdown: 'mediationOutcome' },
  { code: 'mediationReportsSent', section: 'mediation', unit: 'count', records: 'mediationCase' },
  { code: 'mediationReportsOnTime', section: 'mediation', unit: 'count', records: 'mediationCase' },
  { code: 'mediationStopped', section: 'mediation', unit: 'count', records: 'mediationCase' },
] as const satisfies readonly FigureDefinition[]

export type FigureCode = (typeof FIGURES)[number]['code']
export const FIGURE_CODES: readonly FigureCode[] = FIGURES.map((figure) => figure.code)

export function figureDefinition(code: string): FigureDefinition | undefined {
  return (FIGURES as readonly FigureDefinition[]).find((figure) => figure.code === code)
}

export function isFigureCode(code: unknown): code is FigureCode {
  return typeof code === 'string' && (FIGURE_CODES as readonly string[]).includes(code)
}

export function figuresOf(section: ReportSection): FigureDefinition[] {
  return (FIGURES as readonly FigureDefinition[]).filter((figure) => figure.section === section)
}

/** Deadline rules whose due dates judge "assessments done on time" and "plans done on time". */
export const ASSESSMENT_DEADLINE_RULES = ['INITIAL_ASSESSMENT', 'REASSESSMENT', 'REASSESSMENT_AFTER_VIOLATION'] as const
export const PLAN_DEADLINE_RULES = ['PLAN_AFTER_ASSESSMENT', 'PLAN_REVIEW'] as const

/** One figure: its value and, when computed for a drill-down, the ids of the records behind it (and behind each part). */
export interface FigureValue {
  value: number
  ids: number[] | null
  /** Only the breakdown keys that have records; a key absent here is zero. */
  parts: Record<string, { value: number; ids: number[] | null }>
}

export type FigureSet = Record<FigureCode, FigureValue>

export function emptyFigureSet(): FigureSet {
  return Object.fromEntries(FIGURE_CODES.map((code) => [code, { value: 0, ids: null, parts: {} }])) as FigureSet
}

/** What a submitted version keeps: the values (small, read by the roll-up) apart from the ids (read by drill-downs). */
export interface Snapshot {
  figures: Record<string, { value: number; parts: Record<string, number> }>
  recordIds: Record<string, { ids: number[]; parts: Record<string, number[]> }>
}

export function toSnapshot(set: FigureSet): Snapshot {
  const figures: Snapshot['figures'] = {}
  const recordIds: Snapshot['recordIds'] = {}
  for (const code of FIGURE_CODES) {
    const figure = set[code]
    figures[code] = { value: figure.value, parts: Object.fromEntries(Object.entries(figure.parts).map(([key, part]) => [key, part.value])) }
    recordIds[code] = { ids: figure.ids ?? [], parts: Object.fromEntries(Object.entries(figure.parts).map(([key, part]) => [key, part.ids ?? []])) }
  }
  return { figures, recordIds }
}

/** A stored snapshot back as a figure set; ids are null when only the values were read. */
export function fromSnapshot(figures: Snapshot['figures'], recordIds: Snapshot['recordIds'] | null): FigureSet {
  const set = emptyFigureSet()
  for (const code of FIGURE_CODES) {
    const stored = figures[code]
    if (!stored) continue
    const ids = recordIds?.[code]
    set[code] = {
      value: stored.value,
      ids: ids?.ids ?? null,
      parts: Object.fromEntries(Object.entries(stored.parts).map(([key, value]) => [key, { value, ids: ids?.parts[key] ?? null }])),
    }
  }
  return set
}

/** Whole percent of `part` in `whole`, or null when there is nothing to divide. */
export function percentOf(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((100 * part) / whole) : null
}

/** The change from the previous quarter, or null when the previous quarter has no figure. */
export function changeFrom(current: number, previous: number | null | undefined): number | null {
  return previous === null || previous === undefined ? null : Math.round((current - previous) * 10) / 10
}

// ---------------------------------------------------------------------------------------------------------
// The life of a report

export const REPORT_STATUSES = ['DRAFT', 'SUBMITTED', 'ACCEPTED', 'RETURNED'] as const
export type ReportStatus = (typeof REPORT_STATUSES)[number]
/** At most one version of a quarter's report is open at a time. */
export const OPEN_REPORT_STATUSES: readonly ReportStatus[] = ['DRAFT', 'SUBMITTED']

export const GRADES = ['SATISFACTORY', 'GOOD', 'EXCELLENT'] as const
export type Grade = (typeof GRADES)[number]

export const DECISIONS = ['accept', 'return'] as const
export type Decision = (typeof DECISIONS)[number]

export interface VersionFacts {
  readonly versionNumber: number
  readonly status: ReportStatus
}

/**
 * What preparing (saving the narrative or submitting) does given the quarter's latest version: start version 1,
 * work on the open draft, start the next version after a return, or refuse while the service head decides or
 * once the report is accepted.
 */
export type PreparationStep = { kind: 'create'; versionNumber: number } | { kind: 'update'; versionNumber: number } | { kind: 'refused'; reason: 'awaitingDecision' | 'accepted' }

export function preparationStep(latest: VersionFacts | null): PreparationStep {
  if (latest === null) return { kind: 'create', versionNumber: 1 }
  switch (latest.status) {
    case 'DRAFT':
      return { kind: 'update', versionNumber: latest.versionNumber }
    case 'RETURNED':
      return { kind: 'create', versionNumber: latest.versionNumber + 1 }
    case 'SUBMITTED':
      return { kind: 'refused', reason: 'awaitingDecision' }
    case 'ACCEPTED':
      return { kind: 'refused', reason: 'accepted' }
  }
}

/** Submitted after its due date (the day of submission in Yerevan against the QUARTERLY_REPORT due date). */
export function submittedLate(version: { submittedOn: string | null; dueDate: string }): boolean {
  return version.submittedOn !== null && version.submittedOn > version.dueDate
}

export type SubmissionProblem = 'quarterNotEnded' | 'problemsMissing' | 'proposalsMissing'

/** A report covers a whole quarter and says what went wrong and what is proposed. */
export function submissionProblems(input: { quarter: Quarter; today: string; problems: string | null; proposals: string | null }): SubmissionProblem[] {
  const problems: SubmissionProblem[] = []
  if (!quarterHasEnded(input.quarter, input.today)) problems.push('quarterNotEnded')
  if (!input.problems?.trim()) problems.push('problemsMissing')
  if (!input.proposals?.trim()) problems.push('proposalsMissing')
  return problems
}

/** The service head decides only a submitted version; accepting grades the region's work, returning does not. */
export function decisionOutcome(status: ReportStatus, decision: Decision, grade: Grade | null): { ok: true; status: ReportStatus; grade: Grade | null } | { ok: false; reason: 'notSubmitted' | 'gradeMissing' } {
  if (status !== 'SUBMITTED') return { ok: false, reason: 'notSubmitted' }
  if (decision === 'return') return { ok: true, status: 'RETURNED', grade: null }
  return grade === null ? { ok: false, reason: 'gradeMissing' } : { ok: true, status: 'ACCEPTED', grade }
}

export type RollupSource = 'accepted' | 'submitted' | 'live'

/**
 * Which figures the roll-up shows for a region's quarter: the accepted version's snapshot; else the one awaiting a
 * decision; else the figures computed now from the records (no report yet, a draft, or only returned versions).
 */
export function rollupSource<T extends VersionFacts>(versions: readonly T[]): { source: RollupSource; version: T | null } {
  const accepted = versions.find((version) => version.status === 'ACCEPTED')
  if (accepted) return { source: 'accepted', version: accepted }
  const submitted = versions.find((version) => version.status === 'SUBMITTED')
  if (submitted) return { source: 'submitted', version: submitted }
  return { source: 'live', version: null }
}
