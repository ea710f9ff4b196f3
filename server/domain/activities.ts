/*
 * Resocialisation activities (վերասոցիալականացման միջոցառումներ) as data and pure counts: the kinds of event a
 * regional body organises, the attendance recorded for each person invited, and participation per quarter.
 * Codes are shown through the locale keys `activityKind.<code>` and `attendance.<code>`.
 */

export const ACTIVITY_KINDS = ['CULTURAL', 'SPORTS', 'EDUCATIONAL', 'SOCIO_PSYCHOLOGICAL_GROUP', 'COMMUNITY_WORK_DAY'] as const
export type ActivityKind = (typeof ACTIVITY_KINDS)[number]

export const ATTENDANCE = ['ATTENDED', 'ABSENT'] as const
export type Attendance = (typeof ATTENDANCE)[number]

/** How far ahead an event may be planned and how far back one that took place may be entered. */
export const MAX_EVENT_AHEAD_DAYS = 366
export const MAX_EVENT_BACK_DAYS = 366

/** The calendar quarter (1–4) of an ISO date. */
export function quarterOf(date: string): 1 | 2 | 3 | 4 {
  return Math.ceil(Number(date.slice(5, 7)) / 3) as 1 | 2 | 3 | 4
}

export interface QuarterCounts {
  events: number
  invited: number
  attended: number
}

export interface ParticipationCounts {
  byKind: { kind: ActivityKind; quarters: QuarterCounts[]; total: QuarterCounts }[]
  /** People with at least one invitation in the year; `quarters[i]` counts the events they attended. */
  byPerson: { beneficiaryId: number; quarters: number[]; total: number; invited: number }[]
}

const emptyCounts = (): QuarterCounts => ({ events: 0, invited: 0, attended: 0 })

/**
 * Participation in one year, per quarter: for each kind of event the events held, the people invited and those who
 * attended; for each person the events attended. An invitation whose attendance is not recorded yet is counted as
 * invited, not as attended.
 */
export function participationCounts(
  events: readonly { id: number; kind: ActivityKind; date: string }[],
  participants: readonly { eventId: number; beneficiaryId: number; attendance: Attendance | null }[],
  year: number,
): ParticipationCounts {
  const ofYear = new Map(events.filter((event) => Number(event.date.slice(0, 4)) === year).map((event) => [event.id, event]))
  const byKind = ACTIVITY_KINDS.map((kind) => ({ kind, quarters: [1, 2, 3, 4].map(emptyCounts), total: emptyCounts() }))
  const kindIndex = (kind: ActivityKind) => ACTIVITY_KINDS.indexOf(kind)
  for (const event of ofYear.values()) {
    const line = byKind[kindIndex(event.kind)]
    line.quarters[quarterOf(event.date) - 1].events += 1
    line.total.events += 1
  }
  const people = new Map<number, { beneficiaryId: number; quarters: number[]; total: number; invited: number }>()
  for (const participant of participants) {
    const event = ofYear.get(participant.eventId)
    if (!event) continue
    const quarter = quarterOf(event.date) - 1
    const line = byKind[kindIndex(event.kind)]
    const attended = participant.attendance === 'ATTENDED' ? 1 : 0
    line.quarters[quarter].invited += 1
    line.total.invited += 1
    line.quarters[quarter].attended += attended
    line.total.attended += attended
    const person = people.get(participant.beneficiaryId) ?? { beneficiaryId: participant.beneficiaryId, quarters: [0, 0, 0, 0], total: 0, invited: 0 }
    person.quarters[quarter] += attended
    person.total += attended
    person.invited += 1
    people.set(participant.beneficiaryId, person)
  }
  return { byKind, byPerson: [...people.values()] }
}
