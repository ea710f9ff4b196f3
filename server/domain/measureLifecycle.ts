/*
 * The life of one measure in the regional body, as a state machine held in data: a court act is received,
 * registered, executed (with suspensions), then completed or ended for a reason. The transitions, their
 * required inputs and their guards are tables; the two functions below only read them, so the rules page and
 * the execution screens offer exactly what applyTransition will accept.
 */
import { isIsoDate } from './calendar'
import { isMeasureCode, measureType, type CompletionCondition, type MeasureCode } from './measureCatalogue'

export const LIFECYCLE_STATES = ['received', 'registered', 'in_execution', 'suspended', 'completed', 'ended'] as const
export type LifecycleState = (typeof LIFECYCLE_STATES)[number]
/** A measure being executed (or about to be): payments and violations are recorded against it. */
export const OPEN_MEASURE_STATES: readonly string[] = ['registered', 'in_execution', 'suspended']

export const LIFECYCLE_ACTIONS = ['register', 'start', 'suspend', 'resume', 'complete', 'end'] as const
export type LifecycleAction = (typeof LIFECYCLE_ACTIONS)[number]

export const TERMINAL_STATES: readonly LifecycleState[] = Object.freeze(['completed', 'ended'] as const)

/*
 * courtAct: when the end must cite the court act that ordered it. 'whenEarly' means before the measure's end
 * date: a term that simply runs out needs no act. A pardon rests on a decree and an amnesty on a law, a death
 * on its record, so neither cites a court act.
 */
export const END_REASONS = {
  revoked: { courtAct: 'always' },
  replaced: { courtAct: 'always' },
  converted: { courtAct: 'always' },
  pardon_or_amnesty: { courtAct: 'never' },
  death: { courtAct: 'never' },
  other: { courtAct: 'whenEarly' },
} as const satisfies Record<string, { courtAct: 'always' | 'whenEarly' | 'never' }>

export type EndReason = keyof typeof END_REASONS
export const END_REASON_CODES: readonly EndReason[] = Object.freeze(Object.keys(END_REASONS) as EndReason[])

/** Inputs a transition always needs; the court act reference depends on the end reason (END_REASONS). */
export type TransitionInputName = 'date' | 'reason' | 'endReason'

/** Guards are named after the measure's completion condition and apply only to measures that have it. */
export type GuardName = Exclude<CompletionCondition, 'none'>

export interface Transition {
  readonly from: LifecycleState
  readonly action: LifecycleAction
  readonly to: LifecycleState
  readonly inputs: readonly TransitionInputName[]
  readonly guards: readonly GuardName[]
}

export const TRANSITIONS: readonly Transition[] = [
  { from: 'received', action: 'register', to: 'registered', inputs: ['date'], guards: [] },
  { from: 'registered', action: 'start', to: 'in_execution', inputs: ['date'], guards: [] },
  { from: 'in_execution', action: 'suspend', to: 'suspended', inputs: ['date', 'reason'], guards: [] },
  { from: 'suspended', action: 'resume', to: 'in_execution', inputs: ['date'], guards: [] },
  { from: 'in_execution', action: 'complete', to: 'completed', inputs: ['date'], guards: ['fineSettled', 'hoursWorked', 'endDateReached'] },
  // An act is registered before anything else happens to it, so even one revoked at once is first registered.
  { from: 'registered', action: 'end', to: 'ended', inputs: ['date', 'reason', 'endReason'], guards: [] },
  { from: 'in_execution', action: 'end', to: 'ended', inputs: ['date', 'reason', 'endReason'], guards: [] },
  { from: 'suspended', action: 'end', to: 'ended', inputs: ['date', 'reason', 'endReason'], guards: [] },
]

/** What the caller knows about the measure when it asks; absent means unknown, never zero. */
export interface LifecycleFacts {
  /** Public works hours ordered and not yet worked. */
  readonly hoursOutstanding?: number
  /** A court act lets public works end with hours outstanding. */
  readonly courtActAllowsEarlyCompletion?: boolean
  /** Fine still unpaid, in AMD. */
  readonly fineBalanceAmd?: number
  /** A court act converted the unpaid balance into public works or wrote it off. */
  readonly courtActSettlesFineBalance?: boolean
  /** Last day of the probation period or of the term, ISO. */
  readonly endDate?: string
  /** Today in Yerevan, ISO: passed in so the rules stay pure. */
  readonly today?: string
}

export interface TransitionInput {
  /** When it happened, ISO. */
  readonly date?: string
  readonly reason?: string
  readonly endReason?: string
  readonly courtActReference?: string
}

export const REFUSAL_REASONS = [
  'UNKNOWN_MEASURE',
  'TERMINAL_STATE',
  'ACTION_NOT_ALLOWED',
  'FACTS_MISSING',
  'HOURS_OUTSTANDING',
  'FINE_BALANCE_OUTSTANDING',
  'END_DATE_NOT_REACHED',
  'DATE_REQUIRED',
  'DATE_INVALID',
  'DATE_IN_FUTURE',
  'REASON_REQUIRED',
  'END_REASON_REQUIRED',
  'END_REASON_UNKNOWN',
  'COURT_ACT_REQUIRED',
] as const
export type RefusalReason = (typeof REFUSAL_REASONS)[number]

export type TransitionResult = { readonly ok: true; readonly to: LifecycleState } | { readonly ok: false; readonly reason: RefusalReason }

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value)
}

export const GUARDS: Readonly<Record<GuardName, (facts: LifecycleFacts) => RefusalReason | null>> = {
  hoursWorked: (facts) => {
    if (facts.courtActAllowsEarlyCompletion === true) return null
    if (!isCount(facts.hoursOutstanding)) return 'FACTS_MISSING'
    return facts.hoursOutstanding > 0 ? 'HOURS_OUTSTANDING' : null
  },
  fineSettled: (facts) => {
    if (facts.courtActSettlesFineBalance === true) return null
    if (!isCount(facts.fineBalanceAmd)) return 'FACTS_MISSING'
    return facts.fineBalanceAmd > 0 ? 'FINE_BALANCE_OUTSTANDING' : null
  },
  endDateReached: (facts) => {
    if (!isIsoDate(facts.endDate) || !isIsoDate(facts.today)) return 'FACTS_MISSING'
    return facts.today < facts.endDate ? 'END_DATE_NOT_REACHED' : null
  },
}

for (const transition of TRANSITIONS) {
  Object.freeze(transition.inputs)
  Object.freeze(transition.guards)
  Object.freeze(transition)
}
Object.freeze(TRANSITIONS)
Object.freeze(GUARDS)
for (const rule of Object.values(END_REASONS)) Object.freeze(rule)
Object.freeze(END_REASONS)

export function isTerminal(state: LifecycleState): boolean {
  return TERMINAL_STATES.includes(state)
}

function guardRefusal(transition: Transition, measureCode: MeasureCode, facts: LifecycleFacts): RefusalReason | null {
  const { completion } = measureType(measureCode)
  for (const guard of transition.guards) {
    if (guard !== completion) continue
    const refusal = GUARDS[guard](facts)
    if (refusal) return refusal
  }
  return null
}

/** The transitions an officer may take now: those from `state` whose guards the facts satisfy. */
export function availableTransitions(state: LifecycleState, measureCode: MeasureCode, facts: LifecycleFacts): Transition[] {
  if (!isMeasureCode(measureCode)) return []
  return TRANSITIONS.filter((transition) => transition.from === state && guardRefusal(transition, measureCode, facts) === null)
}

function isGiven(text: string | undefined): boolean {
  return typeof text === 'string' && text.trim() !== ''
}

function isEndReason(value: unknown): value is EndReason {
  return typeof value === 'string' && Object.hasOwn(END_REASONS, value)
}

function inputRefusal(transition: Transition, input: TransitionInput, measureCode: MeasureCode, facts: LifecycleFacts): RefusalReason | null {
  if (transition.inputs.includes('date')) {
    if (!isGiven(input.date)) return 'DATE_REQUIRED'
    if (!isIsoDate(input.date)) return 'DATE_INVALID'
    if (isIsoDate(facts.today) && input.date > facts.today) return 'DATE_IN_FUTURE'
    // The guard looked at today; a completion may not be dated back before the end either.
    const completesAtEnd = transition.action === 'complete' && measureType(measureCode).completion === 'endDateReached'
    if (completesAtEnd && isIsoDate(facts.endDate) && input.date < facts.endDate) return 'END_DATE_NOT_REACHED'
  }
  if (transition.inputs.includes('reason') && !isGiven(input.reason)) return 'REASON_REQUIRED'
  if (transition.inputs.includes('endReason')) {
    if (!isGiven(input.endReason)) return 'END_REASON_REQUIRED'
    if (!isEndReason(input.endReason)) return 'END_REASON_UNKNOWN'
    const { courtAct } = END_REASONS[input.endReason]
    const early = isIsoDate(facts.endDate) && isIsoDate(input.date) && input.date < facts.endDate
    if ((courtAct === 'always' || (courtAct === 'whenEarly' && early)) && !isGiven(input.courtActReference)) return 'COURT_ACT_REQUIRED'
  }
  return null
}

/**
 * Takes `action` from `state` if the tables allow it: the state it leads to, or the first reason it is
 * refused, in this order: the state, the action, the guards, then the inputs.
 */
export function applyTransition(
  state: LifecycleState,
  action: LifecycleAction,
  input: TransitionInput,
  measureCode: MeasureCode,
  facts: LifecycleFacts,
): TransitionResult {
  if (!isMeasureCode(measureCode)) return { ok: false, reason: 'UNKNOWN_MEASURE' }
  if (isTerminal(state)) return { ok: false, reason: 'TERMINAL_STATE' }
  const transition = TRANSITIONS.find((candidate) => candidate.from === state && candidate.action === action)
  if (!transition) return { ok: false, reason: 'ACTION_NOT_ALLOWED' }
  const refusal = guardRefusal(transition, measureCode, facts) ?? inputRefusal(transition, input ?? {}, measureCode, facts)
  return refusal ? { ok: false, reason: refusal } : { ok: true, to: transition.to }
}
