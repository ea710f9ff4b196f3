import { QueryTypes, type Sequelize, type Transaction } from 'sequelize'
import { addCalendarDays } from '../domain/calendar'
import type { Clock } from '../domain/clock'
import {
  DEFAULT_CHECKLIST,
  incomingKind,
  nextItemStatus,
  OPEN_ITEM_STATUSES,
  replyRuleOf,
  TASK_SECTIONS,
  type Channel,
  type ComplaintSubject,
  type IncomingKindCode,
  type InformationSource,
  type ItemEvent,
  type ItemStatus,
  type LetterPurpose,
  type LetterStatus,
  type ReportPurpose,
  type SendingMethod,
  type TaskStatus,
  type Topic,
} from '../domain/correspondence'
import { serviceDateOf } from '../domain/dates'
import { detectFileType, MAX_UPLOAD_BYTES, safeFileName } from '../domain/fileTypes'
import { extendDueDate, extensionWindow, type DeadlineRuleId, type DueDateExplanation } from '../domain/deadlineRules'
import { registerNumber, type Register } from '../domain/numbering'
import { doneOnTimeSql } from '../data/ledger'
import { sqlOf } from '../data/sql'
import { doneOnTime } from '../domain/workItems'
import type { AuditService } from './audit'
import type { SubmissionQueries } from '../data/submissions'
import { submissionGuard, submissionOf } from './submissions'
import { AlreadySubmitted, NotFoundError, ServiceError, StaleEditError, type RequestContext } from './context'
import type { DeadlineService } from './deadlines'

export const PAGE_SIZE = 50
/** An incoming item answered by its due date (workItems.doneOnTime over its columns, unqualified). */
export const ANSWERED_ON_TIME_SQL = doneOnTimeSql('answered_on IS NOT NULL', 'answered_on', 'due_date')
/** A search counts the other register's matches up to this many ("100+" beyond). */
export const OTHER_MATCHES_LIMIT = 100
/** The control view lists at most this many lines per group; the counts are always complete. */
const CONTROL_LIST_LIMIT = 200

export interface IncomingInput {
  receivedOn: string
  channel: Channel
  kind: IncomingKindCode
  sender: string
  senderAddress: string | null
  senderReference: string | null
  senderDate: string | null
  subject: string
  summary: string | null
  beneficiaryFileNumber: string | null
  topic: Topic | null
  complaintSubject: ComplaintSubject | null
  complaintStaffUserId: number | null
  complaintAbout: string | null
  documentDueDate: string | null
  reportRequested: boolean
  reportPurpose: ReportPurpose | null
}

export interface DueChange {
  kind: 'EXTENSION' | 'LONGER_TERM' | 'OVERRIDE'
  from: string
  to: string
  on: string
  reason: string | null
  letterId: number | null
  byUserId: number
}

export interface IncomingItem {
  id: number
  regionId: number
  number: string
  receivedOn: string
  channel: Channel
  kind: IncomingKindCode
  sender: string
  senderAddress: string | null
  senderReference: string | null
  senderDate: string | null
  subject: string
  summary: string | null
  beneficiaryId: number | null
  beneficiaryFileNumber: string | null
  beneficiaryName: string | null
  topic: Topic | null
  complaintSubject: ComplaintSubject | null
  complaintStaffUserId: number | null
  complaintStaffName: string | null
  complaintAbout: string | null
  ruleId: DeadlineRuleId
  documentDueDate: string | null
  dueDate: string
  computedDueDate: string
  dueExplanation: DueDateExplanation
  dueChanges: DueChange[]
  timesExtended: number
  longerTerm: boolean
  status: ItemStatus
  assigneeUserId: number | null
  assigneeName: string | null
  resolution: string | null
  assignedOn: string | null
  underControl: boolean
  answeredOn: string | null
  /** Answered by the due date; null while unanswered. */
  answeredOnTime: boolean | null
  closedOn: string | null
  closureReason: string | null
  registeredByName: string
  version: number
}

export interface LetterView {
  id: number
  regionId: number
  number: string | null
  purpose: LetterPurpose
  incomingItemId: number | null
  incomingNumber: string | null
  taskId: number | null
  beneficiaryId: number | null
  addressee: string
  addresseeAddress: string | null
  subject: string
  body: string
  letterDate: string
  status: LetterStatus
  authorUserId: number
  authorName: string
  signedByName: string | null
  signedOn: string | null
  sendingMethod: SendingMethod | null
  sentOn: string | null
  replyDueDate: string | null
  replyReceivedOn: string | null
  version: number
}

export interface LetterInput {
  addressee: string
  addresseeAddress: string | null
  subject: string
  body: string
  letterDate: string
}

export interface ChecklistLine {
  id: number
  source: InformationSource
  description: string
  letterId: number | null
  letterNumber: string | null
  letterStatus: LetterStatus | null
  replyDueDate: string | null
  receivedOn: string | null
  note: string | null
}

export interface TaskView {
  id: number
  incomingItemId: number
  kind: 'REPORT' | 'PARDON'
  purpose: ReportPurpose | 'PARDON'
  status: TaskStatus
  sections: Record<string, string>
  sectionCodes: readonly string[]
  headComment: string | null
  approvedByName: string | null
  approvedOn: string | null
  version: number
  checklist: ChecklistLine[]
}

export interface RegisterFilter {
  regionId: number
  q?: string
  kind?: IncomingKindCode
  status?: ItemStatus
  assigneeId?: number
  from?: string
  to?: string
  overdue?: boolean
  underControl?: boolean
  page: number
}

export interface RegisterLine {
  id: number
  number: string
  receivedOn: string
  kind: IncomingKindCode
  sender: string
  subject: string
  dueDate: string
  status: ItemStatus
  assigneeName: string | null
  underControl: boolean
  answeredOn: string | null
  /** Still waiting for its reply after the due date. */
  overdue?: boolean
}

export interface OutgoingLine {
  id: number
  number: string
  signedOn: string
  purpose: LetterPurpose
  addressee: string
  subject: string
  incomingNumber: string | null
  signedByName: string | null
  sendingMethod: SendingMethod | null
  sentOn: string | null
  status: LetterStatus
}

export interface ControlLine {
  id: number
  number: string
  kind: IncomingKindCode
  sender: string
  subject: string
  dueDate: string
  status: ItemStatus
  assigneeUserId: number | null
  assigneeName: string | null
  underControl: boolean
}

export type ControlBucket = 'overdue' | 'today' | 'week'
export const CONTROL_BUCKETS: readonly ControlBucket[] = ['overdue', 'today', 'week']

export interface ControlView {
  today: string
  weekEnd: string
  groups: Record<ControlBucket, ControlLine[]>
  counts: Record<ControlBucket, number>
  byAssignee: { assigneeUserId: number | null; assigneeName: string | null; counts: Record<ControlBucket, number> }[]
  byKind: { kind: IncomingKindCode; counts: Record<ControlBucket, number> }[]
}

export interface QuarterSummary {
  from: string
  to: string
  byKind: { kind: IncomingKindCode; received: number; answeredOnTime: number; answeredLate: number; openOverdue: number; open: number }[]
  byTopic: { topic: Topic; received: number; answeredOnTime: number; answeredLate: number; openOverdue: number }[]
  complaintsBySubject: { subject: ComplaintSubject; received: number }[]
}

interface ItemRow {
  id: number
  region_id: number
  status: ItemStatus
  version: number
  received_on: string
  due_date: string
  rule_id: DeadlineRuleId
  kind: IncomingKindCode
  times_extended: number
  longer_term: boolean
  answered_on: string | null
  assignee_user_id: number | null
  complaint_staff_user_id: number | null
  due_changes: DueChange[]
  number: string
}

const ITEM_COLUMNS = `i.id, i.region_id AS "regionId", i.number, i.received_on AS "receivedOn", i.channel, i.kind, i.sender, i.sender_address AS "senderAddress",
  i.sender_reference AS "senderReference", i.sender_date AS "senderDate", i.subject, i.summary, i.beneficiary_id AS "beneficiaryId",
  b.file_number AS "beneficiaryFileNumber", CASE WHEN b.id IS NULL THEN NULL ELSE b.surname || ' ' || b.given_name END AS "beneficiaryName",
  i.topic, i.complaint_subject AS "complaintSubject", i.complaint_staff_user_id AS "complaintStaffUserId", cs.full_name AS "complaintStaffName",
  i.complaint_about AS "complaintAbout", i.rule_id AS "ruleId", i.document_due_date AS "documentDueDate", i.due_date AS "dueDate",
  i.computed_due_date AS "computedDueDate", i.due_explanation AS "dueExplanation", i.due_changes AS "dueChanges", i.times_extended AS "timesExtended",
  i.longer_term AS "longerTerm", i.status, i.assignee_user_id AS "assigneeUserId", a.full_name AS "assigneeName", i.resolution, i.assigned_on AS "assignedOn",
  i.under_control AS "underControl", i.answered_on AS "answeredOn", i.closed_on AS "closedOn", i.closure_reason AS "closureReason",
  r.full_name AS "registeredByName", i.version`

const LETTER_COLUMNS = `l.id, l.region_id AS "regionId", l.number, l.purpose, l.incoming_item_id AS "incomingItemId", i.number AS "incomingNumber", l.task_id AS "taskId",
  l.beneficiary_id AS "beneficiaryId", l.addressee, l.addressee_address AS "addresseeAddress", l.subject, l.body, l.letter_date AS "letterDate", l.status,
  l.author_user_id AS "authorUserId", au.full_name AS "authorName", su.full_name AS "signedByName", l.signed_on AS "signedOn", l.sending_method AS "sendingMethod",
  l.sent_on AS "sentOn", l.reply_due_date AS "replyDueDate", l.reply_received_on AS "replyReceivedOn", l.version`

/** One line of the incoming register, as lists show it. */
const REGISTER_LINE_COLUMNS = `i.id, i.number, i.received_on AS "receivedOn", i.kind, i.sender, i.subject, i.due_date AS "dueDate", i.status, a.full_name AS "assigneeName",
  i.under_control AS "underControl", i.answered_on AS "answeredOn"`

/** One line of the outgoing register: the letter with the item it answers and who signed it. */
const OUTGOING_LINE_COLUMNS = `l.id, l.number, l.signed_on AS "signedOn", l.purpose, l.addressee, l.subject, i.number AS "incomingNumber", su.full_name AS "signedByName",
  l.sending_method AS "sendingMethod", l.sent_on AS "sentOn", l.status`
const OUTGOING_LINE_SOURCE = 'outgoing_letters l LEFT JOIN incoming_items i ON i.id = l.incoming_item_id LEFT JOIN users su ON su.id = l.signed_by_user_id'

/** Adds a condition and its named value when the filter is set. */
function whenSet(conditions: string[], replacements: Record<string, unknown>, name: string, value: unknown, condition: string): void {
  if (value === undefined || value === null || value === '') return
  conditions.push(condition)
  replacements[name] = value
}

/** A LIKE pattern for text containing `text`, case-insensitive against the lower-cased search text. */
function containing(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

/** What the register's trigram search looks through: numbers, sender or addressee, references and subject. */
function searchTextOf(parts: (string | null | undefined)[]): string {
  return parts.filter(Boolean).join(' ').toLowerCase()
}

const emptyCounts = (): Record<ControlBucket, number> => ({ overdue: 0, today: 0, week: 0 })

/**
 * The incoming and outgoing registers of a regional body: registration with a gapless number and a due date
 * by rule, routing by the head, replies drafted by staff and signed by the head (who gives them their
 * outgoing number), extensions within the law's window, report and pardon tasks, and the control views.
 */
export function correspondenceService(deps: { sequelize: Sequelize; clock: Clock; audit: AuditService; deadlines: DeadlineService; submissions: SubmissionQueries }) {
  const { sequelize, clock, audit, deadlines } = deps
  const once = submissionGuard(deps.submissions)
  const today = () => serviceDateOf(clock.now())

  async function nextNumber(regionId: number, register: Register, transaction: Transaction): Promise<{ year: number; sequence: number; number: string }> {
    const year = Number(today().slice(0, 4))
    const [counter] = await sequelize.query<{ last_number: number; file_prefix: string }>(
      `WITH next AS (
         INSERT INTO register_counters (region_id, register, year, last_number) VALUES (:regionId, :register, :year, 1)
         ON CONFLICT (region_id, register, year) DO UPDATE SET last_number = register_counters.last_number + 1
         RETURNING last_number)
       SELECT next.last_number, regions.file_prefix FROM next, regions WHERE regions.id = :regionId`,
      { replacements: { regionId, register, year }, type: QueryTypes.SELECT, transaction },
    )
    if (!counter) throw new NotFoundError()
    return { year, sequence: counter.last_number, number: registerNumber(counter.file_prefix, register, year, counter.last_number) }
  }

  function auditOf(regionId: number, itemId: number) {
    return { category: 'correspondence' as const, regionId, target: { type: 'incomingItem', id: itemId } }
  }

  async function lockItem(itemId: number, transaction: Transaction, expectedVersion?: number): Promise<ItemRow> {
    const [row] = await sequelize.query<ItemRow>(
      `SELECT id, region_id, status, version, received_on, due_date, rule_id, kind, times_extended, longer_term, answered_on, assignee_user_id, complaint_staff_user_id, due_changes, number
         FROM incoming_items WHERE id = :itemId FOR UPDATE`,
      { replacements: { itemId }, type: QueryTypes.SELECT, transaction },
    )
    if (!row) throw new NotFoundError()
    if (expectedVersion !== undefined && row.version !== expectedVersion) throw new StaleEditError(row)
    return row
  }

  function transitionOf(row: ItemRow, event: ItemEvent): ItemStatus {
    const next = nextItemStatus(row.status, event)
    if (!next) throw new ServiceError(`correspondence.cannot.${event}`)
    return next
  }

  async function updateItem(itemId: number, changes: Record<string, unknown>, transaction: Transaction): Promise<void> {
    const columns = Object.keys(changes)
    const assignments = columns.map((column) => `${column} = :${column}`).join(', ')
    await sequelize.query(`UPDATE incoming_items SET ${assignments}, version = version + 1, updated_at = :now WHERE id = :itemId`, {
      replacements: { ...changes, itemId, now: clock.now() },
      transaction,
    })
  }

  async function staffMember(regionId: number, userId: number, transaction?: Transaction): Promise<boolean> {
    const [row] = await sequelize.query(
      `SELECT 1 FROM users WHERE id = :userId AND region_id = :regionId AND active AND role IN ('SPECIALIST', 'SENIOR_SPECIALIST', 'REGIONAL_HEAD')`,
      { replacements: { userId, regionId }, type: QueryTypes.SELECT, transaction },
    )
    return row !== undefined
  }

  function checkIncoming(input: IncomingInput): void {
    const kind = incomingKind(input.kind)
    if (input.receivedOn > today()) throw new ServiceError('correspondence.receivedInFuture', 'receivedOn')
    if (input.senderDate && input.senderDate > input.receivedOn) throw new ServiceError('correspondence.senderDateAfterReceipt', 'senderDate')
    if (input.documentDueDate) {
      if (kind.rule !== 'OFFICIAL_LETTER_REPLY') throw new ServiceError('correspondence.documentDueNotApplicable', 'documentDueDate')
      if (input.documentDueDate < input.receivedOn) throw new ServiceError('correspondence.documentDueBeforeReceipt', 'documentDueDate')
    }
    if (kind.hasTopic && !input.topic) throw new ServiceError('validation.required', 'topic')
    if (kind.isComplaint && !input.complaintSubject) throw new ServiceError('validation.required', 'complaintSubject')
    if (kind.isComplaint && input.complaintSubject === 'STAFF_MEMBER' && !input.complaintStaffUserId) throw new ServiceError('validation.required', 'complaintStaffUserId')
    if (input.reportRequested && !kind.mayRequestReport) throw new ServiceError('correspondence.reportNotApplicable', 'reportRequested')
    if (input.reportRequested && !input.reportPurpose) throw new ServiceError('validation.required', 'reportPurpose')
  }

  /** Registers an incoming item: the next number of the region's register, its due date by rule, and its task if it opens one. */
  /**
   * Registers an incoming item with the register's next number. With a submission id, the same submission registers
   * at most once (no second number for one letter): a repeat gets AlreadySubmitted with the first item's id.
   */
  async function registerIncoming(regionId: number, input: IncomingInput, context: RequestContext, submissionId?: string): Promise<{ id: number; number: string; dueDate: string }> {
    checkIncoming(input)
    const kind = incomingKind(input.kind)
    const submission = submissionOf(submissionId, 'correspondence.register', context, clock.now())
    if (submission) {
      const first = await deps.submissions.resultOf(submission.id, submission.userId, submission.form)
      if (first !== null) throw new AlreadySubmitted(first)
    }
    return sequelize.transaction(async (transaction) => {
      let beneficiaryId: number | null = null
      if (input.beneficiaryFileNumber) {
        const [file] = await sequelize.query<{ id: number }>('SELECT id FROM beneficiaries WHERE file_number = :fileNumber AND region_id = :regionId', {
          replacements: { fileNumber: input.beneficiaryFileNumber, regionId },
          type: QueryTypes.SELECT,
          transaction,
        })
        if (!file) throw new ServiceError('correspondence.beneficiaryNotFound', 'beneficiaryFileNumber')
        beneficiaryId = file.id
      }
      const complaintStaffUserId = kind.isComplaint && input.complaintSubject === 'STAFF_MEMBER' ? input.complaintStaffUserId : null
      if (complaintStaffUserId !== null && !(await staffMember(regionId, complaintStaffUserId, transaction))) throw new ServiceError('validation.choose', 'complaintStaffUserId')
      const ruleId = replyRuleOf(kind, input)
      const { dueDate, explanation } = await deadlines.compute(ruleId, input.receivedOn, input.documentDueDate ? { documentDueDate: input.documentDueDate } : {}, transaction)
      const { year, sequence, number } = await nextNumber(regionId, 'IN', transaction)
      const [row] = await sequelize.query<{ id: number }>(
        `INSERT INTO incoming_items (region_id, year, sequence, number, received_on, channel, kind, sender, sender_address, sender_reference, sender_date, subject, summary,
           beneficiary_id, topic, complaint_subject, complaint_staff_user_id, complaint_about, rule_id, document_due_date, due_date, computed_due_date, due_explanation,
           registered_by_user_id, search_text)
         VALUES (:regionId, :year, :sequence, :number, :receivedOn, :channel, :kind, :sender, :senderAddress, :senderReference, :senderDate, :subject, :summary,
           :beneficiaryId, :topic, :complaintSubject, :complaintStaffUserId, :complaintAbout, :ruleId, :documentDueDate, :dueDate, :dueDate, :explanation,
           :userId, :searchText)
         RETURNING id`,
        {
          replacements: {
            ...input,
            regionId, year, sequence, number, beneficiaryId,
            topic: kind.hasTopic ? input.topic : null,
            complaintSubject: kind.isComplaint ? input.complaintSubject : null,
            complaintStaffUserId,
            complaintAbout: kind.isComplaint ? input.complaintAbout : null,
            ruleId, dueDate, explanation: JSON.stringify(explanation), userId: context.actor!.id,
            searchText: searchTextOf([number, input.sender, input.senderReference, input.subject]),
          },
          type: QueryTypes.SELECT,
          transaction,
        },
      )
      const taskKind = kind.task ?? (input.reportRequested ? 'REPORT' : null)
      if (taskKind) {
        const purpose = taskKind === 'PARDON' ? 'PARDON' : (input.reportPurpose ?? 'OTHER')
        const [task] = await sequelize.query<{ id: number }>('INSERT INTO report_tasks (incoming_item_id, kind, purpose) VALUES (:itemId, :kind, :purpose) RETURNING id', {
          replacements: { itemId: row.id, kind: taskKind, purpose },
          type: QueryTypes.SELECT,
          transaction,
        })
        for (const source of DEFAULT_CHECKLIST[purpose]) {
          await sequelize.query(`INSERT INTO task_checklist (task_id, source, description) VALUES (:taskId, :source, '')`, { replacements: { taskId: task.id, source }, transaction })
        }
      }
      await audit.record(context, { ...auditOf(regionId, row.id), action: 'correspondence.register', details: { number, kind: input.kind, dueDate, beneficiaryId } }, transaction)
      const first = submission ? await deps.submissions.record(submission, row.id, transaction) : null
      if (first !== null) throw new AlreadySubmitted(first)
      return { id: row.id, number, dueDate }
    })
  }

  async function item(itemId: number): Promise<IncomingItem> {
    const [row] = await sequelize.query<IncomingItem>(
      `SELECT ${ITEM_COLUMNS} FROM incoming_items i
         LEFT JOIN beneficiaries b ON b.id = i.beneficiary_id
         LEFT JOIN users a ON a.id = i.assignee_user_id
         LEFT JOIN users cs ON cs.id = i.complaint_staff_user_id
         JOIN users r ON r.id = i.registered_by_user_id
        WHERE i.id = :itemId`,
      { replacements: { itemId }, type: QueryTypes.SELECT },
    )
    if (!row) throw new NotFoundError()
    return { ...row, answeredOnTime: row.answeredOn === null ? null : doneOnTime({ state: 'DONE', closedOn: row.answeredOn, dueDate: row.dueDate }) }
  }

  /** What the policy needs to decide on an item. */
  async function itemFacts(itemId: number): Promise<{ regionId: number; assigneeId: number | null }> {
    const [row] = await sequelize.query<{ regionId: number; assigneeId: number | null }>(
      'SELECT region_id AS "regionId", assignee_user_id AS "assigneeId" FROM incoming_items WHERE id = :itemId',
      { replacements: { itemId }, type: QueryTypes.SELECT },
    )
    if (!row) throw new NotFoundError()
    return row
  }

  async function recordView(itemId: number, regionId: number, context: RequestContext): Promise<void> {
    await audit.record(context, { ...auditOf(regionId, itemId), action: 'correspondence.view' })
  }

  async function assign(itemId: number, input: { assigneeId: number; resolution: string; expectedVersion: number }, context: RequestContext): Promise<void> {
    await sequelize.transaction(async (transaction) => {
      const row = await lockItem(itemId, transaction, input.expectedVersion)
      const status = transitionOf(row, 'assign')
      if (!(await staffMember(row.region_id, input.assigneeId, transaction))) throw new ServiceError('validation.choose', 'assigneeId')
      // Nobody examines a complaint about themselves.
      if (row.complaint_staff_user_id === input.assigneeId) throw new ServiceError('correspondence.assigneeIsComplainedOf', 'assigneeId')
      await updateItem(itemId, { status, assignee_user_id: input.assigneeId, resolution: input.resolution, assigned_on: today() }, transaction)
      await audit.record(context, { ...auditOf(row.region_id, itemId), action: 'correspondence.assign', details: { before: { assigneeId: row.assignee_user_id }, after: { assigneeId: input.assigneeId } } }, transaction)
    })
  }

  async function start(itemId: number, expectedVersion: number, context: RequestContext): Promise<void> {
    await sequelize.transaction(async (transaction) => {
      const row = await lockItem(itemId, transaction, expectedVersion)
      await updateItem(itemId, { status: transitionOf(row, 'start') }, transaction)
      await audit.record(context, { ...auditOf(row.region_id, itemId), action: 'correspondence.start' }, transaction)
    })
  }

  async function setControl(itemId: number, underControl: boolean, expectedVersion: number, context: RequestContext): Promise<void> {
    await sequelize.transaction(async (transaction) => {
      const row = await lockItem(itemId, transaction, expectedVersion)
      await updateItem(itemId, { under_control: underControl }, transaction)
      await audit.record(context, { ...auditOf(row.region_id, itemId), action: 'correspondence.control', details: { underControl } }, transaction)
    })
  }

  function requireOpen(row: ItemRow): void {
    if (!OPEN_ITEM_STATUSES.includes(row.status)) throw new ServiceError('correspondence.notOpen')
  }

  /** The head sets another due date, with a reason; the computed one stays on record. */
  async function overrideDueDate(itemId: number, input: { dueDate: string; reason: string; expectedVersion: number }, context: RequestContext): Promise<void> {
    await sequelize.transaction(async (transaction) => {
      const row = await lockItem(itemId, transaction, input.expectedVersion)
      requireOpen(row)
      if (input.dueDate < row.received_on) throw new ServiceError('correspondence.dueBeforeReceipt', 'dueDate')
      const change: DueChange = { kind: 'OVERRIDE', from: row.due_date, to: input.dueDate, on: today(), reason: input.reason, letterId: null, byUserId: context.actor!.id }
      await updateItem(itemId, { due_date: input.dueDate, due_changes: JSON.stringify([...row.due_changes, change]) }, transaction)
      await audit.record(context, { ...auditOf(row.region_id, itemId), action: 'correspondence.overrideDue', details: { before: { dueDate: row.due_date }, after: { dueDate: input.dueDate }, reason: input.reason } }, transaction)
    })
  }

  /** When the item's rule allows it and the day is inside the window, the next working day the rule permits. */
  async function extensionOffer(itemId: number): Promise<{ kind: 'EXTENSION' | 'LONGER_TERM'; latestNoticeDate: string; newDueDate: string } | null> {
    const current = await item(itemId)
    if (!OPEN_ITEM_STATUSES.includes(current.status)) return null
    const rule = await deadlines.ruleInForce(current.ruleId)
    const calendar = await deadlines.calendar()
    if (rule.extension) {
      const offer = extendDueDate(rule, current.dueDate, calendar, { noticeDate: today(), timesExtended: current.timesExtended, receivedOn: current.receivedOn })
      const window = extensionWindow(rule, current.dueDate, calendar, current.receivedOn)
      return offer.ok && window ? { kind: 'EXTENSION', latestNoticeDate: window.until, newDueDate: offer.dueDate } : null
    }
    if (rule.longerTerm && !current.longerTerm) {
      const longer = await deadlines.compute(current.ruleId, current.receivedOn, { longerTerm: true })
      const noticeDueDate = longer.explanation.longerTerm!.noticeDueDate
      return today() <= noticeDueDate ? { kind: 'LONGER_TERM', latestNoticeDate: noticeDueDate, newDueDate: longer.dueDate } : null
    }
    return null
  }

  /**
   * Extends the reply term where the law allows (a petition: once, by up to a month, with a notice at least
   * three working days before the due date; a request for information: the longer term, announced within five
   * days). The notice is an outgoing letter, signed by the head and numbered now; outside the rule nothing moves.
   */
  async function extend(
    itemId: number,
    input: { noticeDate: string; newDueDate: string | null; addressee: string; body: string; sendingMethod: SendingMethod; expectedVersion: number },
    context: RequestContext,
  ): Promise<{ dueDate: string }> {
    if (input.noticeDate > today()) throw new ServiceError('correspondence.noticeInFuture', 'noticeDate')
    return sequelize.transaction(async (transaction) => {
      const row = await lockItem(itemId, transaction, input.expectedVersion)
      requireOpen(row)
      const rule = await deadlines.ruleInForce(row.rule_id, transaction)
      const calendar = await deadlines.calendar(transaction)
      let dueDate: string
      let kind: DueChange['kind']
      if (rule.extension) {
        const result = extendDueDate(rule, row.due_date, calendar, { noticeDate: input.noticeDate, timesExtended: row.times_extended, receivedOn: row.received_on, ...(input.newDueDate ? { newDueDate: input.newDueDate } : {}) })
        if (!result.ok) throw new ServiceError(`correspondence.extension.${result.refusal}`, result.refusal === 'notLater' || result.refusal === 'beyondMaximum' ? 'newDueDate' : 'noticeDate', { latest: result.latestNoticeDate ?? '' })
        dueDate = result.dueDate
        kind = 'EXTENSION'
      } else if (rule.longerTerm) {
        if (row.longer_term) throw new ServiceError('correspondence.extension.alreadyExtended', 'noticeDate', { latest: '' })
        if (input.noticeDate < row.received_on) throw new ServiceError('correspondence.extension.noticeBeforeReceipt', 'noticeDate', { latest: '' })
        const longer = await deadlines.compute(row.rule_id, row.received_on, { longerTerm: true }, transaction)
        const noticeDueDate = longer.explanation.longerTerm!.noticeDueDate
        if (input.noticeDate > noticeDueDate) throw new ServiceError('correspondence.extension.noticeTooLate', 'noticeDate', { latest: noticeDueDate })
        dueDate = longer.dueDate
        kind = 'LONGER_TERM'
      } else {
        throw new ServiceError('correspondence.extension.notExtendable', 'noticeDate', { latest: '' })
      }
      const { year, sequence, number } = await nextNumber(row.region_id, 'OUT', transaction)
      const [letter] = await sequelize.query<{ id: number }>(
        `INSERT INTO outgoing_letters (region_id, year, sequence, number, purpose, incoming_item_id, addressee, subject, body, letter_date, status, author_user_id,
           signed_by_user_id, signed_on, sending_method, sent_on, search_text)
         VALUES (:regionId, :year, :sequence, :number, 'EXTENSION_NOTICE', :itemId, :addressee, :subject, :body, :noticeDate, 'SENT', :userId, :userId, :today, :sendingMethod, :noticeDate, :searchText)
         RETURNING id`,
        {
          replacements: {
            regionId: row.region_id, year, sequence, number, itemId, addressee: input.addressee, subject: row.number, body: input.body, noticeDate: input.noticeDate,
            userId: context.actor!.id, today: today(), sendingMethod: input.sendingMethod, searchText: searchTextOf([number, input.addressee, row.number]),
          },
          type: QueryTypes.SELECT,
          transaction,
        },
      )
      const change: DueChange = { kind, from: row.due_date, to: dueDate, on: input.noticeDate, reason: null, letterId: letter.id, byUserId: context.actor!.id }
      await updateItem(itemId, kind === 'EXTENSION' ? { due_date: dueDate, times_extended: row.times_extended + 1, due_changes: JSON.stringify([...row.due_changes, change]) } : { due_date: dueDate, longer_term: true, due_changes: JSON.stringify([...row.due_changes, change]) }, transaction)
      await audit.record(context, { ...auditOf(row.region_id, itemId), action: 'correspondence.extend', details: { kind, before: { dueDate: row.due_date }, after: { dueDate }, noticeLetter: number } }, transaction)
      return { dueDate }
    })
  }

  async function insertLetter(regionId: number, purpose: LetterPurpose, links: { itemId?: number | null; taskId?: number | null; beneficiaryId?: number | null }, input: LetterInput, context: RequestContext, transaction: Transaction): Promise<number> {
    const [letter] = await sequelize.query<{ id: number }>(
      `INSERT INTO outgoing_letters (region_id, purpose, incoming_item_id, task_id, beneficiary_id, addressee, addressee_address, subject, body, letter_date, author_user_id, search_text)
       VALUES (:regionId, :purpose, :itemId, :taskId, :beneficiaryId, :addressee, :addresseeAddress, :subject, :body, :letterDate, :userId, :searchText) RETURNING id`,
      {
        replacements: { ...input, regionId, purpose, itemId: links.itemId ?? null, taskId: links.taskId ?? null, beneficiaryId: links.beneficiaryId ?? null, userId: context.actor!.id, searchText: searchTextOf([input.addressee, input.subject]) },
        type: QueryTypes.SELECT,
        transaction,
      },
    )
    return letter.id
  }

  /** Drafts the reply to an item; one reply in the making at a time. */
  async function draftReply(itemId: number, input: LetterInput & { expectedVersion: number }, context: RequestContext): Promise<number> {
    return sequelize.transaction(async (transaction) => {
      const row = await lockItem(itemId, transaction, input.expectedVersion)
      const status = transitionOf(row, 'draftReply')
      if (input.letterDate < row.received_on) throw new ServiceError('correspondence.replyBeforeReceipt', 'letterDate')
      const [beneficiary] = await sequelize.query<{ beneficiary_id: number | null }>('SELECT beneficiary_id FROM incoming_items WHERE id = :itemId', { replacements: { itemId }, type: QueryTypes.SELECT, transaction })
      const [task] = await sequelize.query<{ id: number }>('SELECT id FROM report_tasks WHERE incoming_item_id = :itemId', { replacements: { itemId }, type: QueryTypes.SELECT, transaction })
      const letterId = await insertLetter(row.region_id, 'REPLY', { itemId, taskId: task?.id ?? null, beneficiaryId: beneficiary.beneficiary_id }, input, context, transaction)
      await updateItem(itemId, { status }, transaction)
      await audit.record(context, { ...auditOf(row.region_id, itemId), action: 'correspondence.draftReply', details: { letterId } }, transaction)
      return letterId
    })
  }

  /** A letter of the region's own; with a submission id, the same form drafts it once (AlreadySubmitted names it). */
  async function draftStandalone(regionId: number, input: LetterInput & { beneficiaryFileNumber: string | null }, context: RequestContext, submissionId?: string): Promise<number> {
    const submission = submissionOf(submissionId, 'letter.draft', context, clock.now())
    await once.notYetMade(submission)
    return sequelize.transaction(async (transaction) => {
      let beneficiaryId: number | null = null
      if (input.beneficiaryFileNumber) {
        const [file] = await sequelize.query<{ id: number }>('SELECT id FROM beneficiaries WHERE file_number = :fileNumber AND region_id = :regionId', { replacements: { fileNumber: input.beneficiaryFileNumber, regionId }, type: QueryTypes.SELECT, transaction })
        if (!file) throw new ServiceError('correspondence.beneficiaryNotFound', 'beneficiaryFileNumber')
        beneficiaryId = file.id
      }
      const letterId = await insertLetter(regionId, 'STANDALONE', { beneficiaryId }, input, context, transaction)
      await audit.record(context, { category: 'correspondence', regionId, target: { type: 'outgoingLetter', id: letterId }, action: 'letter.draft', details: { beneficiaryId } }, transaction)
      await once.made(submission, letterId, transaction)
      return letterId
    })
  }

  async function letter(letterId: number): Promise<LetterView> {
    const [row] = await sequelize.query<LetterView>(
      `SELECT ${LETTER_COLUMNS} FROM outgoing_letters l
         JOIN users au ON au.id = l.author_user_id
         LEFT JOIN users su ON su.id = l.signed_by_user_id
         LEFT JOIN incoming_items i ON i.id = l.incoming_item_id
        WHERE l.id = :letterId`,
      { replacements: { letterId }, type: QueryTypes.SELECT },
    )
    if (!row) throw new NotFoundError()
    return row
  }

  async function letterFacts(letterId: number): Promise<{ regionId: number; userId: number; status: LetterStatus }> {
    const [row] = await sequelize.query<{ regionId: number; userId: number; status: LetterStatus }>(
      'SELECT region_id AS "regionId", author_user_id AS "userId", status FROM outgoing_letters WHERE id = :letterId',
      { replacements: { letterId }, type: QueryTypes.SELECT },
    )
    if (!row) throw new NotFoundError()
    return row
  }

  async function lockLetter(letterId: number, transaction: Transaction, expectedVersion?: number) {
    const [row] = await sequelize.query<{ id: number; region_id: number; status: LetterStatus; purpose: LetterPurpose; incoming_item_id: number | null; task_id: number | null; signed_on: string | null; letter_date: string; version: number }>(
      'SELECT id, region_id, status, purpose, incoming_item_id, task_id, signed_on, letter_date, version FROM outgoing_letters WHERE id = :letterId FOR UPDATE',
      { replacements: { letterId }, type: QueryTypes.SELECT, transaction },
    )
    if (!row) throw new NotFoundError()
    if (expectedVersion !== undefined && row.version !== expectedVersion) throw new StaleEditError(row)
    return row
  }

  function letterAudit(regionId: number, letterId: number) {
    return { category: 'correspondence' as const, regionId, target: { type: 'outgoingLetter', id: letterId } }
  }

  async function editDraft(letterId: number, input: LetterInput & { expectedVersion: number }, context: RequestContext): Promise<void> {
    await sequelize.transaction(async (transaction) => {
      const row = await lockLetter(letterId, transaction, input.expectedVersion)
      if (row.status !== 'DRAFT') throw new ServiceError('letter.notDraft')
      if (row.incoming_item_id) {
        const [received] = await sequelize.query<{ received_on: string }>('SELECT received_on FROM incoming_items WHERE id = :id', { replacements: { id: row.incoming_item_id }, type: QueryTypes.SELECT, transaction })
        if (input.letterDate < received.received_on) throw new ServiceError('correspondence.replyBeforeReceipt', 'letterDate')
      }
      await sequelize.query(
        `UPDATE outgoing_letters SET addressee = :addressee, addressee_address = :addresseeAddress, subject = :subject, body = :body, letter_date = :letterDate,
           search_text = :searchText, version = version + 1, updated_at = :now WHERE id = :letterId`,
        { replacements: { ...input, letterId, now: clock.now(), searchText: searchTextOf([input.addressee, input.subject]) }, transaction },
      )
      await audit.record(context, { ...letterAudit(row.region_id, letterId), action: 'letter.edit' }, transaction)
    })
  }

  async function deleteDraft(letterId: number, expectedVersion: number, context: RequestContext): Promise<{ itemId: number | null; taskId: number | null; regionId: number }> {
    return sequelize.transaction(async (transaction) => {
      const row = await lockLetter(letterId, transaction, expectedVersion)
      if (row.status !== 'DRAFT') throw new ServiceError('letter.notDraft')
      await sequelize.query('UPDATE task_checklist SET letter_id = NULL WHERE letter_id = :letterId', { replacements: { letterId }, transaction })
      await sequelize.query('DELETE FROM outgoing_letters WHERE id = :letterId', { replacements: { letterId }, transaction })
      if (row.purpose === 'REPLY' && row.incoming_item_id) {
        const item = await lockItem(row.incoming_item_id, transaction)
        await updateItem(row.incoming_item_id, { status: transitionOf(item, 'withdrawReply') }, transaction)
      }
      await audit.record(context, { ...letterAudit(row.region_id, letterId), action: 'letter.deleteDraft' }, transaction)
      return { itemId: row.incoming_item_id, taskId: row.task_id, regionId: row.region_id }
    })
  }

  /** The head signs: the letter takes the next outgoing number. A report or pardon reply needs the approved task first. */
  async function sign(letterId: number, expectedVersion: number, context: RequestContext): Promise<string> {
    return sequelize.transaction(async (transaction) => {
      const row = await lockLetter(letterId, transaction, expectedVersion)
      if (row.status !== 'DRAFT') throw new ServiceError('letter.notDraft')
      if (row.purpose === 'REPLY' && row.task_id) {
        const [task] = await sequelize.query<{ status: TaskStatus }>('SELECT status FROM report_tasks WHERE id = :taskId', { replacements: { taskId: row.task_id }, type: QueryTypes.SELECT, transaction })
        if (task.status !== 'APPROVED') throw new ServiceError('letter.taskNotApproved')
      }
      const { year, sequence, number } = await nextNumber(row.region_id, 'OUT', transaction)
      await sequelize.query(
        `UPDATE outgoing_letters SET status = 'SIGNED', year = :year, sequence = :sequence, number = :number, signed_by_user_id = :userId, signed_on = :today,
           search_text = search_text || ' ' || lower(:number), version = version + 1, updated_at = :now WHERE id = :letterId`,
        { replacements: { year, sequence, number, userId: context.actor!.id, today: today(), now: clock.now(), letterId }, transaction },
      )
      if (row.purpose === 'REPLY' && row.incoming_item_id) {
        const item = await lockItem(row.incoming_item_id, transaction)
        await updateItem(row.incoming_item_id, { status: transitionOf(item, 'signReply') }, transaction)
      }
      await audit.record(context, { ...letterAudit(row.region_id, letterId), action: 'letter.sign', details: { number } }, transaction)
      return number
    })
  }

  /** Dispatch: only a signed letter leaves, on or after the day it was signed. A sent reply answers its item. */
  async function send(letterId: number, input: { sentOn: string; sendingMethod: SendingMethod; replyDueDate: string | null; expectedVersion: number }, context: RequestContext): Promise<void> {
    if (input.sentOn > today()) throw new ServiceError('letter.sentInFuture', 'sentOn')
    await sequelize.transaction(async (transaction) => {
      const row = await lockLetter(letterId, transaction, input.expectedVersion)
      if (row.status !== 'SIGNED') throw new ServiceError(row.status === 'DRAFT' ? 'letter.notSigned' : 'letter.alreadySent')
      if (input.sentOn < row.signed_on!) throw new ServiceError('letter.sentBeforeSigned', 'sentOn')
      // An information request expects its answer within the term of an official letter unless the officer set a date.
      const replyDueDate = row.purpose === 'INFORMATION_REQUEST' ? (input.replyDueDate ?? (await deadlines.compute('OFFICIAL_LETTER_REPLY', input.sentOn, {}, transaction)).dueDate) : null
      if (replyDueDate && replyDueDate < input.sentOn) throw new ServiceError('letter.replyDueBeforeSent', 'replyDueDate')
      await sequelize.query(
        `UPDATE outgoing_letters SET status = 'SENT', sent_on = :sentOn, sending_method = :sendingMethod, reply_due_date = :replyDueDate, version = version + 1, updated_at = :now WHERE id = :letterId`,
        { replacements: { sentOn: input.sentOn, sendingMethod: input.sendingMethod, replyDueDate, now: clock.now(), letterId }, transaction },
      )
      if (row.purpose === 'REPLY' && row.incoming_item_id) {
        const item = await lockItem(row.incoming_item_id, transaction)
        await updateItem(row.incoming_item_id, { status: transitionOf(item, 'sendReply'), answered_on: input.sentOn }, transaction)
        if (row.task_id) await sequelize.query(`UPDATE report_tasks SET status = 'DISPATCHED', version = version + 1, updated_at = :now WHERE id = :taskId`, { replacements: { taskId: row.task_id, now: clock.now() }, transaction })
      }
      await audit.record(context, { ...letterAudit(row.region_id, letterId), action: 'letter.send', details: { sentOn: input.sentOn, sendingMethod: input.sendingMethod } }, transaction)
    })
  }

  /** Closing needs the reply sent, or a reason recorded (e.g. withdrawn by the applicant, forwarded by competence). */
  async function close(itemId: number, input: { closedOn: string; reason: string | null; expectedVersion: number }, context: RequestContext): Promise<void> {
    await sequelize.transaction(async (transaction) => {
      const row = await lockItem(itemId, transaction, input.expectedVersion)
      const status = transitionOf(row, 'close')
      if (row.answered_on === null && !input.reason) throw new ServiceError('correspondence.closeNeedsReason', 'reason')
      if (input.closedOn < row.received_on) throw new ServiceError('correspondence.closedBeforeReceipt', 'closedOn')
      if (input.closedOn > today()) throw new ServiceError('correspondence.closedInFuture', 'closedOn')
      await updateItem(itemId, { status, closed_on: input.closedOn, closure_reason: input.reason }, transaction)
      await audit.record(context, { ...auditOf(row.region_id, itemId), action: 'correspondence.close', details: { reason: input.reason } }, transaction)
    })
  }

  async function lettersOf(itemId: number): Promise<LetterView[]> {
    return sequelize.query<LetterView>(
      `SELECT ${LETTER_COLUMNS} FROM outgoing_letters l JOIN users au ON au.id = l.author_user_id LEFT JOIN users su ON su.id = l.signed_by_user_id
         LEFT JOIN incoming_items i ON i.id = l.incoming_item_id
        WHERE l.incoming_item_id = :itemId ORDER BY l.id`,
      { replacements: { itemId }, type: QueryTypes.SELECT },
    )
  }

  // -------------------------------------------------------------------------------------------------------
  // Attachments

  /** Attaches a scanned or sent file to the item; with a submission id, the same form attaches it once (AlreadySubmitted names it). */
  async function addAttachment(itemId: number, file: { fileName: string; content: Buffer }, context: RequestContext, submissionId?: string): Promise<void> {
    const submission = submissionOf(submissionId, 'correspondence.attach', context, clock.now())
    await once.notYetMade(submission)
    if (file.content.length === 0) throw new ServiceError('document.empty', 'file')
    if (file.content.length > MAX_UPLOAD_BYTES) throw new ServiceError('document.tooLarge', 'file')
    // The type is what the bytes are, never what the name claims.
    const type = detectFileType(file.content)
    if (!type) throw new ServiceError('document.typeNotAccepted', 'file')
    await sequelize.transaction(async (transaction) => {
      const row = await lockItem(itemId, transaction)
      const [{ id }] = await sequelize.query<{ id: number }>(
        'INSERT INTO correspondence_attachments (incoming_item_id, file_name, media_type, size_bytes, content, uploaded_by_user_id) VALUES (:itemId, :fileName, :mediaType, :size, :content, :userId) RETURNING id',
        { replacements: { itemId, fileName: safeFileName(file.fileName), mediaType: type.mediaType, size: file.content.length, content: file.content, userId: context.actor!.id }, type: QueryTypes.SELECT, transaction },
      )
      await audit.record(context, { ...auditOf(row.region_id, itemId), action: 'correspondence.attach', details: { fileName: file.fileName, size: file.content.length } }, transaction)
      await once.made(submission, id, transaction)
    })
  }

  async function attachments(itemId: number): Promise<{ id: number; fileName: string; mediaType: string; sizeBytes: number; uploadedAt: Date }[]> {
    return sequelize.query(
      'SELECT id, file_name AS "fileName", media_type AS "mediaType", size_bytes AS "sizeBytes", uploaded_at AS "uploadedAt" FROM correspondence_attachments WHERE incoming_item_id = :itemId ORDER BY id',
      { replacements: { itemId }, type: QueryTypes.SELECT },
    )
  }

  async function attachment(attachmentId: number): Promise<{ id: number; itemId: number; fileName: string; mediaType: string; content: Buffer }> {
    const [row] = await sequelize.query<{ id: number; itemId: number; fileName: string; mediaType: string; content: Buffer }>(
      'SELECT id, incoming_item_id AS "itemId", file_name AS "fileName", media_type AS "mediaType", content FROM correspondence_attachments WHERE id = :attachmentId',
      { replacements: { attachmentId }, type: QueryTypes.SELECT },
    )
    if (!row) throw new NotFoundError()
    return row
  }

  async function attachmentItem(attachmentId: number): Promise<number> {
    const [row] = await sequelize.query<{ itemId: number }>('SELECT incoming_item_id AS "itemId" FROM correspondence_attachments WHERE id = :attachmentId', { replacements: { attachmentId }, type: QueryTypes.SELECT })
    if (!row) throw new NotFoundError()
    return row.itemId
  }

  async function recordDownload(attachmentId: number, itemId: number, regionId: number, context: RequestContext): Promise<void> {
    await audit.record(context, { ...auditOf(regionId, itemId), action: 'correspondence.download', details: { attachmentId } })
  }

  // -------------------------------------------------------------------------------------------------------
  // Report and pardon tasks

  async function taskOf(itemId: number): Promise<number | null> {
    const [row] = await sequelize.query<{ id: number }>('SELECT id FROM report_tasks WHERE incoming_item_id = :itemId', { replacements: { itemId }, type: QueryTypes.SELECT })
    return row?.id ?? null
  }

  async function taskItem(taskId: number): Promise<number> {
    const [row] = await sequelize.query<{ itemId: number }>('SELECT incoming_item_id AS "itemId" FROM report_tasks WHERE id = :taskId', { replacements: { taskId }, type: QueryTypes.SELECT })
    if (!row) throw new NotFoundError()
    return row.itemId
  }

  async function task(taskId: number): Promise<TaskView> {
    const [row] = await sequelize.query<Omit<TaskView, 'checklist' | 'sectionCodes'>>(
      `SELECT t.id, t.incoming_item_id AS "incomingItemId", t.kind, t.purpose, t.status, t.sections, t.head_comment AS "headComment", u.full_name AS "approvedByName",
              t.approved_on AS "approvedOn", t.version
         FROM report_tasks t LEFT JOIN users u ON u.id = t.approved_by_user_id WHERE t.id = :taskId`,
      { replacements: { taskId }, type: QueryTypes.SELECT },
    )
    if (!row) throw new NotFoundError()
    const checklist = await sequelize.query<ChecklistLine>(
      `SELECT c.id, c.source, c.description, c.letter_id AS "letterId", l.number AS "letterNumber", l.status AS "letterStatus", l.reply_due_date AS "replyDueDate",
              c.received_on AS "receivedOn", c.note
         FROM task_checklist c LEFT JOIN outgoing_letters l ON l.id = c.letter_id WHERE c.task_id = :taskId ORDER BY c.id`,
      { replacements: { taskId }, type: QueryTypes.SELECT },
    )
    return { ...row, sectionCodes: TASK_SECTIONS[row.kind], checklist }
  }

  async function lockTask(taskId: number, transaction: Transaction, expectedVersion?: number) {
    const [row] = await sequelize.query<{ id: number; incoming_item_id: number; kind: 'REPORT' | 'PARDON'; status: TaskStatus; version: number; region_id: number }>(
      'SELECT t.id, t.incoming_item_id, t.kind, t.status, t.version, i.region_id FROM report_tasks t JOIN incoming_items i ON i.id = t.incoming_item_id WHERE t.id = :taskId FOR UPDATE OF t',
      { replacements: { taskId }, type: QueryTypes.SELECT, transaction },
    )
    if (!row) throw new NotFoundError()
    if (expectedVersion !== undefined && row.version !== expectedVersion) throw new StaleEditError(row)
    return row
  }

  function requireGathering(status: TaskStatus): void {
    if (status !== 'GATHERING') throw new ServiceError('task.notGathering')
  }

  /** Adds a line of information to gather; with a submission id, the same form adds it once (AlreadySubmitted names it). */
  async function addChecklistLine(taskId: number, input: { source: InformationSource; description: string }, context: RequestContext, submissionId?: string): Promise<void> {
    const submission = submissionOf(submissionId, 'task.checklistAdd', context, clock.now())
    await once.notYetMade(submission)
    await sequelize.transaction(async (transaction) => {
      const row = await lockTask(taskId, transaction)
      requireGathering(row.status)
      const [{ id }] = await sequelize.query<{ id: number }>('INSERT INTO task_checklist (task_id, source, description) VALUES (:taskId, :source, :description) RETURNING id', {
        replacements: { taskId, ...input },
        type: QueryTypes.SELECT,
        transaction,
      })
      await audit.record(context, { ...auditOf(row.region_id, row.incoming_item_id), action: 'task.checklistAdd', details: { source: input.source } }, transaction)
      await once.made(submission, id, transaction)
    })
  }

  async function lockChecklistLine(taskId: number, lineId: number, transaction: Transaction) {
    const [line] = await sequelize.query<{ id: number; letter_id: number | null }>('SELECT id, letter_id FROM task_checklist WHERE id = :lineId AND task_id = :taskId FOR UPDATE', {
      replacements: { lineId, taskId },
      type: QueryTypes.SELECT,
      transaction,
    })
    if (!line) throw new NotFoundError()
    return line
  }

  /**
   * Drafts the request for one line of the checklist (to the police, the employer...): an outgoing letter with its own
   * reply date. With a submission id, the same form drafts it once (AlreadySubmitted names the letter).
   */
  async function requestInformation(taskId: number, lineId: number, input: LetterInput, context: RequestContext, submissionId?: string): Promise<number> {
    const submission = submissionOf(submissionId, 'task.requestInformation', context, clock.now())
    return sequelize.transaction(async (transaction) => {
      const row = await lockTask(taskId, transaction)
      // Asked under the task's lock: a repeat that waited there for the first to commit would otherwise be refused as a line already requested.
      await once.notYetMade(submission)
      requireGathering(row.status)
      const line = await lockChecklistLine(taskId, lineId, transaction)
      if (line.letter_id !== null) throw new ServiceError('task.alreadyRequested')
      const [received] = await sequelize.query<{ received_on: string; beneficiary_id: number | null }>('SELECT received_on, beneficiary_id FROM incoming_items WHERE id = :id', { replacements: { id: row.incoming_item_id }, type: QueryTypes.SELECT, transaction })
      if (input.letterDate < received.received_on) throw new ServiceError('correspondence.replyBeforeReceipt', 'letterDate')
      const letterId = await insertLetter(row.region_id, 'INFORMATION_REQUEST', { taskId, beneficiaryId: received.beneficiary_id }, input, context, transaction)
      await sequelize.query('UPDATE task_checklist SET letter_id = :letterId WHERE id = :lineId', { replacements: { letterId, lineId }, transaction })
      await audit.record(context, { ...auditOf(row.region_id, row.incoming_item_id), action: 'task.requestInformation', details: { letterId } }, transaction)
      await once.made(submission, letterId, transaction)
      return letterId
    })
  }

  async function markReceived(taskId: number, lineId: number, input: { receivedOn: string; note: string | null }, context: RequestContext): Promise<void> {
    if (input.receivedOn > today()) throw new ServiceError('correspondence.receivedInFuture', 'receivedOn')
    await sequelize.transaction(async (transaction) => {
      const row = await lockTask(taskId, transaction)
      const line = await lockChecklistLine(taskId, lineId, transaction)
      if (line.letter_id !== null) {
        const [sent] = await sequelize.query<{ sent_on: string | null }>('SELECT sent_on FROM outgoing_letters WHERE id = :id', { replacements: { id: line.letter_id }, type: QueryTypes.SELECT, transaction })
        if (sent.sent_on && input.receivedOn < sent.sent_on) throw new ServiceError('task.receivedBeforeSent', 'receivedOn')
        await sequelize.query('UPDATE outgoing_letters SET reply_received_on = :receivedOn WHERE id = :id', { replacements: { receivedOn: input.receivedOn, id: line.letter_id }, transaction })
      }
      await sequelize.query('UPDATE task_checklist SET received_on = :receivedOn, note = :note WHERE id = :lineId', { replacements: { ...input, lineId }, transaction })
      await audit.record(context, { ...auditOf(row.region_id, row.incoming_item_id), action: 'task.informationReceived', details: { lineId } }, transaction)
    })
  }

  async function saveSections(taskId: number, sections: Record<string, string>, expectedVersion: number, context: RequestContext): Promise<void> {
    await sequelize.transaction(async (transaction) => {
      const row = await lockTask(taskId, transaction, expectedVersion)
      requireGathering(row.status)
      const allowed = TASK_SECTIONS[row.kind]
      const kept = Object.fromEntries(allowed.map((code) => [code, sections[code] ?? '']))
      await sequelize.query('UPDATE report_tasks SET sections = :sections, version = version + 1, updated_at = :now WHERE id = :taskId', { replacements: { sections: JSON.stringify(kept), now: clock.now(), taskId }, transaction })
      await audit.record(context, { ...auditOf(row.region_id, row.incoming_item_id), action: 'task.saveSections' }, transaction)
    })
  }

  async function submitTask(taskId: number, expectedVersion: number, context: RequestContext): Promise<void> {
    await sequelize.transaction(async (transaction) => {
      const row = await lockTask(taskId, transaction, expectedVersion)
      requireGathering(row.status)
      const [current] = await sequelize.query<{ sections: Record<string, string> }>('SELECT sections FROM report_tasks WHERE id = :taskId', { replacements: { taskId }, type: QueryTypes.SELECT, transaction })
      const missing = TASK_SECTIONS[row.kind].find((code) => !(current.sections[code] ?? '').trim())
      if (missing) throw new ServiceError('task.sectionMissing', `section_${missing}`)
      await sequelize.query(`UPDATE report_tasks SET status = 'SUBMITTED', submitted_by_user_id = :userId, version = version + 1, updated_at = :now WHERE id = :taskId`, { replacements: { userId: context.actor!.id, now: clock.now(), taskId }, transaction })
      await audit.record(context, { ...auditOf(row.region_id, row.incoming_item_id), action: 'task.submit' }, transaction)
    })
  }

  /** The head approves (the reply can then be signed) or returns the draft with a comment. Nobody approves what they submitted. */
  async function decideTask(taskId: number, input: { approve: boolean; comment: string | null; expectedVersion: number }, context: RequestContext): Promise<void> {
    await sequelize.transaction(async (transaction) => {
      const row = await lockTask(taskId, transaction, input.expectedVersion)
      if (row.status !== 'SUBMITTED') throw new ServiceError('task.notSubmitted')
      const [submitted] = await sequelize.query<{ submitted_by_user_id: number }>('SELECT submitted_by_user_id FROM report_tasks WHERE id = :taskId', { replacements: { taskId }, type: QueryTypes.SELECT, transaction })
      if (submitted.submitted_by_user_id === context.actor!.id) throw new ServiceError('task.ownWork')
      if (!input.approve && !input.comment) throw new ServiceError('validation.required', 'comment')
      await sequelize.query(
        `UPDATE report_tasks SET status = :status, head_comment = :comment, approved_by_user_id = :approver, approved_on = :approvedOn, version = version + 1, updated_at = :now WHERE id = :taskId`,
        {
          replacements: { status: input.approve ? 'APPROVED' : 'GATHERING', comment: input.comment, approver: input.approve ? context.actor!.id : null, approvedOn: input.approve ? today() : null, now: clock.now(), taskId },
          transaction,
        },
      )
      await audit.record(context, { ...auditOf(row.region_id, row.incoming_item_id), action: input.approve ? 'task.approve' : 'task.return', details: { comment: input.comment } }, transaction)
    })
  }

  // -------------------------------------------------------------------------------------------------------
  // Registers, control and summaries

  async function incomingRegister(filter: RegisterFilter): Promise<{ rows: RegisterLine[]; total: number }> {
    const conditions = ['i.region_id = :regionId']
    const replacements: Record<string, unknown> = { regionId: filter.regionId, today: today(), limit: PAGE_SIZE, offset: (filter.page - 1) * PAGE_SIZE, open: OPEN_ITEM_STATUSES }
    whenSet(conditions, replacements, 'q', filter.q ? containing(filter.q) : undefined, 'i.search_text LIKE :q')
    whenSet(conditions, replacements, 'kind', filter.kind, 'i.kind = :kind')
    whenSet(conditions, replacements, 'status', filter.status, 'i.status = :status')
    whenSet(conditions, replacements, 'assigneeId', filter.assigneeId, 'i.assignee_user_id = :assigneeId')
    whenSet(conditions, replacements, 'from', filter.from, 'i.received_on >= :from')
    whenSet(conditions, replacements, 'to', filter.to, 'i.received_on <= :to')
    if (filter.overdue) conditions.push('i.status IN (:open) AND i.due_date < :today')
    if (filter.underControl) conditions.push('i.under_control')
    const where = conditions.join(' AND ')
    const [rows, [{ total }]] = await Promise.all([
      sequelize.query<RegisterLine>(
        `SELECT ${REGISTER_LINE_COLUMNS}, (i.status IN (:open) AND i.due_date < :today) AS overdue
           FROM incoming_items i LEFT JOIN users a ON a.id = i.assignee_user_id
          WHERE ${where} ORDER BY i.year DESC, i.sequence DESC LIMIT :limit OFFSET :offset`,
        { replacements, type: QueryTypes.SELECT },
      ),
      sequelize.query<{ total: number }>(`SELECT count(*)::int AS total FROM incoming_items i WHERE ${where}`, { replacements, type: QueryTypes.SELECT }),
    ])
    return { rows, total }
  }

  async function outgoingRegister(filter: { regionId: number; q?: string; from?: string; to?: string; page: number }): Promise<{ rows: OutgoingLine[]; total: number }> {
    const conditions = ['l.region_id = :regionId', 'l.number IS NOT NULL']
    const replacements: Record<string, unknown> = { regionId: filter.regionId, limit: PAGE_SIZE, offset: (filter.page - 1) * PAGE_SIZE }
    whenSet(conditions, replacements, 'q', filter.q ? containing(filter.q) : undefined, 'l.search_text LIKE :q')
    whenSet(conditions, replacements, 'from', filter.from, 'l.signed_on >= :from')
    whenSet(conditions, replacements, 'to', filter.to, 'l.signed_on <= :to')
    const where = conditions.join(' AND ')
    const [rows, [{ total }]] = await Promise.all([
      sequelize.query<OutgoingLine>(
        `SELECT ${OUTGOING_LINE_COLUMNS} FROM ${OUTGOING_LINE_SOURCE}
          WHERE ${where} ORDER BY l.year DESC, l.sequence DESC LIMIT :limit OFFSET :offset`,
        { replacements, type: QueryTypes.SELECT },
      ),
      sequelize.query<{ total: number }>(`SELECT count(*)::int AS total FROM outgoing_letters l WHERE ${where}`, { replacements, type: QueryTypes.SELECT }),
    ])
    return { rows, total }
  }

  /**
   * How many items of a register match a search, counted to OTHER_MATCHES_LIMIT at most: what the other register's
   * link says ("100+" beyond), without counting every letter of a region that a common word finds.
   */
  async function matchesIn(register: 'IN' | 'OUT', regionId: number, q: string): Promise<number> {
    const source = register === 'IN' ? 'incoming_items i WHERE i.region_id = $1 AND i.search_text LIKE $2' : 'outgoing_letters i WHERE i.region_id = $1 AND i.number IS NOT NULL AND i.search_text LIKE $2'
    const row = await sqlOf(sequelize).one<{ matches: number }>(`SELECT count(*)::int AS matches FROM (SELECT 1 FROM ${source} LIMIT $3) found`, [regionId, containing(q), OTHER_MATCHES_LIMIT + 1])
    return row!.matches
  }

  /** Letters drafted and waiting for the head's signature, or signed and waiting to leave. */
  async function lettersInProgress(regionId: number): Promise<LetterView[]> {
    return sequelize.query<LetterView>(
      `SELECT ${LETTER_COLUMNS} FROM outgoing_letters l JOIN users au ON au.id = l.author_user_id LEFT JOIN users su ON su.id = l.signed_by_user_id
         LEFT JOIN incoming_items i ON i.id = l.incoming_item_id
        WHERE l.region_id = :regionId AND l.status <> 'SENT' ORDER BY l.status, l.id`,
      { replacements: { regionId }, type: QueryTypes.SELECT },
    )
  }

  /** Items still waiting for their reply and due by the end of the week, grouped as overdue, today and this week. */
  async function control(filter: { regionId?: number; assigneeId?: number; kind?: IncomingKindCode; underControl?: boolean }): Promise<ControlView> {
    const now = today()
    const weekEnd = addCalendarDays(now, 7)
    const conditions = ["i.status NOT IN ('SENT', 'CLOSED')", 'i.due_date <= :weekEnd']
    const replacements: Record<string, unknown> = { weekEnd }
    whenSet(conditions, replacements, 'regionId', filter.regionId, 'i.region_id = :regionId')
    whenSet(conditions, replacements, 'assigneeId', filter.assigneeId, 'i.assignee_user_id = :assigneeId')
    whenSet(conditions, replacements, 'kind', filter.kind, 'i.kind = :kind')
    if (filter.underControl) conditions.push('i.under_control')
    const rows = await sequelize.query<ControlLine>(
      `SELECT i.id, i.number, i.kind, i.sender, i.subject, i.due_date AS "dueDate", i.status, i.assignee_user_id AS "assigneeUserId", a.full_name AS "assigneeName",
              i.under_control AS "underControl"
         FROM incoming_items i LEFT JOIN users a ON a.id = i.assignee_user_id
        WHERE ${conditions.join(' AND ')} ORDER BY i.due_date, i.year, i.sequence`,
      { replacements, type: QueryTypes.SELECT },
    )
    const bucketOf = (dueDate: string): ControlBucket => (dueDate < now ? 'overdue' : dueDate === now ? 'today' : 'week')
    const groups: Record<ControlBucket, ControlLine[]> = { overdue: [], today: [], week: [] }
    const counts = emptyCounts()
    const byAssignee = new Map<number | null, ControlView['byAssignee'][number]>()
    const byKind = new Map<IncomingKindCode, ControlView['byKind'][number]>()
    for (const row of rows) {
      const bucket = bucketOf(row.dueDate)
      counts[bucket] += 1
      if (groups[bucket].length < CONTROL_LIST_LIMIT) groups[bucket].push(row)
      const assignee = byAssignee.get(row.assigneeUserId) ?? { assigneeUserId: row.assigneeUserId, assigneeName: row.assigneeName, counts: emptyCounts() }
      assignee.counts[bucket] += 1
      byAssignee.set(row.assigneeUserId, assignee)
      const kind = byKind.get(row.kind) ?? { kind: row.kind, counts: emptyCounts() }
      kind.counts[bucket] += 1
      byKind.set(row.kind, kind)
    }
    return { today: now, weekEnd, groups, counts, byAssignee: [...byAssignee.values()].sort((a, b) => b.counts.overdue - a.counts.overdue), byKind: [...byKind.values()] }
  }

  async function forBeneficiary(beneficiaryId: number): Promise<{ incoming: RegisterLine[]; outgoing: OutgoingLine[] }> {
    const [incoming, outgoing] = await Promise.all([
      sequelize.query<RegisterLine>(
        `SELECT ${REGISTER_LINE_COLUMNS}
           FROM incoming_items i LEFT JOIN users a ON a.id = i.assignee_user_id WHERE i.beneficiary_id = :beneficiaryId ORDER BY i.received_on DESC, i.id DESC`,
        { replacements: { beneficiaryId }, type: QueryTypes.SELECT },
      ),
      sequelize.query<OutgoingLine>(
        `SELECT ${OUTGOING_LINE_COLUMNS} FROM ${OUTGOING_LINE_SOURCE}
          WHERE l.beneficiary_id = :beneficiaryId AND l.number IS NOT NULL ORDER BY l.signed_on DESC, l.id DESC`,
        { replacements: { beneficiaryId }, type: QueryTypes.SELECT },
      ),
    ])
    return { incoming, outgoing }
  }

  /**
   * A quarter's correspondence: received by kind and by topic, answered on time (a reply sent on or before the
   * due date in force), answered late, and still open past the due date.
   */
  async function quarterSummary(regionId: number, year: number, quarter: number): Promise<QuarterSummary> {
    const from = `${year}-${String((quarter - 1) * 3 + 1).padStart(2, '0')}-01`
    const to = addCalendarDays(`${quarter === 4 ? year + 1 : year}-${String((quarter % 4) * 3 + 1).padStart(2, '0')}-01`, -1)
    const replacements = { regionId, from, to, today: today() }
    const outcome = `count(*)::int AS received,
      count(*) FILTER (WHERE ${ANSWERED_ON_TIME_SQL})::int AS "answeredOnTime",
      count(*) FILTER (WHERE answered_on IS NOT NULL AND NOT ${ANSWERED_ON_TIME_SQL})::int AS "answeredLate",
      count(*) FILTER (WHERE answered_on IS NULL AND status <> 'CLOSED' AND due_date < :today)::int AS "openOverdue"`
    const base = 'FROM incoming_items WHERE region_id = :regionId AND received_on BETWEEN :from AND :to'
    const [byKind, byTopic, complaintsBySubject] = await Promise.all([
      sequelize.query<QuarterSummary['byKind'][number]>(`SELECT kind, ${outcome}, count(*) FILTER (WHERE status NOT IN ('SENT', 'CLOSED'))::int AS open ${base} GROUP BY kind ORDER BY kind`, { replacements, type: QueryTypes.SELECT }),
      sequelize.query<QuarterSummary['byTopic'][number]>(`SELECT topic, ${outcome} ${base} AND topic IS NOT NULL GROUP BY topic ORDER BY received DESC, topic`, { replacements, type: QueryTypes.SELECT }),
      sequelize.query<QuarterSummary['complaintsBySubject'][number]>(`SELECT complaint_subject AS subject, count(*)::int AS received ${base} AND complaint_subject IS NOT NULL GROUP BY complaint_subject ORDER BY received DESC`, { replacements, type: QueryTypes.SELECT }),
    ])
    return { from, to, byKind, byTopic, complaintsBySubject }
  }

  /** Every line of a register for a period, oldest first, for print and export. */
  async function registerForPeriod(regionId: number, register: Register, from: string, to: string): Promise<{ incoming: (RegisterLine & { channel: Channel; senderReference: string | null; senderDate: string | null; resolution: string | null; replies: string | null })[]; outgoing: OutgoingLine[] }> {
    if (register === 'IN') {
      const incoming = await sequelize.query<RegisterLine & { channel: Channel; senderReference: string | null; senderDate: string | null; resolution: string | null; replies: string | null }>(
        `SELECT i.id, i.number, i.received_on AS "receivedOn", i.channel, i.kind, i.sender, i.sender_reference AS "senderReference", i.sender_date AS "senderDate",
                i.subject, i.due_date AS "dueDate", i.status, a.full_name AS "assigneeName", i.resolution, i.under_control AS "underControl", i.answered_on AS "answeredOn",
                (SELECT string_agg(l.number || ' (' || to_char(l.sent_on, 'DD.MM.YYYY') || ')', ', ' ORDER BY l.id) FROM outgoing_letters l
                  WHERE l.incoming_item_id = i.id AND l.status = 'SENT') AS replies
           FROM incoming_items i LEFT JOIN users a ON a.id = i.assignee_user_id
          WHERE i.region_id = :regionId AND i.received_on BETWEEN :from AND :to ORDER BY i.year, i.sequence`,
        { replacements: { regionId, from, to }, type: QueryTypes.SELECT },
      )
      return { incoming, outgoing: [] }
    }
    const outgoing = await sequelize.query<OutgoingLine>(
      `SELECT ${OUTGOING_LINE_COLUMNS} FROM ${OUTGOING_LINE_SOURCE}
        WHERE l.region_id = :regionId AND l.number IS NOT NULL AND l.signed_on BETWEEN :from AND :to ORDER BY l.year, l.sequence`,
      { replacements: { regionId, from, to }, type: QueryTypes.SELECT },
    )
    return { incoming: [], outgoing }
  }

  async function staff(regionId: number): Promise<{ id: number; fullName: string }[]> {
    return sequelize.query(
      `SELECT id, full_name AS "fullName" FROM users WHERE region_id = :regionId AND active AND role IN ('SPECIALIST', 'SENIOR_SPECIALIST', 'REGIONAL_HEAD') ORDER BY full_name`,
      { replacements: { regionId }, type: QueryTypes.SELECT },
    )
  }

  return {
    registerIncoming, item, itemFacts, recordView, assign, start, setControl, overrideDueDate, extensionOffer, extend,
    draftReply, draftStandalone, letter, letterFacts, editDraft, deleteDraft, sign, send, close, lettersOf,
    addAttachment, attachments, attachment, attachmentItem, recordDownload,
    taskOf, taskItem, task, addChecklistLine, requestInformation, markReceived, saveSections, submitTask, decideTask,
    incomingRegister, outgoingRegister, matchesIn, lettersInProgress, control, forBeneficiary, quarterSummary, registerForPeriod, staff,
  }
}

export type CorrespondenceService = ReturnType<typeof correspondenceService>
