/*
 * npm run bench [-- --connections 20 --duration 15 --warmup 3 --skip-build --mode production|development --out bench/REPORT.md] (production by default: what users get)
 * For quicker looks while working: --only <regular expression on page names>, --skip-services (no in-process timings),
 * --node-arg <flag> (repeatable; passed to the server's node, e.g. --node-arg=--cpu-prof --node-arg=--cpu-prof-dir=/tmp/prof).
 *
 * Builds the app, starts it as a child process (node dist/server/index.js) on the same database as the app would
 * use (DATABASE_URL or the embedded cluster: run `npm run seed:scale` first), signs in, loads the busiest pages with
 * autocannon and writes bench/REPORT.md: latency percentiles, requests/s, non-2xx responses, the server's peak RSS,
 * the time from spawn to /ready, and the targets with PASS/FAIL. It also times the pages' service calls in-process
 * and attaches EXPLAIN ANALYZE of their SQL, to tell database time from rendering time. It never asserts: it reports.
 * The child is always stopped with SIGTERM at the end.
 *
 * The personal files measured are Ararat's open files, every other one among those with a plan in force and the most
 * appointments; those busiest supervised files also give the extra pages of supervision (their file, contacts page,
 * supervision overview, latest assessment and plan), next to the appointments awaiting an outcome, the busiest
 * specialist's "my work", the deadline boards and the national quarterly roll-up (its own target: p95 < 1 s). The
 * national views, used by the service head alone, are loaded with one connection.
 */
import { generate } from 'otplib'
import { DEMO_TOTP_KEY } from '../server/domain/twoFactor'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import pg from 'pg'
import { loadConfig } from '../server/config'
import { projectRoot } from '../server/paths'
import { createSequelize } from '../server/db/database'
import { DEMO_PASSWORD } from '../server/db/demoData'
import { systemClock } from '../server/domain/clock'
import { serviceDateOf } from '../server/domain/dates'
import { quarterToReport } from '../server/domain/quarterlyReport'
import { services as buildServices } from '../server/services'
import { BOARD_PREVIEW_LINES } from '../server/services/board'
import { initModels } from '../models'
import { databaseUrlOf, formatDuration } from './scale/common'
import { SCALE_PASSWORD, SCALE_USERNAME_PREFIX, scaleUsername } from './scale/data'

const TARGETS = { p95Ms: 100, peakRssMb: 300, readyMs: 10_000 }
/** The unloaded requests of one page stop after this long (a page of seconds would otherwise take minutes). */
const SEQUENTIAL_BUDGET_MS = 15_000
const SESSION_COOKIE = 'probation.sid'

// ----------------------------------------------------------------------------------------------- options

function options() {
  const { values } = parseArgs({
    options: {
      connections: { type: 'string', default: '20' },
      duration: { type: 'string', default: '15' },
      warmup: { type: 'string', default: '3' },
      sequential: { type: 'string', default: '30' },
      'skip-build': { type: 'boolean', default: false },
      mode: { type: 'string', default: 'production' },
      out: { type: 'string', default: path.join('bench', 'REPORT.md') },
      only: { type: 'string' },
      'skip-services': { type: 'boolean', default: false },
      'node-arg': { type: 'string', multiple: true, default: [] },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  })
  if (values.help) {
    console.log('usage: npm run bench -- [--connections 20] [--duration 15] [--warmup 3] [--sequential 30] [--skip-build] [--mode development|production] [--out bench/REPORT.md] [--only <page name regexp>] [--skip-services] [--node-arg <flag>]…')
    process.exit(0)
  }
  const positive = (name: string, text: string, min = 1) => {
    const value = Number(text)
    if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be an integer >= ${min} (got ${text})`)
    return value
  }
  if (values.mode !== 'development' && values.mode !== 'production') throw new Error('--mode is development or production')
  return {
    connections: positive('connections', values.connections),
    duration: positive('duration', values.duration),
    warmup: positive('warmup', values.warmup, 0),
    sequential: positive('sequential', values.sequential, 0),
    build: !values['skip-build'],
    mode: values.mode as 'development' | 'production',
    out: path.resolve(projectRoot, values.out),
    only: values.only ? new RegExp(values.only, 'i') : null,
    services: !values['skip-services'],
    nodeArgs: values['node-arg'],
  }
}

// ----------------------------------------------------------------------------------------------- statistics

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]
}

const ms = (value: number) => (Number.isFinite(value) ? `${value < 10 ? value.toFixed(1) : Math.round(value)} ms` : '—')
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`

// ----------------------------------------------------------------------------------------------- CPU accounting (/proc)

const CLK_TCK = (() => {
  const answer = Number(String(spawnSync('getconf', ['CLK_TCK']).stdout ?? '').trim())
  return answer > 0 ? answer : 100
})()

function procStat(pid: number): { ppid: number; ticks: number; reapedTicks: number } | null {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    // After "pid (comm) ": state ppid … utime(14) stime(15) cutime(16) cstime(17).
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]), reapedTicks: Number(fields[13]) + Number(fields[14]) }
  } catch {
    return null
  }
}

/** Busy and total CPU time of the whole machine, in ticks. */
function machineTicks(): { busy: number; total: number } {
  try {
    const values = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number)
    const total = values.slice(0, 8).reduce((sum, value) => sum + value, 0)
    return { busy: total - values[3] - (values[4] ?? 0), total }
  } catch {
    return { busy: 0, total: 0 }
  }
}

interface CpuSnapshot {
  nodeMs: number
  /** The server's descendants (the embedded PostgreSQL: postmaster, backends, and the backends it reaped); null with DATABASE_URL. */
  databaseMs: number | null
  loadGeneratorMs: number
  machine: { busy: number; total: number }
}

// ----------------------------------------------------------------------------------------------- the server child

class ServerChild {
  readonly child: ChildProcess
  readonly spawnedAt = Date.now()
  readonly exited: Promise<number | null>
  exitCode: number | null | undefined = undefined
  maxRssKb = 0
  private windowMaxRssKb = 0
  private readonly sampler: NodeJS.Timeout

  constructor(env: NodeJS.ProcessEnv, readonly logPath: string, nodeArgs: string[] = []) {
    const log = fs.openSync(logPath, 'w')
    // node itself, not npm: the pid is the server's, for /proc/<pid>/status and for SIGTERM.
    this.child = spawn(process.execPath, [...nodeArgs, path.join(projectRoot, 'dist', 'server', 'index.js')], { cwd: projectRoot, env, stdio: ['ignore', log, log] })
    fs.closeSync(log)
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => {
      this.exitCode = code
      resolve(code)
    }))
    this.sampler = setInterval(() => this.sample(), 100)
  }

  get pid(): number {
    return this.child.pid!
  }

  get running(): boolean {
    return this.exitCode === undefined
  }

  status(): { rssKb: number; hwmKb: number } | null {
    try {
      const text = fs.readFileSync(`/proc/${this.pid}/status`, 'utf8')
      const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0)
      return { rssKb: field('VmRSS'), hwmKb: field('VmHWM') }
    } catch {
      return null
    }
  }

  sample(): void {
    const status = this.status()
    if (!status) return
    this.maxRssKb = Math.max(this.maxRssKb, status.rssKb)
    this.windowMaxRssKb = Math.max(this.windowMaxRssKb, status.rssKb)
  }

  /** The highest RSS sampled since the last call. */
  takeWindowMaxRssKb(): number {
    this.sample()
    const value = this.windowMaxRssKb
    this.windowMaxRssKb = 0
    return value
  }

  cpu(): CpuSnapshot {
    const stats = new Map<number, NonNullable<ReturnType<typeof procStat>>>()
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue
      const stat = procStat(Number(entry))
      if (stat) stats.set(Number(entry), stat)
    }
    const children = new Map<number, number[]>()
    for (const [pid, stat] of stats) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), pid])
    let databaseTicks = 0
    let descendants = 0
    const queue = [...(children.get(this.pid) ?? [])]
    while (queue.length > 0) {
      const pid = queue.pop()!
      const stat = stats.get(pid)!
      databaseTicks += stat.ticks + stat.reapedTicks
      descendants += 1
      queue.push(...(children.get(pid) ?? []))
    }
    const usage = process.cpuUsage()
    return {
      nodeMs: ((stats.get(this.pid)?.ticks ?? 0) * 1000) / CLK_TCK,
      databaseMs: descendants > 0 ? (databaseTicks * 1000) / CLK_TCK : null,
      loadGeneratorMs: (usage.user + usage.system) / 1000,
      machine: machineTicks(),
    }
  }

  logTail(lines = 20): string {
    try {
      return fs.readFileSync(this.logPath, 'utf8').trim().split('\n').slice(-lines).join('\n')
    } catch {
      return '(no log)'
    }
  }

  /** SIGTERM, then waits for the graceful shutdown (it stops the embedded PostgreSQL too); SIGKILL after 30 s. */
  async stop(): Promise<{ ms: number; forced: boolean }> {
    clearInterval(this.sampler)
    const startedAt = Date.now()
    if (!this.running) return { ms: 0, forced: false }
    this.child.kill('SIGTERM')
    const done = await Promise.race([this.exited.then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), 30_000).unref())])
    if (!done) {
      this.child.kill('SIGKILL')
      await this.exited
    }
    return { ms: Date.now() - startedAt, forced: !done }
  }
}

async function answers(url: string, headers: Record<string, string> = {}): Promise<number | null> {
  try {
    const response = await fetch(url, { headers, signal: AbortSignal.timeout(1000), redirect: 'manual' })
    await response.arrayBuffer()
    return response.status
  } catch {
    return null
  }
}

async function waitUntilReady(server: ServerChild, base: string, timeoutMs = 120_000): Promise<number> {
  for (;;) {
    if (!server.running) throw new Error(`the server exited (code ${server.exitCode}) before /ready answered:\n${server.logTail()}`)
    if ((await answers(`${base}/ready`)) === 200) return Date.now() - server.spawnedAt
    if (Date.now() - server.spawnedAt > timeoutMs) throw new Error(`/ready did not answer 200 within ${timeoutMs / 1000} s:\n${server.logTail()}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

// ----------------------------------------------------------------------------------------------- signing in

function sessionCookieOf(response: Response): string | null {
  for (const line of response.headers.getSetCookie()) {
    const pair = line.split(';')[0].trim()
    if (pair.startsWith(`${SESSION_COOKIE}=`)) return pair
  }
  return null
}

const unescapeHtml = (text: string) => text.replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code))).replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')

/** The signed-in session's Cookie header, or null when the credentials were refused. */
async function signIn(base: string, username: string, password: string, extraHeaders: Record<string, string>): Promise<string | null> {
  const page = await fetch(`${base}/sign-in`, { headers: extraHeaders, redirect: 'manual' })
  const html = await page.text()
  const cookie = sessionCookieOf(page)
  const token = /name="_csrf" value="([^"]*)"/.exec(html)?.[1]
  if (page.status !== 200 || !cookie || !token) throw new Error(`GET /sign-in gave status ${page.status}, cookie ${cookie ? 'yes' : 'no'}, CSRF token ${token ? 'yes' : 'no'}`)
  const response = await fetch(`${base}/sign-in`, {
    method: 'POST',
    headers: { ...extraHeaders, cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: unescapeHtml(token), returnTo: '', username, password }).toString(),
    redirect: 'manual',
  })
  await response.arrayBuffer()
  if (response.status !== 303 || response.headers.get('location') !== '/sign-in/code') return null
  // The second factor: the demo and scale accounts' authenticator key is the published demo key.
  const pending = sessionCookieOf(response) ?? cookie
  const code = await fetch(`${base}/sign-in/code`, {
    method: 'POST',
    headers: { ...extraHeaders, cookie: pending, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: unescapeHtml(token), code: await generate({ secret: DEMO_TOTP_KEY }) }).toString(),
    redirect: 'manual',
  })
  await code.arrayBuffer()
  if (code.status !== 303) return null
  return sessionCookieOf(code) ?? pending
}

// ----------------------------------------------------------------------------------------------- pages

interface Account {
  label: string
  username: string
  cookie: string
}

interface Page {
  name: string
  /** Part of the brief's targets; the others are extra measurements. */
  core: boolean
  /** A page's own target, instead of TARGETS.p95Ms, and what the targets table calls it. */
  target?: { label: string; p95Ms: number }
  /** Concurrent users of a page only a few people use (the national views: the service head), instead of --connections. */
  connections?: number
  account: Account
  paths: string[]
  /** Why a 200 response is still not the page we meant to measure, or null. */
  problem: (html: string) => string | null
}

interface PageResult {
  page: Page
  bytes: number
  sequential: { p50: number; p95: number; count: number }
  p50: number
  p95: number
  p99: number
  max: number
  requestsPerSecond: number
  requests: number
  non2xx: number
  errors: number
  timeouts: number
  statusCodes: Record<string, number>
  autocannonP50: number
  autocannonP99: number
  maxRssKb: number
  preflightProblem: string | null
  cpu: { nodeMs: number; databaseMs: number | null; loadGeneratorMs: number; machineBusyPct: number; othersPct: number }
}

function connectionsOf(page: Page, opts: { connections: number }): number {
  return page.connections ?? opts.connections
}

async function runPage(page: Page, base: string, opts: ReturnType<typeof options>, extraHeaders: Record<string, string>, server: ServerChild): Promise<PageResult> {
  const headers = { ...extraHeaders, cookie: page.account.cookie }
  let next = 0
  const nextPath = () => page.paths[next++ % page.paths.length]

  // One request checked by eye of the script: a 200 that is a sign-in form or an access-reason prompt is no good.
  const first = await fetch(`${base}${page.paths[0]}`, { headers, redirect: 'manual' })
  const html = await first.text()
  const preflightProblem = first.status !== 200 ? `status ${first.status}` : page.problem(html)

  // Unloaded: one request at a time.
  const sequential: number[] = []
  // At most SEQUENTIAL_BUDGET_MS of them (at least 3) for pages that take seconds.
  const sequentialStartedAt = performance.now()
  for (let i = 0; i < opts.sequential && (i < 3 || performance.now() - sequentialStartedAt < SEQUENTIAL_BUDGET_MS); i += 1) {
    const startedAt = performance.now()
    const response = await fetch(`${base}${nextPath()}`, { headers, redirect: 'manual' })
    await response.arrayBuffer()
    sequential.push(performance.now() - startedAt)
  }
  sequential.sort((a, b) => a - b)

  const cannon = (duration: number, latencies: number[] | null, statusCodes: Record<string, number>) =>
    new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon(
        {
          url: base,
          connections: connectionsOf(page, opts),
          // A slow page queues at 20 connections: measure its latency rather than count autocannon's 10 s timeouts.
          timeout: 60,
          duration,
          headers,
          requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: nextPath() }) }],
        },
        (error, result) => (error ? reject(error) : resolve(result)),
      )
      instance.on('response', (_client, statusCode, _bytes, responseTime) => {
        latencies?.push(responseTime)
        statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1
      })
    })

  if (opts.warmup > 0) await cannon(opts.warmup, null, {})
  server.takeWindowMaxRssKb()
  const latencies: number[] = []
  const statusCodes: Record<string, number> = {}
  const before = server.cpu()
  const result = await cannon(opts.duration, latencies, statusCodes)
  const after = server.cpu()
  latencies.sort((a, b) => a - b)
  const perRequest = (a: number, b: number) => (b - a) / Math.max(1, result.requests.total)
  const machineTotal = after.machine.total - before.machine.total
  // CPU the machine spent on anything but the server, its database and this script: other work disturbing the run.
  const ownMs = after.nodeMs - before.nodeMs + (after.databaseMs ?? 0) - (before.databaseMs ?? 0) + after.loadGeneratorMs - before.loadGeneratorMs
  const othersMs = ((after.machine.busy - before.machine.busy) * 1000) / CLK_TCK - ownMs
  return {
    page,
    bytes: Buffer.byteLength(html),
    sequential: { p50: percentile(sequential, 50), p95: percentile(sequential, 95), count: sequential.length },
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? NaN,
    requestsPerSecond: result.requests.total / result.duration,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    autocannonP50: result.latency.p50,
    autocannonP99: result.latency.p99,
    maxRssKb: server.takeWindowMaxRssKb(),
    preflightProblem,
    cpu: {
      nodeMs: perRequest(before.nodeMs, after.nodeMs),
      databaseMs: before.databaseMs === null || after.databaseMs === null ? null : perRequest(before.databaseMs, after.databaseMs),
      loadGeneratorMs: perRequest(before.loadGeneratorMs, after.loadGeneratorMs),
      machineBusyPct: machineTotal > 0 ? (100 * (after.machine.busy - before.machine.busy)) / machineTotal : NaN,
      othersPct: machineTotal > 0 ? Math.max(0, (100 * othersMs) / ((machineTotal * 1000) / CLK_TCK)) : NaN,
    },
  }
}

// ----------------------------------------------------------------------------------------------- in-process service timings

interface ServiceTiming {
  name: string
  p50: number
  p95: number
  runs: number
  plans: { sql: string; plan: string; executionMs: number | null }[]
}

async function timeServices(
  databaseUrl: string,
  config: { retentionYears: number; absencesBeforeViolation: number },
  ids: { ararat: number; yerevan: number | null; fileId: number; measureId: number | null; busyFileId: number | null; specialistId: number | null },
): Promise<ServiceTiming[]> {
  const sequelize = createSequelize({ url: databaseUrl, poolMax: 2 })
  initModels(sequelize)
  const { beneficiaries, measures, board, quarterlyReports, contacts } = buildServices({ sequelize, clock: systemClock, retentionYears: config.retentionYears })
  // The quarter the national roll-up shows by default: the one whose reports are due next.
  const quarter = quarterToReport(serviceDateOf(new Date()))
  const cases: { name: string; call: () => Promise<unknown> }[] = [
    { name: `list: region ${ids.ararat} (Ararat), default sort`, call: () => beneficiaries.list({ regionId: ids.ararat, sort: 'name', direction: 'asc', page: 1 }) },
    { name: 'list: Ararat, ACTIVE, birth date desc, page 3', call: () => beneficiaries.list({ regionId: ids.ararat, status: 'ACTIVE', sort: 'birthDate', direction: 'desc', page: 3 }) },
    ...(ids.yerevan ? [{ name: `list: region ${ids.yerevan} (Yerevan), default sort`, call: () => beneficiaries.list({ regionId: ids.yerevan!, sort: 'name', direction: 'asc', page: 1 }) }] : []),
    { name: 'caseloads: Ararat', call: () => beneficiaries.caseloads(ids.ararat) },
    { name: 'search "Petrosian" in Ararat', call: () => beneficiaries.search('Petrosian', [ids.ararat]) },
    { name: 'search "Petrosian" nationally', call: () => beneficiaries.search('Petrosian', null) },
    { name: `get file ${ids.fileId}`, call: () => beneficiaries.get(ids.fileId) },
    { name: 'measures.regionList: Ararat, page 1', call: () => measures.regionList({ regionId: ids.ararat, page: 1 }) },
    { name: 'measures.regionList: Ararat, due=overdue', call: () => measures.regionList({ regionId: ids.ararat, due: 'overdue', page: 1 }) },
    ...(ids.measureId ? [{ name: `measures.measure ${ids.measureId}`, call: () => measures.measure(ids.measureId!) }] : []),
    ...(ids.busyFileId ? [{ name: `contacts.overview ${ids.busyFileId} (busiest supervised file)`, call: () => contacts.overview(ids.busyFileId!, config.absencesBeforeViolation) }] : []),
    { name: 'contacts.pending: Ararat, page 1', call: () => contacts.pending({ regionId: ids.ararat, userId: 0, onlyMine: false, page: 1 }) },
    { name: 'board.regionBoard: Ararat', call: () => board.regionBoard(ids.ararat, {}) },
    ...(ids.specialistId ? [{ name: `board.myWork: Ararat, user ${ids.specialistId}`, call: () => board.myWork(ids.ararat, ids.specialistId!) }] : []),
    { name: 'board.national', call: () => board.national() },
    { name: `quarterlyReports.rollup ${quarter.year} Q${quarter.quarter}`, call: () => quarterlyReports.rollup(quarter) },
  ]
  const explain = new pg.Client({ connectionString: databaseUrl })
  await explain.connect()
  const timings: ServiceTiming[] = []
  try {
    for (const { name, call } of cases) {
      // Slow calls (the national views take seconds) get fewer runs.
      const firstStartedAt = performance.now()
      await call()
      const slow = performance.now() - firstStartedAt > 200
      for (let i = 0; i < (slow ? 0 : 2); i += 1) await call()
      const runs: number[] = []
      for (let i = 0; i < (slow ? 5 : 20); i += 1) {
        const startedAt = performance.now()
        await call()
        runs.push(performance.now() - startedAt)
      }
      runs.sort((a, b) => a - b)

      // The statements the call sends, as Sequelize logs them (replacements inlined, bound values beside them), replayed under EXPLAIN.
      const statements: { sql: string; bind: unknown[] }[] = []
      // Sequelize reads options.logging at every query; its typings do not declare the field.
      const settings = (sequelize as unknown as { options: { logging: false | ((message: string, options?: { bind?: unknown[] }) => void) } }).options
      settings.logging = (message, options) => {
        const match = /^Executing \([^)]*\): ([\s\S]*)$/.exec(message)
        if (match) statements.push({ sql: match[1], bind: options?.bind ?? [] })
      }
      await call()
      settings.logging = false
      const plans: ServiceTiming['plans'] = []
      await explain.query('BEGIN')
      try {
        for (const { sql, bind } of statements) {
          if (/^(START TRANSACTION|BEGIN|COMMIT|ROLLBACK)/i.test(sql)) continue
          if (/^SET /i.test(sql)) {
            await explain.query(sql)
            continue
          }
          const rows = (await explain.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql.replace(/;\s*$/, '')}`, bind)).rows as Record<string, string>[]
          const plan = rows.map((row) => row['QUERY PLAN']).join('\n')
          const execution = /Execution Time: ([\d.]+) ms/.exec(plan)
          plans.push({ sql: sql.replace(/\s+/g, ' ').trim(), plan, executionMs: execution ? Number(execution[1]) : null })
        }
      } finally {
        await explain.query('ROLLBACK')
      }
      timings.push({ name, p50: percentile(runs, 50), p95: percentile(runs, 95), runs: runs.length, plans })
    }
  } finally {
    await explain.end()
    await sequelize.close()
  }
  return timings
}

// ----------------------------------------------------------------------------------------------- floors

/**
 * A floor: the minimal hand-written SQL that reads the same lines as a page, sent straight to PostgreSQL over as many
 * connections as the page was loaded with. What no code above the database can beat; the report gives each page's
 * latency and CPU as a ratio of its floor's.
 */
interface Floor {
  page: string
  sql: string
  values: unknown[]
}

interface FloorResult {
  floor: Floor
  connections: number
  p50: number
  p95: number
  queries: number
  databaseMs: number | null
}

async function runFloor(floor: Floor, databaseUrl: string, connections: number, opts: ReturnType<typeof options>, server: ServerChild): Promise<FloorResult> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: connections })
  try {
    const loop = async (until: number, latencies: number[] | null) => {
      while (performance.now() < until) {
        const startedAt = performance.now()
        await pool.query(floor.sql, floor.values)
        latencies?.push(performance.now() - startedAt)
      }
    }
    const warmUntil = performance.now() + opts.warmup * 1000
    await Promise.all(Array.from({ length: connections }, () => loop(warmUntil, null)))
    const latencies: number[] = []
    const before = server.cpu()
    const until = performance.now() + opts.duration * 1000
    await Promise.all(Array.from({ length: connections }, () => loop(until, latencies)))
    const after = server.cpu()
    latencies.sort((a, b) => a - b)
    const databaseMs = before.databaseMs === null || after.databaseMs === null ? null : (after.databaseMs - before.databaseMs) / Math.max(1, latencies.length)
    return { floor, connections, p50: percentile(latencies, 50), p95: percentile(latencies, 95), queries: latencies.length, databaseMs }
  } finally {
    await pool.end()
  }
}

/**
 * The board's lines (its first lines of each group, with file and officer) and its counts by kind and person, for a region
 * on a day: the open counts the database keeps, and the items due by the week's end counted.
 */
function boardFloor(regionId: number, today: string): Floor {
  const weekEnd = serviceDateOf(new Date(Date.parse(`${today}T12:00:00Z`) + 7 * 86_400_000))
  const group = (name: string, range: string) =>
    `(SELECT '${name}' AS grp, w.kind, w.due_date, w.source_type, w.source_id, b.file_number, b.surname, b.given_name, u.full_name
        FROM work_items w LEFT JOIN beneficiaries b ON b.id = w.beneficiary_id LEFT JOIN users u ON u.id = w.assignee_user_id
       WHERE w.state = 'OPEN' AND w.region_id = $1 AND ${range} ORDER BY w.due_date LIMIT ${BOARD_PREVIEW_LINES})`
  return {
    page: 'Deadline board, Ararat head',
    sql: `SELECT (SELECT json_agg(l) FROM (${group('overdue', 'w.due_date < $2')} UNION ALL ${group('today', 'w.due_date = $2')} UNION ALL ${group('week', 'w.due_date > $2 AND w.due_date <= $3')} UNION ALL ${group('later', 'w.due_date > $3')}) l) AS lines,
                 (SELECT json_agg(t) FROM (SELECT kind, assignee_key, sum(n) AS open FROM (SELECT kind, assignee_key, open_count AS n FROM work_item_open_counts WHERE region_id = $1
                                             UNION ALL SELECT kind, assignee_key, change FROM work_item_open_count_changes WHERE region_id = $1) c GROUP BY kind, assignee_key) t) AS open,
                 (SELECT json_agg(n) FROM (SELECT kind, assignee_user_id, count(*) FILTER (WHERE due_date < $2) AS overdue, count(*) FILTER (WHERE due_date = $2) AS today,
                                                  count(*) FILTER (WHERE due_date > $2) AS week
                                             FROM work_items WHERE state = 'OPEN' AND region_id = $1 AND due_date <= $3 GROUP BY kind, assignee_user_id) n) AS near`,
    values: [regionId, today, weekEnd],
  }
}

/** The measure list's first page: fifty measures of the region's files by next open deadline, then name, with the total (from the list the database keeps). */
function measureListFloor(regionId: number): Floor {
  return {
    page: 'Measures, Ararat',
    sql: `SELECT p.*, m.type_code, m.state, m.start_date, m.end_date, b.file_number, b.surname, b.given_name, u.full_name, (SELECT count(*) FROM measure_list WHERE region_id = $1) AS total
            FROM (SELECT measure_id, beneficiary_id, next_due_date, next_rule_id FROM measure_list WHERE region_id = $1 ORDER BY next_due_date NULLS LAST, surname_latin, measure_id LIMIT 50) p
            JOIN measures m ON m.id = p.measure_id JOIN beneficiaries b ON b.id = p.beneficiary_id LEFT JOIN users u ON u.id = b.responsible_officer_id`,
    values: [regionId],
  }
}

// ----------------------------------------------------------------------------------------------- report

/** The commit measured, and whether tracked files differ from it. */
function codeVersion(): string {
  const git = (...args: string[]) => spawnSync('git', args, { cwd: projectRoot, encoding: 'utf8' })
  const head = git('log', '-1', '--format=%h %s')
  if (head.status !== 0) return 'not a git checkout'
  const dirty = git('status', '--porcelain', '--untracked-files=no').stdout.trim() !== ''
  return `commit ${head.stdout.trim().slice(0, 100)}${dirty ? ' — with uncommitted changes to tracked files' : ''}`
}

interface Environment {
  cpu: string
  cores: number
  memoryGb: number
  node: string
  kernel: string
  postgres: string
}

function machine(postgres: string): Environment {
  const cpuinfo = fs.existsSync('/proc/cpuinfo') ? fs.readFileSync('/proc/cpuinfo', 'utf8') : ''
  return {
    cpu: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown',
    cores: os.availableParallelism?.() ?? os.cpus().length,
    memoryGb: os.totalmem() / 1024 ** 3,
    node: process.version,
    kernel: `${os.type()} ${os.release()}`,
    postgres,
  }
}

function verdict(pass: boolean): string {
  return pass ? '**PASS**' : '**FAIL**'
}

function writeReport(file: string, data: {
  startedAt: Date
  opts: ReturnType<typeof options>
  env: Environment
  dataset: { label: string; value: string }[]
  results: PageResult[]
  readyMs: number
  hwmKb: number
  maxRssKb: number
  idleRssKb: number
  stop: { ms: number; forced: boolean } | null
  timings: ServiceTiming[]
  floors: FloorResult[]
  databaseSource: string
  logPath: string
  notes: string[]
  server: { env: string; viewCache: boolean; logLevel: string }
  code: string
}): { failures: string[] } {
  const { opts, env, results } = data
  const failures: string[] = []
  const lines: string[] = []
  const push = (...more: string[]) => lines.push(...more)
  const errorsTotal = results.reduce((sum, r) => sum + r.non2xx + r.errors, 0)
  const badPreflights = results.filter((r) => r.preflightProblem)

  push('# Benchmark report', '')
  push(`Generated ${data.startedAt.toISOString().replace('T', ' ').slice(0, 16)} UTC by \`npm run bench\` (scripts/bench.ts). Do not edit: the next run overwrites it.`, '')
  if (errorsTotal > 0 || badPreflights.length > 0) {
    push('> [!WARNING]')
    push(`> **THIS RUN HAD ERRORS: ${errorsTotal} non-2xx responses or connection errors${badPreflights.length ? `, and ${badPreflights.length} page(s) did not show what was meant to be measured` : ''}.** Its latencies describe error pages, not the pages named; do not trust them.`, '')
  }

  const busyElsewhere = results.filter((r) => r.cpu.othersPct > 10)
  if (busyElsewhere.length > 0) {
    push('> [!NOTE]')
    push(`> Other processes used more than 10% of the machine during ${busyElsewhere.length} of the runs (see "Where the CPU goes"): their latencies are pessimistic.`, '')
  }

  push('## Machine', '')
  push('| | |', '|---|---|')
  push(`| CPU | ${env.cpu} |`, `| Cores | ${env.cores} |`, `| Memory | ${env.memoryGb.toFixed(1)} GB |`, `| OS | ${env.kernel} |`, `| Node.js | ${env.node} |`, `| PostgreSQL | ${env.postgres} |`, '')
  push('The load generator (autocannon), the app and PostgreSQL share these cores.', '')

  push('## Set-up', '')
  push(`- Server: \`node dist/server/index.js\` as a child process, NODE_ENV=${data.server.env}${opts.mode === 'production' ? ' (requests carry X-Forwarded-Proto: https with TRUST_PROXY=true so the Secure session cookie is set)' : ' (development defaults)'}, view cache ${data.server.viewCache ? 'on' : 'off (templates compiled on every render)'}, SEED_DEMO_DATA=false, LOG_LEVEL=${data.server.logLevel} (request log in ${data.logPath}).`)
  push(`- Code: ${data.code} (in ${projectRoot}).`)
  push(`- Database: ${data.databaseSource}.`)
  push(`- Load: autocannon, ${opts.connections} connections, ${opts.duration} s per page after a ${opts.warmup} s warm-up; signed-in sessions (GET /sign-in for the cookie and CSRF token, then POST /sign-in). Latencies are per response, from autocannon's response events; percentiles by nearest rank.`)
  push(`- Unloaded latency: ${opts.sequential} requests one at a time before the load (fewer for a page of seconds: at least 3, then until ${SEQUENTIAL_BUDGET_MS / 1000} s have passed).`)
  const fewer = results.filter((r) => r.page.connections !== undefined)
  if (fewer.length > 0) push(`- Pages only a few people use are loaded with fewer connections: ${fewer.map((r) => `${r.page.name} (${r.page.connections})`).join(', ')}.`)
  push('')

  push('## Dataset', '')
  push('| | rows |', '|---|---:|')
  for (const row of data.dataset) push(`| ${row.label} | ${row.value} |`)
  push('')

  push('## Pages', '')
  push(`| Page | Signed in as | p50 | p95 | p99 | max | req/s | requests | non-2xx | errors | 1 connection p50 / p95 | page size |`)
  push('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
  for (const r of results) {
    const flag = r.non2xx + r.errors > 0 ? ' ⚠' : ''
    push(
      `| ${r.page.name}${r.page.core ? '' : ' (extra)'}${r.page.connections !== undefined ? ` — ${r.page.connections} connection${r.page.connections === 1 ? '' : 's'}` : ''}${flag} | ${r.page.account.label} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} | ${ms(r.max)} | ${r.requestsPerSecond.toFixed(0)} | ${r.requests} | ${r.non2xx}${flag} | ${r.errors} | ${ms(r.sequential.p50)} / ${ms(r.sequential.p95)} | ${(r.bytes / 1024).toFixed(0)} kB |`,
    )
  }
  push('')
  push('Paths:', '')
  for (const r of results) {
    const shown = r.page.paths.length > 1 ? `${r.page.paths[0]} … (${r.page.paths.length} different files, in turn)` : r.page.paths[0]
    const codes = Object.entries(r.statusCodes).map(([code, count]) => `${code}×${count}`).join(', ')
    push(`- ${r.page.name}: \`${shown}\` — status codes: ${codes || 'none'}${r.preflightProblem ? ` — **PRE-FLIGHT PROBLEM: ${r.preflightProblem}**` : ''}`)
  }
  push('')

  push('## Where the CPU goes (during each measured run)', '')
  push('CPU time per request, from /proc: the server (node), its PostgreSQL (the embedded cluster\'s processes) and the load generator (this script); and how busy the whole machine was. A page whose node time approaches one core\'s worth is bound by the app; one whose PostgreSQL time dominates is bound by its queries.', '')
  push('| Page | node ms/request | PostgreSQL ms/request | load generator ms/request | machine busy | of which other processes |', '|---|---:|---:|---:|---:|---:|')
  const pct = (value: number) => (Number.isFinite(value) ? `${value.toFixed(0)}%` : '—')
  for (const r of results) {
    push(`| ${r.page.name} | ${r.cpu.nodeMs.toFixed(1)} | ${r.cpu.databaseMs === null ? 'n/a (DATABASE_URL)' : r.cpu.databaseMs.toFixed(1)} | ${r.cpu.loadGeneratorMs.toFixed(1)} | ${pct(r.cpu.machineBusyPct)} | ${pct(r.cpu.othersPct)} |`)
  }
  push('')
  const disturbed = results.filter((r) => r.cpu.othersPct > 10)
  if (disturbed.length > 0) push(`**Other processes took more than 10% of the machine during: ${disturbed.map((r) => r.page.name).join(', ')}.** Those latencies are pessimistic; run again on a quiet machine.`, '')

  push('## Server process', '')
  push('| | |', '|---|---|')
  push(`| Spawn to /ready 200 (data folder already initialised) | ${formatDuration(data.readyMs)} |`)
  push(`| Peak RSS (VmHWM of the node process, whole run) | ${mb(data.hwmKb)} |`)
  push(`| Highest RSS sampled every 100 ms | ${mb(data.maxRssKb)} |`)
  push(`| RSS once ready, before any load | ${mb(data.idleRssKb)} |`)
  push(`| Per page, highest RSS during the measured run | ${results.map((r) => `${r.page.name}: ${mb(r.maxRssKb)}`).join('; ')} |`)
  if (data.stop) push(`| Stop (SIGTERM to exit) | ${formatDuration(data.stop.ms)}${data.stop.forced ? ' — **did not exit within 30 s, killed**' : ''} |`)
  push('', 'RSS is the node process only; PostgreSQL runs in its own processes.', '')

  if (data.floors.length > 0) {
    push('## Floors: each page against the least SQL that reads its lines', '')
    push('The floor is that SQL alone, sent straight to PostgreSQL over as many connections as the page had, for as long. The ratios say what the app adds: its own queries beyond the minimum, rendering, sessions and HTTP.', '')
    push('| Page | connections | page p50 / p95 | floor p50 / p95 | p95 ratio (page / floor) | page CPU per view (node + PostgreSQL) | floor PostgreSQL CPU per query | CPU ratio |', '|---|---:|---:|---:|---:|---:|---:|---:|')
    for (const f of data.floors) {
      const page = results.find((r) => r.page.name === f.floor.page)!
      const pageCpu = page.cpu.nodeMs + (page.cpu.databaseMs ?? 0)
      push(`| ${f.floor.page} | ${f.connections} | ${ms(page.p50)} / ${ms(page.p95)} | ${ms(f.p50)} / ${ms(f.p95)} | ${(page.p95 / f.p95).toFixed(1)} | ${pageCpu.toFixed(1)} ms | ${f.databaseMs === null ? 'n/a' : `${f.databaseMs.toFixed(1)} ms`} | ${f.databaseMs ? (pageCpu / f.databaseMs).toFixed(1) : 'n/a'} |`)
    }
    push('')
    push('<details><summary>The floors\' SQL</summary>', '')
    for (const f of data.floors) push(`${f.floor.page}:`, '', '```sql', f.floor.sql.replace(/\n\s+/g, '\n  '), '```', '')
    push('</details>', '')
  }

  push('## Targets', '')
  push('| Target | Measured | Result |', '|---|---:|---|')
  for (const r of results) {
    const clean = r.non2xx + r.errors === 0 && !r.preflightProblem
    const limit = r.page.target?.p95Ms ?? TARGETS.p95Ms
    const pass = clean && r.p95 < limit
    if (!pass) failures.push(`p95 ${r.page.name}`)
    const label = r.page.target ? `${r.page.target.label} p95 < ${limit} ms — ${r.page.name}` : `p95 < ${limit} ms — ${r.page.name}`
    push(`| ${label}${r.page.core ? '' : ' (extra)'} | ${ms(r.p95)}${clean ? '' : ' (with errors)'} | ${verdict(pass)} |`)
  }
  const rssPass = data.hwmKb / 1024 < TARGETS.peakRssMb
  if (!rssPass) failures.push('peak RSS')
  push(`| Peak RSS < ${TARGETS.peakRssMb} MB | ${mb(data.hwmKb)} | ${verdict(rssPass)} |`)
  const readyPass = data.readyMs < TARGETS.readyMs
  if (!readyPass) failures.push('ready time')
  push(`| Ready < ${TARGETS.readyMs / 1000} s | ${formatDuration(data.readyMs)} | ${verdict(readyPass)} |`)
  const errorsPass = errorsTotal === 0 && badPreflights.length === 0
  if (!errorsPass) failures.push('errors')
  push(`| Every response 200 | ${errorsTotal} non-2xx / errors | ${verdict(errorsPass)} |`, '')

  if (data.timings.length > 0) {
    push('## Service calls in-process (one at a time, no HTTP)', '')
    push('What the pages spend in the database and Sequelize, without queueing, rendering or sessions: each call 20 times after 3 warm-ups (5 times after 1 when the first call took over 200 ms), then its statements once more under EXPLAIN (ANALYZE, BUFFERS).', '')
    push('| Call | p50 | p95 | SQL execution time (EXPLAIN ANALYZE, per statement) |', '|---|---:|---:|---|')
    for (const t of data.timings) push(`| ${t.name} | ${ms(t.p50)} | ${ms(t.p95)} | ${t.plans.map((p) => (p.executionMs === null ? '?' : ms(p.executionMs))).join(' + ')} |`)
    push('')
    for (const t of data.timings) {
      push(`<details><summary>${t.name}: plans</summary>`, '')
      for (const p of t.plans) push('```sql', p.sql, '```', '```', p.plan, '```', '')
      push('</details>', '')
    }
  }

  if (data.notes.length > 0) {
    push('## Notes', '')
    for (const note of data.notes) push(`- ${note}`)
    push('')
  }

  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, lines.join('\n'))
  return { failures }
}

// ----------------------------------------------------------------------------------------------- main

async function main(): Promise<void> {
  const startedAt = new Date()
  const opts = options()
  const config = loadConfig()
  const base = `http://127.0.0.1:${config.port}`
  const databaseUrl = databaseUrlOf(config)
  const extraHeaders: Record<string, string> = opts.mode === 'production' ? { 'x-forwarded-proto': 'https' } : {}
  const notes: string[] = []

  const code = codeVersion()
  if ((await answers(`${base}/health`)) !== null) throw new Error(`something already answers on port ${config.port}: stop it or set PORT`)
  if (opts.build) {
    console.log('Building (npm run build)…')
    const build = spawnSync('npm', ['run', 'build'], { cwd: projectRoot, stdio: 'inherit' })
    if (build.status !== 0) throw new Error('npm run build failed: fix it, or pass --skip-build to measure the existing dist/')
  } else if (!fs.existsSync(path.join(projectRoot, 'dist', 'server', 'index.js'))) {
    throw new Error('dist/server/index.js is missing: run npm run build')
  }

  const env: NodeJS.ProcessEnv = { ...process.env, SEED_DEMO_DATA: 'false' }
  if (opts.mode === 'production') Object.assign(env, { NODE_ENV: 'production', SESSION_SECRET: randomBytes(32).toString('hex'), TRUST_PROXY: 'true' })
  else env.NODE_ENV ??= 'development'
  const serverConfig = loadConfig(env) // what the child will run with (the .env file is already in process.env)

  const logPath = path.join(os.tmpdir(), `probation-bench-server-${process.pid}.log`)
  console.log(`Starting the server: node dist/server/index.js (port ${config.port}, ${config.databaseUrl ? 'DATABASE_URL' : `embedded PostgreSQL in ${config.embeddedDatabase.dataDir}`}); log in ${logPath}`)
  const server = new ServerChild(env, logPath, opts.nodeArgs)
  let stopResult: { ms: number; forced: boolean } | null = null
  const stopOnSignal = (signal: NodeJS.Signals) => {
    void server.stop().then(() => process.exit(signal === 'SIGINT' ? 130 : 143))
  }
  process.once('SIGINT', stopOnSignal)
  process.once('SIGTERM', stopOnSignal)

  try {
    const readyMs = await waitUntilReady(server, base)
    const idleRssKb = server.status()?.rssKb ?? 0
    console.log(`Ready in ${formatDuration(readyMs)}`)

    // Facts from the database the server uses.
    const db = new pg.Client({ connectionString: databaseUrl })
    await db.connect()
    const one = async <T>(sql: string, values: unknown[] = []) => (await db.query(sql, values)).rows[0] as T
    let dataset: { label: string; value: string }[]
    let postgres: string
    let ararat: { id: number } | undefined
    let yerevan: { id: number } | undefined
    let fileIds: number[]
    let measureIds: number[] = []
    let busyFiles: { id: number; planId: number; assessmentId: number | null; contacts: number }[] = []
    let busySpecialist: { id: number; username: string; caseload: number } | null = null
    try {
      postgres = (await one<{ version: string }>('SELECT version()')).version
      ararat = await one<{ id: number }>(`SELECT id FROM regions WHERE code = 'ARARAT'`)
      yerevan = await one<{ id: number }>(`SELECT id FROM regions WHERE code = 'YEREVAN'`)
      if (!ararat) throw new Error('no ARARAT region: is this the app database?')
      const counts = await one<Record<string, number>>(`
        SELECT (SELECT count(*) FROM beneficiaries)::int AS beneficiaries,
               (SELECT count(*) FROM beneficiaries WHERE status IN ('ACTIVE', 'SUSPENDED'))::int AS open,
               (SELECT count(*) FROM beneficiaries WHERE region_id = $1)::int AS ararat,
               (SELECT count(*) FROM beneficiaries WHERE region_id = $2)::int AS yerevan,
               (SELECT count(*) FROM beneficiaries WHERE search_key LIKE '%petrosyan%')::int AS petrosyan,
               (SELECT count(*) FROM users)::int AS users,
               (SELECT count(*) FROM regions)::int AS regions,
               (SELECT count(*) FROM audit_events)::int AS audit,
               (SELECT count(*) FROM user_sessions)::int AS sessions,
               (SELECT count(*) FROM beneficiary_notes)::int AS notes,
               (SELECT count(*) FROM beneficiary_documents)::int AS documents,
               pg_size_pretty(pg_database_size(current_database())) AS size`, [ararat.id, yerevan?.id ?? 0])
      const n = (value: number) => Number(value).toLocaleString('en-US')
      dataset = [
        { label: 'beneficiaries', value: n(counts.beneficiaries) },
        { label: '— open (ACTIVE or SUSPENDED)', value: n(counts.open) },
        { label: '— in Ararat (the measured register)', value: n(counts.ararat) },
        { label: '— in Yerevan (the largest region)', value: n(counts.yerevan) },
        { label: '— search key containing "petrosyan"', value: n(counts.petrosyan) },
        { label: 'users', value: n(counts.users) },
        { label: 'regions', value: n(counts.regions) },
        { label: 'audit events (before this run)', value: n(counts.audit) },
        { label: 'sessions (before this run)', value: n(counts.sessions) },
        { label: 'notes / documents', value: `${n(counts.notes)} / ${n(counts.documents)}` },
        { label: 'database size', value: String(counts.size) },
      ]
      if (counts.beneficiaries < 10_000) notes.push(`Only ${counts.beneficiaries} beneficiaries: run \`npm run seed:scale -- --beneficiaries 100000\` first for a meaningful result.`)
      // Supervision (seed:scale's assessments, plans and appointments): Ararat's open files with a plan in force and the
      // most appointments, the heaviest file and contacts pages, with their latest completed assessment and their plan.
      busyFiles = (await db.query(
        `SELECT b.id, p.id AS "planId", (SELECT max(a.id) FROM assessments a WHERE a.beneficiary_id = b.id AND a.status <> 'DRAFT') AS "assessmentId", ap.n AS contacts
           FROM beneficiaries b JOIN supervision_plans p ON p.beneficiary_id = b.id AND p.status = 'APPROVED'
           JOIN LATERAL (SELECT count(*)::int AS n FROM appointments a WHERE a.beneficiary_id = b.id) ap ON true
          WHERE b.region_id = $1 AND b.status = 'ACTIVE' AND b.anonymised_at IS NULL ORDER BY ap.n DESC, b.id LIMIT 100`, [ararat.id])).rows
      // Files of Ararat the head opens without a reason prompt: open files spread over the table, every other one of them
      // one of the busy supervised files above.
      const spread = (await db.query(`SELECT id FROM beneficiaries WHERE region_id = $1 AND status = 'ACTIVE' AND anonymised_at IS NULL AND NOT (id = ANY ($2::int[])) ORDER BY md5(id::text) LIMIT $3`,
        [ararat.id, busyFiles.map((file) => file.id), 200 - busyFiles.length])).rows.map((row: { id: number }) => row.id)
      fileIds = spread.flatMap((id, i) => (i < busyFiles.length ? [busyFiles[i].id, id] : [id]))
      if (fileIds.length === 0) throw new Error('no ACTIVE file in Ararat to open')
      // The scale specialist of Ararat with the largest open caseload, for "my work".
      busySpecialist = (await db.query(
        `SELECT u.id, u.username, count(*)::int AS caseload FROM users u JOIN beneficiaries b ON b.responsible_officer_id = u.id AND b.status IN ('ACTIVE', 'SUSPENDED')
          WHERE u.region_id = $1 AND u.role = 'SPECIALIST' AND u.active AND u.username LIKE $2 GROUP BY u.id ORDER BY count(*) DESC, u.id LIMIT 1`, [ararat.id, `${SCALE_USERNAME_PREFIX}%`])).rows[0] ?? null
      if (busyFiles.length === 0) notes.push('No Ararat file has a plan in force and appointments: the supervision pages were skipped (run `npm run seed:scale` with this version first).')
      // Measures in execution of Ararat's open files (the head opens them without a reason prompt), spread over the table.
      measureIds = (await db.query(
        `SELECT m.id FROM measures m JOIN beneficiaries b ON b.id = m.beneficiary_id
          WHERE b.region_id = $1 AND b.status = 'ACTIVE' AND b.anonymised_at IS NULL AND m.state = 'in_execution' ORDER BY md5(m.id::text) LIMIT 200`, [ararat.id])).rows.map((row: { id: number }) => row.id)
      const measureCounts = await one<Record<string, number>>(`
        SELECT (SELECT count(*) FROM measures)::int AS measures,
               (SELECT count(*) FROM measures m JOIN beneficiaries b ON b.id = m.beneficiary_id WHERE b.region_id = $1)::int AS ararat,
               (SELECT count(*) FROM deadlines WHERE status = 'OPEN')::int AS open,
               (SELECT count(*) FROM deadlines WHERE status = 'OPEN' AND due_date < current_date)::int AS overdue`, [ararat.id])
      dataset.splice(dataset.length - 1, 0,
        { label: 'measures', value: n(measureCounts.measures) },
        { label: '— of files in Ararat (the measured list)', value: n(measureCounts.ararat) },
        { label: 'open deadlines / overdue', value: `${n(measureCounts.open)} / ${n(measureCounts.overdue)}` })
      if (measureIds.length === 0) notes.push('No measure in execution in Ararat: the measure pages were skipped (run `npm run seed:scale` first).')
      const supervision = await one<Record<string, number>>(`
        SELECT (SELECT count(*) FROM assessments)::int AS assessments,
               (SELECT count(*) FROM supervision_plans)::int AS plans,
               (SELECT count(*) FROM supervision_plans WHERE status = 'APPROVED')::int AS approved,
               (SELECT count(*) FROM appointments)::int AS appointments,
               (SELECT count(*) FROM deadlines WHERE status = 'OPEN' AND rule_id IN ('FIRST_CONTACT', 'INITIAL_ASSESSMENT', 'PLAN_AFTER_ASSESSMENT', 'REASSESSMENT', 'REASSESSMENT_AFTER_VIOLATION', 'PLAN_REVIEW'))::int AS open,
               (SELECT count(*) FROM activity_events)::int AS events`)
      dataset.splice(dataset.length - 1, 0,
        { label: 'assessments', value: n(supervision.assessments) },
        { label: 'supervision plans / in force', value: `${n(supervision.plans)} / ${n(supervision.approved)}` },
        { label: 'appointments (contacts)', value: n(supervision.appointments) },
        { label: '— of the busiest measured files (Ararat, plan in force)', value: busyFiles.length > 0 ? `${busyFiles[busyFiles.length - 1].contacts}–${busyFiles[0].contacts} each (${busyFiles.length} files)` : 'none' },
        { label: 'open supervision deadlines', value: n(supervision.open) },
        { label: 'activity events', value: n(supervision.events) },
      )
      if (busySpecialist) dataset.splice(dataset.length - 1, 0, { label: `— open files of ${busySpecialist.username} ("my work")`, value: n(busySpecialist.caseload) })
    } finally {
      await db.end()
    }

    // Sessions: the scale heads (seed:scale), or the demo head of Ararat when the scale accounts are missing.
    const accounts: Record<string, Account | null> = {}
    const account = async (label: string, candidates: [string, string][]) => {
      for (const [username, password] of candidates) {
        const cookie = await signIn(base, username, password, extraHeaders)
        if (cookie) return (accounts[label] = { label: username, username, cookie })
      }
      notes.push(`Could not sign in as ${candidates.map(([u]) => u).join(' or ')}: the pages that need it were skipped.`)
      return (accounts[label] = null)
    }
    const araratHead = await account('araratHead', [[scaleUsername.head('ARARAT'), SCALE_PASSWORD], ['ararat.head', DEMO_PASSWORD]])
    const yerevanHead = yerevan ? await account('yerevanHead', [[scaleUsername.head('YEREVAN'), SCALE_PASSWORD]]) : null
    const serviceHead = await account('serviceHead', [['service.head', DEMO_PASSWORD]])
    const specialist = busySpecialist ? await account('busySpecialist', [[busySpecialist.username, SCALE_PASSWORD]]) : null
    if (!araratHead) throw new Error('could not sign in as the head of Ararat (scale.ararat.head or ararat.head)')

    const notSignIn = (html: string) => (/action="\/sign-in"[^>]*>\s*<input type="hidden" name="_csrf"/.test(html) ? 'the sign-in page' : null)
    const register = (html: string) => notSignIn(html) ?? (/href="\/beneficiaries\/\d+"/.test(html) ? null : 'no file in the register')
    const searchResults = (html: string) => notSignIn(html) ?? (/href="\/beneficiaries\/\d+"/.test(html) ? null : 'no search result')
    const filePage = (html: string) => notSignIn(html) ?? (/\/access-reason"/.test(html) ? 'the access-reason prompt' : null)
    const pages: Page[] = [
      { name: 'Register, Ararat', core: true, account: araratHead, paths: [`/regions/${ararat.id}/beneficiaries`], problem: register },
      { name: 'Register, Ararat, filtered + sorted', core: true, account: araratHead, paths: [`/regions/${ararat.id}/beneficiaries?status=ACTIVE&sort=birthDate&direction=desc&page=3`], problem: register },
      { name: 'Search "Petrosian", Ararat head', core: true, account: araratHead, paths: ['/beneficiaries/search?q=Petrosian'], problem: searchResults },
      { name: 'Personal file, Ararat head', core: true, account: araratHead, paths: fileIds.map((id) => `/beneficiaries/${id}`), problem: filePage },
    ]
    const measureList = (html: string) => notSignIn(html) ?? (/href="\/measures\/\d+"/.test(html) ? null : 'no measure in the list')
    if (measureIds.length > 0) {
      pages.push(
        { name: 'Measures, Ararat', core: true, account: araratHead, paths: [`/regions/${ararat.id}/measures`], problem: measureList },
        { name: 'Measures, Ararat, due=overdue', core: true, account: araratHead, paths: [`/regions/${ararat.id}/measures?due=overdue`], problem: measureList },
        { name: 'Measure page, Ararat head', core: true, account: araratHead, paths: measureIds.map((id) => `/measures/${id}`), problem: filePage },
      )
    }
    if (yerevan && yerevanHead) pages.push({ name: 'Register, Yerevan', core: false, account: yerevanHead, paths: [`/regions/${yerevan.id}/beneficiaries`], problem: register })
    if (serviceHead) pages.push({ name: 'Search "Petrosian", service head (national)', core: false, account: serviceHead, paths: ['/beneficiaries/search?q=Petrosian'], problem: searchResults })
    // Later areas: the correspondence register (300,000 items nationally), the deadline boards and the national roll-up.
    const incomingRegister = (html: string) => notSignIn(html) ?? (/href="\/correspondence\/\d+"/.test(html) ? null : 'no item in the register')
    const anyPage = (html: string) => notSignIn(html)
    pages.push(
      { name: 'Incoming register, Ararat', core: false, account: araratHead, paths: [`/regions/${ararat.id}/correspondence`], problem: incomingRegister },
      { name: 'Incoming register, Ararat, search + overdue', core: false, account: araratHead, paths: [`/regions/${ararat.id}/correspondence?q=%D5%A9%D5%A5%D5%B4%D5%A1&overdue=1`], problem: anyPage },
      { name: 'Deadline board, Ararat head', core: false, account: araratHead, paths: [`/regions/${ararat.id}/board`], problem: anyPage },
    )
    // Supervision (issue 5): the busiest supervised files' contacts, supervision overview, latest assessment and plan in force.
    const shows = (marker: RegExp, what: string) => (html: string) => filePage(html) ?? (marker.test(html) ? null : `no ${what}`)
    if (busyFiles.length > 0) {
      const assessed = busyFiles.filter((file) => file.assessmentId !== null)
      pages.push(
        { name: 'Personal file, busiest supervised files', core: false, account: araratHead, paths: busyFiles.map((file) => `/beneficiaries/${file.id}`), problem: filePage },
        { name: 'Contacts page, busiest supervised files', core: false, account: araratHead, paths: busyFiles.map((file) => `/beneficiaries/${file.id}/contacts`), problem: shows(/data-testid="compliance"/, 'compliance table') },
        { name: 'Supervision overview, busiest supervised files', core: false, account: araratHead, paths: busyFiles.map((file) => `/beneficiaries/${file.id}/supervision`), problem: filePage },
        { name: 'Assessment result page', core: false, account: araratHead, paths: assessed.map((file) => `/assessments/${file.assessmentId}`), problem: shows(/data-testid="assessment-level"/, 'assessment result') },
        { name: 'Plan page (in force)', core: false, account: araratHead, paths: busyFiles.map((file) => `/plans/${file.planId}`), problem: shows(/data-testid="plan-frequency"/, 'plan') },
        { name: 'Appointments awaiting an outcome, Ararat', core: false, account: araratHead, paths: [`/regions/${ararat.id}/appointments/pending`], problem: anyPage },
      )
    }
    const homePage = (html: string) => notSignIn(html) ?? (/data-testid="home-counts"/.test(html) ? null : 'no counts on home')
    if (specialist) {
      pages.push(
        { name: 'My work, busiest Ararat specialist', core: false, account: specialist, paths: ['/my-work'], problem: anyPage },
        { name: 'Home, busiest Ararat specialist', core: false, account: specialist, paths: ['/'], problem: homePage },
      )
    }
    pages.push({ name: 'Home, Ararat head', core: false, account: araratHead, paths: ['/'], problem: homePage })
    if (serviceHead) {
      pages.push(
        // The national views have one user, the service head: one connection (at 20 they only queue).
        { name: 'National deadline board, service head', core: false, connections: 1, target: { label: 'National deadline board', p95Ms: 200 }, account: serviceHead, paths: ['/board/national'], problem: anyPage },
        // Issue 7: the roll-up of every region's quarterly figures, computed live, under a second at national scale.
        { name: 'National quarterly roll-up, service head', core: false, connections: 1, target: { label: 'National quarterly roll-up', p95Ms: 1000 }, account: serviceHead, paths: ['/reports/national'], problem: anyPage },
      )
    }

    const results: PageResult[] = []
    if (opts.only) notes.push(`Only the pages matching /${opts.only.source}/i were measured (--only).`)
    for (const page of pages.filter((p) => !opts.only || opts.only.test(p.name))) {
      process.stderr.write(`${page.name}: ${opts.sequential} sequential, ${opts.warmup} s warm-up, ${opts.duration} s at ${connectionsOf(page, opts)} connection(s)… `)
      const result = await runPage(page, base, opts, extraHeaders, server)
      results.push(result)
      const bad = result.non2xx + result.errors
      process.stderr.write(`p50 ${ms(result.p50)}, p95 ${ms(result.p95)}, p99 ${ms(result.p99)}, ${result.requestsPerSecond.toFixed(0)} req/s, node ${result.cpu.nodeMs.toFixed(1)} ms + PostgreSQL ${result.cpu.databaseMs?.toFixed(1) ?? '?'} ms CPU per request${result.cpu.othersPct > 10 ? `, OTHER PROCESSES ${result.cpu.othersPct.toFixed(0)}% OF THE MACHINE` : ''}${bad ? `, ${bad} NON-2XX/ERRORS` : ''}${result.preflightProblem ? `, PRE-FLIGHT: ${result.preflightProblem}` : ''}\n`)
    }
    const floors: FloorResult[] = []
    for (const floor of [boardFloor(ararat.id, serviceDateOf(new Date())), measureListFloor(ararat.id)]) {
      const page = results.find((r) => r.page.name === floor.page)
      if (!page) continue
      process.stderr.write(`Floor of ${floor.page}: ${opts.warmup} s warm-up, ${opts.duration} s at ${connectionsOf(page.page, opts)} connection(s)… `)
      const result = await runFloor(floor, databaseUrl, connectionsOf(page.page, opts), opts, server)
      floors.push(result)
      process.stderr.write(`p50 ${ms(result.p50)}, p95 ${ms(result.p95)}, PostgreSQL ${result.databaseMs?.toFixed(1) ?? '?'} ms CPU per query\n`)
    }
    const hwmKb = server.status()?.hwmKb ?? 0
    const maxRssKb = server.maxRssKb

    let timings: ServiceTiming[] = []
    if (opts.services) {
      process.stderr.write('Timing the service calls in-process and collecting EXPLAIN ANALYZE…\n')
      try {
        timings = await timeServices(databaseUrl, { retentionYears: config.closedFileRetentionYears, absencesBeforeViolation: config.unacceptableAbsencesBeforeViolation }, {
          ararat: ararat.id, yerevan: yerevan?.id ?? null, fileId: fileIds[0], measureId: measureIds[0] ?? null, busyFileId: busyFiles[0]?.id ?? null, specialistId: busySpecialist?.id ?? null,
        })
      } catch (error) {
        notes.push(`In-process timings failed: ${(error as Error).message}`)
      }
    }

    stopResult = await server.stop()
    const { failures } = writeReport(opts.out, {
      startedAt, opts, env: machine(postgres), dataset, results, readyMs, hwmKb, maxRssKb, idleRssKb, stop: stopResult, timings, floors,
      databaseSource: config.databaseUrl ? 'DATABASE_URL' : `embedded PostgreSQL, data folder ${config.embeddedDatabase.dataDir}, port ${config.embeddedDatabase.port}`,
      logPath, notes, server: { env: serverConfig.env, viewCache: serverConfig.viewCache, logLevel: serverConfig.logLevel }, code,
    })
    console.log(`\nReport: ${path.relative(projectRoot, opts.out)}`)
    const errors = results.reduce((sum, r) => sum + r.non2xx + r.errors, 0)
    if (errors > 0) console.log(`\n!!! ${errors} NON-2XX RESPONSES OR CONNECTION ERRORS: the latencies are not those of the pages named. See the report. !!!`)
    console.log(failures.length === 0 ? 'All targets met.' : `Targets missed: ${failures.join(', ')}`)
  } finally {
    process.off('SIGINT', stopOnSignal)
    process.off('SIGTERM', stopOnSignal)
    if (!stopResult) await server.stop()
  }
}

main().catch((error: Error) => {
  console.error(`bench failed: ${error.message}`)
  process.exit(1)
})
