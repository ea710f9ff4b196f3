import type { Config } from '../../server/config'

/** Small deterministic PRNG (mulberry32): the same seed gives the same dataset. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export class Random {
  constructor(private readonly next: () => number) {}

  float(): number {
    return this.next()
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n)
  }

  between(min: number, max: number): number {
    return min + this.int(max - min + 1)
  }

  chance(p: number): boolean {
    return this.next() < p
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]
  }

  digits(n: number): string {
    let out = ''
    for (let i = 0; i < n; i += 1) out += String(this.int(10))
    return out
  }
}

/** Picks values by weight in O(log n). */
export class Weighted<T> {
  private readonly cumulative: number[] = []
  private readonly values: T[] = []
  private readonly total: number

  constructor(entries: readonly (readonly [T, number])[]) {
    let sum = 0
    for (const [value, weight] of entries) {
      if (weight <= 0) continue
      sum += weight
      this.cumulative.push(sum)
      this.values.push(value)
    }
    if (this.values.length === 0) throw new Error('Weighted: no positive weight')
    this.total = sum
  }

  pick(random: Random): T {
    const x = random.float() * this.total
    let lo = 0
    let hi = this.cumulative.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (this.cumulative[mid] > x) hi = mid
      else lo = mid + 1
    }
    return this.values[lo]
  }
}

/**
 * The URL of the embedded cluster server/index.ts starts (server/db/embedded.ts: user and password
 * postgres, database probation), for a script that talks to the database while the app runs it.
 */
export function databaseUrlOf(config: Config): string {
  return config.databaseUrl ?? `postgres://postgres:postgres@127.0.0.1:${config.embeddedDatabase.port}/probation`
}

export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000)
  if (seconds < 60) return `${(ms / 1000).toFixed(1)} s`
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`
}

/** A progress bar on stderr: percentage, rows/s and ETA (a line per 10% when stderr is not a terminal). */
export class ProgressBar {
  private readonly startedAt = Date.now()
  private lastDecile = -1
  private readonly tty = Boolean(process.stderr.isTTY)

  constructor(private readonly total: number, private readonly label: string) {}

  update(done: number): void {
    const elapsed = (Date.now() - this.startedAt) / 1000
    const rate = elapsed > 0 ? done / elapsed : 0
    const fraction = this.total === 0 ? 1 : done / this.total
    const eta = rate > 0 ? (this.total - done) / rate : 0
    const width = 30
    const filled = Math.round(fraction * width)
    const line = `${this.label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(fraction * 100).toFixed(1).padStart(5)}% ` +
      `${done.toLocaleString('en-US')}/${this.total.toLocaleString('en-US')}  ${Math.round(rate).toLocaleString('en-US')} rows/s  ETA ${formatDuration(eta * 1000)}`
    if (this.tty) {
      process.stderr.write(`\r${line}\x1b[K`)
      if (done >= this.total) process.stderr.write('\n')
      return
    }
    const decile = Math.floor(fraction * 10)
    if (decile !== this.lastDecile) {
      this.lastDecile = decile
      process.stderr.write(`${line}\n`)
    }
  }
}
