import type { Sequelize, Transaction } from 'sequelize'
import type { ConditionQueries, DesiredCondition, FileScope, OpenCondition } from '../data/conditions'
import { addCalendarDays, daysInMonth } from '../domain/calendar'
import type { Clock } from '../domain/clock'
import { HELD_OUTCOMES, PERSON_CONTACT_KINDS, requiredInMonth, yerevanMoment } from '../domain/contacts'
import { serviceDateOf } from '../domain/dates'
import { MEASURE_CODES, measureType } from '../domain/measureCatalogue'
import { OPEN_MEASURE_STATES } from '../domain/measureLifecycle'
import { publicWorksProgress } from '../domain/measureProgress'
import { quarterOf, quarterToReport, type Quarter } from '../domain/quarterlyReport'
import { conditionClosing } from '../domain/workItems'
import type { QuarterlyReportService } from './quarterlyReports'

const PUBLIC_WORKS_CODES = MEASURE_CODES.filter((code) => measureType(code).executionKind === 'publicWorks')
const quarterKey = (quarter: Quarter) => `${quarter.year}-Q${quarter.quarter}`

/**
 * The ledger's time-dependent work (docs/decisions/0002-work-conditions.md): contacts behind the plan's frequency this
 * month, public works behind pace, the quarterly report to submit. Computed with the domain's rules and written as work
 * items: for every region once a day, and for the files and regions whose records changed since (the database marks
 * them in the writer's transaction). Every list calls `bringUpToDate` before it reads, so what it shows is as of now;
 * the background job does the same each minute, so a reader rarely finds anything to do.
 */
export function workConditionService(deps: { sequelize: Sequelize; clock: Clock; queries: ConditionQueries; reports: Pick<QuarterlyReportService, 'awaitingRegions'> }) {
  const { sequelize, clock, queries, reports } = deps

  function monthOf(today: string) {
    const month = today.slice(0, 7)
    const last = `${month}-${String(daysInMonth(Number(today.slice(0, 4)), Number(today.slice(5, 7)))).padStart(2, '0')}`
    const nextFirst = addCalendarDays(last, 1)
    return { month, last, first: `${month}-01`, nextFirst, from: yerevanMoment(`${month}-01`, '00:00'), until: yerevanMoment(nextFirst, '00:00') }
  }

  /** Files whose plans require more contacts this month than are held, booked or awaiting an outcome: due by the month's end. */
  async function contactsBehind(scope: FileScope, today: string, transaction: Transaction): Promise<DesiredCondition[]> {
    const month = monthOf(today)
    const files = await queries.contactsOfMonth(scope, { ...month, heldOutcomes: HELD_OUTCOMES, personKinds: PERSON_CONTACT_KINDS }, transaction)
    return files.flatMap(({ beneficiaryId, regionId, officerId, periods, held, open }) => {
      const required = requiredInMonth(month.month, periods)
      if (held + open >= required) return []
      return [{ kind: 'CONTACTS_BEHIND' as const, subjectId: beneficiaryId, period: month.month, note: { key: 'board.note.contactsBehind', params: { held, open, required } }, regionId, beneficiaryId, assigneeUserId: officerId, dueDate: month.last }]
    })
  }

  /** Public works behind their expected weekly hours, or unable to finish in term at the current pace. */
  async function publicWorksBehind(scope: FileScope, today: string, transaction: Transaction): Promise<DesiredCondition[]> {
    const measures = await queries.publicWorksOf(scope, PUBLIC_WORKS_CODES, OPEN_MEASURE_STATES, transaction)
    return measures.flatMap(({ measureId, beneficiaryId, regionId, officerId, startDate, endDate, hoursOrdered, hoursDone }) => {
      const progress = publicWorksProgress({ hoursOrdered, sessions: [{ hours: hoursDone }], startDate, termEnd: endDate, today })
      if (!progress.needsAttention || progress.dueDate === null) return []
      const params = { done: progress.hoursDone, ordered: progress.hoursOrdered, pace: progress.weeklyPace, expected: progress.expectedWeeklyHours }
      return [{ kind: 'PUBLIC_WORKS_BEHIND' as const, subjectId: measureId, period: '', note: { key: 'board.note.publicWorksBehind', params }, regionId, beneficiaryId, assigneeUserId: officerId, dueDate: progress.dueDate }]
    })
  }

  /** The regions' quarterly reports still to be submitted: the head's. */
  async function reportsToSubmit(regionIds: number[], transaction: Transaction): Promise<DesiredCondition[]> {
    const awaiting = (await reports.awaitingRegions(null, transaction)).filter((report) => regionIds.includes(report.regionId))
    return awaiting.map(({ regionId, quarter, dueDate }) => ({
      kind: 'QUARTERLY_REPORT' as const, subjectId: regionId, period: quarterKey(quarter), regionId, beneficiaryId: null, assigneeUserId: null, dueDate,
      note: { key: 'quarterly.quarterName', params: { year: quarter.year, ordinal: { key: `quarterly.ordinal.${quarter.quarter}` } } },
    }))
  }

  /** Opens what is desired and closes the scope's open items that are not. */
  async function write(desired: DesiredCondition[], open: OpenCondition[], today: string, transaction: Transaction): Promise<void> {
    const key = (item: { kind: string; subjectId: number; period: string }) => `${item.kind}:${item.subjectId}:${item.period}`
    const wanted = new Set(desired.map(key))
    const periods = { month: today.slice(0, 7), quarters: [quarterKey(quarterToReport(today)), quarterKey(quarterOf(today))] }
    const closing = open
      .filter((item) => !wanted.has(key(item)))
      .map((item) => ({ itemId: item.itemId, reason: conditionClosing({ ...item, measureOpen: item.measureState !== null && OPEN_MEASURE_STATES.includes(item.measureState) }, periods) }))
    await queries.open(desired, transaction)
    await queries.close(closing, today, transaction)
  }

  async function computeFiles(beneficiaryIds: number[], today: string, transaction: Transaction): Promise<void> {
    if (beneficiaryIds.length === 0) return
    const scope = { beneficiaryIds }
    const desired = [...(await contactsBehind(scope, today, transaction)), ...(await publicWorksBehind(scope, today, transaction))]
    await write(desired, await queries.openConditions(scope, transaction), today, transaction)
  }

  async function computeReports(regionIds: number[], today: string, transaction: Transaction): Promise<void> {
    if (regionIds.length === 0) return
    const desired = await reportsToSubmit(regionIds, transaction)
    const open = await queries.openConditions({ regionIds }, transaction)
    await write(desired, open.filter((item) => item.kind === 'QUARTERLY_REPORT'), today, transaction)
  }

  async function computeRegions(regionIds: number[], today: string, transaction: Transaction): Promise<void> {
    if (regionIds.length === 0) return
    const scope = { regionIds }
    // One connection holds the transaction: its queries go one after another.
    const desired = [...(await contactsBehind(scope, today, transaction)), ...(await publicWorksBehind(scope, today, transaction)), ...(await reportsToSubmit(regionIds, transaction))]
    await write(desired, await queries.openConditions(scope, transaction), today, transaction)
  }

  /**
   * Brings some regions' conditions (null: every region's) up to date before a list reads them: a region not computed
   * today is computed whole, then marked files and reports are computed again. When nothing is out of date, as almost
   * always, this is one read.
   */
  async function bringUpToDate(regionIds: number[] | null): Promise<void> {
    const today = serviceDateOf(clock.now())
    const state = await queries.outOfDate(regionIds, today)
    if (state.staleRegions.length === 0 && !state.filesMarked && !state.reportsMarked) return
    await sequelize.transaction(async (transaction) => {
      const claimed = await queries.claimRegions(state.staleRegions, today, transaction)
      await computeRegions(claimed, today, transaction)
      await computeFiles(await queries.takeFileMarks(regionIds, transaction), today, transaction)
      await computeReports(await queries.takeReportMarks(regionIds, transaction), today, transaction)
    })
  }

  return { bringUpToDate }
}

export type WorkConditionService = ReturnType<typeof workConditionService>
