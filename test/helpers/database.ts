import fs from 'node:fs/promises'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import type { Sequelize } from 'sequelize'
import { createSequelize } from '../../server/db/database'
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../server/db/embedded'
import { createMigrator } from '../../server/db/migrator'
import { grantAppRole } from '../../server/db/roles'
import { initModels } from '../../models'
import { startRelay, type Relay } from './relay'

/*
 * One PostgreSQL server for the run (a throwaway embedded cluster, or TEST_DATABASE_URL's server) holding one migrated
 * template database. Every spec file gets a fresh copy of the template (CREATE DATABASE … TEMPLATE), so no file sees
 * another's rows, files run in parallel workers, and a file (or one test of it, with -g) passes alone. The main process
 * starts the server (global fixtures); each worker opens and drops its files' copies (root hooks). Everything is removed
 * at the end: a run leaves nothing behind. The tests connect as the app's own role, as the app does (server/db/roles.ts):
 * migrations and databases are the server's owner's.
 */
interface TestDatabase {
  /** The app's role's connection (through the relay). */
  url: string
  /** The owner's connection to the same database (the server's superuser), for what only the owner may do. */
  ownerUrl: string
  sequelize: Sequelize
  /** Every connection of the file passes through it; the outage test cuts it. */
  relay: Relay
  /** Creates another empty database on the same server (for migration tests); dropped with the file's copy. */
  createScratchDatabase(name: string): Promise<string>
}

// The main process hands the server and the template to Mocha's workers, which it forks after the global setup.
const SERVER_URL = 'PROBATION_TEST_SERVER_URL'
const TEMPLATE = 'PROBATION_TEST_TEMPLATE'
/** The app's role on the test server (the embedded one makes it; on TEST_DATABASE_URL's server it is made here). */
const APP_ROLE = { user: 'probation_app', password: 'probation_app' }

let current: (TestDatabase & { close(): Promise<void> }) | undefined

export function testDatabase(): TestDatabase {
  if (!current) throw new Error('The test database is not open (test/helpers/rootHooks.ts).')
  return current
}

export async function freePort(): Promise<number> {
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

const dropDatabase = (client: pg.Client, name: string) => client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`)

/** Main process: starts the server and migrates the template; returns what removes them. */
export async function startTestServer(externalUrl: string | undefined): Promise<() => Promise<void>> {
  const template = `probation_test_${process.pid}_${Date.now().toString(36)}`
  let embedded: EmbeddedDatabase | null = null
  let tempDir: string | null = null
  let serverUrl: string
  if (externalUrl) {
    serverUrl = externalUrl
    await onServer(serverUrl, (client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(template)}`))
  } else {
    tempDir = await fs.mkdtemp(path.join(os.tmpdir(), 'probation-test-'))
    // PostgreSQL runs as the 'postgres' system user when the tests run as root: it must reach the folder.
    await fs.chmod(tempDir, 0o755)
    embedded = await startEmbeddedDatabase({
      dataDir: path.join(tempDir, 'pg'),
      port: await freePort(),
      persistent: false,
      databaseName: template,
      // A cluster that is thrown away after the run needs no crash safety; each worker holds a few pools.
      settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: '300' },
    })
    serverUrl = embedded.url
  }
  if (externalUrl) {
    await onServer(serverUrl, (client) => client.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE.user}') THEN CREATE ROLE ${APP_ROLE.user} LOGIN PASSWORD '${APP_ROLE.password}'; END IF;
    END $$`))
  }
  const sequelize = createSequelize({ url: withDatabase(serverUrl, template), poolMax: 2 })
  try {
    await createMigrator(sequelize).up()
    await grantAppRole(sequelize, APP_ROLE.user)
  } finally {
    await sequelize.close()
  }
  process.env[SERVER_URL] = serverUrl
  process.env[TEMPLATE] = template

  return async () => {
    if (externalUrl) {
      await onServer(serverUrl, async (client) => {
        const left = await client.query<{ name: string }>('SELECT datname AS name FROM pg_database WHERE datname LIKE $1', [`${template}%`])
        for (const { name } of left.rows) await dropDatabase(client, name)
      })
    }
    await embedded?.stop()
    if (tempDir) await fs.rm(tempDir, { recursive: true, force: true })
  }
}

let copies = 0

/** Worker: a fresh copy of the template for the spec file about to run, behind its own relay. */
export async function openTestDatabase(): Promise<void> {
  const serverUrl = process.env[SERVER_URL]
  const template = process.env[TEMPLATE]
  if (!serverUrl || !template) throw new Error('The test server is not started (test/helpers/globalFixtures.ts).')
  if (current) await closeTestDatabase()
  copies += 1
  const name = `${template}_${process.pid}_${copies}`
  const scratch: string[] = []
  await onServer(serverUrl, async (client) => {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)} TEMPLATE ${client.escapeIdentifier(template)}`)
    // A copy keeps its tables' privileges, not the database's own.
    await client.query(`GRANT CONNECT, CREATE ON DATABASE ${client.escapeIdentifier(name)} TO ${APP_ROLE.user}`)
  })

  const server = new URL(serverUrl)
  const relay = await startRelay({ host: server.hostname, port: Number(server.port || 5432) })
  const relayed = new URL(serverUrl)
  relayed.hostname = '127.0.0.1'
  relayed.port = String(relay.port)
  relayed.username = APP_ROLE.user
  relayed.password = APP_ROLE.password
  const url = withDatabase(relayed.toString(), name)
  const sequelize = createSequelize({ url, poolMax: 20 })
  initModels(sequelize)

  current = {
    url,
    ownerUrl: withDatabase(serverUrl, name),
    sequelize,
    relay,
    async createScratchDatabase(suffix) {
      const scratchName = `${name}_${suffix}`
      await onServer(serverUrl, (client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(scratchName)}`))
      scratch.push(scratchName)
      return withDatabase(serverUrl, scratchName)
    },
    async close() {
      await sequelize.close()
      await relay.close()
      await onServer(serverUrl, async (client) => {
        for (const database of [name, ...scratch]) await dropDatabase(client, database)
      })
    },
  }
}

export async function closeTestDatabase(): Promise<void> {
  const closing = current
  current = undefined
  await closing?.close()
}
