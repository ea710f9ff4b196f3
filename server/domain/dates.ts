// The Service works on Yerevan time and writes dates as DD.MM.YYYY.
export const SERVICE_TIME_ZONE = 'Asia/Yerevan'

const yerevanClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: SERVICE_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
})

const HOUR_MS = 3_600_000
// Yerevan's offset from UTC by UTC hour: pages show dozens of moments, and Intl costs far more than arithmetic.
// Since 1970 the zone's offsets are whole hours and change on the hour, so one hour shares one offset;
// earlier moments (and invalid ones) go through Intl each time.
const offsetByHour = new Map<number, number>()

function intlParts(moment: Date): { year: string; month: string; day: string; hour: string; minute: string } {
  const found: Record<string, string> = {}
  for (const part of yerevanClock.formatToParts(moment)) found[part.type] = part.value
  return { year: found.year, month: found.month, day: found.day, hour: found.hour, minute: found.minute }
}

function offsetAt(ms: number): number {
  const hour = Math.floor(ms / HOUR_MS)
  let offset = offsetByHour.get(hour)
  if (offset === undefined) {
    const start = hour * HOUR_MS
    const p = intlParts(new Date(start))
    offset = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute)) - start
    if (offsetByHour.size >= 100_000) offsetByHour.clear()
    offsetByHour.set(hour, offset)
  }
  return offset
}

const pad2 = (value: number) => (value < 10 ? `0${value}` : String(value))

/** The Yerevan calendar date and wall-clock time of a moment. */
function parts(moment: Date): { year: string; month: string; day: string; hour: string; minute: string } {
  const ms = moment.getTime()
  if (!(ms >= 0)) return intlParts(moment)
  const local = new Date(ms + offsetAt(ms))
  return { year: String(local.getUTCFullYear()), month: pad2(local.getUTCMonth() + 1), day: pad2(local.getUTCDate()), hour: pad2(local.getUTCHours()), minute: pad2(local.getUTCMinutes()) }
}

/** The calendar date in Yerevan at a moment, as ISO 'YYYY-MM-DD'. */
export function serviceDateOf(moment: Date): string {
  const { year, month, day } = parts(moment)
  return `${year}-${month}-${day}`
}

/** 'YYYY-MM-DD' (a date) or a moment, shown as DD.MM.YYYY. */
export function formatDate(value: Date | string | null | undefined): string {
  if (value === null || value === undefined || value === '') return ''
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    return `${value.slice(8, 10)}.${value.slice(5, 7)}.${value.slice(0, 4)}`
  }
  const { year, month, day } = parts(new Date(value))
  return `${day}.${month}.${year}`
}

/** A moment shown as DD.MM.YYYY HH:MM, Yerevan time. */
export function formatDateTime(value: Date | string | null | undefined): string {
  if (value === null || value === undefined || value === '') return ''
  const { year, month, day, hour, minute } = parts(new Date(value))
  return `${day}.${month}.${year} ${hour}:${minute}`
}

/** Accepts DD.MM.YYYY (as users type it) or YYYY-MM-DD (as date inputs send it); returns ISO or null. */
export function parseDate(input: string): string | null {
  const trimmed = input.trim()
  let match = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(trimmed)
  let year: number, month: number, day: number
  if (match) {
    ;[day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])]
  } else {
    match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(trimmed)
    if (!match) return null
    ;[year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  }
  const probe = new Date(Date.UTC(year, month - 1, day))
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return null
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}
