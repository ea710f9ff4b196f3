import { QueryTypes, type Sequelize, type Transaction } from 'sequelize'
import type { Clock } from '../domain/clock'
import { serviceDateOf } from '../domain/dates'
import { measureType, registrationDeadlineRuleIds, validateMeasureDetails, type DetailProblem, type MeasureCode } from '../domain/measureCatalogue'
import { applyTransition, availableTransitions, OPEN_MEASURE_STATES, type LifecycleAction, type LifecycleFacts, type LifecycleState, type Transition } from '../domain/measureLifecycle'
import { daysLeft, fineProgress, periodEnd, publicWorksProgress, type FineProgress, type PublicWorksProgress } from '../domain/measureProgress'
import type { MeasureListQueries, MeasureListRow } from '../data/measureList'
import { type SubmissionGuard, submissionOf } from './submissions'
import type { AuditService } from './audit'
import { NotFoundError, ServiceError, type RequestContext } from './context'
import type { DeadlineService, DeadlineView } from './deadlines'
import { actionDue, type ViolationKind, type ViolationOutcome } from '../domain/violations'

export const COURT_ACT_KINDS = ['VERDICT', 'DECISION', 'ORDER'] as const
export const CHANGE_KINDS = ['APPEAL', 'REPLACEMENT', 'CONVERSION', 'EARLY_RELEASE', 'REVOCATION', 'OTHER'] as const

/** How a changing act ends the measures it names. */
const END_REASON_OF_CHANGE: Record<(typeof CHANGE_KINDS)[number], string> = {
  APPEAL: 'other',
  REPLACEMENT: 'replaced',
  CONVERSION: 'converted',
  EARLY_RELEASE: 'other',
  REVOCATION: 'revoked',
  OTHER: 'other',
}

export interface CourtActInput {
  court: string
  caseNumber: string
  kind: (typeof COURT_ACT_KINDS)[number]
  actDate: string
  inForceDate: string | null
  receivedDate: string
  changesActId: number | null
  changeKind: (typeof CHANGE_KINDS)[number] | null
  /** The scanned act, one of the file's documents. */
  documentId: number | null
  /** Measures of the changed act that this act ends (replaced, converted, revoked...). */
  endsMeasureIds: number[]
}

export interface MeasureInput {
  typeCode: MeasureCode
  details: Record<string, unknown>
}

/** Problems with a court act's measures, by measure position and field. */
export class MeasureDetailsError extends Error {
  constructor(readonly problems: { index: number; problems: DetailProblem[] }[]) {
    super('measure details')
  }
}

export interface MeasureView {
  id: number
  courtActId: number
  typeCode: MeasureCode
  details: Record<string, unknown>
  state: LifecycleState
  startDate: string | null
  endDate: string | null
  endedOn: string | null
  endReason: string | null
  progress: { publicWorks?: PublicWorksProgress; fine?: FineProgress; daysLeft?: number | null }
  nextDeadline: { ruleId: string; dueDate: string; id: number } | null
  transitions: Transition[]
}

export interface CourtActView {
  id: number
  court: string
  caseNumber: string
  kind: string
  actDate: string
  inForceDate: string | null
  receivedDate: string
  changesActId: number | null
  changeKind: string | null
  documentId: number | null
}

interface MeasureRow {
  id: number
  beneficiary_id: number
  court_act_id: number
  type_code: MeasureCode
  details: Record<string, unknown>
  state: LifecycleState
  start_date: string | null
  end_date: string | null
  ended_on: string | null
  end_reason: string | null
  version: number
}

/** The term's end once execution has started: whole months from the start, or the date the court set. */
function termEnd(typeCode: MeasureCode, details: Record<string, unknown>, startDate: string | null): string | null {
  if (typeof details.termEndDate === 'string') return details.termEndDate
  const months = (details.probationPeriodMonths ?? details.termMonths) as number | undefined
  return startDate && typeof months === 'number' && measureType(typeCode).completion === 'endDateReached' ? periodEnd(startDate, months) : null
}

export function measureService(deps: { sequelize: Sequelize; clock: Clock; audit: AuditService; deadlines: DeadlineService; list: MeasureListQueries; submissions: SubmissionGuard }) {
  const { sequelize, clock, audit, deadlines, list, submissions } = deps
  const today = () => serviceDateOf(clock.now())

  async function regionOf(beneficiaryId: number, transaction?: Transaction): Promise<number> {
    const [row] = await sequelize.query<{ region_id: number }>('SELECT region_id FROM beneficiaries WHERE id = :id', { replacements: { id: beneficiaryId }, type: QueryTypes.SELECT, transaction })
    if (!row) throw new NotFoundError()
    return row.region_id
  }

  /**
   * Records a court act and the measures it imposes, in one transaction: the registration deadlines open,
   * and an act that changes an earlier one ends the measures it names.
   */
  /** Registers a court act with its measures; with a submission id, the same form registers once (AlreadySubmitted names the act). */
  async function registerCourtAct(beneficiaryId: number, act: CourtActInput, measures: MeasureInput[], context: RequestContext, submissionId?: string): Promise<number> {
    const submission = submissionOf(submissionId, 'courtAct.register', context, clock.now())
    await submissions.notYetMade(submission)
    const problems = measures.map((measure, index) => ({ index, problems: validateMeasureDetails(measure.typeCode, measure.details) })).filter((entry) => entry.problems.length > 0)
    if (problems.length > 0) throw new MeasureDetailsError(problems)
    if (act.receivedDate > today()) throw new ServiceError('courtAct.receivedInFuture', 'receivedDate')
    if (act.receivedDate < act.actDate) throw new ServiceError('courtAct.receivedBeforeAct', 'receivedDate')
    if (act.inForceDate && act.inForceDate < act.actDate) throw new ServiceError('courtAct.inForceBeforeAct', 'inForceDate')
    if (measures.length === 0 && act.endsMeasureIds.length === 0) throw new ServiceError('courtAct.nothingOrdered', 'measures')
    return sequelize.transaction(async (transaction) => {
      const regionId = await regionOf(beneficiaryId, transaction)
      if (act.documentId !== null) {
        const [document] = await sequelize.query<{ beneficiary_id: number }>('SELECT beneficiary_id FROM beneficiary_documents WHERE id = :id', { replacements: { id: act.documentId }, type: QueryTypes.SELECT, transaction })
        if (!document || document.beneficiary_id !== beneficiaryId) throw new ServiceError('courtAct.unknownDocument', 'documentId')
      }
      if (act.changesActId !== null) {
        const [changed] = await sequelize.query<{ beneficiary_id: number }>('SELECT beneficiary_id FROM court_acts WHERE id = :id', { replacements: { id: act.changesActId }, type: QueryTypes.SELECT, transaction })
        if (!changed || changed.beneficiary_id !== beneficiaryId) throw new ServiceError('courtAct.unknownChangedAct', 'changesActId')
      }
      const [{ id: courtActId }] = await sequelize.query<{ id: number }>(
        `INSERT INTO court_acts (beneficiary_id, court, case_number, kind, act_date, in_force_date, received_date, document_id, changes_act_id, change_kind, registered_by_user_id)
         VALUES (:beneficiaryId, :court, :caseNumber, :kind, :actDate, :inForceDate, :receivedDate, :documentId, :changesActId, :changeKind, :userId) RETURNING id`,
        { replacements: { beneficiaryId, ...act, userId: context.actor!.id }, type: QueryTypes.SELECT, transaction },
      )
      for (const measure of measures) {
        const [{ id: measureId }] = await sequelize.query<{ id: number }>(
          `INSERT INTO measures (beneficiary_id, court_act_id, type_code, details, state) VALUES (:beneficiaryId, :courtActId, :typeCode, :details, 'registered') RETURNING id`,
          { replacements: { beneficiaryId, courtActId, typeCode: measure.typeCode, details: JSON.stringify(measure.details) }, type: QueryTypes.SELECT, transaction },
        )
        await recordEvent(measureId, 'register', 'received', 'registered', act.receivedDate, null, courtActId, context, transaction)
        for (const ruleId of registrationDeadlineRuleIds(measure.typeCode, measure.details)) {
          // A fine is paid counting from its entry into force; everything else runs from receipt.
          const eventDate = ruleId === 'FINE_PAYMENT' ? (act.inForceDate ?? act.receivedDate) : act.receivedDate
          if (ruleId === 'PERIOD_END_REPORT') continue // it runs back from the period's end, known once execution starts
          await deadlines.open({ beneficiaryId, ruleId, subjectType: 'measure', subjectId: measureId, eventDate }, transaction)
        }
      }
      for (const measureId of act.endsMeasureIds) {
        const row = await lockMeasure(measureId, transaction)
        if (row.beneficiary_id !== beneficiaryId) throw new ServiceError('courtAct.unknownMeasure', 'endsMeasureIds')
        const result = applyTransition(row.state, 'end', { date: act.receivedDate, reason: act.changeKind ?? 'court act', endReason: END_REASON_OF_CHANGE[act.changeKind ?? 'OTHER'], courtActReference: String(courtActId) }, row.type_code, { today: today() })
        if (!result.ok) throw new ServiceError(`lifecycle.${result.reason}`, 'endsMeasureIds')
        await moveMeasure(row, result.to, { endedOn: act.receivedDate, endReason: END_REASON_OF_CHANGE[act.changeKind ?? 'OTHER'], endedByActId: courtActId }, transaction)
        await recordEvent(measureId, 'end', row.state, result.to, act.receivedDate, null, courtActId, context, transaction)
        await cancelOpenDeadlines(measureId, transaction)
      }
      await audit.record(context, { action: 'courtAct.register', category: 'beneficiary', regionId, target: { type: 'beneficiary', id: beneficiaryId }, details: { courtActId, measures: measures.map((m) => m.typeCode), ends: act.endsMeasureIds } }, transaction)
      await submissions.made(submission, courtActId, transaction)
      return courtActId
    })
  }

  // A measure that is over owes nothing more.
  async function cancelOpenDeadlines(measureId: number, transaction: Transaction): Promise<void> {
    await sequelize.query(`UPDATE deadlines SET status = 'CANCELLED', done_on = :today WHERE subject_type = 'measure' AND subject_id = :id AND status = 'OPEN'`, { replacements: { id: measureId, today: today() }, transaction })
  }

  async function lockMeasure(id: number, transaction: Transaction): Promise<MeasureRow> {
    const [row] = await sequelize.query<MeasureRow>('SELECT * FROM measures WHERE id = :id FOR UPDATE', { replacements: { id }, type: QueryTypes.SELECT, transaction })
    if (!row) throw new NotFoundError()
    return row
  }

  async function moveMeasure(row: MeasureRow, to: LifecycleState, changes: { startDate?: string; endDate?: string | null; endedOn?: string; endReason?: string; endedByActId?: number }, transaction: Transaction): Promise<void> {
    await sequelize.query(
      `UPDATE measures SET state = :to, start_date = COALESCE(:startDate, start_date), end_date = CASE WHEN :setEnd THEN :endDate::date ELSE end_date END,
              ended_on = COALESCE(:endedOn, ended_on), end_reason = COALESCE(:endReason, end_reason), ended_by_act_id = COALESCE(:endedByActId, ended_by_act_id),
              version = version + 1, updated_at = now() WHERE id = :id`,
      { replacements: { id: row.id, to, startDate: changes.startDate ?? null, setEnd: changes.endDate !== undefined, endDate: changes.endDate ?? null, endedOn: changes.endedOn ?? null, endReason: changes.endReason ?? null, endedByActId: changes.endedByActId ?? null }, transaction },
    )
  }

  async function recordEvent(measureId: number, action: string, from: string | null, to: string, onDate: string, reason: string | null, courtActId: number | null, context: RequestContext, transaction: Transaction): Promise<void> {
    await sequelize.query(
      `INSERT INTO measure_events (measure_id, action, from_state, to_state, on_date, reason, court_act_id, user_id) VALUES (:measureId, :action, :from, :to, :onDate, :reason, :courtActId, :userId)`,
      { replacements: { measureId, action, from, to, onDate, reason, courtActId, userId: context.actor!.id }, transaction },
    )
  }

  async function factsOf(row: MeasureRow, transaction?: Transaction): Promise<LifecycleFacts & { hoursDone?: number; paidAmd?: number }> {
    const facts: LifecycleFacts & { hoursDone?: number; paidAmd?: number } = { today: today(), endDate: row.end_date ?? termEnd(row.type_code, row.details, row.start_date) ?? undefined }
    const kind = measureType(row.type_code).executionKind
    if (kind === 'publicWorks') {
      const [{ tenths }] = await sequelize.query<{ tenths: number }>('SELECT COALESCE(sum(round(hours * 10)), 0)::int AS tenths FROM work_sessions WHERE measure_id = :id', { replacements: { id: row.id }, type: QueryTypes.SELECT, transaction })
      return { ...facts, hoursDone: tenths / 10, hoursOutstanding: Math.max(0, Number(row.details.hoursOrdered) * 10 - tenths) / 10 }
    }
    if (kind === 'fine') {
      const [{ paid }] = await sequelize.query<{ paid: number }>('SELECT COALESCE(sum(amount_amd), 0)::bigint AS paid FROM fine_payments WHERE measure_id = :id', { replacements: { id: row.id }, type: QueryTypes.SELECT, transaction })
      return { ...facts, paidAmd: Number(paid), fineBalanceAmd: Math.max(0, Number(row.details.amountAmd) - Number(paid)) }
    }
    return facts
  }

  async function find(measureId: number): Promise<{ id: number; beneficiaryId: number; regionId: number; typeCode: MeasureCode; state: LifecycleState }> {
    const [row] = await sequelize.query<{ id: number; beneficiary_id: number; region_id: number; type_code: MeasureCode; state: LifecycleState }>(
      'SELECT m.id, m.beneficiary_id, b.region_id, m.type_code, m.state FROM measures m JOIN beneficiaries b ON b.id = m.beneficiary_id WHERE m.id = :id',
      { replacements: { id: measureId }, type: QueryTypes.SELECT },
    )
    if (!row) throw new NotFoundError()
    return { id: row.id, beneficiaryId: row.beneficiary_id, regionId: row.region_id, typeCode: row.type_code, state: row.state }
  }

  /** Takes a lifecycle step, if the lifecycle allows it for this measure now. */
  async function transition(measureId: number, action: LifecycleAction, input: { date: string; reason: string | null; endReason: string | null; courtActReference: string | null }, context: RequestContext): Promise<void> {
    await sequelize.transaction(async (transaction) => {
      const row = await lockMeasure(measureId, transaction)
      const facts = await factsOf(row, transaction)
      const result = applyTransition(row.state, action, { date: input.date, reason: input.reason ?? undefined, endReason: input.endReason ?? undefined, courtActReference: input.courtActReference ?? undefined }, row.type_code, facts)
      if (!result.ok) throw new ServiceError(`lifecycle.${result.reason}`, result.reason.startsWith('DATE') ? 'date' : result.reason.includes('REASON') ? 'reason' : 'action')
      const changes: Parameters<typeof moveMeasure>[2] = {}
      if (action === 'start') {
        changes.startDate = input.date
        changes.endDate = termEnd(row.type_code, row.details, input.date)
      }
      if (action === 'complete' || action === 'end') {
        changes.endedOn = input.date
        if (action === 'end') changes.endReason = input.endReason ?? undefined
      }
      await moveMeasure(row, result.to, changes, transaction)
      await recordEvent(measureId, action, row.state, result.to, input.date, input.reason, null, context, transaction)
      if (action === 'start') {
        await deadlines.close('measure', measureId, ['ACT_REGISTER', 'FINE_ACT_REGISTER'], 'DONE', transaction)
        if (registrationDeadlineRuleIds(row.type_code, row.details).includes('PERIOD_END_REPORT') && changes.endDate) {
          await deadlines.open({ beneficiaryId: row.beneficiary_id, ruleId: 'PERIOD_END_REPORT', subjectType: 'measure', subjectId: measureId, eventDate: changes.endDate }, transaction)
        }
      }
      if (action === 'complete' || action === 'end') await cancelOpenDeadlines(measureId, transaction)
      const regionId = await regionOf(row.beneficiary_id, transaction)
      await audit.record(context, { action: `measure.${action}`, category: 'beneficiary', regionId, target: { type: 'beneficiary', id: row.beneficiary_id }, details: { measureId, from: row.state, to: result.to, date: input.date, reason: input.reason } }, transaction)
    })
  }

  /** Records a day of public works; with a submission id, the same form records it once (AlreadySubmitted names it). */
  async function addWorkSession(measureId: number, session: { workDate: string; hours: number; confirmedBy: string }, context: RequestContext, submissionId?: string): Promise<void> {
    const submission = submissionOf(submissionId, 'workSession.record', context, clock.now())
    await sequelize.transaction(async (transaction) => {
      const row = await lockMeasure(measureId, transaction)
      // Asked under the measure's lock: a repeat that waited there for the first to commit finds the hours left lowered by it.
      await submissions.notYetMade(submission)
      if (measureType(row.type_code).executionKind !== 'publicWorks') throw new ServiceError('measure.notPublicWorks')
      if (row.state !== 'in_execution') throw new ServiceError('measure.notInExecution', 'workDate')
      if (session.workDate > today()) throw new ServiceError('measure.workInFuture', 'workDate')
      if (row.start_date && session.workDate < row.start_date) throw new ServiceError('measure.workBeforeStart', 'workDate')
      const facts = await factsOf(row, transaction)
      if (session.hours > (facts.hoursOutstanding ?? 0)) throw new ServiceError('measure.moreHoursThanLeft', 'hours')
      const [{ id }] = await sequelize.query<{ id: number }>(
        'INSERT INTO work_sessions (measure_id, work_date, hours, confirmed_by, recorded_by_user_id) VALUES (:measureId, :workDate, :hours, :confirmedBy, :userId) RETURNING id',
        { replacements: { measureId, ...session, userId: context.actor!.id }, type: QueryTypes.SELECT, transaction },
      )
      await audit.record(context, { action: 'measure.workSession', category: 'beneficiary', regionId: await regionOf(row.beneficiary_id, transaction), target: { type: 'beneficiary', id: row.beneficiary_id }, details: { measureId, ...session } }, transaction)
      await submissions.made(submission, id, transaction)
    })
  }

  /** Records a payment of a fine; with a submission id, the same form records it once (AlreadySubmitted names it). */
  async function addFinePayment(measureId: number, payment: { paidOn: string; amountAmd: number; receiptNumber: string }, context: RequestContext, submissionId?: string): Promise<void> {
    const submission = submissionOf(submissionId, 'payment.record', context, clock.now())
    await sequelize.transaction(async (transaction) => {
      const row = await lockMeasure(measureId, transaction)
      // Asked under the measure's lock: a repeat that waited there for the first to commit finds the balance lowered by it.
      await submissions.notYetMade(submission)
      if (measureType(row.type_code).executionKind !== 'fine') throw new ServiceError('measure.notFine')
      if (!OPEN_MEASURE_STATES.includes(row.state)) throw new ServiceError('measure.notOpen', 'amountAmd')
      if (payment.paidOn > today()) throw new ServiceError('measure.paymentInFuture', 'paidOn')
      const facts = await factsOf(row, transaction)
      if (payment.amountAmd > (facts.fineBalanceAmd ?? 0)) throw new ServiceError('measure.paymentOverBalance', 'amountAmd')
      const [{ id }] = await sequelize.query<{ id: number }>(
        'INSERT INTO fine_payments (measure_id, paid_on, amount_amd, receipt_number, recorded_by_user_id) VALUES (:measureId, :paidOn, :amountAmd, :receiptNumber, :userId) RETURNING id',
        { replacements: { measureId, ...payment, userId: context.actor!.id }, type: QueryTypes.SELECT, transaction },
      )
      if (payment.amountAmd === facts.fineBalanceAmd) await deadlines.close('measure', measureId, ['FINE_PAYMENT'], 'DONE', transaction)
      await audit.record(context, { action: 'measure.payment', category: 'beneficiary', regionId: await regionOf(row.beneficiary_id, transaction), target: { type: 'beneficiary', id: row.beneficiary_id }, details: { measureId, ...payment } }, transaction)
      await submissions.made(submission, id, transaction)
    })
  }

  async function courtActsOf(beneficiaryId: number): Promise<CourtActView[]> {
    return sequelize.query(
      `SELECT id, court, case_number AS "caseNumber", kind, act_date AS "actDate", in_force_date AS "inForceDate", received_date AS "receivedDate",
              changes_act_id AS "changesActId", change_kind AS "changeKind", document_id AS "documentId" FROM court_acts WHERE beneficiary_id = :beneficiaryId ORDER BY received_date DESC, id DESC`,
      { replacements: { beneficiaryId }, type: QueryTypes.SELECT },
    )
  }

  /** The person's measures; the caller may pass the open deadlines it already read. */
  async function measuresOf(beneficiaryId: number, openDeadlines?: DeadlineView[]): Promise<MeasureView[]> {
    const rows = await sequelize.query<MeasureRow>('SELECT * FROM measures WHERE beneficiary_id = :beneficiaryId ORDER BY id', { replacements: { beneficiaryId }, type: QueryTypes.SELECT })
    if (rows.length === 0) return []
    const open = openDeadlines ?? (await deadlines.forBeneficiary(beneficiaryId, true))
    return Promise.all(rows.map((row) => viewOf(row, open)))
  }

  async function viewOf(row: MeasureRow, openDeadlines: { id: number; ruleId: string; dueDate: string; subjectType: string; subjectId: number }[]): Promise<MeasureView> {
    const facts = await factsOf(row)
    const progress: MeasureView['progress'] = {}
    const kind = measureType(row.type_code).executionKind
    if (kind === 'publicWorks') {
      const sessions = await sequelize.query<{ hours: string }>('SELECT hours FROM work_sessions WHERE measure_id = :id', { replacements: { id: row.id }, type: QueryTypes.SELECT })
      progress.publicWorks = publicWorksProgress({ hoursOrdered: Number(row.details.hoursOrdered), sessions: sessions.map((s) => ({ hours: Number(s.hours) })), startDate: row.start_date, termEnd: row.end_date, today: today() })
    }
    if (kind === 'fine') {
      const due = openDeadlines.find((d) => d.subjectId === row.id && d.ruleId === 'FINE_PAYMENT')?.dueDate ?? null
      progress.fine = fineProgress({ amountAmd: Number(row.details.amountAmd), payments: [{ amountAmd: facts.paidAmd ?? 0 }], paymentDue: due, today: today() })
    }
    if (row.end_date) progress.daysLeft = daysLeft(row.end_date, today())
    const next = openDeadlines.filter((d) => d.subjectType === 'measure' && d.subjectId === row.id).sort((a, b) => a.dueDate.localeCompare(b.dueDate))[0]
    return {
      id: row.id,
      courtActId: row.court_act_id,
      typeCode: row.type_code,
      details: row.details,
      state: row.state,
      startDate: row.start_date,
      endDate: row.end_date,
      endedOn: row.ended_on,
      endReason: row.end_reason,
      progress,
      nextDeadline: next ? { id: next.id, ruleId: next.ruleId, dueDate: next.dueDate } : null,
      transitions: availableTransitions(row.state, row.type_code, facts),
    }
  }

  async function workSessions(measureId: number): Promise<{ workDate: string; hours: number; confirmedBy: string }[]> {
    const rows = await sequelize.query<{ workDate: string; hours: string; confirmedBy: string }>('SELECT work_date AS "workDate", hours, confirmed_by AS "confirmedBy" FROM work_sessions WHERE measure_id = :id ORDER BY work_date, id', { replacements: { id: measureId }, type: QueryTypes.SELECT })
    return rows.map((r) => ({ ...r, hours: Number(r.hours) }))
  }

  async function payments(measureId: number): Promise<{ paidOn: string; amountAmd: number; receiptNumber: string }[]> {
    const rows = await sequelize.query<{ paidOn: string; amountAmd: string; receiptNumber: string }>('SELECT paid_on AS "paidOn", amount_amd AS "amountAmd", receipt_number AS "receiptNumber" FROM fine_payments WHERE measure_id = :id ORDER BY paid_on, id', { replacements: { id: measureId }, type: QueryTypes.SELECT })
    return rows.map((r) => ({ ...r, amountAmd: Number(r.amountAmd) }))
  }

  async function events(measureId: number): Promise<{ action: string; fromState: string | null; toState: string; onDate: string; reason: string | null; changeKind: string | null }[]> {
    // An end by a later court act is told by the act's kind of change (events before this kept its code as the reason).
    return sequelize.query(
      `SELECT e.action, e.from_state AS "fromState", e.to_state AS "toState", e.on_date AS "onDate", e.reason, a.change_kind AS "changeKind"
         FROM measure_events e LEFT JOIN court_acts a ON a.id = e.court_act_id AND e.action = 'end' WHERE e.measure_id = :id ORDER BY e.id`,
      { replacements: { id: measureId }, type: QueryTypes.SELECT },
    )
  }

  async function measure(measureId: number): Promise<MeasureView & { beneficiaryId: number }> {
    const [row] = await sequelize.query<MeasureRow>('SELECT * FROM measures WHERE id = :id', { replacements: { id: measureId }, type: QueryTypes.SELECT })
    if (!row) throw new NotFoundError()
    return { ...(await viewOf(row, await deadlines.forBeneficiary(row.beneficiary_id, true))), beneficiaryId: row.beneficiary_id }
  }

  /** The region's measures, with what is due; `dueWithinDays` keeps those due by then (negative: overdue only). */
  /** The region's measures, the next open deadline first (none last), then by name, a page at a time. */
  async function regionList(filter: { regionId: number; typeCode?: string; state?: string; officerId?: number; due?: 'overdue' | number; page: number }): Promise<{ rows: MeasureListRow[]; total: number }> {
    return list.page({ ...filter, today: today() })
  }

  /** Records a violation of a measure; with a submission id, the same form records it once (AlreadySubmitted names it). */
  async function recordViolation(measureId: number, violation: { kind: ViolationKind; occurredOn: string; description: string }, context: RequestContext, submissionId?: string): Promise<void> {
    const submission = submissionOf(submissionId, 'violation.record', context, clock.now())
    await submissions.notYetMade(submission)
    if (violation.occurredOn > today()) throw new ServiceError('violation.inFuture', 'occurredOn')
    await sequelize.transaction(async (transaction) => {
      const row = await lockMeasure(measureId, transaction)
      if (!OPEN_MEASURE_STATES.includes(row.state)) throw new ServiceError('measure.notOpen', 'kind')
      const [{ earlier }] = await sequelize.query<{ earlier: number }>('SELECT count(*)::int AS earlier FROM violations WHERE measure_id = :id', { replacements: { id: measureId }, type: QueryTypes.SELECT, transaction })
      const action = actionDue(violation.kind, earlier)
      const [{ id }] = await sequelize.query<{ id: number }>(
        `INSERT INTO violations (measure_id, kind, occurred_on, description, action_due, recorded_by_user_id) VALUES (:measureId, :kind, :occurredOn, :description, :action, :userId) RETURNING id`,
        { replacements: { measureId, ...violation, action, userId: context.actor!.id }, type: QueryTypes.SELECT, transaction },
      )
      await deadlines.open({ beneficiaryId: row.beneficiary_id, ruleId: 'VIOLATION_ACTION', subjectType: 'violation', subjectId: id, eventDate: today() }, transaction)
      await reassessmentAfterViolation(row.beneficiary_id, transaction)
      await audit.record(context, { action: 'violation.record', category: 'beneficiary', regionId: await regionOf(row.beneficiary_id, transaction), target: { type: 'beneficiary', id: row.beneficiary_id }, details: { measureId, violationId: id, kind: violation.kind, actionDue: action } }, transaction)
      await submissions.made(submission, id, transaction)
    })
  }

  /** A violation calls for a reassessment sooner than scheduled, once the person has been assessed at all. */
  async function reassessmentAfterViolation(beneficiaryId: number, transaction: Transaction): Promise<void> {
    const [assessed] = await sequelize.query(`SELECT 1 FROM assessments WHERE beneficiary_id = :beneficiaryId AND status <> 'DRAFT' LIMIT 1`, { replacements: { beneficiaryId }, type: QueryTypes.SELECT, transaction })
    const [alreadyDue] = await sequelize.query(`SELECT 1 FROM deadlines WHERE subject_type = 'beneficiary' AND subject_id = :beneficiaryId AND rule_id = 'REASSESSMENT_AFTER_VIOLATION' AND status = 'OPEN'`, { replacements: { beneficiaryId }, type: QueryTypes.SELECT, transaction })
    if (assessed && !alreadyDue) await deadlines.open({ beneficiaryId, ruleId: 'REASSESSMENT_AFTER_VIOLATION', subjectType: 'beneficiary', subjectId: beneficiaryId, eventDate: today() }, transaction)
  }

  async function findViolation(violationId: number): Promise<{ id: number; beneficiaryId: number; measureId: number; decidedOn: string | null }> {
    const [row] = await sequelize.query<{ id: number; beneficiary_id: number; measure_id: number; decided_on: string | null }>(
      'SELECT v.id, m.beneficiary_id, v.measure_id, v.decided_on FROM violations v JOIN measures m ON m.id = v.measure_id WHERE v.id = :id',
      { replacements: { id: violationId }, type: QueryTypes.SELECT },
    )
    if (!row) throw new NotFoundError()
    return { id: row.id, beneficiaryId: row.beneficiary_id, measureId: row.measure_id, decidedOn: row.decided_on }
  }

  /** The regional head's decision on a violation; the decision deadline closes. */
  async function decideViolation(violationId: number, decision: { outcome: ViolationOutcome; decidedOn: string }, context: RequestContext): Promise<void> {
    if (decision.decidedOn > today()) throw new ServiceError('violation.inFuture', 'decidedOn')
    await sequelize.transaction(async (transaction) => {
      const [violation] = await sequelize.query<{ measure_id: number; decided_on: string | null; occurred_on: string }>('SELECT measure_id, decided_on, occurred_on FROM violations WHERE id = :id FOR UPDATE', { replacements: { id: violationId }, type: QueryTypes.SELECT, transaction })
      if (!violation) throw new NotFoundError()
      if (violation.decided_on) throw new ServiceError('violation.alreadyDecided', 'outcome')
      if (decision.decidedOn < violation.occurred_on) throw new ServiceError('violation.decidedBeforeIt', 'decidedOn')
      await sequelize.query('UPDATE violations SET outcome = :outcome, decided_on = :decidedOn, decided_by_user_id = :userId WHERE id = :id', { replacements: { id: violationId, ...decision, userId: context.actor!.id }, transaction })
      await deadlines.close('violation', violationId, ['VIOLATION_ACTION'], 'DONE', transaction)
      const row = await lockMeasure(violation.measure_id, transaction)
      await audit.record(context, { action: 'violation.decide', category: 'beneficiary', regionId: await regionOf(row.beneficiary_id, transaction), target: { type: 'beneficiary', id: row.beneficiary_id }, details: { violationId, ...decision } }, transaction)
    })
  }

  async function violationsOf(measureId: number): Promise<{ id: number; kind: string; occurredOn: string; description: string; actionDue: string; decidedOn: string | null; outcome: string | null }[]> {
    return sequelize.query(
      'SELECT id, kind, occurred_on AS "occurredOn", description, action_due AS "actionDue", decided_on AS "decidedOn", outcome FROM violations WHERE measure_id = :id ORDER BY occurred_on, id',
      { replacements: { id: measureId }, type: QueryTypes.SELECT },
    )
  }

  /** Violations of the region still awaiting the head's decision, oldest deadline first. */
  async function violationsAwaitingDecision(regionId: number): Promise<Record<string, unknown>[]> {
    return sequelize.query(
      `SELECT v.id, v.kind, v.occurred_on AS "occurredOn", v.action_due AS "actionDue", v.description, m.id AS "measureId", m.type_code AS "typeCode",
              b.id AS "beneficiaryId", b.file_number AS "fileNumber", b.surname, b.given_name AS "givenName", d.id AS "deadlineId", d.due_date AS "dueDate"
         FROM violations v JOIN measures m ON m.id = v.measure_id JOIN beneficiaries b ON b.id = m.beneficiary_id
         LEFT JOIN deadlines d ON d.subject_type = 'violation' AND d.subject_id = v.id AND d.status = 'OPEN'
        WHERE b.region_id = :regionId AND v.decided_on IS NULL ORDER BY d.due_date NULLS LAST, v.id`,
      { replacements: { regionId }, type: QueryTypes.SELECT },
    )
  }

  /** Records a check of one of the court's obligations; with a submission id, the same form records it once (AlreadySubmitted names it). */
  async function checkObligation(measureId: number, check: { obligationIndex: number; checkedOn: string; complied: boolean; note: string | null }, context: RequestContext, submissionId?: string): Promise<void> {
    const submission = submissionOf(submissionId, 'obligationCheck.record', context, clock.now())
    await submissions.notYetMade(submission)
    if (check.checkedOn > today()) throw new ServiceError('measure.checkInFuture', 'checkedOn')
    await sequelize.transaction(async (transaction) => {
      const row = await lockMeasure(measureId, transaction)
      const obligations = Array.isArray(row.details.courtObligations) ? row.details.courtObligations : []
      if (check.obligationIndex >= obligations.length) throw new ServiceError('measure.unknownObligation', 'obligationIndex')
      if (!['in_execution', 'suspended'].includes(row.state)) throw new ServiceError('measure.notInExecution', 'checkedOn')
      const [{ id }] = await sequelize.query<{ id: number }>(
        'INSERT INTO obligation_checks (measure_id, obligation_index, checked_on, complied, note, checked_by_user_id) VALUES (:measureId, :obligationIndex, :checkedOn, :complied, :note, :userId) RETURNING id',
        { replacements: { measureId, ...check, userId: context.actor!.id }, type: QueryTypes.SELECT, transaction },
      )
      await audit.record(context, { action: 'measure.obligationCheck', category: 'beneficiary', regionId: await regionOf(row.beneficiary_id, transaction), target: { type: 'beneficiary', id: row.beneficiary_id }, details: { measureId, ...check } }, transaction)
      await submissions.made(submission, id, transaction)
    })
  }

  /** The court's obligations with their checks, newest first. */
  async function obligationsOf(measureId: number, details: Record<string, unknown>): Promise<{ index: number; text: string; checks: { checkedOn: string; complied: boolean; note: string | null }[] }[]> {
    const obligations = Array.isArray(details.courtObligations) ? (details.courtObligations as string[]) : []
    if (obligations.length === 0) return []
    const checks = await sequelize.query<{ obligationIndex: number; checkedOn: string; complied: boolean; note: string | null }>(
      'SELECT obligation_index AS "obligationIndex", checked_on AS "checkedOn", complied, note FROM obligation_checks WHERE measure_id = :id ORDER BY checked_on DESC, id DESC',
      { replacements: { id: measureId }, type: QueryTypes.SELECT },
    )
    return obligations.map((text, index) => ({ index, text, checks: checks.filter((c) => c.obligationIndex === index).map(({ obligationIndex: _index, ...check }) => check) }))
  }

  /** Records whether the person reported on a day; with a submission id, the same form records it once (AlreadySubmitted names it). */
  async function recordReport(measureId: number, report: { expectedOn: string; reported: boolean; note: string | null }, context: RequestContext, submissionId?: string): Promise<void> {
    const submission = submissionOf(submissionId, 'reportCheckin.record', context, clock.now())
    if (report.expectedOn > today()) throw new ServiceError('measure.checkInFuture', 'expectedOn')
    try {
      await sequelize.transaction(async (transaction) => {
        const row = await lockMeasure(measureId, transaction)
        // Asked under the measure's lock: a repeat that waited there for the first to commit would otherwise be refused as a day already recorded.
        await submissions.notYetMade(submission)
        if (typeof row.details.reportingPerWeek !== 'number') throw new ServiceError('measure.noReporting', 'expectedOn')
        if (!['in_execution', 'suspended'].includes(row.state)) throw new ServiceError('measure.notInExecution', 'expectedOn')
        const [{ id }] = await sequelize.query<{ id: number }>(
          'INSERT INTO reporting_checkins (measure_id, expected_on, reported, note, recorded_by_user_id) VALUES (:measureId, :expectedOn, :reported, :note, :userId) RETURNING id',
          { replacements: { measureId, ...report, userId: context.actor!.id }, type: QueryTypes.SELECT, transaction },
        )
        await audit.record(context, { action: report.reported ? 'measure.reported' : 'measure.absent', category: 'beneficiary', regionId: await regionOf(row.beneficiary_id, transaction), target: { type: 'beneficiary', id: row.beneficiary_id }, details: { measureId, ...report } }, transaction)
        await submissions.made(submission, id, transaction)
      })
    } catch (error) {
      if ((error as { name?: string }).name === 'SequelizeUniqueConstraintError') throw new ServiceError('measure.reportAlreadyRecorded', 'expectedOn')
      throw error
    }
  }

  async function reportsOf(measureId: number): Promise<{ expectedOn: string; reported: boolean; note: string | null }[]> {
    return sequelize.query('SELECT expected_on AS "expectedOn", reported, note FROM reporting_checkins WHERE measure_id = :id ORDER BY expected_on DESC', { replacements: { id: measureId }, type: QueryTypes.SELECT })
  }

  async function executionKindOf(measureId: number, transaction: Transaction): Promise<{ row: MeasureRow; kind: string }> {
    const row = await lockMeasure(measureId, transaction)
    return { row, kind: measureType(row.type_code).executionKind }
  }

  /** Records where public works are done; with a submission id, the same form records it once (AlreadySubmitted names it). */
  async function addPlacement(measureId: number, placement: { organisation: string; address: string; supervisor: string; fromDate: string }, context: RequestContext, submissionId?: string): Promise<void> {
    const submission = submissionOf(submissionId, 'placement.record', context, clock.now())
    await submissions.notYetMade(submission)
    await sequelize.transaction(async (transaction) => {
      const { row, kind } = await executionKindOf(measureId, transaction)
      if (kind !== 'publicWorks') throw new ServiceError('measure.notPublicWorks', 'organisation')
      if (['completed', 'ended'].includes(row.state)) throw new ServiceError('measure.notOpen', 'organisation')
      const [{ id }] = await sequelize.query<{ id: number }>(
        'INSERT INTO work_placements (measure_id, organisation, address, supervisor, from_date, recorded_by_user_id) VALUES (:measureId, :organisation, :address, :supervisor, :fromDate, :userId) RETURNING id',
        { replacements: { measureId, ...placement, userId: context.actor!.id }, type: QueryTypes.SELECT, transaction },
      )
      await audit.record(context, { action: 'measure.placement', category: 'beneficiary', regionId: await regionOf(row.beneficiary_id, transaction), target: { type: 'beneficiary', id: row.beneficiary_id }, details: { measureId, ...placement } }, transaction)
      await submissions.made(submission, id, transaction)
    })
  }

  /** Records a notice of a deprivation of a right sent to whoever must enforce it; with a submission id, the same form records it once (AlreadySubmitted names it). */
  async function addRightNotice(measureId: number, notice: { addresseeKind: string; addressee: string; sentOn: string; letterReference: string }, context: RequestContext, submissionId?: string): Promise<void> {
    const submission = submissionOf(submissionId, 'rightNotice.record', context, clock.now())
    await submissions.notYetMade(submission)
    if (notice.sentOn > today()) throw new ServiceError('measure.checkInFuture', 'sentOn')
    await sequelize.transaction(async (transaction) => {
      const { row, kind } = await executionKindOf(measureId, transaction)
      if (kind !== 'deprivation') throw new ServiceError('measure.notDeprivation', 'addressee')
      const [{ id }] = await sequelize.query<{ id: number }>(
        'INSERT INTO right_notices (measure_id, addressee_kind, addressee, sent_on, letter_reference, recorded_by_user_id) VALUES (:measureId, :addresseeKind, :addressee, :sentOn, :letterReference, :userId) RETURNING id',
        { replacements: { measureId, ...notice, userId: context.actor!.id }, type: QueryTypes.SELECT, transaction },
      )
      await audit.record(context, { action: 'measure.rightNotice', category: 'beneficiary', regionId: await regionOf(row.beneficiary_id, transaction), target: { type: 'beneficiary', id: row.beneficiary_id }, details: { measureId, ...notice } }, transaction)
      await submissions.made(submission, id, transaction)
    })
  }

  async function placementsOf(measureId: number): Promise<{ organisation: string; address: string; supervisor: string; fromDate: string }[]> {
    return sequelize.query('SELECT organisation, address, supervisor, from_date AS "fromDate" FROM work_placements WHERE measure_id = :id ORDER BY from_date DESC, id DESC', { replacements: { id: measureId }, type: QueryTypes.SELECT })
  }

  async function rightNoticesOf(measureId: number): Promise<{ addresseeKind: string; addressee: string; sentOn: string; letterReference: string }[]> {
    return sequelize.query('SELECT addressee_kind AS "addresseeKind", addressee, sent_on AS "sentOn", letter_reference AS "letterReference" FROM right_notices WHERE measure_id = :id ORDER BY sent_on, id', { replacements: { id: measureId }, type: QueryTypes.SELECT })
  }

  return { addPlacement, addRightNotice, placementsOf, rightNoticesOf, checkObligation, obligationsOf, recordReport, reportsOf, recordViolation, findViolation, decideViolation, violationsOf, violationsAwaitingDecision, registerCourtAct, find, transition, addWorkSession, addFinePayment, courtActsOf, measuresOf, measure, workSessions, payments, events, regionList }
}

export type MeasureService = ReturnType<typeof measureService>
