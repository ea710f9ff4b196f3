import { QueryTypes, type Sequelize, type Transaction } from 'sequelize'
import { addMonths } from '../domain/calendar'
import type { Clock } from '../domain/clock'
import { serviceDateOf } from '../domain/dates'
import { CONTACT_FREQUENCY_BY_RISK, RISK_LEVELS, type RiskLevel } from '../domain/deadlineRules'
import { checkPlanAgainstNeeds, contactFrequency, type Agreement, type ContactFrequency, type GoalStatus, type PlanCheck, type StepKind } from '../domain/supervision'
import type { AuditService } from './audit'
import type { AssessmentService } from './assessments'
import { NotFoundError, ServiceError, StaleEditError, type RequestContext } from './context'
import type { DeadlineService } from './deadlines'

export type PlanStatus = 'DRAFT' | 'SUBMITTED' | 'APPROVED' | 'SUPERSEDED'

export interface PlanStep {
  id: number
  kind: StepKind
  description: string
  responsible: string
  dueDate: string | null
}

export interface PlanGoal {
  id: number
  needDomain: string | null
  description: string
  targetDate: string | null
  status: GoalStatus
  steps: PlanStep[]
}

export interface PlanView {
  id: number
  beneficiaryId: number
  assessmentId: number
  planVersion: number
  previousPlanId: number | null
  status: PlanStatus
  contactsPerMonth: number
  frequencyBasis: ContactFrequency['basis']
  reviewDate: string | null
  agreement: Agreement | null
  beneficiaryWords: string | null
  agreementRecordedOn: string | null
  overrideReason: string | null
  headComment: string | null
  authorName: string
  submittedByUserId: number | null
  submittedOn: string | null
  approvedByName: string | null
  approvedOn: string | null
  version: number
  riskLevel: RiskLevel
  needs: string[]
  goals: PlanGoal[]
  check: PlanCheck
}

export interface GoalInput {
  needDomain: string | null
  description: string
  targetDate: string | null
  status: GoalStatus
}

export interface StepInput {
  kind: StepKind
  description: string
  responsible: string
  dueDate: string | null
}

/**
 * Supervision plans built on an assessment: goals per need with steps and who does them, the beneficiary's
 * agreement in their words, submission to the head and approval by a head who did not submit it, versions with
 * history, the review date, and the contact frequency from the risk level and the court's reporting obligations.
 */
export function planService(deps: { sequelize: Sequelize; clock: Clock; audit: AuditService; deadlines: DeadlineService; assessments: AssessmentService }) {
  const { sequelize, clock, audit, deadlines, assessments } = deps
  const today = () => serviceDateOf(clock.now())

  async function frequencyTable(transaction?: Transaction): Promise<Record<RiskLevel, number>> {
    const rows = await sequelize.query<{ risk_level: RiskLevel; contacts_per_month: number }>('SELECT risk_level, contacts_per_month FROM contact_frequency_settings', { type: QueryTypes.SELECT, transaction })
    const table = { ...CONTACT_FREQUENCY_BY_RISK.contactsPerMonth }
    for (const row of rows) table[row.risk_level] = row.contacts_per_month
    return table
  }

  async function frequencySettings(): Promise<{ level: RiskLevel; contactsPerMonth: number; changed: boolean; version: number }[]> {
    const rows = await sequelize.query<{ risk_level: RiskLevel; contacts_per_month: number; version: number }>('SELECT risk_level, contacts_per_month, version FROM contact_frequency_settings', { type: QueryTypes.SELECT })
    return RISK_LEVELS.map((level) => {
      const row = rows.find((candidate) => candidate.risk_level === level)
      return { level, contactsPerMonth: row?.contacts_per_month ?? CONTACT_FREQUENCY_BY_RISK.contactsPerMonth[level], changed: row !== undefined && row.contacts_per_month !== CONTACT_FREQUENCY_BY_RISK.contactsPerMonth[level], version: row?.version ?? 0 }
    })
  }

  /** Changes the table for plans made from now on; plans already made keep the frequency they state. */
  async function setFrequency(level: RiskLevel, contactsPerMonth: number, expectedVersion: number, context: RequestContext): Promise<void> {
    if (!Number.isInteger(contactsPerMonth) || contactsPerMonth < 1 || contactsPerMonth > 31) throw new ServiceError('plan.frequencyRange', 'contactsPerMonth')
    await sequelize.transaction(async (transaction) => {
      const [current] = await sequelize.query<{ contacts_per_month: number; version: number }>('SELECT contacts_per_month, version FROM contact_frequency_settings WHERE risk_level = :level FOR UPDATE', { replacements: { level }, type: QueryTypes.SELECT, transaction })
      if ((current?.version ?? 0) !== expectedVersion) throw new StaleEditError(current ?? null)
      await sequelize.query(
        `INSERT INTO contact_frequency_settings (risk_level, contacts_per_month, changed_by_user_id, changed_at) VALUES (:level, :contactsPerMonth, :userId, :now)
         ON CONFLICT (risk_level) DO UPDATE SET contacts_per_month = EXCLUDED.contacts_per_month, changed_by_user_id = EXCLUDED.changed_by_user_id, changed_at = EXCLUDED.changed_at, version = contact_frequency_settings.version + 1`,
        { replacements: { level, contactsPerMonth, userId: context.actor!.id, now: clock.now() }, transaction },
      )
      await audit.record(context, { action: 'contactFrequency.change', category: 'reference', target: { type: 'contactFrequency', id: level }, details: { before: current?.contacts_per_month ?? CONTACT_FREQUENCY_BY_RISK.contactsPerMonth[level], after: contactsPerMonth } }, transaction)
    })
  }

  async function courtReportsPerWeek(beneficiaryId: number, transaction: Transaction): Promise<number[]> {
    const rows = await sequelize.query<{ perWeek: number }>(
      `SELECT (details->>'reportingPerWeek')::int AS "perWeek" FROM measures
        WHERE beneficiary_id = :beneficiaryId AND type_code = 'ADMINISTRATIVE_SUPERVISION' AND state IN ('registered', 'in_execution') AND details ? 'reportingPerWeek'`,
      { replacements: { beneficiaryId }, type: QueryTypes.SELECT, transaction },
    )
    return rows.map((row) => row.perWeek).filter((value) => Number.isFinite(value))
  }

  async function regionOf(beneficiaryId: number, transaction?: Transaction): Promise<number> {
    const [row] = await sequelize.query<{ region_id: number }>('SELECT region_id FROM beneficiaries WHERE id = :beneficiaryId', { replacements: { beneficiaryId }, type: QueryTypes.SELECT, transaction })
    return row.region_id
  }

  function auditOf(regionId: number, beneficiaryId: number) {
    return { category: 'beneficiary' as const, regionId, target: { type: 'beneficiary', id: beneficiaryId } }
  }

  /**
   * Opens a plan on the latest completed assessment: the first one with a goal waiting for each need, a later
   * version with the goals and steps of the plan in force. An open draft is returned as it is.
   */
  async function draftFor(beneficiaryId: number, context: RequestContext): Promise<number> {
    const assessment = await assessments.latestCompleted(beneficiaryId)
    if (!assessment || !assessment.riskLevel) throw new ServiceError('plan.noAssessment')
    return sequelize.transaction(async (transaction) => {
      await sequelize.query('SELECT id FROM beneficiaries WHERE id = :beneficiaryId FOR UPDATE', { replacements: { beneficiaryId }, transaction })
      const [open] = await sequelize.query<{ id: number }>(`SELECT id FROM supervision_plans WHERE beneficiary_id = :beneficiaryId AND status IN ('DRAFT', 'SUBMITTED')`, { replacements: { beneficiaryId }, type: QueryTypes.SELECT, transaction })
      if (open) return open.id
      const [inForce] = await sequelize.query<{ id: number; plan_version: number }>(`SELECT id, plan_version FROM supervision_plans WHERE beneficiary_id = :beneficiaryId AND status = 'APPROVED'`, { replacements: { beneficiaryId }, type: QueryTypes.SELECT, transaction })
      const [{ latest }] = await sequelize.query<{ latest: number }>('SELECT coalesce(max(plan_version), 0)::int AS latest FROM supervision_plans WHERE beneficiary_id = :beneficiaryId', { replacements: { beneficiaryId }, type: QueryTypes.SELECT, transaction })
      const frequency = contactFrequency(assessment.riskLevel!, await frequencyTable(transaction), await courtReportsPerWeek(beneficiaryId, transaction))
      const [plan] = await sequelize.query<{ id: number }>(
        `INSERT INTO supervision_plans (beneficiary_id, assessment_id, plan_version, previous_plan_id, contacts_per_month, frequency_basis, author_user_id)
         VALUES (:beneficiaryId, :assessmentId, :planVersion, :previousPlanId, :contactsPerMonth, :basis, :userId) RETURNING id`,
        {
          replacements: { beneficiaryId, assessmentId: assessment.id, planVersion: latest + 1, previousPlanId: inForce?.id ?? null, contactsPerMonth: frequency.contactsPerMonth, basis: JSON.stringify(frequency.basis), userId: context.actor!.id },
          type: QueryTypes.SELECT,
          transaction,
        },
      )
      if (inForce) {
        await sequelize.query(
          `WITH copied AS (
             INSERT INTO plan_goals (plan_id, need_domain, description, target_date, status, position)
             SELECT :planId, need_domain, description, target_date, status, position FROM plan_goals WHERE plan_id = :previousId AND status <> 'REMOVED'
             RETURNING id, position)
           INSERT INTO plan_steps (goal_id, kind, description, responsible, due_date, position)
           SELECT copied.id, s.kind, s.description, s.responsible, s.due_date, s.position
             FROM copied JOIN plan_goals old ON old.plan_id = :previousId AND old.position = copied.position JOIN plan_steps s ON s.goal_id = old.id`,
          { replacements: { planId: plan.id, previousId: inForce.id }, transaction },
        )
      }
      const [{ goals }] = await sequelize.query<{ goals: number }>('SELECT count(*)::int AS goals FROM plan_goals WHERE plan_id = :planId', { replacements: { planId: plan.id }, type: QueryTypes.SELECT, transaction })
      const missing = checkPlanAgainstNeeds(assessment.needs ?? [], []).needsWithoutGoal
      if (goals === 0) {
        for (const [index, need] of missing.entries()) {
          await sequelize.query('INSERT INTO plan_goals (plan_id, need_domain, position) VALUES (:planId, :need, :position)', { replacements: { planId: plan.id, need, position: index + 1 }, transaction })
        }
      }
      await audit.record(context, { ...auditOf(await regionOf(beneficiaryId, transaction), beneficiaryId), action: 'plan.draft', details: { planId: plan.id, planVersion: latest + 1 } }, transaction)
      return plan.id
    })
  }

  async function get(planId: number): Promise<PlanView> {
    const [row] = await sequelize.query<Omit<PlanView, 'goals' | 'check'>>(
      `SELECT p.id, p.beneficiary_id AS "beneficiaryId", p.assessment_id AS "assessmentId", p.plan_version AS "planVersion", p.previous_plan_id AS "previousPlanId", p.status,
              p.contacts_per_month AS "contactsPerMonth", p.frequency_basis AS "frequencyBasis", p.review_date AS "reviewDate", p.agreement, p.beneficiary_words AS "beneficiaryWords",
              p.agreement_recorded_on AS "agreementRecordedOn", p.override_reason AS "overrideReason", p.head_comment AS "headComment", au.full_name AS "authorName",
              p.submitted_by_user_id AS "submittedByUserId", p.submitted_on AS "submittedOn", ap.full_name AS "approvedByName", p.approved_on AS "approvedOn", p.version,
              a.risk_level AS "riskLevel", coalesce(a.needs, '{}') AS needs
         FROM supervision_plans p JOIN assessments a ON a.id = p.assessment_id JOIN users au ON au.id = p.author_user_id LEFT JOIN users ap ON ap.id = p.approved_by_user_id
        WHERE p.id = :planId`,
      { replacements: { planId }, type: QueryTypes.SELECT },
    )
    if (!row) throw new NotFoundError()
    const goalRows = await sequelize.query<Omit<PlanGoal, 'steps'>>(
      'SELECT id, need_domain AS "needDomain", description, target_date AS "targetDate", status FROM plan_goals WHERE plan_id = :planId ORDER BY position, id',
      { replacements: { planId }, type: QueryTypes.SELECT },
    )
    const steps = await sequelize.query<PlanStep & { goalId: number }>(
      'SELECT s.id, s.goal_id AS "goalId", s.kind, s.description, s.responsible, s.due_date AS "dueDate" FROM plan_steps s JOIN plan_goals g ON g.id = s.goal_id WHERE g.plan_id = :planId ORDER BY s.position, s.id',
      { replacements: { planId }, type: QueryTypes.SELECT },
    )
    const goals = goalRows.map((goal) => ({ ...goal, steps: steps.filter((step) => step.goalId === goal.id).map(({ goalId: _goalId, ...step }) => step) }))
    return { ...row, goals, check: checkPlanAgainstNeeds(row.needs, goals) }
  }

  async function facts(planId: number): Promise<{ beneficiaryId: number; submittedByUserId: number | null }> {
    const [row] = await sequelize.query<{ beneficiaryId: number; submittedByUserId: number | null }>('SELECT beneficiary_id AS "beneficiaryId", submitted_by_user_id AS "submittedByUserId" FROM supervision_plans WHERE id = :planId', { replacements: { planId }, type: QueryTypes.SELECT })
    if (!row) throw new NotFoundError()
    return row
  }

  async function history(beneficiaryId: number): Promise<{ id: number; planVersion: number; status: PlanStatus; approvedOn: string | null; reviewDate: string | null }[]> {
    return sequelize.query(
      'SELECT id, plan_version AS "planVersion", status, approved_on AS "approvedOn", review_date AS "reviewDate" FROM supervision_plans WHERE beneficiary_id = :beneficiaryId ORDER BY plan_version DESC',
      { replacements: { beneficiaryId }, type: QueryTypes.SELECT },
    )
  }

  async function inForce(beneficiaryId: number): Promise<PlanView | null> {
    const [row] = await sequelize.query<{ id: number }>(`SELECT id FROM supervision_plans WHERE beneficiary_id = :beneficiaryId AND status = 'APPROVED'`, { replacements: { beneficiaryId }, type: QueryTypes.SELECT })
    return row ? get(row.id) : null
  }

  /** Locks a plan that may still change (a draft) and checks the version the edit started from. */
  async function lockDraft(planId: number, expectedVersion: number, transaction: Transaction, statuses: PlanStatus[] = ['DRAFT']) {
    const [row] = await sequelize.query<{ id: number; beneficiary_id: number; status: PlanStatus; version: number; submitted_by_user_id: number | null; previous_plan_id: number | null; assessment_id: number }>(
      'SELECT id, beneficiary_id, status, version, submitted_by_user_id, previous_plan_id, assessment_id FROM supervision_plans WHERE id = :planId FOR UPDATE',
      { replacements: { planId }, type: QueryTypes.SELECT, transaction },
    )
    if (!row) throw new NotFoundError()
    if (row.version !== expectedVersion) throw new StaleEditError(row)
    if (!statuses.includes(row.status)) throw new ServiceError(row.status === 'DRAFT' ? 'plan.notSubmitted' : 'plan.notDraft')
    return row
  }

  async function touch(planId: number, transaction: Transaction): Promise<void> {
    await sequelize.query('UPDATE supervision_plans SET version = version + 1, updated_at = :now WHERE id = :planId', { replacements: { now: clock.now(), planId }, transaction })
  }

  function checkGoal(goal: GoalInput): void {
    if (goal.targetDate && goal.targetDate < today()) throw new ServiceError('plan.targetInPast', 'targetDate')
  }

  /** A goal's need is one of the domains of the instrument the plan's assessment used, or none. */
  async function checkNeedDomain(assessmentId: number, needDomain: string | null, transaction: Transaction): Promise<void> {
    if (needDomain === null) return
    const [row] = await sequelize.query<{ codes: string[] }>(
      `SELECT array(SELECT domain->>'code' FROM jsonb_array_elements(iv.definition->'domains') AS domain) AS codes
         FROM assessments a JOIN instrument_versions iv ON iv.id = a.instrument_version_id WHERE a.id = :assessmentId`,
      { replacements: { assessmentId }, type: QueryTypes.SELECT, transaction },
    )
    if (!row?.codes.includes(needDomain)) throw new ServiceError('validation.choose', 'needDomain')
  }

  async function addGoal(planId: number, goal: GoalInput, expectedVersion: number, context: RequestContext): Promise<void> {
    checkGoal(goal)
    await sequelize.transaction(async (transaction) => {
      const row = await lockDraft(planId, expectedVersion, transaction)
      await checkNeedDomain(row.assessment_id, goal.needDomain, transaction)
      await sequelize.query(
        `INSERT INTO plan_goals (plan_id, need_domain, description, target_date, status, position)
         VALUES (:planId, :needDomain, :description, :targetDate, :status, (SELECT coalesce(max(position), 0) + 1 FROM plan_goals WHERE plan_id = :planId))`,
        { replacements: { planId, ...goal }, transaction },
      )
      await touch(planId, transaction)
      await audit.record(context, { ...auditOf(await regionOf(row.beneficiary_id, transaction), row.beneficiary_id), action: 'plan.addGoal', details: { planId, needDomain: goal.needDomain } }, transaction)
    })
  }

  async function updateGoal(planId: number, goalId: number, goal: GoalInput, expectedVersion: number, context: RequestContext): Promise<void> {
    await sequelize.transaction(async (transaction) => {
      const row = await lockDraft(planId, expectedVersion, transaction)
      const [before] = await sequelize.query<{ target_date: string | null }>('SELECT target_date FROM plan_goals WHERE id = :goalId AND plan_id = :planId', { replacements: { goalId, planId }, type: QueryTypes.SELECT, transaction })
      if (!before) throw new NotFoundError()
      // A goal carried over from the previous version may keep a target date already past; a new one may not.
      if (goal.targetDate !== before.target_date) checkGoal(goal)
      await checkNeedDomain(row.assessment_id, goal.needDomain, transaction)
      await sequelize.query('UPDATE plan_goals SET need_domain = :needDomain, description = :description, target_date = :targetDate, status = :status WHERE id = :goalId', { replacements: { ...goal, goalId }, transaction })
      await touch(planId, transaction)
      await audit.record(context, { ...auditOf(await regionOf(row.beneficiary_id, transaction), row.beneficiary_id), action: 'plan.updateGoal', details: { planId, goalId, status: goal.status } }, transaction)
    })
  }

  async function addStep(planId: number, goalId: number, step: StepInput, expectedVersion: number, context: RequestContext): Promise<void> {
    if (step.dueDate && step.dueDate < today()) throw new ServiceError('plan.targetInPast', 'dueDate')
    await sequelize.transaction(async (transaction) => {
      const row = await lockDraft(planId, expectedVersion, transaction)
      const [goal] = await sequelize.query('SELECT 1 FROM plan_goals WHERE id = :goalId AND plan_id = :planId', { replacements: { goalId, planId }, type: QueryTypes.SELECT, transaction })
      if (!goal) throw new NotFoundError()
      await sequelize.query(
        `INSERT INTO plan_steps (goal_id, kind, description, responsible, due_date, position)
         VALUES (:goalId, :kind, :description, :responsible, :dueDate, (SELECT coalesce(max(position), 0) + 1 FROM plan_steps WHERE goal_id = :goalId))`,
        { replacements: { goalId, ...step }, transaction },
      )
      await touch(planId, transaction)
      await audit.record(context, { ...auditOf(await regionOf(row.beneficiary_id, transaction), row.beneficiary_id), action: 'plan.addStep', details: { planId, goalId, kind: step.kind } }, transaction)
    })
  }

  async function removeStep(planId: number, stepId: number, expectedVersion: number, context: RequestContext): Promise<void> {
    await sequelize.transaction(async (transaction) => {
      const row = await lockDraft(planId, expectedVersion, transaction)
      const [, result] = await sequelize.query('DELETE FROM plan_steps s USING plan_goals g WHERE s.id = :stepId AND g.id = s.goal_id AND g.plan_id = :planId', { replacements: { stepId, planId }, transaction })
      if ((result as { rowCount?: number }).rowCount === 0) throw new NotFoundError()
      await touch(planId, transaction)
      await audit.record(context, { ...auditOf(await regionOf(row.beneficiary_id, transaction), row.beneficiary_id), action: 'plan.removeStep', details: { planId, stepId } }, transaction)
    })
  }

  /** The beneficiary's agreement: they agree, or they disagree and their own words are recorded. */
  async function recordAgreement(planId: number, input: { agreement: Agreement; words: string | null; on: string }, expectedVersion: number, context: RequestContext): Promise<void> {
    if (input.agreement === 'DISAGREES' && !input.words) throw new ServiceError('plan.wordsRequired', 'words')
    if (input.on > today()) throw new ServiceError('plan.agreementInFuture', 'on')
    await sequelize.transaction(async (transaction) => {
      const row = await lockDraft(planId, expectedVersion, transaction)
      await sequelize.query('UPDATE supervision_plans SET agreement = :agreement, beneficiary_words = :words, agreement_recorded_on = :on WHERE id = :planId', { replacements: { ...input, planId }, transaction })
      await touch(planId, transaction)
      await audit.record(context, { ...auditOf(await regionOf(row.beneficiary_id, transaction), row.beneficiary_id), action: 'plan.agreement', details: { planId, agreement: input.agreement } }, transaction)
    })
  }

  async function submit(planId: number, expectedVersion: number, context: RequestContext): Promise<void> {
    await sequelize.transaction(async (transaction) => {
      const row = await lockDraft(planId, expectedVersion, transaction)
      const plan = await get(planId)
      const active = plan.goals.filter((goal) => goal.status !== 'REMOVED')
      if (active.length === 0) throw new ServiceError('plan.noGoals')
      const unfinished = active.find((goal) => !goal.description.trim() || !goal.targetDate)
      if (unfinished) throw new ServiceError('plan.goalIncomplete', `goal_${unfinished.id}`)
      if (!plan.agreement) throw new ServiceError('plan.agreementMissing', 'agreement')
      await sequelize.query(`UPDATE supervision_plans SET status = 'SUBMITTED', submitted_by_user_id = :userId, submitted_on = :today WHERE id = :planId`, { replacements: { userId: context.actor!.id, today: today(), planId }, transaction })
      await touch(planId, transaction)
      await deadlines.close('assessment', row.assessment_id, ['PLAN_AFTER_ASSESSMENT'], 'DONE', transaction)
      await audit.record(context, { ...auditOf(await regionOf(row.beneficiary_id, transaction), row.beneficiary_id), action: 'plan.submit', details: { planId } }, transaction)
    })
  }

  /**
   * The head approves (never their own submission): every need found has an active goal; goals for domains the
   * assessment did not find are allowed only with the head's reason. Approval puts the plan in force, supersedes
   * the previous version and sets the review date; returning sends it back to the officer with a comment.
   */
  async function decide(planId: number, input: { approve: boolean; comment: string | null; overrideReason: string | null }, expectedVersion: number, context: RequestContext): Promise<void> {
    await sequelize.transaction(async (transaction) => {
      const row = await lockDraft(planId, expectedVersion, transaction, ['SUBMITTED'])
      if (row.submitted_by_user_id === context.actor!.id) throw new ServiceError('plan.ownWork')
      const regionId = await regionOf(row.beneficiary_id, transaction)
      if (!input.approve) {
        if (!input.comment) throw new ServiceError('validation.required', 'comment')
        await sequelize.query(`UPDATE supervision_plans SET status = 'DRAFT', head_comment = :comment WHERE id = :planId`, { replacements: { comment: input.comment, planId }, transaction })
        await touch(planId, transaction)
        await audit.record(context, { ...auditOf(regionId, row.beneficiary_id), action: 'plan.return', details: { planId } }, transaction)
        return
      }
      const plan = await get(planId)
      if (plan.check.needsWithoutGoal.length > 0) throw new ServiceError('plan.needsWithoutGoal', 'overrideReason', { needs: plan.check.needsWithoutGoal.join(', ') })
      if (plan.check.goalsForOtherDomains.length > 0 && !input.overrideReason) throw new ServiceError('plan.goalsForOtherDomains', 'overrideReason', { domains: plan.check.goalsForOtherDomains.join(', ') })
      const approvedOn = today()
      if (row.previous_plan_id) {
        await sequelize.query(`UPDATE supervision_plans SET status = 'SUPERSEDED', version = version + 1 WHERE id = :previousId AND status = 'APPROVED'`, { replacements: { previousId: row.previous_plan_id }, transaction })
        await deadlines.close('plan', row.previous_plan_id, ['PLAN_REVIEW'], 'DONE', transaction)
      }
      const reviewDate = await deadlines.open({ beneficiaryId: row.beneficiary_id, ruleId: 'PLAN_REVIEW', subjectType: 'plan', subjectId: planId, eventDate: approvedOn }, transaction)
      await sequelize.query(
        `UPDATE supervision_plans SET status = 'APPROVED', approved_by_user_id = :userId, approved_on = :approvedOn, review_date = :reviewDate, override_reason = :overrideReason, head_comment = :comment WHERE id = :planId`,
        { replacements: { userId: context.actor!.id, approvedOn, reviewDate, overrideReason: plan.check.goalsForOtherDomains.length > 0 ? input.overrideReason : null, comment: input.comment, planId }, transaction },
      )
      await touch(planId, transaction)
      await audit.record(context, { ...auditOf(regionId, row.beneficiary_id), action: 'plan.approve', details: { planId, reviewDate, overrideReason: input.overrideReason } }, transaction)
    })
  }

  /** The default target date offered for a new goal: three months ahead, the usual plan review interval. */
  function defaultTargetDate(): string {
    return addMonths(today(), 3)
  }

  return { frequencyTable, frequencySettings, setFrequency, draftFor, get, facts, history, inForce, addGoal, updateGoal, addStep, removeStep, recordAgreement, submit, decide, defaultTargetDate }
}

export type PlanService = ReturnType<typeof planService>
