import { closeTestApps } from './app'
import { startTestDatabase, testDatabase } from './database'

// Mocha global fixtures: one database for the run, removed at the end.
export async function mochaGlobalSetup(): Promise<void> {
  await startTestDatabase(process.env.TEST_DATABASE_URL)
}

export async function mochaGlobalTeardown(): Promise<void> {
  await closeTestApps()
  await testDatabase().teardown()
}
