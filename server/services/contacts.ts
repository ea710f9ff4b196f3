import { QueryTypes, type Sequelize, type Transaction } from 'sequelize'
import type { Clock } from '../domain/clock'
import { addCalendarDays } from '../domain/calendar'
import { OPEN_FILE_STATUSES } from '../domain/beneficiaryCatalogue'
import { serviceDateOf } from '../domain/dates'
import {
  countsAsHeld,
  monthlyCompliance,
  monthsBetween,
  needsRiskWarning,
  scheduleProblem,
  violationPrompt,
  type ContactKind,
  type ContactOutcome,
  type ContactRecord,
  type FrequencyPeriod,
  type MonthCompliance,
  type ViolationPrompt,
} from '../domain/contacts'
import { sqlOf } from '../data/sql'
import type { AuditService } from './audit'
import { NotFoundError, ServiceError, StaleEditError, type RequestContext } from './context'
import type { DeadlineService } from './deadlines'
import { type SubmissionGuard, submissionOf } from './submissions'

export const PENDING_PAGE_SIZE = 50
/** The compliance table covers at most this many months, the current one last. */
const COMPLIANCE_MONTHS = 12

export interface AppointmentView {
  id: number
  beneficiaryId: number
  planId: number | null
  kind: ContactKind
  scheduledAt: Date
  durationMinutes: number
  place: string | null
  notes: string | null
  bookedByName: string
  outcome: ContactOutcome | null
  outcomeNote: string | null
  outcomeRecordedAt: Date | null
  outcomeRecordedByName: string | null
  cancelledAt: Date | null
  cancelReason: string | null
  version: number
  /** A home visit to a person flagged as a risk to staff. */
  riskWarning: boolean
  /** Its time has come and no outcome is recorded (and it was not cancelled). */
  awaitingOutcome: boolean
}

export interface BookingInput {
  kind: ContactKind
  scheduledAt: Date
  durationMinutes: number
  place: string | null
  notes: string | null
  /** Given when the contact already happened and is entered afterwards. */
  outcome: ContactOutcome | null
  outcomeNote: string | null
  /** The officer has read the risk-to-staff warning (required for a home visit to a flagged person). */
  riskAcknowledged: boolean
}

export interface PlanFrequency {
  id: number
  planVersion: number
  contactsPerMonth: number
  approvedOn: string
}

export interface ContactsOverview {
  upcoming: AppointmentView[]
  past: AppointmentView[]
  planInForce: PlanFrequency | null
  compliance: MonthCompliance[]
  prompt: ViolationPrompt
}

export interface PendingLine {
  id: number
  kind: ContactKind
  scheduledAt: Date
  beneficiaryId: number
  fileNumber: string
  surname: string
  givenName: string
  riskToStaff: boolean
  officerName: string | null
  onMyCaseload: boolean
}

interface AppointmentRow extends Omit<AppointmentView, 'riskWarning' | 'awaitingOutcome'> {
  riskToStaff: boolean
}

const APPOINTMENT_SELECT = `SELECT a.id, a.beneficiary_id AS "beneficiaryId", a.plan_id AS "planId", a.kind, a.scheduled_at AS "scheduledAt", a.duration_minutes AS "durationMinutes", a.place, a.notes,
       bu.full_name AS "bookedByName", a.outcome, a.outcome_note AS "outcomeNote", a.outcome_recorded_at AS "outcomeRecordedAt", ou.full_name AS "outcomeRecordedByName",
       a.cancelled_at AS "cancelledAt", a.cancel_reason AS "cancelReason", a.version, b.risk_to_staff AS "riskToStaff"
  FROM appointments a JOIN beneficiaries b ON b.id = a.beneficiary_id JOIN users bu ON bu.id = a.booked_by_user_id LEFT JOIN users ou ON ou.id = a.outcome_recorded_by_user_id`

/**
 * Appointments with the person and their outcomes: booked against the plan in force, outcomes recorded once the
 * time has come (the first contact held closes the FIRST_CONTACT deadline), each month's contacts against the
 * plans' frequency, the prompt to consider a violation after repeated unacceptable absences, and the region's list
 * of past appointments still without an outcome.
 */
export function contactService(deps: { sequelize: Sequelize; clock: Clock; audit: AuditService; deadlines: DeadlineService; submissions: SubmissionGuard }) {
  const { sequelize, clock, audit, deadlines, submissions } = deps

  function auditOf(regionId: number, beneficiaryId: number) {
    return { category: 'beneficiary' as const, regionId, target: { type: 'beneficiary', id: beneficiaryId } }
  }

  function viewOf({ riskToStaff, ...row }: AppointmentRow): AppointmentView {
    return { ...row, riskWarning: needsRiskWarning(row.kind, riskToStaff), awaitingOutcome: row.outcome === null && row.cancelledAt === null && row.scheduledAt.getTime() <= clock.now().getTime() }
  }

  async function facts(appointmentId: number): Promise<{ beneficiaryId: number }> {
    const [row] = await sequelize.query<{ beneficiaryId: number }>('SELECT beneficiary_id AS "beneficiaryId" FROM appointments WHERE id = :appointmentId', { replacements: { appointmentId }, type: QueryTypes.SELECT })
    if (!row) throw new NotFoundError()
    return row
  }

  async function get(appointmentId: number, transaction?: Transaction): Promise<AppointmentView> {
    const [row] = await sequelize.query<AppointmentRow>(`${APPOINTMENT_SELECT} WHERE a.id = :appointmentId`, { replacements: { appointmentId }, type: QueryTypes.SELECT, transaction })
    if (!row) throw new NotFoundError()
    return viewOf(row)
  }

  async function appointmentsOf(beneficiaryId: number): Promise<AppointmentView[]> {
    const rows = await sequelize.query<AppointmentRow>(`${APPOINTMENT_SELECT} WHERE a.beneficiary_id = :beneficiaryId ORDER BY a.scheduled_at DESC, a.id DESC`, { replacements: { beneficiaryId }, type: QueryTypes.SELECT })
    return rows.map(viewOf)
  }

  /** Every approved version of the person's plans, each in force until the next one's approval. */
  async function frequencyPeriods(beneficiaryId: number, transaction?: Transaction): Promise<{ periods: FrequencyPeriod[]; inForce: PlanFrequency | null }> {
    const plans = await sequelize.query<PlanFrequency & { status: string }>(
      `SELECT id, plan_version AS "planVersion", contacts_per_month AS "contactsPerMonth", approved_on AS "approvedOn", status FROM supervision_plans
        WHERE beneficiary_id = :beneficiaryId AND status IN ('APPROVED', 'SUPERSEDED') AND approved_on IS NOT NULL ORDER BY approved_on, plan_version`,
      { replacements: { beneficiaryId }, type: QueryTypes.SELECT, transaction },
    )
    const periods = plans.map((plan, index) => ({ from: plan.approvedOn, to: plans[index + 1]?.approvedOn ?? null, contactsPerMonth: plan.contactsPerMonth }))
    const inForce = plans.find((plan) => plan.status === 'APPROVED')
    return { periods, inForce: inForce ? { id: inForce.id, planVersion: inForce.planVersion, contactsPerMonth: inForce.contactsPerMonth, approvedOn: inForce.approvedOn } : null }
  }

  async function lastMissedReportOn(beneficiaryId: number): Promise<string | null> {
    const [row] = await sequelize.query<{ last: string | null }>(
      `SELECT max(v.occurred_on) AS last FROM violations v JOIN measures m ON m.id = v.measure_id WHERE m.beneficiary_id = :beneficiaryId AND v.kind = 'MISSED_REPORT'`,
      { replacements: { beneficiaryId }, type: QueryTypes.SELECT },
    )
    return row?.last ?? null
  }

  async function closedOnOf(beneficiaryId: number): Promise<string | null> {
    const [row] = await sequelize.query<{ closedOn: string | null }>('SELECT closed_on AS "closedOn" FROM beneficiaries WHERE id = :beneficiaryId', { replacements: { beneficiaryId }, type: QueryTypes.SELECT })
    return row?.closedOn ?? null
  }

  /** The person's contacts page: appointments to come and past, the monthly compliance and the absences prompt. */
  async function overview(beneficiaryId: number, absencesBeforeViolation: number): Promise<ContactsOverview> {
    const now = clock.now()
    const today = serviceDateOf(now)
    const [appointments, { periods, inForce }, lastViolation, closedOn] = await Promise.all([appointmentsOf(beneficiaryId), frequencyPeriods(beneficiaryId), lastMissedReportOn(beneficiaryId), closedOnOf(beneficiaryId)])
    const records: ContactRecord[] = appointments.filter((appointment) => appointment.cancelledAt === null).map((appointment) => ({ date: serviceDateOf(appointment.scheduledAt), kind: appointment.kind, outcome: appointment.outcome, due: appointment.scheduledAt.getTime() <= now.getTime() }))
    // A closed file is judged up to its closing day: no contacts are required after it.
    const lastDay = closedOn !== null && closedOn < today ? closedOn : today
    const judged = closedOn === null ? periods : periods.map((period) => ({ ...period, to: period.to !== null && period.to <= closedOn ? period.to : addCalendarDays(closedOn, 1) }))
    const earliest = [...periods.map((period) => period.from), ...records.map((record) => record.date).filter((date) => date <= lastDay)].sort()[0]
    const months = earliest && earliest <= lastDay ? monthsBetween(earliest, lastDay).slice(-COMPLIANCE_MONTHS) : []
    return {
      upcoming: appointments.filter((appointment) => appointment.scheduledAt.getTime() > now.getTime() && appointment.cancelledAt === null).reverse(),
      past: appointments.filter((appointment) => appointment.scheduledAt.getTime() <= now.getTime() || appointment.cancelledAt !== null),
      planInForce: inForce,
      compliance: monthlyCompliance(records, judged, months, today).reverse(),
      prompt: violationPrompt(records, { threshold: absencesBeforeViolation, planInForceFrom: inForce?.approvedOn ?? null, lastMissedReportOn: lastViolation }),
    }
  }

  /** The first contact held closes the FIRST_CONTACT deadline opened at registration. */
  async function closeFirstContact(beneficiaryId: number, kind: ContactKind, outcome: ContactOutcome | null, transaction: Transaction): Promise<void> {
    if (countsAsHeld(kind, outcome)) await deadlines.close('beneficiary', beneficiaryId, ['FIRST_CONTACT'], 'DONE', transaction)
  }

  /** Books an appointment (or records one held); with a submission id, the same form books once (AlreadySubmitted names it). */
  async function book(beneficiaryId: number, input: BookingInput, context: RequestContext, submissionId?: string): Promise<number> {
    const now = clock.now()
    const submission = submissionOf(submissionId, 'contact.book', context, now)
    await submissions.notYetMade(submission)
    const problem = scheduleProblem(input.scheduledAt, now, input.outcome !== null)
    if (problem) throw new ServiceError(`contacts.${problem}`, problem === 'outcomeBeforeAppointment' ? 'outcome' : 'date', { days: problem === 'tooFarBack' ? 90 : 366 })
    if (input.outcome === null && input.outcomeNote) throw new ServiceError('contacts.noteWithoutOutcome', 'outcomeNote')
    return sequelize.transaction(async (transaction) => {
      const [file] = await sequelize.query<{ region_id: number; status: string; risk_to_staff: boolean }>('SELECT region_id, status, risk_to_staff FROM beneficiaries WHERE id = :beneficiaryId FOR SHARE', {
        replacements: { beneficiaryId },
        type: QueryTypes.SELECT,
        transaction,
      })
      if (!file) throw new NotFoundError()
      if (!OPEN_FILE_STATUSES.includes(file.status)) throw new ServiceError('contacts.fileNotOpen', 'kind')
      if (needsRiskWarning(input.kind, file.risk_to_staff) && !input.riskAcknowledged) throw new ServiceError('contacts.riskNotAcknowledged', 'riskAcknowledged')
      const { inForce } = await frequencyPeriods(beneficiaryId, transaction)
      const [row] = await sequelize.query<{ id: number }>(
        `INSERT INTO appointments (beneficiary_id, plan_id, kind, scheduled_at, duration_minutes, place, notes, booked_by_user_id, booked_at, outcome, outcome_note, outcome_recorded_at, outcome_recorded_by_user_id)
         VALUES (:beneficiaryId, :planId, :kind, :scheduledAt, :durationMinutes, :place, :notes, :userId, :now, :outcome, :outcomeNote, :recordedAt, :recordedBy) RETURNING id`,
        {
          replacements: {
            beneficiaryId, planId: inForce?.id ?? null, kind: input.kind, scheduledAt: input.scheduledAt, durationMinutes: input.durationMinutes, place: input.place, notes: input.notes, userId: context.actor!.id, now,
            outcome: input.outcome, outcomeNote: input.outcomeNote, recordedAt: input.outcome ? now : null, recordedBy: input.outcome ? context.actor!.id : null,
          },
          type: QueryTypes.SELECT,
          transaction,
        },
      )
      await closeFirstContact(beneficiaryId, input.kind, input.outcome, transaction)
      await audit.record(context, { ...auditOf(file.region_id, beneficiaryId), action: 'contact.book', details: { appointmentId: row.id, kind: input.kind, outcome: input.outcome, riskWarning: needsRiskWarning(input.kind, file.risk_to_staff) } }, transaction)
      await submissions.made(submission, row.id, transaction)
      return row.id
    })
  }

  async function lock(appointmentId: number, expectedVersion: number, transaction: Transaction) {
    const [row] = await sequelize.query<{ beneficiary_id: number; region_id: number; kind: ContactKind; scheduled_at: Date; outcome: ContactOutcome | null; cancelled_at: Date | null; version: number }>(
      'SELECT a.beneficiary_id, b.region_id, a.kind, a.scheduled_at, a.outcome, a.cancelled_at, a.version FROM appointments a JOIN beneficiaries b ON b.id = a.beneficiary_id WHERE a.id = :appointmentId FOR UPDATE OF a',
      { replacements: { appointmentId }, type: QueryTypes.SELECT, transaction },
    )
    if (!row) throw new NotFoundError()
    if (row.version !== expectedVersion) throw new StaleEditError(await get(appointmentId, transaction))
    if (row.cancelled_at) throw new ServiceError('contacts.appointmentCancelled', 'outcome')
    return row
  }

  /** Records (or corrects) the outcome, once the appointment's time has come. */
  async function recordOutcome(appointmentId: number, input: { outcome: ContactOutcome; note: string | null }, expectedVersion: number, context: RequestContext): Promise<void> {
    await sequelize.transaction(async (transaction) => {
      const row = await lock(appointmentId, expectedVersion, transaction)
      const now = clock.now()
      if (now.getTime() < row.scheduled_at.getTime()) throw new ServiceError('contacts.outcomeBeforeAppointment', 'outcome')
      await sequelize.query(
        `UPDATE appointments SET outcome = :outcome, outcome_note = :note, outcome_recorded_at = :now, outcome_recorded_by_user_id = :userId, version = version + 1, updated_at = :now WHERE id = :appointmentId`,
        { replacements: { ...input, now, userId: context.actor!.id, appointmentId }, transaction },
      )
      await closeFirstContact(row.beneficiary_id, row.kind, input.outcome, transaction)
      await audit.record(context, { ...auditOf(row.region_id, row.beneficiary_id), action: 'contact.outcome', details: { appointmentId, kind: row.kind, before: row.outcome, after: input.outcome } }, transaction)
    })
  }

  /** An appointment that will not take place (booked in error, moved to another time) is cancelled with the reason. */
  async function cancel(appointmentId: number, reason: string, expectedVersion: number, context: RequestContext): Promise<void> {
    await sequelize.transaction(async (transaction) => {
      const row = await lock(appointmentId, expectedVersion, transaction)
      if (row.outcome) throw new ServiceError('contacts.hasOutcome', 'reason')
      const now = clock.now()
      await sequelize.query('UPDATE appointments SET cancelled_at = :now, cancelled_by_user_id = :userId, cancel_reason = :reason, version = version + 1, updated_at = :now WHERE id = :appointmentId', {
        replacements: { now, userId: context.actor!.id, reason, appointmentId },
        transaction,
      })
      await audit.record(context, { ...auditOf(row.region_id, row.beneficiary_id), action: 'contact.cancel', details: { appointmentId, kind: row.kind } }, transaction)
    })
  }

  /** What a calendar entry needs: the file number, never the person's name (calendars sync to phones). */
  async function calendarEntry(appointmentId: number): Promise<{ id: number; version: number; kind: ContactKind; scheduledAt: Date; durationMinutes: number; place: string | null; cancelled: boolean; fileNumber: string; riskWarning: boolean }> {
    const [row] = await sequelize.query<{ id: number; version: number; kind: ContactKind; scheduledAt: Date; durationMinutes: number; place: string | null; cancelledAt: Date | null; fileNumber: string; riskToStaff: boolean }>(
      `SELECT a.id, a.version, a.kind, a.scheduled_at AS "scheduledAt", a.duration_minutes AS "durationMinutes", a.place, a.cancelled_at AS "cancelledAt", b.file_number AS "fileNumber", b.risk_to_staff AS "riskToStaff"
         FROM appointments a JOIN beneficiaries b ON b.id = a.beneficiary_id WHERE a.id = :appointmentId`,
      { replacements: { appointmentId }, type: QueryTypes.SELECT },
    )
    if (!row) throw new NotFoundError()
    const { cancelledAt, riskToStaff, ...entry } = row
    return { ...entry, cancelled: cancelledAt !== null, riskWarning: needsRiskWarning(row.kind, riskToStaff) }
  }

  async function recordCalendarExport(appointmentId: number, beneficiaryId: number, regionId: number, context: RequestContext): Promise<void> {
    await audit.record(context, { ...auditOf(regionId, beneficiaryId), action: 'contact.calendarExport', details: { appointmentId } })
  }

  /**
   * The region's past appointments still without an outcome, oldest first. Everyone sees the whole region (the
   * head follows up every officer's); the user's own caseload comes first, or alone with `onlyMine`.
   */
  /**
   * Appointments held (their time has come) still without an outcome: the region's open APPOINTMENT_OUTCOME items of
   * the work ledger due by today, the ones on the user's caseload first. A closed file's are not there: nobody can act.
   */
  /**
   * The region's appointments past their time without an outcome (the ledger's open APPOINTMENT_OUTCOME items due by
   * today), the user's own caseload first, then by time. Each part is read in due-date order from its index and only the
   * page's appointments are looked up; the total counts the items, with today's checked against the time.
   */
  async function pending(filter: { regionId: number; userId: number; onlyMine: boolean; page: number }): Promise<{ rows: PendingLine[]; total: number }> {
    // $1 region, $2 today, $3 now, $4 the user, $5 limit, $6 offset.
    const item = `w.state = 'OPEN' AND w.region_id = $1 AND w.kind = 'APPOINTMENT_OUTCOME'`
    const whose = filter.onlyMine ? 'w.assignee_user_id = $4' : 'true'
    const rows = await sqlOf(sequelize).rows<PendingLine & { total: number }>(
      `WITH due AS (
         (SELECT w.source_id, w.due_date, true AS mine FROM work_items w WHERE ${item} AND w.assignee_user_id = $4 AND w.due_date <= $2 ORDER BY w.due_date)
         ${filter.onlyMine ? '' : `UNION ALL (SELECT w.source_id, w.due_date, false FROM work_items w WHERE ${item} AND w.assignee_user_id IS DISTINCT FROM $4 AND w.due_date <= $2 ORDER BY w.due_date)`}
       ), page AS (
         SELECT a.id, a.kind, a.scheduled_at, a.beneficiary_id, due.mine, due.due_date
           FROM due JOIN LATERAL (SELECT id, kind, scheduled_at, beneficiary_id FROM appointments WHERE id = due.source_id AND scheduled_at <= $3 LIMIT 1) a ON true
          ORDER BY due.mine DESC, due.due_date, a.scheduled_at, a.id LIMIT $5 OFFSET $6
       )
       SELECT p.id, p.kind, p.scheduled_at, b.id AS beneficiary_id, b.file_number, b.surname, b.given_name, b.risk_to_staff, u.full_name AS officer_name, p.mine AS on_my_caseload,
              (SELECT count(*) FROM work_items w WHERE ${item} AND ${whose} AND w.due_date < $2)::int
              + (SELECT count(*) FROM work_items w JOIN appointments a ON a.id = w.source_id WHERE ${item} AND ${whose} AND w.due_date = $2 AND a.scheduled_at <= $3)::int AS total
         FROM page p JOIN beneficiaries b ON b.id = p.beneficiary_id LEFT JOIN users u ON u.id = b.responsible_officer_id
        ORDER BY p.mine DESC, p.due_date, p.scheduled_at, p.id`,
      [filter.regionId, serviceDateOf(clock.now()), clock.now(), filter.userId, PENDING_PAGE_SIZE, (filter.page - 1) * PENDING_PAGE_SIZE],
    )
    return { rows: rows.map(({ total: _total, ...row }) => row), total: rows[0]?.total ?? 0 }
  }

  /** The default date offered in the booking form: the next day. */
  function suggestedDate(): string {
    return addCalendarDays(serviceDateOf(clock.now()), 1)
  }

  return { facts, get, appointmentsOf, overview, book, recordOutcome, cancel, calendarEntry, recordCalendarExport, pending, suggestedDate }
}

export type ContactService = ReturnType<typeof contactService>
