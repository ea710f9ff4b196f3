/*
 * A personal calendar feed (RFC 5545) of many events: deadlines as all-day events, appointments with their times.
 * Built on the same escaping and folding as the one-appointment file (icalendar.ts).
 */
import { addCalendarDays } from './calendar'
import { escapeText, foldLine, utcDateTime } from './icalendar'

const CRLF = '\r\n'

export type FeedEvent =
  | { uid: string; kind: 'day'; date: string; summary: string; description: string | null }
  | { uid: string; kind: 'timed'; start: Date; end: Date; summary: string; location: string | null; description: string | null }

function compactDate(date: string): string {
  return date.replace(/-/g, '')
}

/** The whole feed; `stamp` is when it was produced (DTSTAMP of every event). */
export function calendarFeed(name: string, events: readonly FeedEvent[], stamp: Date): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Probation Service of Armenia//Back office//HY', 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH', `X-WR-CALNAME:${escapeText(name)}`]
  for (const event of events) {
    lines.push('BEGIN:VEVENT', `UID:${escapeText(event.uid)}`, `DTSTAMP:${utcDateTime(stamp)}`)
    if (event.kind === 'day') {
      // An all-day event ends (exclusively) on the next day.
      lines.push(`DTSTART;VALUE=DATE:${compactDate(event.date)}`, `DTEND;VALUE=DATE:${compactDate(addCalendarDays(event.date, 1))}`)
    } else {
      lines.push(`DTSTART:${utcDateTime(event.start)}`, `DTEND:${utcDateTime(event.end)}`)
      if (event.location) lines.push(`LOCATION:${escapeText(event.location)}`)
    }
    lines.push(`SUMMARY:${escapeText(event.summary)}`)
    if (event.description) lines.push(`DESCRIPTION:${escapeText(event.description)}`)
    lines.push('END:VEVENT')
  }
  lines.push('END:VCALENDAR')
  return lines.map(foldLine).join(CRLF) + CRLF
}
