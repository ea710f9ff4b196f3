import { QueryTypes, type Sequelize, type Transaction } from 'sequelize'
import { WorkingCalendar, isIsoDate, type CalendarOverride } from '../domain/calendar'
import type { Clock } from '../domain/clock'
import { serviceDateOf } from '../domain/dates'
import { computeDueDate, DEADLINE_RULES, DEADLINE_RULE_IDS, deadlineRuleProblems, type ComputedDueDate, type ComputeOptions, type DeadlineRule, type DeadlineRuleId, type DueDateExplanation } from '../domain/deadlineRules'
import type { AuditService } from './audit'
import { NotFoundError, ServiceError, StaleEditError, type RequestContext } from './context'

export interface DeadlineView {
  id: number
  ruleId: string
  subjectType: string
  subjectId: number
  eventDate: string
  dueDate: string
  status: string
  explanation: DueDateExplanation
}

export interface RuleSettingView {
  rule: DeadlineRule
  amount: number
  changed: boolean
  version: number
}

/**
 * The working-day calendar (statutory holidays in code, the Government's moves in calendar_days) and the
 * deadline rules' values in force; computed due dates are stored with their explanation, so a later change
 * of a rule or of the calendar does not move them unless someone recomputes.
 */
export function deadlineService(deps: { sequelize: Sequelize; clock: Clock; audit: AuditService }) {
  const { sequelize, clock, audit } = deps

  async function calendar(transaction?: Transaction): Promise<WorkingCalendar> {
    const rows = await sequelize.query<{ date: string; working: boolean; reason: string }>('SELECT date, working, reason FROM calendar_days ORDER BY date', { type: QueryTypes.SELECT, transaction })
    return new WorkingCalendar(rows as CalendarOverride[])
  }

  async function overrides(year: number): Promise<{ date: string; working: boolean; reason: string }[]> {
    return sequelize.query('SELECT date, working, reason FROM calendar_days WHERE date BETWEEN :from AND :to ORDER BY date', { replacements: { from: `${year}-01-01`, to: `${year}-12-31` }, type: QueryTypes.SELECT })
  }

  async function setOverride(date: string, working: boolean, reason: string, context: RequestContext): Promise<void> {
    if (!isIsoDate(date)) throw new ServiceError('validation.date', 'date')
    await sequelize.transaction(async (transaction) => {
      const [before] = await sequelize.query<{ working: boolean; reason: string }>('SELECT working, reason FROM calendar_days WHERE date = :date', { replacements: { date }, type: QueryTypes.SELECT, transaction })
      await sequelize.query(
        `INSERT INTO calendar_days (date, working, reason, updated_by_user_id, updated_at) VALUES (:date, :working, :reason, :userId, :now)
         ON CONFLICT (date) DO UPDATE SET working = EXCLUDED.working, reason = EXCLUDED.reason, updated_by_user_id = EXCLUDED.updated_by_user_id, updated_at = EXCLUDED.updated_at`,
        { replacements: { date, working, reason, userId: context.actor!.id, now: clock.now() }, transaction },
      )
      await audit.record(context, { action: 'calendar.set', category: 'reference', target: { type: 'calendarDay', id: date }, details: { before: before ?? null, after: { working, reason } } }, transaction)
    })
  }

  async function removeOverride(date: string, context: RequestContext): Promise<void> {
    await sequelize.transaction(async (transaction) => {
      await sequelize.query('DELETE FROM calendar_days WHERE date = :date', { replacements: { date }, transaction })
      await audit.record(context, { action: 'calendar.remove', category: 'reference', target: { type: 'calendarDay', id: date } }, transaction)
    })
  }

  async function ruleSettings(): Promise<RuleSettingView[]> {
    const rows = await sequelize.query<{ rule_id: string; amount: number; version: number }>('SELECT rule_id, amount, version FROM deadline_rule_settings', { type: QueryTypes.SELECT })
    const byId = new Map(rows.map((row) => [row.rule_id, row]))
    return DEADLINE_RULE_IDS.map((id) => {
      const rule = DEADLINE_RULES[id]
      const setting = byId.get(id)
      return { rule, amount: setting?.amount ?? rule.offset.amount, changed: setting !== undefined && setting.amount !== rule.offset.amount, version: setting?.version ?? 0 }
    })
  }

  /** The rule with the value in force: the shipped default unless an authorised user changed it. */
  async function ruleInForce(id: DeadlineRuleId, transaction?: Transaction): Promise<DeadlineRule> {
    const [setting] = await sequelize.query<{ amount: number }>('SELECT amount FROM deadline_rule_settings WHERE rule_id = :id', { replacements: { id }, type: QueryTypes.SELECT, transaction })
    const rule = DEADLINE_RULES[id]
    return setting ? { ...rule, offset: { ...rule.offset, amount: setting.amount } } : rule
  }

  async function setRuleAmount(id: DeadlineRuleId, amount: number, expectedVersion: number, context: RequestContext): Promise<void> {
    const candidate = { ...DEADLINE_RULES[id], offset: { ...DEADLINE_RULES[id].offset, amount } }
    if (deadlineRuleProblems(candidate).length > 0) throw new ServiceError('rules.invalidAmount', 'amount')
    await sequelize.transaction(async (transaction) => {
      const [current] = await sequelize.query<{ amount: number; version: number }>('SELECT amount, version FROM deadline_rule_settings WHERE rule_id = :id FOR UPDATE', { replacements: { id }, type: QueryTypes.SELECT, transaction })
      if ((current?.version ?? 0) !== expectedVersion) throw new StaleEditError(current ?? null)
      await sequelize.query(
        `INSERT INTO deadline_rule_settings (rule_id, amount, changed_by_user_id, changed_at, version) VALUES (:id, :amount, :userId, :now, 1)
         ON CONFLICT (rule_id) DO UPDATE SET amount = EXCLUDED.amount, changed_by_user_id = EXCLUDED.changed_by_user_id, changed_at = EXCLUDED.changed_at, version = deadline_rule_settings.version + 1`,
        { replacements: { id, amount, userId: context.actor!.id, now: clock.now() }, transaction },
      )
      await audit.record(context, { action: 'rule.change', category: 'reference', target: { type: 'deadlineRule', id }, details: { before: { amount: current?.amount ?? DEADLINE_RULES[id].offset.amount }, after: { amount } } }, transaction)
    })
  }

  /** A due date by the rule and calendar in force, with its explanation, for subjects that keep their own. */
  async function compute(ruleId: DeadlineRuleId, eventDate: string, options: ComputeOptions, transaction?: Transaction): Promise<ComputedDueDate> {
    const [rule, workingCalendar] = await Promise.all([ruleInForce(ruleId, transaction), calendar(transaction)])
    return computeDueDate(rule, eventDate, workingCalendar, options)
  }

  /** Computes and stores a due date for a subject; the explanation keeps the rule value and skipped days used. */
  async function open(input: { beneficiaryId: number; ruleId: DeadlineRuleId; subjectType: string; subjectId: number; eventDate: string; documentDueDate?: string }, transaction: Transaction): Promise<string> {
    const [rule, workingCalendar] = await Promise.all([ruleInForce(input.ruleId, transaction), calendar(transaction)])
    const { dueDate, explanation } = computeDueDate(rule, input.eventDate, workingCalendar, input.documentDueDate ? { documentDueDate: input.documentDueDate } : {})
    await sequelize.query(
      `INSERT INTO deadlines (beneficiary_id, rule_id, subject_type, subject_id, event_date, due_date, explanation)
       VALUES (:beneficiaryId, :ruleId, :subjectType, :subjectId, :eventDate, :dueDate, :explanation)`,
      { replacements: { ...input, dueDate, explanation: JSON.stringify(explanation) }, transaction },
    )
    return dueDate
  }

  async function close(subjectType: string, subjectId: number, ruleIds: DeadlineRuleId[], status: 'DONE' | 'CANCELLED', transaction: Transaction): Promise<void> {
    if (ruleIds.length === 0) return
    await sequelize.query(
      `UPDATE deadlines SET status = :status, done_on = :today WHERE subject_type = :subjectType AND subject_id = :subjectId AND rule_id IN (:ruleIds) AND status = 'OPEN'`,
      { replacements: { status, today: serviceDateOf(clock.now()), subjectType, subjectId, ruleIds }, transaction },
    )
  }

  async function forBeneficiary(beneficiaryId: number, onlyOpen: boolean): Promise<DeadlineView[]> {
    return sequelize.query(
      `SELECT id, rule_id AS "ruleId", subject_type AS "subjectType", subject_id AS "subjectId", event_date AS "eventDate", due_date AS "dueDate", status, explanation
         FROM deadlines WHERE beneficiary_id = :beneficiaryId ${onlyOpen ? "AND status = 'OPEN'" : ''} ORDER BY due_date, id`,
      { replacements: { beneficiaryId }, type: QueryTypes.SELECT },
    )
  }

  async function get(id: number): Promise<DeadlineView & { beneficiaryId: number }> {
    const [row] = await sequelize.query<DeadlineView & { beneficiaryId: number }>(
      `SELECT id, beneficiary_id AS "beneficiaryId", rule_id AS "ruleId", subject_type AS "subjectType", subject_id AS "subjectId", event_date AS "eventDate", due_date AS "dueDate", status, explanation FROM deadlines WHERE id = :id`,
      { replacements: { id }, type: QueryTypes.SELECT },
    )
    if (!row) throw new NotFoundError()
    return row
  }

  /** Recomputes an open due date with the rule and calendar in force now; the change is audited. */
  async function recompute(id: number, context: RequestContext): Promise<void> {
    await sequelize.transaction(async (transaction) => {
      const [row] = await sequelize.query<{ rule_id: DeadlineRuleId; event_date: string; due_date: string; status: string; beneficiary_id: number; region_id: number }>(
        'SELECT d.rule_id, d.event_date, d.due_date, d.status, d.beneficiary_id, b.region_id FROM deadlines d JOIN beneficiaries b ON b.id = d.beneficiary_id WHERE d.id = :id FOR UPDATE OF d',
        { replacements: { id }, type: QueryTypes.SELECT, transaction },
      )
      if (!row) throw new NotFoundError()
      if (row.status !== 'OPEN') throw new ServiceError('deadline.notOpen')
      const [rule, workingCalendar] = await Promise.all([ruleInForce(row.rule_id, transaction), calendar(transaction)])
      const { dueDate, explanation } = computeDueDate(rule, row.event_date, workingCalendar)
      await sequelize.query('UPDATE deadlines SET due_date = :dueDate, explanation = :explanation WHERE id = :id', { replacements: { id, dueDate, explanation: JSON.stringify(explanation) }, transaction })
      await audit.record(context, { action: 'deadline.recompute', category: 'beneficiary', regionId: row.region_id, target: { type: 'beneficiary', id: row.beneficiary_id }, details: { deadlineId: id, before: { dueDate: row.due_date }, after: { dueDate } } }, transaction)
    })
  }

  return { recompute, compute, calendar, overrides, setOverride, removeOverride, ruleSettings, ruleInForce, setRuleAmount, open, close, forBeneficiary, get }
}

export type DeadlineService = ReturnType<typeof deadlineService>
