import type { Sequelize } from 'sequelize'
import type { Clock } from '../domain/clock'
import { auditService } from './audit'
import { beneficiaryService } from './beneficiaries'
import { delegationService } from './delegations'
import { regionService } from './regions'
import { sessionRegistry } from './sessions'
import { transferService } from './transfers'
import { subjectAccessService } from './subjectAccess'
import { retentionService } from './retention'
import { deadlineService } from './deadlines'
import { measureService } from './measures'
import { monitoringService } from './monitoring'
import { correspondenceService } from './correspondence'
import { mediationService } from './mediation'
import { assessmentService } from './assessments'
import { planService } from './plans'
import { boardService } from './board'
import { ledgerQueries } from '../data/ledger'
import { sqlOf } from '../data/sql'
import { conditionQueries } from '../data/conditions'
import { submissionQueries } from '../data/submissions'
import { workConditionService } from './workConditions'
import { reminderService, type Mailer } from './reminders'
import { contactService } from './contacts'
import { activityService } from './activities'
import { quarterlyReportService } from './quarterlyReports'
import { userService } from './users'
import { homeService } from './home'
import { homeQueries } from '../data/home'
import { liveFigureQueries } from '../data/liveFigures'
import { accountRequestQueries } from '../data/accountRequests'
import { secondFactorQueries } from '../data/secondFactors'
import { twoFactorService } from './twoFactor'
import { signInLimitQueries } from '../data/signInLimits'
import { submissionGuard } from './submissions'
import { measureListQueries } from '../data/measureList'
import { caseSummaryService } from './caseSummary'
import { caseSummaryQueries } from '../data/caseSummary'

/** Builds every service from the database handle and the clock; the app and the tests wire them here only. */
export function services(deps: { sequelize: Sequelize; clock: Clock; retentionYears?: number; mailer?: Mailer | null; publicUrl?: string }) {
  const { sequelize, clock } = deps
  const audit = auditService(clock)
  const sessions = sessionRegistry(sequelize)
  const deadlines = deadlineService({ sequelize, clock, audit })
  const sql = sqlOf(sequelize)
  const submissions = submissionQueries(sql)
  const beneficiaries = beneficiaryService({ sequelize, clock, audit, deadlines, submissions })
  const transfers = transferService({ sequelize, clock, audit, submissions: submissionGuard(submissions) })
  const assessments = assessmentService({ sequelize, clock, audit, deadlines })
  const quarterlyReports = quarterlyReportService({ sequelize, clock, audit, deadlines, liveFigures: liveFigureQueries(sql) })
  const ledger = ledgerQueries(sql)
  const workConditions = workConditionService({ sequelize, clock, queries: conditionQueries(sql), reports: quarterlyReports })
  const board = boardService({ clock, ledger, conditions: workConditions })
  const delegations = delegationService({ sequelize, clock, audit, submissions: submissionGuard(submissions) })
  const plans = planService({ sequelize, clock, audit, deadlines, assessments })
  const measures = measureService({ sequelize, clock, audit, deadlines, list: measureListQueries(sql), submissions: submissionGuard(submissions) })
  const contacts = contactService({ sequelize, clock, audit, deadlines, submissions: submissionGuard(submissions) })
  const correspondence = correspondenceService({ sequelize, clock, audit, deadlines, submissions })
  return {
    sequelize,
    clock,
    ledger,
    signInLimits: signInLimitQueries(sql),
    workConditions,
    audit,
    sessions,
    users: userService({ sequelize, clock, audit, sessions, requests: accountRequestQueries(sql), secondFactors: secondFactorQueries(sql), submissions }),
    twoFactor: twoFactorService({ sequelize, clock, audit, queries: secondFactorQueries(sql) }),
    regions: regionService({ sequelize, clock, audit, submissions }),
    delegations,
    beneficiaries,
    transfers,
    subjectAccess: subjectAccessService({ beneficiaries, transfers, measures, assessments, plans, contacts, correspondence, clock }),
    deadlines,
    measures,
    monitoring: monitoringService({ sequelize, clock, audit, deadlines, submissions: submissionGuard(submissions) }),
    assessments,
    plans,
    caseSummary: caseSummaryService({ clock, queries: caseSummaryQueries(sql) }),
    board,
    home: homeService({ clock, board, queries: homeQueries(sql), accountRequests: accountRequestQueries(sql) }),
    reminders: reminderService({ sequelize, clock, audit, board, delegations, mailer: deps.mailer ?? null, publicUrl: deps.publicUrl ?? 'http://localhost:3000' }),
    contacts,
    activities: activityService({ sequelize, clock, audit, submissions: submissionGuard(submissions) }),
    correspondence,
    mediation: mediationService({ sequelize, clock, audit, deadlines, submissions: submissionGuard(submissions) }),
    quarterlyReports,
    retention: retentionService({ sequelize, clock, audit, retentionYears: deps.retentionYears ?? 5 }),
  }
}

export type Services = ReturnType<typeof services>
