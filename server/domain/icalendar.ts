/*
 * A one-event iCalendar file (RFC 5545), written by hand: the format is small and a library would add more than
 * it saves. Times are written in UTC, so no VTIMEZONE is needed and every calendar shows them in its own zone.
 */

const CRLF = '\r\n'
/** Content lines are folded so that none is longer than 75 octets, line break excluded (RFC 5545 §3.1). */
const MAX_LINE_OCTETS = 75

/** TEXT values (§3.3.11): backslash, semicolon and comma escaped, line breaks written as \n. */
export function escapeText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n')
}

/** Folds a content line at 75 octets, never inside a UTF-8 character; each continuation starts with one space. */
export function foldLine(line: string): string {
  const pieces: string[] = []
  let current = ''
  let octets = 0
  for (const character of line) {
    const size = Buffer.byteLength(character, 'utf8')
    // A continuation line's leading space counts toward its 75 octets.
    const limit = pieces.length === 0 ? MAX_LINE_OCTETS : MAX_LINE_OCTETS - 1
    if (octets + size > limit) {
      pieces.push(current)
      current = ''
      octets = 0
    }
    current += character
    octets += size
  }
  pieces.push(current)
  return pieces.join(`${CRLF} `)
}

/** A moment as a UTC DATE-TIME (§3.3.5, form 2): 20300115T063000Z. */
export function utcDateTime(moment: Date): string {
  return moment.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')
}

export interface CalendarEvent {
  /** Globally unique and stable: the same appointment downloaded again updates the same calendar entry. */
  uid: string
  /** Raised whenever the appointment changes, so calendars take the newer copy. */
  sequence: number
  stamp: Date
  start: Date
  end: Date
  summary: string
  location: string | null
  description: string | null
  cancelled: boolean
}

export function calendarFile(event: CalendarEvent): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Probation Service of Armenia//Back office//HY',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${escapeText(event.uid)}`,
    `SEQUENCE:${event.sequence}`,
    `DTSTAMP:${utcDateTime(event.stamp)}`,
    `DTSTART:${utcDateTime(event.start)}`,
    `DTEND:${utcDateTime(event.end)}`,
    `SUMMARY:${escapeText(event.summary)}`,
    ...(event.location ? [`LOCATION:${escapeText(event.location)}`] : []),
    ...(event.description ? [`DESCRIPTION:${escapeText(event.description)}`] : []),
    `STATUS:${event.cancelled ? 'CANCELLED' : 'CONFIRMED'}`,
    'END:VEVENT',
    'END:VCALENDAR',
  ]
  return lines.map(foldLine).join(CRLF) + CRLF
}
