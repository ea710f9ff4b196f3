import { expect } from 'chai'
import fc from 'fast-check'
import { QueryTypes } from 'sequelize'
import { addCalendarDays } from '../../server/domain/calendar'
import { OPEN_FILE_STATUSES } from '../../server/domain/beneficiaryCatalogue'
import { HELD_OUTCOMES } from '../../server/domain/contacts'
import { serviceDateOf } from '../../server/domain/dates'
import { conditionClosing } from '../../server/domain/workItems'
import { buildTestApp, type TestApp } from '../helpers/app'
import { createBeneficiary } from '../helpers/beneficiaries'
import { createPerson, regionIdOf, type TestPerson } from '../helpers/people'
import { contextOf, planInForce } from '../helpers/supervision'

/*
 * The ledger's time-dependent work: contacts behind the plan this month, public works behind pace and the quarterly
 * report are work items computed by the app (server/services/workConditions.ts), kept up to date when their records
 * change and as days pass, and closed with the reason that applies.
 */
describe('work ledger: conditions of the records', () => {
  let t: TestApp

  beforeEach(() => {
    t = buildTestApp()
  })

  const sql = <T extends object>(text: string, replacements: Record<string, unknown> = {}) => t.services.sequelize.query<T>(text, { replacements, type: QueryTypes.SELECT })

  interface ConditionItem {
    kind: string
    subjectId: number
    period: string
    dueDate: string
    state: string
    closedOn: string | null
    cancelReason: string | null
    assigneeUserId: number | null
  }
  const conditionItems = (regionId: number) =>
    sql<ConditionItem>(
      `SELECT c.kind, c.subject_id AS "subjectId", c.period, w.due_date AS "dueDate", w.state, w.closed_on AS "closedOn", w.cancel_reason AS "cancelReason", w.assignee_user_id AS "assigneeUserId"
         FROM work_items w JOIN work_conditions c ON c.id = w.source_id WHERE w.source_type = 'condition' AND w.region_id = :regionId ORDER BY c.kind, c.subject_id, c.period`,
      { regionId },
    )

  it('when an open condition is no longer computed, then it is done, or cancelled with the reason that applies', () => {
    const periods = { month: '2040-03', quarters: ['2039-Q4', '2040-Q1'] }
    const judge = (kind: 'CONTACTS_BEHIND' | 'PUBLIC_WORKS_BEHIND' | 'QUARTERLY_REPORT', period: string, fileStatus: string | null, measureOpen = true) => conditionClosing({ kind, period, fileStatus, measureOpen }, periods)
    expect(judge('CONTACTS_BEHIND', '2040-03', 'ACTIVE')).to.equal(null)
    expect(judge('CONTACTS_BEHIND', '2040-02', 'ACTIVE')).to.equal('PERIOD_ENDED')
    expect(judge('CONTACTS_BEHIND', '2040-03', 'SUSPENDED')).to.equal('SOURCE_WITHDRAWN')
    expect(judge('CONTACTS_BEHIND', '2040-03', 'CLOSED')).to.equal('FILE_NOT_OPEN')
    expect(judge('PUBLIC_WORKS_BEHIND', '', 'ACTIVE')).to.equal(null)
    expect(judge('PUBLIC_WORKS_BEHIND', '', 'ACTIVE', false)).to.equal('SOURCE_WITHDRAWN')
    expect(judge('PUBLIC_WORKS_BEHIND', '', 'TRANSFERRED')).to.equal('FILE_NOT_OPEN')
    expect(judge('QUARTERLY_REPORT', '2040-Q1', null)).to.equal(null)
    expect(judge('QUARTERLY_REPORT', '2039-Q3', null)).to.equal('PERIOD_ENDED')
  })

  describe('contacts behind the plan, against an oracle', () => {
    let regionId: number
    let head: TestPerson
    let officer: TestPerson

    before(async () => {
      regionId = await regionIdOf('TAVUSH')
      head = await createPerson('REGIONAL_HEAD', 'TAVUSH')
      officer = await createPerson('SPECIALIST', 'TAVUSH')
    })

    it('when contacts are booked, held, missed or cancelled, files closed and reopened and months pass, then after each the open items are the files the oracle finds behind', async () => {
      // Plans come into force on the first of a month, so every month requires the plan's whole frequency.
      t.clock.set('2041-03-01T10:00:00+04:00')
      const files: number[] = []
      for (let index = 0; index < 3; index += 1) {
        const file = await createBeneficiary(regionId, officer.id, { category: 'PROBATION_PERIOD', createdAt: new Date('2041-02-20T10:00:00+04:00') })
        await planInForce(t.services, file.id, officer, head)
        files.push(file.id)
      }
      const [{ perMonth }] = await sql<{ perMonth: number }>('SELECT max(contacts_per_month)::int AS "perMonth" FROM supervision_plans WHERE beneficiary_id IN (:files)', { files })

      /** Active files whose month holds fewer contacts held or without an outcome than the plan requires, from the rows. */
      async function oracle(): Promise<{ subjectId: number; period: string; dueDate: string }[]> {
        const today = serviceDateOf(t.clock.now())
        const month = today.slice(0, 7)
        const monthEnd = addCalendarDays(`${addCalendarDays(`${month}-28`, 4).slice(0, 7)}-01`, -1)
        const rows = await sql<{ id: number; status: string; counted: number }>(
          `SELECT b.id, b.status, (SELECT count(*) FROM appointments a WHERE a.beneficiary_id = b.id AND a.cancelled_at IS NULL
                                     AND to_char(a.scheduled_at AT TIME ZONE 'Asia/Yerevan', 'YYYY-MM') = :month
                                     AND (a.outcome IS NULL OR a.outcome IN (:held)))::int AS counted
             FROM beneficiaries b WHERE b.id IN (:files) ORDER BY b.id`,
          { files, month, held: [...HELD_OUTCOMES] },
        )
        return rows.filter((row) => row.status === 'ACTIVE' && row.counted < perMonth).map((row) => ({ subjectId: row.id, period: month, dueDate: monthEnd }))
      }

      type Event =
        | { type: 'book'; file: number; daysAhead: number; held: boolean }
        | { type: 'miss'; file: number }
        | { type: 'cancel'; file: number }
        | { type: 'close'; file: number }
        | { type: 'reopen'; file: number }
        | { type: 'days'; days: number }
      const file = fc.nat({ max: 2 })
      const event: fc.Arbitrary<Event> = fc.oneof(
        fc.record({ type: fc.constant('book' as const), file, daysAhead: fc.integer({ min: -10, max: 10 }), held: fc.boolean() }),
        fc.record({ type: fc.constant('miss' as const), file }),
        fc.record({ type: fc.constant('cancel' as const), file }),
        fc.record({ type: fc.constant('close' as const), file }),
        fc.record({ type: fc.constant('reopen' as const), file }),
        fc.record({ type: fc.constant('days' as const), days: fc.integer({ min: 1, max: 35 }) }),
      )

      async function apply(step: Event): Promise<void> {
        const today = serviceDateOf(t.clock.now())
        if (step.type === 'days') {
          t.clock.set(`${addCalendarDays(today, step.days)}T10:00:00+04:00`)
          return
        }
        const id = files[step.file]
        const [row] = await sql<{ status: string; version: number }>('SELECT status, version FROM beneficiaries WHERE id = :id', { id })
        const open = OPEN_FILE_STATUSES.includes(row.status)
        if (step.type === 'book' && open) {
          await t.services.contacts.book(id, {
            kind: 'OFFICE_VISIT', scheduledAt: new Date(t.clock.now().getTime() + step.daysAhead * 86_400_000), durationMinutes: 30, place: null, notes: null,
            // A contact now or in the past is recorded with what happened.
            outcome: step.daysAhead > 0 ? null : step.held ? 'ATTENDED_COMPLIED' : 'UNACCEPTABLE_ABSENCE', outcomeNote: null, riskAcknowledged: false,
          }, contextOf(officer))
        } else if ((step.type === 'miss' || step.type === 'cancel') && open) {
          const [appointment] = await sql<{ id: number; version: number }>(
            'SELECT id, version FROM appointments WHERE beneficiary_id = :id AND outcome IS NULL AND cancelled_at IS NULL AND scheduled_at < :now ORDER BY id LIMIT 1', { id, now: t.clock.now() },
          )
          if (!appointment) return
          if (step.type === 'miss') await t.services.contacts.recordOutcome(appointment.id, { outcome: 'UNACCEPTABLE_ABSENCE', note: null }, appointment.version, contextOf(officer))
          else await t.services.contacts.cancel(appointment.id, 'ill', appointment.version, contextOf(officer))
        } else if (step.type === 'close' && open) {
          await t.services.beneficiaries.close(id, row.version, { reason: 'MEASURE_COMPLETED', closedOn: today, note: null }, contextOf(officer))
          // In the closing transaction, before anything is computed again: the file's conditions are cancelled.
          const items = (await conditionItems(regionId)).filter((item) => item.subjectId === id && item.kind === 'CONTACTS_BEHIND')
          expect(items.filter((item) => item.state === 'OPEN')).to.deep.equal([])
        } else if (step.type === 'reopen' && row.status === 'CLOSED') {
          await t.services.beneficiaries.reopen(id, row.version, 'the act was appealed', contextOf(head))
        }
      }

      await fc.assert(
        fc.asyncProperty(fc.array(event, { minLength: 1, maxLength: 12 }), async (events) => {
          for (const step of events) {
            await apply(step)
            await t.services.workConditions.bringUpToDate([regionId])
            const items = (await conditionItems(regionId)).filter((item) => item.kind === 'CONTACTS_BEHIND')
            const open = items.filter((item) => item.state === 'OPEN').map(({ subjectId, period, dueDate }) => ({ subjectId, period, dueDate }))
            expect(open, JSON.stringify(step)).to.deep.equal(await oracle())
            expect(items.every((item) => item.state === 'OPEN' || (item.state === 'DONE') === (item.cancelReason === null)), 'closed with a reason or done').to.equal(true)
            expect(items.filter((item) => item.state === 'OPEN').every((item) => item.assigneeUserId === officer.id), 'the officer\'s').to.equal(true)
          }
        }),
        { numRuns: 8, endOnFailure: true },
      )
      // A month left behind is not done: it ended.
      const ended = (await conditionItems(regionId)).filter((item) => item.kind === 'CONTACTS_BEHIND' && item.period < serviceDateOf(t.clock.now()).slice(0, 7) && item.state !== 'OPEN')
      expect(ended.every((item) => item.cancelReason === 'PERIOD_ENDED' || item.state === 'DONE' || item.cancelReason === 'FILE_NOT_OPEN')).to.equal(true)
    })
  })

  it('when a quarterly report is submitted, then its item is done that day; when the next day comes, the region is computed again once however many lists ask at the same moment', async () => {
    const regionId = await regionIdOf('VAYOTS_DZOR')
    const head = await createPerson('REGIONAL_HEAD', 'VAYOTS_DZOR')
    t.clock.set('2042-04-02T10:00:00+04:00')
    await t.services.workConditions.bringUpToDate([regionId])
    const firstQuarter = (await conditionItems(regionId)).find((item) => item.kind === 'QUARTERLY_REPORT' && item.period === '2042-Q1')!
    expect(firstQuarter).to.include({ state: 'OPEN', assigneeUserId: null, subjectId: regionId })

    await t.services.quarterlyReports.submit(regionId, { year: 2042, quarter: 1 }, { problems: 'None', proposals: 'None', expectedVersion: 0 }, contextOf(head))
    await t.services.workConditions.bringUpToDate([regionId])
    expect((await conditionItems(regionId)).find((item) => item.period === '2042-Q1')).to.include({ state: 'DONE', closedOn: '2042-04-02' })

    t.clock.set('2042-04-03T10:00:00+04:00')
    await Promise.all(Array.from({ length: 6 }, () => t.services.workConditions.bringUpToDate([regionId])))
    const [{ day }] = await sql<{ day: string }>('SELECT day FROM work_conditions_computed WHERE region_id = :regionId', { regionId })
    expect(day).to.equal('2042-04-03')
    const reports = (await conditionItems(regionId)).filter((item) => item.kind === 'QUARTERLY_REPORT')
    expect(reports.map((item) => `${item.period} ${item.state}`)).to.deep.equal(['2042-Q1 DONE', '2042-Q2 OPEN'])
  })

  it('when public works fall behind pace, then the measure is the officer\'s work; caught up, it is done; the measure ended, withdrawn', async () => {
    const regionId = await regionIdOf('GEGHARKUNIK')
    const officer = await createPerson('SPECIALIST', 'GEGHARKUNIK')
    const file = await createBeneficiary(regionId, officer.id, { category: 'NON_CUSTODIAL_PUNISHMENT' })
    t.clock.set('2043-05-06T10:00:00+04:00')
    const act = { court: 'Court', caseNumber: 'G-1', kind: 'VERDICT' as const, actDate: '2043-04-20', inForceDate: '2043-04-28', receivedDate: '2043-05-02', documentId: null, changesActId: null, changeKind: null, endsMeasureIds: [] }
    await t.services.measures.registerCourtAct(file.id, act, [{ typeCode: 'PUBLIC_WORKS', details: { hoursOrdered: 60 } }], contextOf(officer))
    const [{ id: measureId }] = await t.services.measures.measuresOf(file.id)
    await t.services.measures.transition(measureId, 'start', { date: '2043-05-06', reason: null, endReason: null, courtActReference: null }, contextOf(officer))
    t.clock.set('2043-05-20T10:00:00+04:00')
    await t.services.workConditions.bringUpToDate([regionId])
    const behind = () => conditionItems(regionId).then((items) => items.filter((item) => item.kind === 'PUBLIC_WORKS_BEHIND'))
    // 60 hours at 12 a week from 06.05.2043: 35 days.
    expect(await behind()).to.deep.equal([{ kind: 'PUBLIC_WORKS_BEHIND', subjectId: measureId, period: '', dueDate: '2043-06-10', state: 'OPEN', closedOn: null, cancelReason: null, assigneeUserId: officer.id }])

    for (const workDate of ['2043-05-07', '2043-05-14', '2043-05-19']) await t.services.measures.addWorkSession(measureId, { workDate, hours: 8, confirmedBy: 'Sevan municipality' }, contextOf(officer))
    await t.services.workConditions.bringUpToDate([regionId])
    expect(await behind()).to.have.deep.members([{ kind: 'PUBLIC_WORKS_BEHIND', subjectId: measureId, period: '', dueDate: '2043-06-10', state: 'DONE', closedOn: '2043-05-20', cancelReason: null, assigneeUserId: officer.id }])

    t.clock.set('2043-06-20T10:00:00+04:00')
    await t.services.workConditions.bringUpToDate([regionId])
    expect((await behind())[0].state).to.equal('OPEN')
    await t.services.measures.transition(measureId, 'end', { date: '2043-06-20', reason: 'Pardoned', endReason: 'pardon_or_amnesty', courtActReference: null }, contextOf(officer))
    await t.services.workConditions.bringUpToDate([regionId])
    expect((await behind())[0]).to.include({ state: 'CANCELLED', cancelReason: 'SOURCE_WITHDRAWN' })
  })
})
