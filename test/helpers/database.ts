import fs from 'node:fs/promises'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import type { Sequelize } from 'sequelize'
import { createSequelize } from '../../server/db/database'
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../server/db/embedded'
import { createMigrator } from '../../server/db/migrator'
import { initModels } from '../../models'
import { startRelay, type Relay } from './relay'

/*
 * One PostgreSQL for the whole run: a throwaway embedded cluster in a temporary folder, or a temporary
 * database on TEST_DATABASE_URL's server. Either way it is removed at the end: a run leaves nothing behind.
 */
interface TestDatabase {
  url: string
  sequelize: Sequelize
  /** Every connection of the run passes through it; the outage test cuts it. */
  relay: Relay
  /** Creates another empty database on the same server (for migration and outage tests). */
  createScratchDatabase(name: string): Promise<string>
  teardown(): Promise<void>
}

let current: TestDatabase | undefined

export function testDatabase(): TestDatabase {
  if (!current) throw new Error('The test database is not started (test/helpers/globalFixtures.ts).')
  return current
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${name}`
  return parsed.toString()
}

async function onServer<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(url, 'postgres') })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

export async function startTestDatabase(externalUrl: string | undefined): Promise<void> {
  const runId = `${process.pid}_${Date.now().toString(36)}`
  const databaseName = `probation_test_${runId}`
  let embedded: EmbeddedDatabase | null = null
  let tempDir: string | null = null
  let serverUrl: string
  const scratch: string[] = []

  if (externalUrl) {
    serverUrl = externalUrl
    await onServer(serverUrl, (client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(databaseName)}`))
  } else {
    tempDir = await fs.mkdtemp(path.join(os.tmpdir(), 'probation-test-'))
    // PostgreSQL runs as the 'postgres' system user when the tests run as root: it must reach the folder.
    await fs.chmod(tempDir, 0o755)
    embedded = await startEmbeddedDatabase({ dataDir: path.join(tempDir, 'pg'), port: await freePort(), persistent: false, databaseName })
    serverUrl = embedded.url
  }

  const server = new URL(serverUrl)
  const relay = await startRelay({ host: server.hostname, port: Number(server.port || 5432) })
  const relayed = new URL(serverUrl)
  relayed.hostname = '127.0.0.1'
  relayed.port = String(relay.port)
  const url = withDatabase(relayed.toString(), databaseName)
  const sequelize = createSequelize({ url, poolMax: 20 })
  initModels(sequelize)
  await createMigrator(sequelize).up()

  current = {
    url,
    sequelize,
    relay,
    async createScratchDatabase(name) {
      const scratchName = `${databaseName}_${name}`
      await onServer(serverUrl, (client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(scratchName)}`))
      scratch.push(scratchName)
      return withDatabase(serverUrl, scratchName)
    },
    async teardown() {
      await sequelize.close()
      await relay.close()
      if (externalUrl) {
        await onServer(serverUrl, async (client) => {
          for (const name of [databaseName, ...scratch]) await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`)
        })
      }
      await embedded?.stop()
      if (tempDir) await fs.rm(tempDir, { recursive: true, force: true })
    },
  }
}
