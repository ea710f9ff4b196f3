// The Service works on Yerevan time and writes dates as DD.MM.YYYY.
export const SERVICE_TIME_ZONE = 'Asia/Yerevan'

const dateParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: SERVICE_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
})
const timeParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: SERVICE_TIME_ZONE,
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
})

function parts(moment: Date): { year: string; month: string; day: string } {
  const found = Object.fromEntries(dateParts.formatToParts(moment).map((p) => [p.type, p.value]))
  return { year: found.year, month: found.month, day: found.day }
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
    const [year, month, day] = value.split('-')
    return `${day}.${month}.${year}`
  }
  const { year, month, day } = parts(new Date(value))
  return `${day}.${month}.${year}`
}

/** A moment shown as DD.MM.YYYY HH:MM, Yerevan time. */
export function formatDateTime(value: Date | string | null | undefined): string {
  if (value === null || value === undefined || value === '') return ''
  const moment = new Date(value)
  return `${formatDate(moment)} ${timeParts.format(moment)}`
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
