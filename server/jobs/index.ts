import PgBoss from 'pg-boss'
import type { Logger } from 'pino'
import type { LedgerQueries } from '../data/ledger'
import { LIVE_FIGURES_REFRESH_MINUTES, type QuarterlyReportService } from '../services/quarterlyReports'
import type { ReminderService } from '../services/reminders'
import type { WorkConditionService } from '../services/workConditions'

export const DIGEST_QUEUE = 'daily-digest'
export const CONDITIONS_QUEUE = 'work-conditions'
export const LIVE_FIGURES_QUEUE = 'live-quarterly-figures'
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

export interface JobRunner {
  stop(): Promise<void>
}

/**
 * Background work on the same PostgreSQL through pg-boss, scheduled by cron in Yerevan time: the daily digest, and the
 * work ledger's conditions and open counts, and the roll-up's live figures. pg-boss hands each scheduled job to one worker; the digests table's (user, day) key covers
 * a job run twice, and the conditions are claimed region by region in the database.
 */
export async function startJobs(deps: { databaseUrl: string; digestCron: string; reminders: ReminderService; conditions: Pick<WorkConditionService, 'bringUpToDate'>; ledger: Pick<LedgerQueries, 'foldOpenCounts'>; reports: Pick<QuarterlyReportService, 'refreshLiveFigures'>; logger: Logger }): Promise<JobRunner> {
  const { databaseUrl, digestCron, reminders, conditions, ledger, reports, logger } = deps
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
  return { stop: () => boss.stop({ graceful: true, wait: true, timeout: 10_000 }) }
}
