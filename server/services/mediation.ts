import { QueryTypes, type Sequelize, type Transaction } from 'sequelize'
import type { Clock } from '../domain/clock'
import { serviceDateOf } from '../domain/dates'
import type { DueDateExplanation } from '../domain/deadlineRules'
import {
  mediationNumber,
  nextMediationStatus,
  OPEN_MEDIATION_STATUSES,
  outcomeNeedsMeeting,
  REPORT_OWED_STATUSES,
  type MediationEndKind,
  type MediationEvent,
  type MediationOutcome,
  type MediationStatus,
} from '../domain/mediation'
import type { AuditService } from './audit'
import { NotFoundError, ServiceError, StaleEditError, type RequestContext } from './context'
import type { DeadlineService } from './deadlines'
import { type SubmissionGuard, submissionOf } from './submissions'

export const MEDIATION_PAGE_SIZE = 50

export interface InstructionInput {
  criminalCaseNumber: string
  authority: string
  authorityReference: string | null
  authorityDecisionDate: string
  receivedOn: string
  /** The report date the authority sets, if it sets one. */
  authorityReportDate: string | null
  instructedOn: string
  instructionNote: string | null
}

export interface VictimInput {
  fullName: string
  contact: string | null
  representative: string | null
  notes: string | null
}

export interface NewCaseInput extends InstructionInput {
  beneficiaryFileNumber: string
  victim: VictimInput
}

export interface MeetingInput {
  heldOn: string
  place: string
  participants: string
  summary: string
  nextSteps: string | null
}

/** A case as everyone allowed to see it sees it: nothing about the victim, the meetings' contents or the agreement's terms. */
export interface MediationCase {
  id: number
  regionId: number
  number: string
  criminalCaseNumber: string
  authority: string
  authorityReference: string | null
  authorityDecisionDate: string
  receivedOn: string
  authorityReportDate: string | null
  instructedOn: string
  instructedByName: string
  instructionNote: string | null
  beneficiaryId: number
  beneficiaryFileNumber: string
  beneficiaryName: string
  mediatorUserId: number | null
  mediatorName: string | null
  mediatorNamedOn: string | null
  mediatorNamedByName: string | null
  status: MediationStatus
  outcome: MediationOutcome | null
  concludedOn: string | null
  endedOn: string | null
  endReason: string | null
  reportDueDate: string | null
  reportDueExplanation: DueDateExplanation | null
  reportSentOn: string | null
  reportLetterReference: string | null
  meetingCount: number
  version: number
}

export interface Victim extends VictimInput {
  version: number
}

export interface Meeting extends MeetingInput {
  id: number
  recordedByName: string
}

/** What only those running the mediation read. */
export interface ConfidentialRecord {
  victim: Victim | null
  meetings: Meeting[]
  outcomeReason: string | null
  agreementTerms: string | null
}

export interface CaseLine {
  id: number
  number: string
  instructedOn: string
  authority: string
  criminalCaseNumber: string
  beneficiaryId: number
  beneficiaryFileNumber: string
  beneficiaryName: string
  mediatorName: string | null
  status: MediationStatus
  outcome: MediationOutcome | null
  reportDueDate: string | null
  reportSentOn: string | null
  reportOverdue: boolean
}

export interface RegionSummary {
  regionId: number
  nameHy: string
  nameEn: string
  open: number
  awaitingReport: number
  overdue: number
}

interface CaseRow {
  id: number
  region_id: number
  status: MediationStatus
  version: number
  received_on: string
  instructed_on: string
  authority_report_date: string | null
  mediator_user_id: number | null
  concluded_on: string | null
  report_due_date: string | null
}

const CASE_COLUMNS = `c.id, c.region_id AS "regionId", c.number, c.criminal_case_number AS "criminalCaseNumber", c.authority, c.authority_reference AS "authorityReference",
  c.authority_decision_date AS "authorityDecisionDate", c.received_on AS "receivedOn", c.authority_report_date AS "authorityReportDate", c.instructed_on AS "instructedOn",
  ib.full_name AS "instructedByName", c.instruction_note AS "instructionNote", c.beneficiary_id AS "beneficiaryId", b.file_number AS "beneficiaryFileNumber",
  b.surname || ' ' || b.given_name AS "beneficiaryName", c.mediator_user_id AS "mediatorUserId", m.full_name AS "mediatorName", c.mediator_named_on AS "mediatorNamedOn",
  nb.full_name AS "mediatorNamedByName", c.status, c.outcome, c.concluded_on AS "concludedOn", c.ended_on AS "endedOn", c.end_reason AS "endReason",
  c.report_due_date AS "reportDueDate", c.report_due_explanation AS "reportDueExplanation", c.report_sent_on AS "reportSentOn",
  c.report_letter_reference AS "reportLetterReference", (SELECT count(*)::int FROM mediation_meetings mm WHERE mm.case_id = c.id) AS "meetingCount", c.version`

const STAFF_ROLES = `('SPECIALIST', 'SENIOR_SPECIALIST', 'REGIONAL_HEAD')`

/**
 * Mediations run on the service head's instruction: the instruction with the authority's decision, the parties
 * (the beneficiary's file; the victim's details apart), the mediator the regional head names, the meetings, the
 * outcome and the report to the instructing authority on its due date (rule MEDIATION_REPORT).
 */
export function mediationService(deps: { sequelize: Sequelize; clock: Clock; audit: AuditService; deadlines: DeadlineService; submissions: SubmissionGuard }) {
  const { sequelize, clock, audit, deadlines, submissions } = deps
  const today = () => serviceDateOf(clock.now())

  function auditOf(regionId: number, caseId: number) {
    return { category: 'mediation' as const, regionId, target: { type: 'mediationCase', id: caseId } }
  }

  function notInFuture(date: string, field: string): void {
    if (date > today()) throw new ServiceError('mediation.error.inFuture', field)
  }

  async function nextNumber(regionId: number, transaction: Transaction): Promise<{ year: number; sequence: number; number: string }> {
    const year = Number(today().slice(0, 4))
    const [counter] = await sequelize.query<{ last_number: number; file_prefix: string }>(
      `WITH next AS (
         INSERT INTO mediation_counters (region_id, year, last_number) VALUES (:regionId, :year, 1)
         ON CONFLICT (region_id, year) DO UPDATE SET last_number = mediation_counters.last_number + 1
         RETURNING last_number)
       SELECT next.last_number, regions.file_prefix FROM next, regions WHERE regions.id = :regionId`,
      { replacements: { regionId, year }, type: QueryTypes.SELECT, transaction },
    )
    if (!counter) throw new NotFoundError()
    return { year, sequence: counter.last_number, number: mediationNumber(counter.file_prefix, year, counter.last_number) }
  }

  async function lockCase(caseId: number, transaction: Transaction, expectedVersion?: number): Promise<CaseRow> {
    const [row] = await sequelize.query<CaseRow>(
      `SELECT id, region_id, status, version, received_on, instructed_on, authority_report_date, mediator_user_id, concluded_on, report_due_date
         FROM mediation_cases WHERE id = :caseId FOR UPDATE`,
      { replacements: { caseId }, type: QueryTypes.SELECT, transaction },
    )
    if (!row) throw new NotFoundError()
    if (expectedVersion !== undefined && row.version !== expectedVersion) throw new StaleEditError(row)
    return row
  }

  function transitionOf(row: CaseRow, event: MediationEvent, field?: string): MediationStatus {
    const next = nextMediationStatus(row.status, event)
    if (!next) throw new ServiceError(`mediation.cannot.${event}`, field)
    return next
  }

  async function updateCase(caseId: number, changes: Record<string, unknown>, transaction: Transaction): Promise<void> {
    const assignments = Object.keys(changes).map((column) => `${column} = :${column}`).join(', ')
    await sequelize.query(`UPDATE mediation_cases SET ${assignments}, version = version + 1, updated_at = :now WHERE id = :caseId`, {
      replacements: { ...changes, caseId, now: clock.now() },
      transaction,
    })
  }

  function checkInstruction(input: InstructionInput): void {
    notInFuture(input.authorityDecisionDate, 'authorityDecisionDate')
    notInFuture(input.receivedOn, 'receivedOn')
    notInFuture(input.instructedOn, 'instructedOn')
    if (input.authorityDecisionDate > input.receivedOn) throw new ServiceError('mediation.error.decisionAfterReceipt', 'authorityDecisionDate')
    if (input.instructedOn < input.receivedOn) throw new ServiceError('mediation.error.instructedBeforeReceipt', 'instructedOn')
    if (input.authorityReportDate && input.authorityReportDate < input.receivedOn) throw new ServiceError('mediation.error.reportDateBeforeReceipt', 'authorityReportDate')
  }

  /** The report's due date while the case is not concluded: the authority's date if it set one, else none yet. */
  async function dueFromInstruction(input: Pick<InstructionInput, 'receivedOn' | 'authorityReportDate'>, transaction: Transaction) {
    if (!input.authorityReportDate) return { report_due_date: null, report_due_explanation: null }
    const { dueDate, explanation } = await deadlines.compute('MEDIATION_REPORT', input.receivedOn, { documentDueDate: input.authorityReportDate }, transaction)
    return { report_due_date: dueDate, report_due_explanation: JSON.stringify(explanation) }
  }

  async function activeStaffOf(regionId: number, userId: number, transaction?: Transaction): Promise<boolean> {
    const [row] = await sequelize.query(`SELECT 1 FROM users WHERE id = :userId AND region_id = :regionId AND active AND role IN ${STAFF_ROLES}`, {
      replacements: { userId, regionId },
      type: QueryTypes.SELECT,
      transaction,
    })
    return row !== undefined
  }

  /**
   * The service head instructs a region: the case gets the region's next number, and the report its due date when the
   * authority set one. With a submission id, the same form instructs once (AlreadySubmitted names the case).
   */
  async function instruct(regionId: number, input: NewCaseInput, context: RequestContext, submissionId?: string): Promise<{ id: number; number: string }> {
    const submission = submissionOf(submissionId, 'mediation.instruct', context, clock.now())
    await submissions.notYetMade(submission)
    checkInstruction(input)
    return sequelize.transaction(async (transaction) => {
      const [file] = await sequelize.query<{ id: number; status: string; anonymised: boolean }>(
        'SELECT id, status, anonymised_at IS NOT NULL AS anonymised FROM beneficiaries WHERE file_number = :fileNumber AND region_id = :regionId',
        { replacements: { fileNumber: input.beneficiaryFileNumber, regionId }, type: QueryTypes.SELECT, transaction },
      )
      if (!file || file.anonymised) throw new ServiceError('mediation.error.beneficiaryNotFound', 'beneficiaryFileNumber')
      if (!['ACTIVE', 'SUSPENDED'].includes(file.status)) throw new ServiceError('mediation.error.beneficiaryClosed', 'beneficiaryFileNumber')
      const due = await dueFromInstruction(input, transaction)
      const { year, sequence, number } = await nextNumber(regionId, transaction)
      const [row] = await sequelize.query<{ id: number }>(
        `INSERT INTO mediation_cases (region_id, year, sequence, number, criminal_case_number, authority, authority_reference, authority_decision_date, received_on,
           authority_report_date, instructed_on, instructed_by_user_id, instruction_note, beneficiary_id, report_due_date, report_due_explanation)
         VALUES (:regionId, :year, :sequence, :number, :criminalCaseNumber, :authority, :authorityReference, :authorityDecisionDate, :receivedOn,
           :authorityReportDate, :instructedOn, :userId, :instructionNote, :beneficiaryId, :report_due_date, :report_due_explanation)
         RETURNING id`,
        {
          replacements: {
            regionId, year, sequence, number, criminalCaseNumber: input.criminalCaseNumber, authority: input.authority, authorityReference: input.authorityReference,
            authorityDecisionDate: input.authorityDecisionDate, receivedOn: input.receivedOn, authorityReportDate: input.authorityReportDate, instructedOn: input.instructedOn,
            userId: context.actor!.id, instructionNote: input.instructionNote, beneficiaryId: file.id, ...due,
          },
          type: QueryTypes.SELECT,
          transaction,
        },
      )
      await sequelize.query('INSERT INTO mediation_victims (case_id, full_name, contact, representative, notes) VALUES (:caseId, :fullName, :contact, :representative, :notes)', {
        replacements: { caseId: row.id, ...input.victim },
        transaction,
      })
      await audit.record(context, { ...auditOf(regionId, row.id), action: 'mediation.instruct', details: { number, beneficiaryId: file.id, reportDueDate: due.report_due_date } }, transaction)
      await submissions.made(submission, row.id, transaction)
      return { id: row.id, number }
    })
  }

  /** The service head corrects the instruction while the case is open; the report's due date follows the authority's date. */
  async function editInstruction(caseId: number, input: InstructionInput & { expectedVersion: number }, context: RequestContext): Promise<void> {
    checkInstruction(input)
    await sequelize.transaction(async (transaction) => {
      const row = await lockCase(caseId, transaction, input.expectedVersion)
      transitionOf(row, 'editInstruction')
      const due = await dueFromInstruction(input, transaction)
      await updateCase(caseId, {
        criminal_case_number: input.criminalCaseNumber, authority: input.authority, authority_reference: input.authorityReference, authority_decision_date: input.authorityDecisionDate,
        received_on: input.receivedOn, authority_report_date: input.authorityReportDate, instructed_on: input.instructedOn, instruction_note: input.instructionNote, ...due,
      }, transaction)
      await audit.record(context, { ...auditOf(row.region_id, caseId), action: 'mediation.editInstruction', details: { before: { reportDueDate: row.report_due_date }, after: { reportDueDate: due.report_due_date } } }, transaction)
    })
  }

  async function get(caseId: number): Promise<MediationCase> {
    const [row] = await sequelize.query<MediationCase>(
      `SELECT ${CASE_COLUMNS} FROM mediation_cases c
         JOIN beneficiaries b ON b.id = c.beneficiary_id
         JOIN users ib ON ib.id = c.instructed_by_user_id
         LEFT JOIN users m ON m.id = c.mediator_user_id
         LEFT JOIN users nb ON nb.id = c.mediator_named_by_user_id
        WHERE c.id = :caseId`,
      { replacements: { caseId }, type: QueryTypes.SELECT },
    )
    if (!row) throw new NotFoundError()
    return row
  }

  /** What the policy needs to decide on a case: its region and its mediator (as the staff member it is assigned to). */
  async function caseFacts(caseId: number): Promise<{ regionId: number; assigneeId: number | null }> {
    const [row] = await sequelize.query<{ regionId: number; assigneeId: number | null }>(
      'SELECT region_id AS "regionId", mediator_user_id AS "assigneeId" FROM mediation_cases WHERE id = :caseId',
      { replacements: { caseId }, type: QueryTypes.SELECT },
    )
    if (!row) throw new NotFoundError()
    return row
  }

  /** For those running the mediation only: the caller asks the policy first. */
  async function confidential(caseId: number): Promise<ConfidentialRecord> {
    const [[victim], meetings, [outcome]] = await Promise.all([
      sequelize.query<Victim>('SELECT full_name AS "fullName", contact, representative, notes, version FROM mediation_victims WHERE case_id = :caseId', { replacements: { caseId }, type: QueryTypes.SELECT }),
      sequelize.query<Meeting>(
        `SELECT mm.id, mm.held_on AS "heldOn", mm.place, mm.participants, mm.summary, mm.next_steps AS "nextSteps", u.full_name AS "recordedByName"
           FROM mediation_meetings mm JOIN users u ON u.id = mm.recorded_by_user_id WHERE mm.case_id = :caseId ORDER BY mm.held_on, mm.id`,
        { replacements: { caseId }, type: QueryTypes.SELECT },
      ),
      sequelize.query<{ outcomeReason: string | null; agreementTerms: string | null }>('SELECT outcome_reason AS "outcomeReason", agreement_terms AS "agreementTerms" FROM mediation_cases WHERE id = :caseId', {
        replacements: { caseId },
        type: QueryTypes.SELECT,
      }),
    ])
    if (!outcome) throw new NotFoundError()
    return { victim: victim ?? null, meetings, ...outcome }
  }

  /** The meetings' dates, which everyone who sees the case may see. */
  async function meetingDates(caseId: number): Promise<string[]> {
    const rows = await sequelize.query<{ heldOn: string }>('SELECT held_on AS "heldOn" FROM mediation_meetings WHERE case_id = :caseId ORDER BY held_on, id', { replacements: { caseId }, type: QueryTypes.SELECT })
    return rows.map((row) => row.heldOn)
  }

  /** Every view of a case is logged; one that showed the victim's details says so in its action. */
  async function recordView(caseId: number, regionId: number, withVictim: boolean, context: RequestContext): Promise<void> {
    await audit.record(context, { ...auditOf(regionId, caseId), action: withVictim ? 'mediation.viewVictim' : 'mediation.view' })
  }

  async function editVictim(caseId: number, input: VictimInput & { expectedVersion: number }, context: RequestContext): Promise<void> {
    await sequelize.transaction(async (transaction) => {
      const row = await lockCase(caseId, transaction)
      const [current] = await sequelize.query<Victim>(
        'SELECT full_name AS "fullName", contact, representative, notes, version FROM mediation_victims WHERE case_id = :caseId FOR UPDATE',
        { replacements: { caseId }, type: QueryTypes.SELECT, transaction },
      )
      if (!current) throw new NotFoundError()
      if (current.version !== input.expectedVersion) throw new StaleEditError(current)
      await sequelize.query(
        `UPDATE mediation_victims SET full_name = :fullName, contact = :contact, representative = :representative, notes = :notes, version = version + 1, updated_at = :now
          WHERE case_id = :caseId`,
        { replacements: { caseId, fullName: input.fullName, contact: input.contact, representative: input.representative, notes: input.notes, now: clock.now() }, transaction },
      )
      // Which details changed, never their values: the audit log is read more widely than the victim's details.
      const changed = (['fullName', 'contact', 'representative', 'notes'] as const).filter((field) => current[field] !== input[field])
      await audit.record(context, { ...auditOf(row.region_id, caseId), action: 'mediation.editVictim', details: { changed } }, transaction)
    })
  }

  /** The regional head (or acting head) names the mediator, or names another while the case is open. */
  async function nameMediator(caseId: number, input: { mediatorUserId: number; expectedVersion: number }, context: RequestContext): Promise<void> {
    await sequelize.transaction(async (transaction) => {
      const row = await lockCase(caseId, transaction, input.expectedVersion)
      const status = transitionOf(row, 'nameMediator', 'mediatorUserId')
      if (!(await activeStaffOf(row.region_id, input.mediatorUserId, transaction))) throw new ServiceError('mediation.error.notStaff', 'mediatorUserId')
      await updateCase(caseId, { status, mediator_user_id: input.mediatorUserId, mediator_named_on: today(), mediator_named_by_user_id: context.actor!.id }, transaction)
      await audit.record(context, { ...auditOf(row.region_id, caseId), action: 'mediation.nameMediator', details: { before: { mediatorUserId: row.mediator_user_id }, after: { mediatorUserId: input.mediatorUserId } } }, transaction)
    })
  }

  /** Records a meeting with the parties; with a submission id, the same form records it once (AlreadySubmitted names it). */
  async function recordMeeting(caseId: number, input: MeetingInput, context: RequestContext, submissionId?: string): Promise<void> {
    const submission = submissionOf(submissionId, 'mediation.recordMeeting', context, clock.now())
    notInFuture(input.heldOn, 'heldOn')
    await sequelize.transaction(async (transaction) => {
      const row = await lockCase(caseId, transaction)
      // Asked under the case's lock: a repeat that waited there for the first to commit finds the case moved on by it.
      await submissions.notYetMade(submission)
      const status = transitionOf(row, 'recordMeeting', 'heldOn')
      if (input.heldOn < row.instructed_on) throw new ServiceError('mediation.error.meetingBeforeInstruction', 'heldOn', { instructedOn: row.instructed_on })
      const [meeting] = await sequelize.query<{ id: number }>(
        `INSERT INTO mediation_meetings (case_id, held_on, place, participants, summary, next_steps, recorded_by_user_id)
         VALUES (:caseId, :heldOn, :place, :participants, :summary, :nextSteps, :userId) RETURNING id`,
        { replacements: { caseId, ...input, userId: context.actor!.id }, type: QueryTypes.SELECT, transaction },
      )
      await updateCase(caseId, { status }, transaction)
      await audit.record(context, { ...auditOf(row.region_id, caseId), action: 'mediation.recordMeeting', details: { meetingId: meeting.id, heldOn: input.heldOn } }, transaction)
      await submissions.made(submission, meeting.id, transaction)
    })
  }

  /**
   * Records the outcome. The report's due date is counted from the conclusion by rule MEDIATION_REPORT, unless the
   * authority's own date already set it.
   */
  async function conclude(
    caseId: number,
    input: { outcome: MediationOutcome; outcomeReason: string | null; agreementTerms: string | null; concludedOn: string; expectedVersion: number },
    context: RequestContext,
  ): Promise<{ reportDueDate: string }> {
    notInFuture(input.concludedOn, 'concludedOn')
    if (input.outcome === 'NOT_HELD' && !input.outcomeReason) throw new ServiceError('mediation.error.reasonRequired', 'outcomeReason')
    if (input.outcome === 'AGREEMENT' && !input.agreementTerms) throw new ServiceError('mediation.error.termsRequired', 'agreementTerms')
    return sequelize.transaction(async (transaction) => {
      const row = await lockCase(caseId, transaction, input.expectedVersion)
      const status = transitionOf(row, 'conclude', 'outcome')
      const [meetings] = await sequelize.query<{ count: number; last: string | null }>('SELECT count(*)::int AS count, max(held_on) AS last FROM mediation_meetings WHERE case_id = :caseId', {
        replacements: { caseId },
        type: QueryTypes.SELECT,
        transaction,
      })
      if (outcomeNeedsMeeting(input.outcome) && meetings.count === 0) throw new ServiceError('mediation.error.noMeetings', 'outcome')
      if (input.concludedOn < row.instructed_on) throw new ServiceError('mediation.error.concludedBeforeInstruction', 'concludedOn', { instructedOn: row.instructed_on })
      if (meetings.last && input.concludedOn < meetings.last) throw new ServiceError('mediation.error.concludedBeforeMeeting', 'concludedOn', { heldOn: meetings.last })
      const computed = row.report_due_date ? null : await deadlines.compute('MEDIATION_REPORT', input.concludedOn, {}, transaction)
      await updateCase(caseId, {
        status, outcome: input.outcome, outcome_reason: input.outcomeReason, agreement_terms: input.outcome === 'AGREEMENT' ? input.agreementTerms : null, concluded_on: input.concludedOn,
        ...(computed ? { report_due_date: computed.dueDate, report_due_explanation: JSON.stringify(computed.explanation) } : {}),
      }, transaction)
      const reportDueDate = computed?.dueDate ?? row.report_due_date!
      await audit.record(context, { ...auditOf(row.region_id, caseId), action: 'mediation.conclude', details: { outcome: input.outcome, concludedOn: input.concludedOn, reportDueDate } }, transaction)
      return { reportDueDate }
    })
  }

  async function recordReport(caseId: number, input: { sentOn: string; letterReference: string; expectedVersion: number }, context: RequestContext): Promise<void> {
    notInFuture(input.sentOn, 'sentOn')
    await sequelize.transaction(async (transaction) => {
      const row = await lockCase(caseId, transaction, input.expectedVersion)
      const status = transitionOf(row, 'report', 'sentOn')
      if (input.sentOn < row.concluded_on!) throw new ServiceError('mediation.error.reportBeforeConclusion', 'sentOn', { concludedOn: row.concluded_on! })
      await updateCase(caseId, { status, report_sent_on: input.sentOn, report_letter_reference: input.letterReference }, transaction)
      const onTime = row.report_due_date !== null && input.sentOn <= row.report_due_date
      await audit.record(context, { ...auditOf(row.region_id, caseId), action: 'mediation.report', details: { sentOn: input.sentOn, reportDueDate: row.report_due_date, onTime, letterReference: input.letterReference } }, transaction)
    })
  }

  /** Declined by the Service or ended by the authority before the conclusion: no outcome report is owed any more. */
  async function end(caseId: number, input: { kind: MediationEndKind; endedOn: string; reason: string; expectedVersion: number }, context: RequestContext): Promise<void> {
    notInFuture(input.endedOn, 'endedOn')
    await sequelize.transaction(async (transaction) => {
      const row = await lockCase(caseId, transaction, input.expectedVersion)
      const status = transitionOf(row, input.kind === 'DECLINED' ? 'decline' : 'end', 'kind')
      if (input.endedOn < row.received_on) throw new ServiceError('mediation.error.endedBeforeReceipt', 'endedOn', { receivedOn: row.received_on })
      await updateCase(caseId, { status, ended_on: input.endedOn, end_reason: input.reason }, transaction)
      await audit.record(context, { ...auditOf(row.region_id, caseId), action: `mediation.${input.kind === 'DECLINED' ? 'decline' : 'end'}`, details: { endedOn: input.endedOn } }, transaction)
    })
  }

  /** The region's cases, newest first; `mediatorUserId` narrows them to one mediator's own. */
  async function list(filter: { regionId: number; mediatorUserId?: number; status?: MediationStatus; page: number }): Promise<{ rows: CaseLine[]; total: number }> {
    const conditions = ['c.region_id = :regionId']
    if (filter.mediatorUserId !== undefined) conditions.push('c.mediator_user_id = :mediatorUserId')
    if (filter.status) conditions.push('c.status = :status')
    const where = conditions.join(' AND ')
    const replacements = { ...filter, owed: REPORT_OWED_STATUSES, today: today(), limit: MEDIATION_PAGE_SIZE, offset: (filter.page - 1) * MEDIATION_PAGE_SIZE }
    const [rows, [count]] = await Promise.all([
      sequelize.query<CaseLine>(
        `SELECT c.id, c.number, c.instructed_on AS "instructedOn", c.authority, c.criminal_case_number AS "criminalCaseNumber", c.beneficiary_id AS "beneficiaryId",
                b.file_number AS "beneficiaryFileNumber", b.surname || ' ' || b.given_name AS "beneficiaryName", m.full_name AS "mediatorName", c.status, c.outcome,
                c.report_due_date AS "reportDueDate", c.report_sent_on AS "reportSentOn", (c.status IN (:owed) AND c.report_due_date < :today) IS TRUE AS "reportOverdue"
           FROM mediation_cases c JOIN beneficiaries b ON b.id = c.beneficiary_id LEFT JOIN users m ON m.id = c.mediator_user_id
          WHERE ${where} ORDER BY c.year DESC, c.sequence DESC LIMIT :limit OFFSET :offset`,
        { replacements, type: QueryTypes.SELECT },
      ),
      sequelize.query<{ total: number }>(`SELECT count(*)::int AS total FROM mediation_cases c WHERE ${where}`, { replacements, type: QueryTypes.SELECT }),
    ])
    return { rows, total: count.total }
  }

  /** For the service head: per region, cases still running, reports awaited, and reports past their due date. */
  async function overview(): Promise<RegionSummary[]> {
    return sequelize.query<RegionSummary>(
      `SELECT r.id AS "regionId", r.name_hy AS "nameHy", r.name_en AS "nameEn",
              count(c.id) FILTER (WHERE c.status IN (:open))::int AS open,
              count(c.id) FILTER (WHERE c.status = 'CONCLUDED')::int AS "awaitingReport",
              count(c.id) FILTER (WHERE c.status IN (:owed) AND c.report_due_date < :today)::int AS overdue
         FROM regions r LEFT JOIN mediation_cases c ON c.region_id = r.id
        WHERE r.active GROUP BY r.id ORDER BY r.name_hy`,
      { replacements: { open: OPEN_MEDIATION_STATUSES, owed: REPORT_OWED_STATUSES, today: today() }, type: QueryTypes.SELECT },
    )
  }

  /** Who may be named mediator: the region's active staff. */
  async function mediatorCandidates(regionId: number): Promise<{ id: number; fullName: string }[]> {
    return sequelize.query(`SELECT id, full_name AS "fullName" FROM users WHERE region_id = :regionId AND active AND role IN ${STAFF_ROLES} ORDER BY full_name`, {
      replacements: { regionId },
      type: QueryTypes.SELECT,
    })
  }

  return {
    instruct, editInstruction, get, caseFacts, confidential, meetingDates, recordView, editVictim, nameMediator, recordMeeting, conclude, recordReport, end,
    list, overview, mediatorCandidates,
  }
}

export type MediationService = ReturnType<typeof mediationService>
