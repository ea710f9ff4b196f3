import { closeTestApps } from './app'
import { closeTestDatabase, openTestDatabase } from './database'

// Root hooks, run by each parallel worker once per spec file: the file gets its own copy of the migrated template.
export const mochaHooks = {
  async beforeAll(): Promise<void> {
    await openTestDatabase()
  },
  async afterAll(): Promise<void> {
    await closeTestApps()
    await closeTestDatabase()
  },
}
