/*
 * Mediation as data: the life of a case run on the service head's instruction, its outcomes and the ways it
 * stops early. Each code is stored in the database and shown through the locale key `mediation.<list>.<code>`.
 */

export const MEDIATION_STATUSES = ['INSTRUCTED', 'MEDIATOR_NAMED', 'IN_PROGRESS', 'CONCLUDED', 'REPORTED', 'DECLINED', 'ENDED'] as const
export type MediationStatus = (typeof MEDIATION_STATUSES)[number]

/** Still being run: a mediator may be (re)named, meetings recorded, the case concluded or stopped. */
export const OPEN_MEDIATION_STATUSES: readonly MediationStatus[] = ['INSTRUCTED', 'MEDIATOR_NAMED', 'IN_PROGRESS']
/** The report to the instructing authority is still owed: its due date counts. */
export const REPORT_OWED_STATUSES: readonly MediationStatus[] = [...OPEN_MEDIATION_STATUSES, 'CONCLUDED']

/** NOT_HELD: the mediation did not take place (a party refused or did not come); its reason is required. */
export const MEDIATION_OUTCOMES = ['AGREEMENT', 'NO_AGREEMENT', 'NOT_HELD'] as const
export type MediationOutcome = (typeof MEDIATION_OUTCOMES)[number]

/**
 * DECLINED: the Service does not take the instruction on (before any meeting). ENDED: the instruction was
 * withdrawn or the proceedings ended before the mediation concluded. Neither owes the outcome report.
 */
export const MEDIATION_END_KINDS = ['DECLINED', 'ENDED'] as const
export type MediationEndKind = (typeof MEDIATION_END_KINDS)[number]

export const MEDIATION_EVENTS = ['editInstruction', 'nameMediator', 'recordMeeting', 'conclude', 'report', 'decline', 'end'] as const
export type MediationEvent = (typeof MEDIATION_EVENTS)[number]

const TRANSITIONS: Readonly<Record<MediationStatus, Partial<Record<MediationEvent, MediationStatus>>>> = {
  INSTRUCTED: { editInstruction: 'INSTRUCTED', nameMediator: 'MEDIATOR_NAMED', decline: 'DECLINED', end: 'ENDED' },
  MEDIATOR_NAMED: { editInstruction: 'MEDIATOR_NAMED', nameMediator: 'MEDIATOR_NAMED', recordMeeting: 'IN_PROGRESS', conclude: 'CONCLUDED', decline: 'DECLINED', end: 'ENDED' },
  IN_PROGRESS: { editInstruction: 'IN_PROGRESS', nameMediator: 'IN_PROGRESS', recordMeeting: 'IN_PROGRESS', conclude: 'CONCLUDED', end: 'ENDED' },
  CONCLUDED: { report: 'REPORTED' },
  REPORTED: {},
  DECLINED: {},
  ENDED: {},
}

/** The status after the event, or null when the event does not apply in that status. */
export function nextMediationStatus(status: MediationStatus, event: MediationEvent): MediationStatus | null {
  return TRANSITIONS[status][event] ?? null
}

/** An agreement or a failed attempt needs at least one meeting; "not held" needs none. */
export function outcomeNeedsMeeting(outcome: MediationOutcome): boolean {
  return outcome !== 'NOT_HELD'
}

/** Case numbers: region prefix, ՀՇ (հաշտարարություն), year and a gapless sequence, e.g. ԼՌ-ՀՇ-2030-0001. */
export function mediationNumber(prefix: string, year: number, sequence: number): string {
  return `${prefix}-ՀՇ-${year}-${String(sequence).padStart(4, '0')}`
}
