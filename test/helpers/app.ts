import type express from 'express'
import pino from 'pino'
import type pg from 'pg'
import { createApp } from '../../server/app'
import { loadConfig, type Config } from '../../server/config'
import { createSessionPool } from '../../server/db/database'
import { ManualClock } from '../../server/domain/clock'
import { services as buildServices, type Services } from '../../server/services'
import { testDatabase } from './database'

export interface TestApp {
  app: express.Express
  services: Services
  clock: ManualClock
  config: Config
}

const pools: pg.Pool[] = []
/** Each test app's clock, for helpers given only the app (the second factor's code is the clock's). */
export const appClocks = new WeakMap<express.Express, ManualClock>()

/** The real app on the test database, with a clock the test moves and settings it may override. */
export function buildTestApp(settings: Record<string, string> = {}, databaseUrl?: string): TestApp {
  const { sequelize, url } = testDatabase()
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', SIGN_IN_RATE_LIMIT: '100000', ...settings })
  const clock = new ManualClock(new Date())
  const services = buildServices({ sequelize, clock, retentionYears: config.closedFileRetentionYears })
  const sessionPool = createSessionPool(databaseUrl ?? url, () => undefined)
  pools.push(sessionPool)
  const app = createApp(services, { config, logger: pino({ level: 'silent' }), sessionPool })
  appClocks.set(app, clock)
  return { app, services, clock, config }
}

export async function closeTestApps(): Promise<void> {
  await Promise.all(pools.splice(0).map((pool) => pool.end()))
}
