import { startTestServer } from './database'

// Mocha global fixtures (main process): one PostgreSQL server and a migrated template for the run, removed at the end.
let stopTestServer: (() => Promise<void>) | undefined

export async function mochaGlobalSetup(): Promise<void> {
  stopTestServer = await startTestServer(process.env.TEST_DATABASE_URL)
}

export async function mochaGlobalTeardown(): Promise<void> {
  await stopTestServer?.()
}
