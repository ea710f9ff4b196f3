/*
 * Correspondence as data: the incoming register's channels and kinds, the deadline rule each kind runs on,
 * the life of an item and of an outgoing letter, complaint topics and the report checklist. Each code is
 * stored in the database and shown through the locale key `<list>.<code>`.
 */
import type { DeadlineRuleId } from './deadlineRules'

export const CHANNELS = ['POST', 'IN_PERSON', 'OFFICIAL_EMAIL', 'E_GOVERNMENT', 'SOCIAL_NETWORK', 'PHONE'] as const
export type Channel = (typeof CHANNELS)[number]

export interface IncomingKind {
  readonly code: string
  /** The deadline rule the reply runs on. */
  readonly rule: DeadlineRuleId
  /** Carries a complaint/inquiry topic for the quarterly summary. */
  readonly hasTopic: boolean
  /** A complaint: whom it concerns is recorded. */
  readonly isComplaint: boolean
  /** Opens a task with a checklist, sections and the head's approval before the reply goes out. */
  readonly task: 'REPORT' | 'PARDON' | null
  /** May ask for a report on a person (a report task is opened when the registrar says so). */
  readonly mayRequestReport: boolean
}

const OFFICIAL = { rule: 'OFFICIAL_LETTER_REPLY', hasTopic: false, isComplaint: false, task: null, mayRequestReport: true } as const
const PETITION = { rule: 'PETITION_REPLY', hasTopic: true, isComplaint: false, task: null, mayRequestReport: false } as const

export const INCOMING_KINDS = [
  { code: 'STATE_BODY_LETTER', ...OFFICIAL },
  { code: 'UNIT_REQUEST', ...OFFICIAL },
  { code: 'COURT_LETTER', ...OFFICIAL },
  { code: 'CITIZEN_APPLICATION', ...PETITION },
  { code: 'BENEFICIARY_APPLICATION', ...PETITION },
  { code: 'COMPLAINT', ...PETITION, isComplaint: true },
  // Inquiries through social networks and official e-mail are petitions in electronic form (Law on Petitions).
  { code: 'SOCIAL_MEDIA_INQUIRY', ...PETITION },
  { code: 'EMAIL_INQUIRY', ...PETITION },
  { code: 'INFORMATION_REQUEST', rule: 'FOI_REPLY', hasTopic: true, isComplaint: false, task: null, mayRequestReport: false },
  { code: 'PARDON_PETITION', rule: 'PARDON_PETITION_FORWARD', hasTopic: false, isComplaint: false, task: 'PARDON', mayRequestReport: false },
] as const satisfies readonly IncomingKind[]

export type IncomingKindCode = (typeof INCOMING_KINDS)[number]['code']
export const INCOMING_KIND_CODES = INCOMING_KINDS.map((kind) => kind.code) as IncomingKindCode[]

export function incomingKind(code: IncomingKindCode): IncomingKind {
  return INCOMING_KINDS.find((kind) => kind.code === code)!
}

/**
 * The deadline rule an incoming item runs on: its kind's, except a request for a report on conduct for early release
 * or replacement of the punishment that sets no date of its own, which is due within 5 working days of the notice
 * (Order of the Minister of Justice No. 336-L, para. 11: EARLY_RELEASE_REPORT_FILE), not the 10 of an official letter.
 * A date the requester sets stands, as for any official letter.
 */
export function replyRuleOf(kind: IncomingKind, request: { reportRequested: boolean; reportPurpose: string | null; documentDueDate: string | null }): DeadlineRuleId {
  const earlyRelease = request.reportPurpose === 'EARLY_RELEASE' || request.reportPurpose === 'REPLACEMENT'
  if (kind.mayRequestReport && request.reportRequested && earlyRelease && !request.documentDueDate) return 'EARLY_RELEASE_REPORT_FILE'
  return kind.rule
}

export function isIncomingKind(code: unknown): code is IncomingKindCode {
  return typeof code === 'string' && (INCOMING_KIND_CODES as string[]).includes(code)
}

/** Complaint and inquiry topics, summarised each quarter so the head can propose improvements. */
export const TOPICS = [
  'STAFF_CONDUCT',
  'SUPERVISION_CONDITIONS',
  'PUBLIC_WORKS',
  'FINES',
  'ELECTRONIC_MONITORING',
  'CERTIFICATES_AND_DOCUMENTS',
  'EMPLOYMENT_AND_SOCIAL_SUPPORT',
  'DELAYS',
  'ACCESS_TO_INFORMATION',
  'OTHER',
] as const
export type Topic = (typeof TOPICS)[number]

/** Whom a complaint is about. */
export const COMPLAINT_SUBJECTS = ['STAFF_MEMBER', 'REGIONAL_BODY', 'SERVICE', 'OTHER_BODY'] as const
export type ComplaintSubject = (typeof COMPLAINT_SUBJECTS)[number]

// ---------------------------------------------------------------------------------------------------------
// The life of an incoming item

export const ITEM_STATUSES = ['REGISTERED', 'ASSIGNED', 'IN_PROGRESS', 'REPLY_DRAFTED', 'SIGNED', 'SENT', 'CLOSED'] as const
export type ItemStatus = (typeof ITEM_STATUSES)[number]

/** Statuses in which the item still waits for its reply: its due date counts for the control views. */
export const OPEN_ITEM_STATUSES: readonly ItemStatus[] = ['REGISTERED', 'ASSIGNED', 'IN_PROGRESS', 'REPLY_DRAFTED', 'SIGNED']

export type ItemEvent = 'assign' | 'start' | 'draftReply' | 'signReply' | 'sendReply' | 'close' | 'withdrawReply'

/**
 * Which event moves an item from which statuses, and to what. Reassigning is allowed until a reply is
 * drafted; closing needs a sent reply or a recorded reason, which the service checks.
 */
export const ITEM_TRANSITIONS: Readonly<Record<ItemEvent, { readonly from: readonly ItemStatus[]; readonly to: ItemStatus }>> = {
  assign: { from: ['REGISTERED', 'ASSIGNED', 'IN_PROGRESS'], to: 'ASSIGNED' },
  start: { from: ['ASSIGNED'], to: 'IN_PROGRESS' },
  draftReply: { from: ['REGISTERED', 'ASSIGNED', 'IN_PROGRESS'], to: 'REPLY_DRAFTED' },
  // A draft taken back (deleted) returns the item to work.
  withdrawReply: { from: ['REPLY_DRAFTED'], to: 'IN_PROGRESS' },
  signReply: { from: ['REPLY_DRAFTED'], to: 'SIGNED' },
  sendReply: { from: ['SIGNED'], to: 'SENT' },
  // Not while a reply is in the making: a signed letter left unsent, or a draft, would be stranded.
  close: { from: ['REGISTERED', 'ASSIGNED', 'IN_PROGRESS', 'SENT'], to: 'CLOSED' },
}

export function nextItemStatus(current: ItemStatus, event: ItemEvent): ItemStatus | null {
  const transition = ITEM_TRANSITIONS[event]
  return transition.from.includes(current) ? transition.to : null
}

// ---------------------------------------------------------------------------------------------------------
// Outgoing letters

export const LETTER_PURPOSES = ['REPLY', 'EXTENSION_NOTICE', 'INFORMATION_REQUEST', 'STANDALONE'] as const
export type LetterPurpose = (typeof LETTER_PURPOSES)[number]

export const LETTER_STATUSES = ['DRAFT', 'SIGNED', 'SENT'] as const
export type LetterStatus = (typeof LETTER_STATUSES)[number]

export const SENDING_METHODS = ['POST', 'REGISTERED_POST', 'OFFICIAL_EMAIL', 'E_GOVERNMENT', 'IN_PERSON', 'COURIER'] as const
export type SendingMethod = (typeof SENDING_METHODS)[number]

// ---------------------------------------------------------------------------------------------------------
// Report and pardon tasks

export const REPORT_PURPOSES = ['EARLY_RELEASE', 'REPLACEMENT', 'COURT_REPORT', 'OTHER'] as const
export type ReportPurpose = (typeof REPORT_PURPOSES)[number]

export const TASK_STATUSES = ['GATHERING', 'SUBMITTED', 'APPROVED', 'DISPATCHED'] as const
export type TaskStatus = (typeof TASK_STATUSES)[number]

export const INFORMATION_SOURCES = ['POLICE', 'EMPLOYER', 'MUNICIPALITY', 'MEDICAL', 'EDUCATION', 'FAMILY', 'OTHER'] as const
export type InformationSource = (typeof INFORMATION_SOURCES)[number]

/** The sections the officer drafts, per kind of task. */
export const TASK_SECTIONS: Readonly<Record<'REPORT' | 'PARDON', readonly string[]>> = {
  REPORT: ['PERSON', 'CONDUCT', 'COMPLIANCE', 'RISK_AND_NEEDS', 'SOCIAL_SITUATION', 'CONCLUSION'],
  PARDON: ['PERSON', 'CONDUCT', 'COMPLIANCE', 'SOCIAL_SITUATION', 'OPINION'],
}

/** The information usually gathered, offered as the first checklist; the officer adds or removes lines. */
export const DEFAULT_CHECKLIST: Readonly<Record<ReportPurpose | 'PARDON', readonly InformationSource[]>> = {
  EARLY_RELEASE: ['POLICE', 'MUNICIPALITY', 'EMPLOYER'],
  REPLACEMENT: ['POLICE', 'EMPLOYER'],
  COURT_REPORT: ['POLICE', 'MUNICIPALITY'],
  OTHER: [],
  PARDON: ['POLICE', 'MUNICIPALITY', 'EMPLOYER'],
}
