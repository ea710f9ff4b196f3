import PgBoss from 'pg-boss'
import type { Logger } from 'pino'
import type { LedgerQueries } from '../data/ledger'
import { LIVE_FIGURES_REFRESH_MINUTES, type QuarterlyReportService } from '../services/quarterlyReports'
import type { ReminderService } from '../services/reminders'
import type { UserService } from '../services/users'
import type { WorkConditionService } from '../services/workConditions'

export const DIGEST_QUEUE = 'daily-digest'
export const CONDITIONS_QUEUE = 'work-conditions'
export const LIVE_FIGURES_QUEUE = 'live-quarterly-figures'
export const INACTIVE_ACCOUNTS_QUEUE = 'inactive-accounts'
/** Each night: accounts unused for 90 days are disabled. */
const INACTIVE_ACCOUNTS_CRON = '30 2 * * *'
/**
 * Each minute: the day's conditions computed for every region just after midnight, and the records changed since the
 * last pass, so that a list rarely finds work of its own to do.
 */
const CONDITIONS_CRON = '* * * * *'

/** The digest worker: every instance of the app runs one; a job carries the day to prepare, or today. */
export async function workOnDigests(boss: PgBoss, reminders: ReminderService, logger: Logger): Promise<string> {
  return boss.work<{ date?: string }>(DIGEST_QUEUE, async ([job]) => {
    const result = await reminders.prepareDigests(job?.data.date)
    logger.info(result, 'daily digests prepared')
  })
}

/** The conditions worker: brings every region's time-dependent work up to date, then folds the ledger's open counts. */
export async function workOnConditions(boss: PgBoss, conditions: Pick<WorkConditionService, 'bringUpToDate'>, ledger: Pick<LedgerQueries, 'foldOpenCounts'>): Promise<string> {
  return boss.work(CONDITIONS_QUEUE, async () => {
    await conditions.bringUpToDate(null)
    await ledger.foldOpenCounts()
  })
}

/** The live figures worker: the national roll-up's figures of the regions, computed ahead of the service head's view. */
export async function workOnLiveFigures(boss: PgBoss, reports: Pick<QuarterlyReportService, 'refreshLiveFigures'>): Promise<string> {
  return boss.work(LIVE_FIGURES_QUEUE, async () => {
    await reports.refreshLiveFigures()
  })
}

/** The inactivity worker: disables the accounts unused for 90 days (UserService.disableInactiveAccounts). */
export async function workOnInactiveAccounts(boss: PgBoss, users: Pick<UserService, 'disableInactiveAccounts'>, logger: Logger): Promise<string> {
  return boss.work(INACTIVE_ACCOUNTS_QUEUE, async () => {
    const disabled = await users.disableInactiveAccounts()
    logger.info({ disabled }, 'inactive accounts disabled')
  })
}

export interface JobRunner {
  stop(): Promise<void>
}

/**
 * Background work on the same PostgreSQL through pg-boss, scheduled by cron in Yerevan time: the daily digest, and the
 * work ledger's conditions and open counts, the roll-up's live figures, and the accounts unused for 90 days. pg-boss hands each scheduled job to one worker; the digests table's (user, day) key covers
 * a job run twice, and the conditions are claimed region by region in the database.
 */
export async function startJobs(deps: { databaseUrl: string; digestCron: string; reminders: ReminderService; conditions: Pick<WorkConditionService, 'bringUpToDate'>; ledger: Pick<LedgerQueries, 'foldOpenCounts'>; reports: Pick<QuarterlyReportService, 'refreshLiveFigures'>; users: Pick<UserService, 'disableInactiveAccounts'>; logger: Logger }): Promise<JobRunner> {
  const { databaseUrl, digestCron, reminders, conditions, ledger, reports, users, logger } = deps
  const boss = new PgBoss({ connectionString: databaseUrl, schema: 'pgboss', application_name: 'probation-jobs', max: 2 })
  boss.on('error', (error: Error) => logger.warn({ err: { message: error.message } }, 'job queue error'))
  await boss.start()
  await boss.createQueue(DIGEST_QUEUE, { name: DIGEST_QUEUE, policy: 'singleton' })
  await boss.schedule(DIGEST_QUEUE, digestCron, {}, { tz: 'Asia/Yerevan' })
  await workOnDigests(boss, reminders, logger)
  await boss.createQueue(CONDITIONS_QUEUE, { name: CONDITIONS_QUEUE, policy: 'singleton' })
  await boss.schedule(CONDITIONS_QUEUE, CONDITIONS_CRON, {}, { tz: 'Asia/Yerevan' })
  await workOnConditions(boss, conditions, ledger)
  await boss.createQueue(LIVE_FIGURES_QUEUE, { name: LIVE_FIGURES_QUEUE, policy: 'singleton' })
  await boss.schedule(LIVE_FIGURES_QUEUE, `*/${LIVE_FIGURES_REFRESH_MINUTES} * * * *`, {}, { tz: 'Asia/Yerevan' })
  await workOnLiveFigures(boss, reports)
  await boss.createQueue(INACTIVE_ACCOUNTS_QUEUE, { name: INACTIVE_ACCOUNTS_QUEUE, policy: 'singleton' })
  await boss.schedule(INACTIVE_ACCOUNTS_QUEUE, INACTIVE_ACCOUNTS_CRON, {}, { tz: 'Asia/Yerevan' })
  await workOnInactiveAccounts(boss, users, logger)
  return { stop: () => boss.stop({ graceful: true, wait: true, timeout: 10_000 }) }
}
