import type { AccountRequestLine, AccountRequestQueries } from '../data/accountRequests'
import type { AccountToActOn, DayAppointment, HomeQueries, ReportAwaitingDecision } from '../data/home'
import type { Clock } from '../domain/clock'
import { yerevanMoment } from '../domain/contacts'
import { serviceDateOf } from '../domain/dates'
import type { BoardGroup, BoardLine, BoardService, NationalRow } from './board'

/** How many lines of the most urgent work, and of the people and regions most behind, the home page lists. */
const HOME_LINES = 6
const HOME_RANKED = 5

/** A person's own work: counts by due group, the most urgent lines (overdue, then today's), and each kind's counts. */
export interface OwnWork {
  counts: Record<BoardGroup, number>
  urgent: (BoardLine & { group: BoardGroup })[]
  kinds: { kind: string; overdue: number; dueThisWeek: number; open: number }[]
}

export interface HomeView {
  today: string
  /** The signed-in person's own work (a head's includes what waits for the head); staff of a regional body only. */
  work: OwnWork | null
  /** Today's appointments of the person's files. */
  appointments: DayAppointment[] | null
  /** For whoever holds a head's powers: the region's officers most behind, and the region's counts. */
  region: { regionId: number; counts: Record<BoardGroup, number>; officers: { id: number; fullName: string; overdue: number; dueThisWeek: number }[] } | null
  /** For the service head: reports awaiting a decision, and every region, the most overdue first. */
  national: { reports: ReportAwaitingDecision[]; regions: NationalRow[] } | null
  /** For the administrator: accounts locked or on a temporary password. */
  accounts: AccountToActOn[] | null
  /** For the service head (to decide) and the administrator (who asked): requests giving a head's powers. */
  accountRequests: AccountRequestLine[] | null
}

/** What the home page shows of each part, as the route's policy allows. */
export interface HomeParts {
  ownWorkIn: number | null
  headOfRegion: boolean
  national: boolean
  accounts: boolean
  accountRequests: boolean
}

/** The moments a service day starts and ends. */
function dayBounds(day: string): { from: Date; until: Date } {
  const from = yerevanMoment(day, '00:00')
  return { from, until: new Date(from.getTime() + 86_400_000) }
}

/**
 * The user's day, read from the work ledger and the records: what is theirs to do first, whom they see today, and,
 * for those who lead, where the people and regions they answer for are behind.
 */
export function homeService(deps: { clock: Clock; board: BoardService; queries: HomeQueries; accountRequests: Pick<AccountRequestQueries, 'pending'> }) {
  const { clock, board, queries, accountRequests } = deps

  async function ownWork(regionId: number, userId: number, headOfRegion: boolean): Promise<OwnWork> {
    const work = await board.myWork(regionId, userId, { headOfRegion, window: { each: HOME_LINES } })
    const kinds = Object.entries(work.byKind)
      .map(([kind, counts]) => ({ kind, overdue: counts.overdue, dueThisWeek: counts.today + counts.week, open: counts.overdue + counts.today + counts.week + counts.later }))
      .sort((a, b) => b.overdue - a.overdue || b.dueThisWeek - a.dueThisWeek || a.kind.localeCompare(b.kind))
    return { counts: work.counts, urgent: (['overdue', 'today'] as const).flatMap((group) => work.groups[group].map((line) => ({ ...line, group }))).slice(0, HOME_LINES), kinds }
  }

  async function regionOf(regionId: number): Promise<HomeView['region']> {
    const view = await board.regionBoard(regionId, {}, { each: 0 })
    const officers = view.officers.filter((officer) => officer.overdue + officer.dueThisWeek > 0)
      .sort((a, b) => b.overdue - a.overdue || b.dueThisWeek - a.dueThisWeek).slice(0, HOME_RANKED)
    return { regionId, counts: view.counts, officers }
  }

  async function nationalOf(): Promise<HomeView['national']> {
    const [reports, national] = await Promise.all([queries.reportsAwaitingDecision(), board.national()])
    return { reports, regions: [...national.rows].sort((a, b) => b.overdue - a.overdue || b.dueThisWeek - a.dueThisWeek) }
  }

  async function dayOf(user: { id: number }, parts: HomeParts): Promise<HomeView> {
    const today = serviceDateOf(clock.now())
    const { from, until } = dayBounds(today)
    const [work, appointments, region, national, accounts, requests] = await Promise.all([
      parts.ownWorkIn === null ? null : ownWork(parts.ownWorkIn, user.id, parts.headOfRegion),
      parts.ownWorkIn === null ? null : queries.appointmentsOfOfficer(user.id, from, until),
      parts.ownWorkIn !== null && parts.headOfRegion ? regionOf(parts.ownWorkIn) : null,
      parts.national ? nationalOf() : null,
      parts.accounts ? queries.accountsToActOn(clock.now()) : null,
      parts.accountRequests ? accountRequests.pending() : null,
    ])
    return { today, work, appointments, region, national, accounts, accountRequests: requests }
  }

  return { dayOf }
}

export type HomeService = ReturnType<typeof homeService>
