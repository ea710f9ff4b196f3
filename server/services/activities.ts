import { QueryTypes, type Sequelize, type Transaction } from 'sequelize'
import { MAX_EVENT_AHEAD_DAYS, MAX_EVENT_BACK_DAYS, participationCounts, type ActivityKind, type Attendance, type QuarterCounts } from '../domain/activities'
import { addCalendarDays } from '../domain/calendar'
import { OPEN_FILE_STATUSES } from '../domain/beneficiaryCatalogue'
import type { Clock } from '../domain/clock'
import { serviceDateOf } from '../domain/dates'
import type { AuditService } from './audit'
import { NotFoundError, ServiceError, StaleEditError, type RequestContext } from './context'
import { type SubmissionGuard, submissionOf } from './submissions'

export interface EventInput {
  kind: ActivityKind
  title: string
  date: string
  /** 'HH:MM', Yerevan time. */
  time: string | null
  place: string
  organiser: string
  description: string | null
}

export interface EventView extends EventInput {
  id: number
  regionId: number
  createdByName: string
  version: number
  invited: number
  attended: number
}

export interface GoalOption {
  id: number
  needDomain: string | null
  description: string
}

export interface ParticipantView {
  id: number
  beneficiaryId: number
  fileNumber: string
  surname: string
  givenName: string
  invitedOn: string
  attendance: Attendance | null
  goalId: number | null
  goalDescription: string | null
  goalNeedDomain: string | null
  note: string | null
  version: number
  /** The goals of the person's plan in force: the participation may be linked to one of them. */
  goals: GoalOption[]
}

export interface ParticipationView {
  eventId: number
  kind: ActivityKind
  title: string
  date: string
  attendance: Attendance | null
  goalDescription: string | null
  goalNeedDomain: string | null
}

export interface QuarterlyReport {
  year: number
  byKind: { kind: ActivityKind; quarters: QuarterCounts[]; total: QuarterCounts }[]
  byPerson: { beneficiaryId: number; fileNumber: string; surname: string; givenName: string; quarters: number[]; total: number; invited: number }[]
}

const EVENT_SELECT = `SELECT e.id, e.region_id AS "regionId", e.kind, e.title, e.event_date AS date, to_char(e.start_time, 'HH24:MI') AS time, e.place, e.organiser, e.description,
       u.full_name AS "createdByName", e.version,
       (SELECT count(*)::int FROM activity_participants p WHERE p.event_id = e.id) AS invited,
       (SELECT count(*)::int FROM activity_participants p WHERE p.event_id = e.id AND p.attendance = 'ATTENDED') AS attended
  FROM activity_events e JOIN users u ON u.id = e.created_by_user_id`

/**
 * The region's resocialisation events: date, place and organiser; the region's files invited and their attendance;
 * each participation linked to a goal of the person's plan in force; participation counted per quarter.
 */
export function activityService(deps: { sequelize: Sequelize; clock: Clock; audit: AuditService; submissions: SubmissionGuard }) {
  const { sequelize, clock, audit, submissions } = deps
  const today = () => serviceDateOf(clock.now())

  function eventAudit(regionId: number, eventId: number) {
    return { category: 'activity' as const, regionId, target: { type: 'activityEvent', id: eventId } }
  }

  function personAudit(regionId: number, beneficiaryId: number) {
    return { category: 'beneficiary' as const, regionId, target: { type: 'beneficiary', id: beneficiaryId } }
  }

  function checkEvent(input: EventInput): void {
    if (input.date > addCalendarDays(today(), MAX_EVENT_AHEAD_DAYS) || input.date < addCalendarDays(today(), -MAX_EVENT_BACK_DAYS)) throw new ServiceError('activities.dateRange', 'date', { days: MAX_EVENT_AHEAD_DAYS })
  }

  async function facts(eventId: number): Promise<{ regionId: number }> {
    const [row] = await sequelize.query<{ regionId: number }>('SELECT region_id AS "regionId" FROM activity_events WHERE id = :eventId', { replacements: { eventId }, type: QueryTypes.SELECT })
    if (!row) throw new NotFoundError()
    return row
  }

  async function list(regionId: number, year: number): Promise<EventView[]> {
    return sequelize.query<EventView>(`${EVENT_SELECT} WHERE e.region_id = :regionId AND e.event_date BETWEEN :from AND :to ORDER BY e.event_date DESC, e.start_time DESC NULLS LAST, e.id DESC`, {
      replacements: { regionId, from: `${year}-01-01`, to: `${year}-12-31` },
      type: QueryTypes.SELECT,
    })
  }

  async function get(eventId: number, transaction?: Transaction): Promise<EventView> {
    const [row] = await sequelize.query<EventView>(`${EVENT_SELECT} WHERE e.id = :eventId`, { replacements: { eventId }, type: QueryTypes.SELECT, transaction })
    if (!row) throw new NotFoundError()
    return row
  }

  /** Creates an event; with a submission id, the same form creates it once (AlreadySubmitted names it). */
  async function create(regionId: number, input: EventInput, context: RequestContext, submissionId?: string): Promise<number> {
    const now = clock.now()
    const submission = submissionOf(submissionId, 'activity.create', context, now)
    await submissions.notYetMade(submission)
    checkEvent(input)
    return sequelize.transaction(async (transaction) => {
      const [row] = await sequelize.query<{ id: number }>(
        `INSERT INTO activity_events (region_id, kind, title, event_date, start_time, place, organiser, description, created_by_user_id, created_at, updated_at)
         VALUES (:regionId, :kind, :title, :date, :time, :place, :organiser, :description, :userId, :now, :now) RETURNING id`,
        { replacements: { regionId, ...input, userId: context.actor!.id, now }, type: QueryTypes.SELECT, transaction },
      )
      await audit.record(context, { ...eventAudit(regionId, row.id), action: 'activity.create', details: { kind: input.kind, date: input.date } }, transaction)
      await submissions.made(submission, row.id, transaction)
      return row.id
    })
  }

  async function update(eventId: number, input: EventInput, expectedVersion: number, context: RequestContext): Promise<void> {
    checkEvent(input)
    await sequelize.transaction(async (transaction) => {
      const [row] = await sequelize.query<{ region_id: number; version: number; event_date: string; kind: ActivityKind }>('SELECT region_id, version, event_date, kind FROM activity_events WHERE id = :eventId FOR UPDATE', {
        replacements: { eventId },
        type: QueryTypes.SELECT,
        transaction,
      })
      if (!row) throw new NotFoundError()
      if (row.version !== expectedVersion) throw new StaleEditError(await get(eventId, transaction))
      if (input.date > today()) {
        const [{ recorded }] = await sequelize.query<{ recorded: number }>('SELECT count(*)::int AS recorded FROM activity_participants WHERE event_id = :eventId AND attendance IS NOT NULL', { replacements: { eventId }, type: QueryTypes.SELECT, transaction })
        if (recorded > 0) throw new ServiceError('activities.cannotMoveToFuture', 'date')
      }
      await sequelize.query(
        `UPDATE activity_events SET kind = :kind, title = :title, event_date = :date, start_time = :time, place = :place, organiser = :organiser, description = :description, version = version + 1, updated_at = :now WHERE id = :eventId`,
        { replacements: { ...input, now: clock.now(), eventId }, transaction },
      )
      await audit.record(context, { ...eventAudit(row.region_id, eventId), action: 'activity.edit', details: { before: { kind: row.kind, date: row.event_date }, after: { kind: input.kind, date: input.date } } }, transaction)
    })
  }

  /** Goals of the plans in force of these people, by person. */
  async function goalsInForce(beneficiaryIds: number[], transaction?: Transaction): Promise<Map<number, GoalOption[]>> {
    const goals = new Map<number, GoalOption[]>()
    if (beneficiaryIds.length === 0) return goals
    const rows = await sequelize.query<GoalOption & { beneficiaryId: number }>(
      `SELECT p.beneficiary_id AS "beneficiaryId", g.id, g.need_domain AS "needDomain", g.description FROM plan_goals g JOIN supervision_plans p ON p.id = g.plan_id
        WHERE p.status = 'APPROVED' AND p.beneficiary_id IN (:beneficiaryIds) AND g.status <> 'REMOVED' ORDER BY g.position, g.id`,
      { replacements: { beneficiaryIds }, type: QueryTypes.SELECT, transaction },
    )
    for (const { beneficiaryId, ...goal } of rows) goals.set(beneficiaryId, [...(goals.get(beneficiaryId) ?? []), goal])
    return goals
  }

  async function participants(eventId: number): Promise<ParticipantView[]> {
    const rows = await sequelize.query<Omit<ParticipantView, 'goals'>>(
      `SELECT p.id, p.beneficiary_id AS "beneficiaryId", b.file_number AS "fileNumber", b.surname, b.given_name AS "givenName", p.invited_on AS "invitedOn", p.attendance,
              p.goal_id AS "goalId", g.description AS "goalDescription", g.need_domain AS "goalNeedDomain", p.note, p.version
         FROM activity_participants p JOIN beneficiaries b ON b.id = p.beneficiary_id LEFT JOIN plan_goals g ON g.id = p.goal_id
        WHERE p.event_id = :eventId ORDER BY b.surname_latin, b.given_name_latin, p.id`,
      { replacements: { eventId }, type: QueryTypes.SELECT },
    )
    const goals = await goalsInForce(rows.map((row) => row.beneficiaryId))
    return rows.map((row) => ({ ...row, goals: goals.get(row.beneficiaryId) ?? [] }))
  }

  /** The region's open files not yet invited to the event, to choose from. */
  async function candidates(eventId: number): Promise<{ id: number; fileNumber: string; surname: string; givenName: string }[]> {
    return sequelize.query(
      `SELECT b.id, b.file_number AS "fileNumber", b.surname, b.given_name AS "givenName" FROM beneficiaries b JOIN activity_events e ON e.region_id = b.region_id
        WHERE e.id = :eventId AND b.status IN (:statuses) AND b.anonymised_at IS NULL AND NOT EXISTS (SELECT 1 FROM activity_participants p WHERE p.event_id = e.id AND p.beneficiary_id = b.id)
        ORDER BY b.surname_latin, b.given_name_latin, b.id`,
      { replacements: { eventId, statuses: OPEN_FILE_STATUSES }, type: QueryTypes.SELECT },
    )
  }

  /** Invites the region's own open files; anyone else (another region's file, a closed one) refuses the whole invitation. */
  async function invite(eventId: number, beneficiaryIds: number[], context: RequestContext): Promise<void> {
    await sequelize.transaction(async (transaction) => {
      const [event] = await sequelize.query<{ region_id: number }>('SELECT region_id FROM activity_events WHERE id = :eventId FOR UPDATE', { replacements: { eventId }, type: QueryTypes.SELECT, transaction })
      if (!event) throw new NotFoundError()
      const files = await sequelize.query<{ id: number }>('SELECT id FROM beneficiaries WHERE id IN (:beneficiaryIds) AND region_id = :regionId AND status IN (:statuses) AND anonymised_at IS NULL', {
        replacements: { beneficiaryIds, regionId: event.region_id, statuses: OPEN_FILE_STATUSES },
        type: QueryTypes.SELECT,
        transaction,
      })
      if (files.length !== new Set(beneficiaryIds).size) throw new ServiceError('activities.notRegionFile', 'beneficiaryIds')
      for (const { id } of files) {
        const [inserted] = await sequelize.query<{ id: number }>(
          `INSERT INTO activity_participants (event_id, beneficiary_id, invited_on, invited_by_user_id) VALUES (:eventId, :beneficiaryId, :today, :userId)
           ON CONFLICT (event_id, beneficiary_id) DO NOTHING RETURNING id`,
          { replacements: { eventId, beneficiaryId: id, today: today(), userId: context.actor!.id }, type: QueryTypes.SELECT, transaction },
        )
        if (inserted) await audit.record(context, { ...personAudit(event.region_id, id), action: 'activity.invite', details: { eventId } }, transaction)
      }
    })
  }

  async function lockParticipant(eventId: number, participantId: number, expectedVersion: number, transaction: Transaction) {
    const [row] = await sequelize.query<{ beneficiary_id: number; region_id: number; event_date: string; attendance: Attendance | null; goal_id: number | null; version: number }>(
      `SELECT p.beneficiary_id, e.region_id, e.event_date, p.attendance, p.goal_id, p.version FROM activity_participants p JOIN activity_events e ON e.id = p.event_id
        WHERE p.id = :participantId AND p.event_id = :eventId FOR UPDATE OF p`,
      { replacements: { participantId, eventId }, type: QueryTypes.SELECT, transaction },
    )
    if (!row) throw new NotFoundError()
    if (row.version !== expectedVersion) throw new StaleEditError(row)
    return row
  }

  /**
   * Attendance (once the event's day has come), the goal of the person's plan in force it works toward, and a note.
   * A goal linked earlier stays linked when a later plan version replaces the plan it belonged to.
   */
  async function recordParticipation(eventId: number, participantId: number, input: { attendance: Attendance | null; goalId: number | null; note: string | null }, expectedVersion: number, context: RequestContext): Promise<void> {
    await sequelize.transaction(async (transaction) => {
      const row = await lockParticipant(eventId, participantId, expectedVersion, transaction)
      if (input.attendance !== null && row.event_date > today()) throw new ServiceError('activities.attendanceBeforeEvent', 'attendance')
      if (input.goalId !== null && input.goalId !== row.goal_id) {
        const goals = (await goalsInForce([row.beneficiary_id], transaction)).get(row.beneficiary_id) ?? []
        if (!goals.some((goal) => goal.id === input.goalId)) throw new ServiceError('activities.goalNotInPlan', 'goalId')
      }
      await sequelize.query(
        'UPDATE activity_participants SET attendance = :attendance, attendance_recorded_by_user_id = :recordedBy, goal_id = :goalId, note = :note, version = version + 1 WHERE id = :participantId',
        { replacements: { ...input, recordedBy: input.attendance === null ? null : context.actor!.id, participantId }, transaction },
      )
      await audit.record(context, { ...personAudit(row.region_id, row.beneficiary_id), action: 'activity.participation', details: { eventId, attendance: input.attendance, goalId: input.goalId } }, transaction)
    })
  }

  /** An invitation is withdrawn while no attendance is recorded for it. */
  async function withdraw(eventId: number, participantId: number, expectedVersion: number, context: RequestContext): Promise<void> {
    await sequelize.transaction(async (transaction) => {
      const row = await lockParticipant(eventId, participantId, expectedVersion, transaction)
      if (row.attendance !== null) throw new ServiceError('activities.attendanceAlreadyRecorded', 'attendance')
      await sequelize.query('DELETE FROM activity_participants WHERE id = :participantId', { replacements: { participantId }, transaction })
      await audit.record(context, { ...personAudit(row.region_id, row.beneficiary_id), action: 'activity.withdraw', details: { eventId } }, transaction)
    })
  }

  /** The events a person was invited to, newest first, for their file. */
  async function participationsOf(beneficiaryId: number): Promise<ParticipationView[]> {
    return sequelize.query<ParticipationView>(
      `SELECT e.id AS "eventId", e.kind, e.title, e.event_date AS date, p.attendance, g.description AS "goalDescription", g.need_domain AS "goalNeedDomain"
         FROM activity_participants p JOIN activity_events e ON e.id = p.event_id LEFT JOIN plan_goals g ON g.id = p.goal_id
        WHERE p.beneficiary_id = :beneficiaryId ORDER BY e.event_date DESC, e.id DESC`,
      { replacements: { beneficiaryId }, type: QueryTypes.SELECT },
    )
  }

  async function quarterlyReport(regionId: number, year: number): Promise<QuarterlyReport> {
    const replacements = { regionId, from: `${year}-01-01`, to: `${year}-12-31` }
    const [events, rows] = await Promise.all([
      sequelize.query<{ id: number; kind: ActivityKind; date: string }>('SELECT id, kind, event_date AS date FROM activity_events WHERE region_id = :regionId AND event_date BETWEEN :from AND :to', { replacements, type: QueryTypes.SELECT }),
      sequelize.query<{ eventId: number; beneficiaryId: number; attendance: Attendance | null; fileNumber: string; surname: string; givenName: string }>(
        `SELECT p.event_id AS "eventId", p.beneficiary_id AS "beneficiaryId", p.attendance, b.file_number AS "fileNumber", b.surname, b.given_name AS "givenName"
           FROM activity_participants p JOIN activity_events e ON e.id = p.event_id JOIN beneficiaries b ON b.id = p.beneficiary_id
          WHERE e.region_id = :regionId AND e.event_date BETWEEN :from AND :to`,
        { replacements, type: QueryTypes.SELECT },
      ),
    ])
    const counts = participationCounts(events, rows, year)
    const people = new Map(rows.map((row) => [row.beneficiaryId, row]))
    const byPerson = counts.byPerson
      .map((line) => {
        const person = people.get(line.beneficiaryId)!
        return { ...line, fileNumber: person.fileNumber, surname: person.surname, givenName: person.givenName }
      })
      .sort((a, b) => b.total - a.total || a.surname.localeCompare(b.surname, 'hy') || a.beneficiaryId - b.beneficiaryId)
    return { year, byKind: counts.byKind, byPerson }
  }

  /** Opening an event's page reads its participants' names and files: the read is audited with whom it showed. */
  async function recordView(eventId: number, regionId: number, participantFileIds: number[], context: RequestContext): Promise<void> {
    await audit.record(context, { ...eventAudit(regionId, eventId), action: 'activity.view', details: { beneficiaryIds: participantFileIds } })
  }

  return { facts, list, get, create, update, participants, candidates, invite, recordParticipation, withdraw, participationsOf, quarterlyReport, recordView }
}

export type ActivityService = ReturnType<typeof activityService>
