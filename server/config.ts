import fs from 'node:fs'
import path from 'node:path'
import Joi from 'joi'
import { projectRoot } from './paths'

// The only module that reads process.env: every setting is validated once, typed and frozen.
export interface Config {
  readonly env: 'development' | 'test' | 'production'
  readonly port: number
  /** The address the app listens on. */
  readonly host: string
  readonly databaseUrl: string | undefined
  /** The owner's connection, for migrations (README, Database roles); without it they run as DATABASE_URL's role. */
  readonly databaseOwnerUrl: string | undefined
  readonly embeddedDatabase: { readonly dataDir: string; readonly port: number }
  readonly sessionSecret: string
  readonly sessionIdleMinutes: number
  readonly sessionAbsoluteHours: number
  readonly signInRateLimitPerWindow: number
  readonly seedDemoData: boolean
  readonly trustProxy: boolean
  readonly logLevel: string
  /** Years after closing before the service head may anonymise a file. */
  readonly closedFileRetentionYears: number
  /** Compiled templates are kept (everywhere but development, where edits should show at once). */
  readonly viewCache: boolean
  /** How far V8 lets the heap grow past what a full collection left alive, in percent (0: V8's own rule, up to +300%). */
  readonly heapGrowingPercent: number
  /** Unacceptable absences (within the plan in force) after which the contacts page prompts to record a violation. */
  readonly unacceptableAbsencesBeforeViolation: number
  /** Background jobs (the daily digest) run in this process; off in tests, which drive the job directly. */
  readonly jobsEnabled: boolean
  /** When the daily digest is prepared (cron, Asia/Yerevan). */
  readonly digestCron: string
  /** SMTP server for the digest by e-mail (nodemailer URL, e.g. smtp://user:pass@host:587); empty: no e-mail. */
  readonly smtpUrl: string | null
  readonly mailFrom: string
  /** The address users reach the app at, for links in e-mails and calendar feeds. */
  readonly publicUrl: string
}


const DEVELOPMENT_SESSION_SECRET = 'development-only-session-secret-not-for-production'

const isLoopback = (host: string) => host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host)

/**
 * A start that others can reach (listening beyond this computer, or published at an address that is not it) without
 * NODE_ENV=production would offer the demo accounts, whose password is published, or sign sessions with the
 * development secret: refused, naming what to set.
 */
function refuseExposedDevelopment(value: { NODE_ENV: string; HOST: string; PUBLIC_URL?: string; SEED_DEMO_DATA: boolean; SESSION_SECRET: string }): void {
  if (value.NODE_ENV === 'production') return
  const exposedBy = !isLoopback(value.HOST) ? `HOST=${value.HOST}` : value.PUBLIC_URL && !isLoopback(new URL(value.PUBLIC_URL).hostname) ? `PUBLIC_URL=${value.PUBLIC_URL}` : null
  if (exposedBy === null) return
  const unsafe = [value.SEED_DEMO_DATA ? 'the demo accounts (SEED_DEMO_DATA=false)' : null, value.SESSION_SECRET === DEVELOPMENT_SESSION_SECRET ? 'the development session secret (SESSION_SECRET)' : null].filter(Boolean)
  if (unsafe.length > 0) throw new Error(`Invalid configuration: ${exposedBy} can be reached from other computers, but NODE_ENV is not production and the start would use ${unsafe.join(' and ')}. Set NODE_ENV=production, or those settings.`)
}

const schema = Joi.object({
  NODE_ENV: Joi.string().valid('development', 'test', 'production').default('development'),
  PORT: Joi.number().port().default(3000),
  // Outside production the app listens on this computer only: demo accounts and the development secret stay on it.
  HOST: Joi.string().trim().hostname().when('NODE_ENV', { is: 'production', then: Joi.optional().default('0.0.0.0'), otherwise: Joi.optional().default('127.0.0.1') }),
  DATABASE_URL: Joi.string().uri({ scheme: ['postgres', 'postgresql'] }),
  DATABASE_OWNER_URL: Joi.string().uri({ scheme: ['postgres', 'postgresql'] }),
  EMBEDDED_PG_DATA_DIR: Joi.string().default(path.join(projectRoot, 'data', 'postgres')),
  EMBEDDED_PG_PORT: Joi.number().port().default(54329),
  SESSION_SECRET: Joi.string().min(32).when('NODE_ENV', {
    is: 'production',
    then: Joi.required(),
    otherwise: Joi.optional().default(DEVELOPMENT_SESSION_SECRET),
  }),
  SESSION_IDLE_MINUTES: Joi.number().integer().min(1).max(24 * 60).default(30),
  SESSION_ABSOLUTE_HOURS: Joi.number().integer().min(1).max(72).default(12),
  SIGN_IN_RATE_LIMIT: Joi.number().integer().min(1).default(30),
  SEED_DEMO_DATA: Joi.boolean().when('NODE_ENV', {
    is: 'production',
    then: Joi.optional().default(false),
    otherwise: Joi.optional().default(true),
  }),
  TRUST_PROXY: Joi.boolean().default(false),
  VIEW_CACHE: Joi.boolean().when('NODE_ENV', { is: 'development', then: Joi.optional().default(false), otherwise: Joi.optional().default(true) }),
  HEAP_GROWING_PERCENT: Joi.number().integer().min(0).max(1000).default(100),
  CLOSED_FILE_RETENTION_YEARS: Joi.number().integer().min(1).max(100).default(5),
  UNACCEPTABLE_ABSENCES_BEFORE_VIOLATION: Joi.number().integer().min(1).max(20).default(2),
  JOBS_ENABLED: Joi.boolean().when('NODE_ENV', { is: 'test', then: Joi.optional().default(false), otherwise: Joi.optional().default(true) }),
  DIGEST_CRON: Joi.string().trim().pattern(/^(\S+\s+){4}\S+$/).default('0 7 * * 1-5'),
  SMTP_URL: Joi.string().uri({ scheme: ['smtp', 'smtps'] }).allow('').default(''),
  MAIL_FROM: Joi.string().email().default('probation@localhost'),
  PUBLIC_URL: Joi.string().uri({ scheme: ['http', 'https'] }).allow(''),
  LOG_LEVEL: Joi.string().valid('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent').default('info'),
}).unknown(true)

/** Settings from the environment, after a `.env` file at the project root if there is one. */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const envFile = path.join(projectRoot, '.env')
  if (environment === process.env && fs.existsSync(envFile)) process.loadEnvFile(envFile)
  const { value, error } = schema.validate(environment, { abortEarly: false, convert: true })
  if (error) {
    throw new Error(`Invalid configuration: ${error.details.map((d) => d.message).join('; ')}`)
  }
  refuseExposedDevelopment(value)
  return Object.freeze({
    env: value.NODE_ENV,
    port: value.PORT,
    host: value.HOST,
    databaseUrl: value.DATABASE_URL,
    databaseOwnerUrl: value.DATABASE_OWNER_URL,
    embeddedDatabase: Object.freeze({ dataDir: path.resolve(value.EMBEDDED_PG_DATA_DIR), port: value.EMBEDDED_PG_PORT }),
    sessionSecret: value.SESSION_SECRET,
    sessionIdleMinutes: value.SESSION_IDLE_MINUTES,
    sessionAbsoluteHours: value.SESSION_ABSOLUTE_HOURS,
    signInRateLimitPerWindow: value.SIGN_IN_RATE_LIMIT,
    seedDemoData: value.SEED_DEMO_DATA,
    trustProxy: value.TRUST_PROXY,
    logLevel: value.LOG_LEVEL,
    closedFileRetentionYears: value.CLOSED_FILE_RETENTION_YEARS,
    viewCache: value.VIEW_CACHE,
    heapGrowingPercent: value.HEAP_GROWING_PERCENT,
    unacceptableAbsencesBeforeViolation: value.UNACCEPTABLE_ABSENCES_BEFORE_VIOLATION,
    jobsEnabled: value.JOBS_ENABLED,
    digestCron: value.DIGEST_CRON,
    smtpUrl: value.SMTP_URL || null,
    mailFrom: value.MAIL_FROM,
    publicUrl: (value.PUBLIC_URL || `http://localhost:${value.PORT}`).replace(/\/$/, ''),
  })
}
