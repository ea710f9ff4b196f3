/*
 * Violations and the enforcement action each calls for, as data. The action is what the rule proposes;
 * the regional head decides (docs/rules.md: VIOLATION_ACTION, a default of 10 working days, not law).
 */
export const VIOLATION_KINDS = ['MISSED_REPORT', 'FAILED_TO_WORK', 'BREACH_OF_OBLIGATION', 'NEW_OFFENCE', 'MONITORING_ALERT'] as const
export type ViolationKind = (typeof VIOLATION_KINDS)[number]

export const ENFORCEMENT_ACTIONS = ['WARNING', 'WRITTEN_WARNING', 'SUBMISSION_TO_COURT'] as const
export type EnforcementAction = (typeof ENFORCEMENT_ACTIONS)[number]

/** What each kind of violation calls for when it is the first; each earlier one escalates a step. */
const FIRST_ACTION: Readonly<Record<ViolationKind, EnforcementAction>> = {
  MISSED_REPORT: 'WARNING',
  FAILED_TO_WORK: 'WRITTEN_WARNING',
  BREACH_OF_OBLIGATION: 'WRITTEN_WARNING',
  NEW_OFFENCE: 'SUBMISSION_TO_COURT',
  MONITORING_ALERT: 'WARNING',
}

export function actionDue(kind: ViolationKind, earlierViolationsOnMeasure: number): EnforcementAction {
  const first = ENFORCEMENT_ACTIONS.indexOf(FIRST_ACTION[kind])
  return ENFORCEMENT_ACTIONS[Math.min(first + earlierViolationsOnMeasure, ENFORCEMENT_ACTIONS.length - 1)]
}

/** What the head decided. */
export const VIOLATION_OUTCOMES = ['WARNING_GIVEN', 'WRITTEN_WARNING_GIVEN', 'SUBMITTED_TO_COURT', 'NO_ACTION'] as const
export type ViolationOutcome = (typeof VIOLATION_OUTCOMES)[number]
