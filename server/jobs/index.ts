import PgBoss from 'pg-boss'
import type { Logger } from 'pino'
import type { ReminderService } from '../services/reminders'

export const DIGEST_QUEUE = 'daily-digest'

/** The digest worker: every instance of the app runs one; a job carries the day to prepare, or today. */
export async function workOnDigests(boss: PgBoss, reminders: ReminderService, logger: Logger): Promise<string> {
  return boss.work<{ date?: string }>(DIGEST_QUEUE, async ([job]) => {
    const result = await reminders.prepareDigests(job?.data.date)
    logger.info(result, 'daily digests prepared')
  })
}

export interface JobRunner {
  stop(): Promise<void>
}

/**
 * Background work on the same PostgreSQL through pg-boss: the daily digest, scheduled by cron in Yerevan time.
 * pg-boss hands each scheduled job to one worker; the digests table's (user, day) key covers a job run twice.
 */
export async function startJobs(deps: { databaseUrl: string; digestCron: string; reminders: ReminderService; logger: Logger }): Promise<JobRunner> {
  const { databaseUrl, digestCron, reminders, logger } = deps
  const boss = new PgBoss({ connectionString: databaseUrl, schema: 'pgboss', application_name: 'probation-jobs', max: 2 })
  boss.on('error', (error: Error) => logger.warn({ err: { message: error.message } }, 'job queue error'))
  await boss.start()
  await boss.createQueue(DIGEST_QUEUE, { name: DIGEST_QUEUE, policy: 'singleton' })
  await boss.schedule(DIGEST_QUEUE, digestCron, {}, { tz: 'Asia/Yerevan' })
  await workOnDigests(boss, reminders, logger)
  return { stop: () => boss.stop({ graceful: true, wait: true, timeout: 10_000 }) }
}
