/*
 * Assessments and supervision plans as data and pure rules: the reasons for an assessment, the kinds of step a
 * plan's goals are made of, the contact frequency a plan must state, and what a plan needs before approval.
 * Codes are stored and shown through the locale keys `<list>.<code>`.
 */
import type { DeadlineRuleId, RiskLevel } from './deadlineRules'

export const ASSESSMENT_REASONS = ['REGISTRATION', 'SCHEDULED', 'VIOLATION', 'CHANGE_OF_CIRCUMSTANCES', 'CORRECTION'] as const
export type AssessmentReason = (typeof ASSESSMENT_REASONS)[number]
/** Reasons an officer may give when starting a reassessment; the first assessment's reason is always REGISTRATION. */
export const REASSESSMENT_REASONS: readonly AssessmentReason[] = ['SCHEDULED', 'VIOLATION', 'CHANGE_OF_CIRCUMSTANCES', 'CORRECTION']

/** The deadlines the supervision page shows: first contact, assessments and plans. */
export const SUPERVISION_DEADLINE_RULES: readonly DeadlineRuleId[] = ['FIRST_CONTACT', 'INITIAL_ASSESSMENT', 'REASSESSMENT', 'REASSESSMENT_AFTER_VIOLATION', 'PLAN_AFTER_ASSESSMENT', 'PLAN_REVIEW']

/** Deadlines that start when a person comes under supervision (docs/rules.md FIRST_CONTACT, INITIAL_ASSESSMENT). */
export const DEADLINES_ON_REGISTRATION: readonly DeadlineRuleId[] = ['FIRST_CONTACT', 'INITIAL_ASSESSMENT']
/** Categories not under supervision: a mediation participant or the subject of an advisory report is not assessed or met on a schedule. */
const UNSUPERVISED_CATEGORIES: readonly string[] = ['MEDIATION_PARTICIPANT', 'ADVISORY_REPORT_SUBJECT']

export function isSupervisedCategory(category: string): boolean {
  return !UNSUPERVISED_CATEGORIES.includes(category)
}

export const STEP_KINDS = ['RESOCIALISATION_ACTIVITY', 'SOCIO_PSYCHOLOGICAL_WORK', 'PROGRAMME', 'EDUCATION_SUPPORT', 'EMPLOYMENT_SUPPORT', 'TREATMENT', 'COMMUNITY_WORK_DAY'] as const
export type StepKind = (typeof STEP_KINDS)[number]

export const GOAL_STATUSES = ['ACTIVE', 'ACHIEVED', 'REMOVED'] as const
export type GoalStatus = (typeof GOAL_STATUSES)[number]

export const AGREEMENTS = ['AGREES', 'DISAGREES'] as const
export type Agreement = (typeof AGREEMENTS)[number]

// 52 weeks over 12 months, rounded up: a court's "3 times a week" is at least 13 contacts a month.
const WEEKS_PER_MONTH = 52 / 12

export interface ContactFrequency {
  contactsPerMonth: number
  basis: { riskLevel: RiskLevel; byRisk: number; courtReportsPerWeek: number | null; byCourt: number | null }
}

/**
 * Contacts a month: the risk level's value from the table in force, or more when a court obliges the person to
 * report more often (administrative supervision); the plan shows both so the number explains itself.
 */
export function contactFrequency(riskLevel: RiskLevel, table: Readonly<Record<RiskLevel, number>>, courtReportsPerWeek: readonly number[]): ContactFrequency {
  const byRisk = table[riskLevel]
  const weekly = courtReportsPerWeek.length > 0 ? Math.max(...courtReportsPerWeek) : null
  const byCourt = weekly === null ? null : Math.ceil(weekly * WEEKS_PER_MONTH)
  return { contactsPerMonth: Math.max(byRisk, byCourt ?? 0), basis: { riskLevel, byRisk, courtReportsPerWeek: weekly, byCourt } }
}

export interface PlanCheck {
  /** Needs the assessment found that no active goal addresses. */
  needsWithoutGoal: string[]
  /** Active goals for domains the assessment did not find to be needs. */
  goalsForOtherDomains: string[]
}

/** A plan answers the assessment: a goal for every need found, and goals for other domains only by the head's override. */
export function checkPlanAgainstNeeds(needs: readonly string[], goals: readonly { needDomain: string | null; status: string }[]): PlanCheck {
  const active = goals.filter((goal) => goal.status !== 'REMOVED')
  const covered = new Set(active.map((goal) => goal.needDomain).filter((domain): domain is string => domain !== null))
  return {
    needsWithoutGoal: needs.filter((need) => !covered.has(need)),
    goalsForOtherDomains: [...covered].filter((domain) => !needs.includes(domain)),
  }
}
