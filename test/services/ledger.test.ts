import { expect } from 'chai'
import fc from 'fast-check'
import { QueryTypes } from 'sequelize'
import { dueGroupValues, DONE_ON_TIME_SQL, inDueGroupSql, OPEN_SQL } from '../../server/data/ledger'
import { addCalendarDays } from '../../server/domain/calendar'
import { serviceDateOf } from '../../server/domain/dates'
import { OPEN_FILE_STATUSES } from '../../server/domain/beneficiaryCatalogue'
import { doneOnTime, DUE_GROUPS, dueGroup, HEAD_DEADLINE_RULES, isOpen, type WorkItemState } from '../../server/domain/workItems'
import type { DeadlineRuleId } from '../../server/domain/deadlineRules'
import { buildTestApp, type TestApp } from '../helpers/app'
import { createBeneficiary } from '../helpers/beneficiaries'
import { signIn } from '../helpers/agent'
import { createPerson, regionIdOf, type TestPerson } from '../helpers/people'
import { contextOf, planInForce } from '../helpers/supervision'
import { ServiceError } from '../../server/services/context'

/*
 * Issue 13: the work ledger. Its SQL fragments say what the domain's functions say; after any sequence of events
 * through the services the ledger equals what an oracle written here recomputes from the records; a closed file's items
 * leave the lists and come back on reopening; a head's own work is on the head's list (and the acting head's, on the
 * delegation's days only).
 */
interface Expected {
  sourceType: string
  sourceId: number
  kind: string
  regionId: number
  assigneeUserId: number | null
  dueDate: string
  state: WorkItemState
  closedOn: string | null
}

describe('work ledger', () => {
  let t: TestApp
  const sql = <T extends object>(text: string, replacements: Record<string, unknown> = {}) => t.services.sequelize.query<T>(text, { replacements, type: QueryTypes.SELECT })

  before(() => {
    t = buildTestApp()
  })

  it('when a date is grouped or an item judged open or done on time, then the SQL fragments agree with the domain', async () => {
    const today = '2031-12-30'
    const dates = Array.from({ length: 20 }, (_unused, n) => addCalendarDays('2031-12-20', n))
    for (const dueDate of dates) {
      const inGroups = DUE_GROUPS.map((group, index) => `${inDueGroupSql(2 + index * 2)} AS "${group}"`).join(', ')
      const [row] = await t.services.sequelize.query<Record<string, boolean>>(`SELECT ${inGroups} FROM (SELECT $1::date AS due_date) w`, { bind: [dueDate, ...dueGroupValues(today)], type: QueryTypes.SELECT })
      expect(DUE_GROUPS.filter((group) => row[group]), dueDate).to.deep.equal([dueGroup(dueDate, today)])
      for (const state of ['OPEN', 'DONE', 'CANCELLED'] as const) {
        for (const closedOn of [null, addCalendarDays(dueDate, -1), dueDate, addCalendarDays(dueDate, 1)]) {
          const [judged] = await sql<{ open: boolean; onTime: boolean }>(
            `SELECT ${OPEN_SQL} AS open, coalesce(${DONE_ON_TIME_SQL}, false) AS "onTime" FROM (SELECT :state::text AS state, :dueDate::date AS due_date, :closedOn::date AS closed_on) w`,
            { state, dueDate, closedOn },
          )
          expect(judged, `${state} ${dueDate} ${closedOn}`).to.deep.equal({ open: isOpen({ state }), onTime: doneOnTime({ state, dueDate, closedOn }) })
        }
      }
    }
    // The file states under which items stay open are the domain's open file statuses.
    const [{ definition }] = await sql<{ definition: string }>(`SELECT pg_get_functiondef('ledger_sync(text, integer[])'::regprocedure) AS definition`)
    expect(definition).to.contain(`file_status NOT IN (${OPEN_FILE_STATUSES.map((status) => `'${status}'`).join(', ')})`)
    expect(definition).to.contain(`d.rule_id = '${HEAD_DEADLINE_RULES[0]}'`)
  })

  describe('against an oracle', () => {
    let regionId: number
    let otherRegionId: number
    let head: TestPerson
    let otherHead: TestPerson
    let officers: TestPerson[]
    const files: number[] = []

    before(async () => {
      regionId = await regionIdOf('SHIRAK')
      otherRegionId = await regionIdOf('LORI')
      head = await createPerson('REGIONAL_HEAD', 'SHIRAK')
      otherHead = await createPerson('REGIONAL_HEAD', 'LORI')
      officers = [await createPerson('SPECIALIST', 'SHIRAK'), await createPerson('SENIOR_SPECIALIST', 'SHIRAK')]
    })

    /** The items the records call for, recomputed from the source rows by rules written here, not by the ledger's SQL. */
    async function oracle(): Promise<Expected[]> {
      const fileRows = await sql<{ id: number; regionId: number; status: string; officerId: number | null }>(
        'SELECT id, region_id AS "regionId", status, responsible_officer_id AS "officerId" FROM beneficiaries WHERE id IN (:files)', { files },
      )
      const fileOf = new Map(fileRows.map((file) => [file.id, file]))
      const withFile = (file: (typeof fileRows)[number], state: WorkItemState, closedOn: string | null) =>
        state === 'OPEN' && !['ACTIVE', 'SUSPENDED'].includes(file.status) ? { state: 'CANCELLED' as const, closedOn: null } : { state, closedOn: state === 'DONE' ? closedOn : null }
      const expected: Expected[] = []
      for (const d of await sql<{ id: number; beneficiaryId: number; ruleId: string; dueDate: string; status: WorkItemState; doneOn: string | null }>(
        'SELECT id, beneficiary_id AS "beneficiaryId", rule_id AS "ruleId", due_date AS "dueDate", status, done_on AS "doneOn" FROM deadlines WHERE beneficiary_id IN (:files)', { files },
      )) {
        const file = fileOf.get(d.beneficiaryId)!
        expected.push({ sourceType: 'deadline', sourceId: d.id, kind: d.ruleId, regionId: file.regionId, assigneeUserId: d.ruleId === 'VIOLATION_ACTION' ? null : file.officerId, dueDate: d.dueDate, ...withFile(file, d.status, d.doneOn) })
      }
      for (const a of await sql<{ id: number; beneficiaryId: number; scheduledAt: Date; outcome: string | null; outcomeAt: Date | null; cancelledAt: Date | null }>(
        'SELECT id, beneficiary_id AS "beneficiaryId", scheduled_at AS "scheduledAt", outcome, outcome_recorded_at AS "outcomeAt", cancelled_at AS "cancelledAt" FROM appointments WHERE beneficiary_id IN (:files)', { files },
      )) {
        const file = fileOf.get(a.beneficiaryId)!
        const state: WorkItemState = a.outcome ? 'DONE' : a.cancelledAt ? 'CANCELLED' : 'OPEN'
        expected.push({
          sourceType: 'appointment', sourceId: a.id, kind: 'APPOINTMENT_OUTCOME', regionId: file.regionId, assigneeUserId: file.officerId, dueDate: serviceDateOf(a.scheduledAt),
          ...withFile(file, state, a.outcomeAt ? serviceDateOf(a.outcomeAt) : null),
        })
      }
      for (const transfer of await sql<{ id: number; toRegionId: number; status: string; requestedAt: Date; decidedAt: Date | null }>(
        'SELECT id, to_region_id AS "toRegionId", status, requested_at AS "requestedAt", decided_at AS "decidedAt" FROM transfers WHERE beneficiary_id IN (:files)', { files },
      )) {
        const state: WorkItemState = transfer.status === 'PENDING' ? 'OPEN' : transfer.status === 'CANCELLED' ? 'CANCELLED' : 'DONE'
        expected.push({
          sourceType: 'transfer', sourceId: transfer.id, kind: 'TRANSFER_DECISION', regionId: transfer.toRegionId, assigneeUserId: null, dueDate: serviceDateOf(transfer.requestedAt),
          state, closedOn: state === 'DONE' ? serviceDateOf(transfer.decidedAt!) : null,
        })
      }
      return expected.sort((a, b) => a.sourceType.localeCompare(b.sourceType) || a.sourceId - b.sourceId)
    }

    async function ledger(): Promise<Expected[]> {
      return sql<Expected>(
        `SELECT w.source_type AS "sourceType", w.source_id AS "sourceId", w.kind, w.region_id AS "regionId", w.assignee_user_id AS "assigneeUserId", w.due_date AS "dueDate", w.state, w.closed_on AS "closedOn"
           FROM work_items w WHERE w.beneficiary_id IN (:files) ORDER BY w.source_type, w.source_id`,
        { files },
      )
    }

    type Event =
      | { type: 'newFile'; officer: number }
      | { type: 'openDeadline'; file: number; rule: DeadlineRuleId }
      | { type: 'closeDeadline'; file: number; status: 'DONE' | 'CANCELLED' }
      | { type: 'book'; file: number; daysAhead: number; held: boolean }
      | { type: 'outcome'; file: number }
      | { type: 'cancel'; file: number }
      | { type: 'assign'; file: number; officer: number }
      | { type: 'close'; file: number }
      | { type: 'reopen'; file: number }
      | { type: 'requestTransfer'; file: number }
      | { type: 'decideTransfer'; file: number; accept: boolean }
      | { type: 'days'; days: number }

    const pick = fc.nat({ max: 20 })
    const event: fc.Arbitrary<Event> = fc.oneof(
      fc.record({ type: fc.constant('newFile' as const), officer: fc.nat({ max: 1 }) }),
      fc.record({ type: fc.constant('openDeadline' as const), file: pick, rule: fc.constantFrom<DeadlineRuleId>('FIRST_CONTACT', 'INITIAL_ASSESSMENT', 'VIOLATION_ACTION', 'PLAN_REVIEW') }),
      fc.record({ type: fc.constant('closeDeadline' as const), file: pick, status: fc.constantFrom('DONE' as const, 'CANCELLED' as const) }),
      fc.record({ type: fc.constant('book' as const), file: pick, daysAhead: fc.integer({ min: -20, max: 20 }), held: fc.boolean() }),
      fc.record({ type: fc.constant('outcome' as const), file: pick }),
      fc.record({ type: fc.constant('cancel' as const), file: pick }),
      fc.record({ type: fc.constant('assign' as const), file: pick, officer: fc.nat({ max: 1 }) }),
      fc.record({ type: fc.constant('close' as const), file: pick }),
      fc.record({ type: fc.constant('reopen' as const), file: pick }),
      fc.record({ type: fc.constant('requestTransfer' as const), file: pick }),
      fc.record({ type: fc.constant('decideTransfer' as const), file: pick, accept: fc.boolean() }),
      fc.record({ type: fc.constant('days' as const), days: fc.integer({ min: 1, max: 40 }) }),
    )

    /** Applies one event through the services; an event the records do not allow (a closed file, nothing to close) is skipped or refused, as a user would be. */
    async function apply(step: Event, ownFiles: number[]): Promise<void> {
      const officerContext = contextOf(officers[0])
      const today = serviceDateOf(t.clock.now())
      const file = 'file' in step ? ownFiles[step.file % Math.max(ownFiles.length, 1)] : undefined
      const fileRow = file === undefined ? undefined : (await sql<{ status: string; version: number }>('SELECT status, version FROM beneficiaries WHERE id = :file', { file }))[0]
      const open = fileRow !== undefined && OPEN_FILE_STATUSES.includes(fileRow.status)
      switch (step.type) {
        case 'newFile': {
          const created = await createBeneficiary(regionId, officers[step.officer].id, { createdAt: new Date(`${addCalendarDays(today, -1)}T10:00:00+04:00`) })
          files.push(created.id)
          ownFiles.push(created.id)
          return
        }
        case 'openDeadline':
          if (!open) return
          await t.services.sequelize.transaction((transaction) => t.services.deadlines.open({ beneficiaryId: file!, ruleId: step.rule, subjectType: 'ledgerTest', subjectId: file! * 100 + step.rule.length, eventDate: today }, transaction)).catch(() => undefined)
          return
        case 'closeDeadline': {
          if (!open) return
          const [deadline] = await sql<{ subjectType: string; subjectId: number; ruleId: DeadlineRuleId }>(
            `SELECT subject_type AS "subjectType", subject_id AS "subjectId", rule_id AS "ruleId" FROM deadlines WHERE beneficiary_id = :file AND status = 'OPEN' ORDER BY id LIMIT 1`, { file },
          )
          if (deadline) await t.services.sequelize.transaction((transaction) => t.services.deadlines.close(deadline.subjectType, deadline.subjectId, [deadline.ruleId], step.status, transaction))
          return
        }
        case 'book':
          if (!open) return
          await t.services.contacts.book(file!, {
            kind: 'OFFICE_VISIT', scheduledAt: new Date(t.clock.now().getTime() + step.daysAhead * 86_400_000), durationMinutes: 30, place: null, notes: null,
            outcome: step.held && step.daysAhead < 0 ? 'ATTENDED_COMPLIED' : null, outcomeNote: null, riskAcknowledged: false,
          }, officerContext)
          return
        case 'outcome':
        case 'cancel': {
          if (!open) return
          const [appointment] = await sql<{ id: number; version: number }>(
            `SELECT id, version FROM appointments WHERE beneficiary_id = :file AND outcome IS NULL AND cancelled_at IS NULL AND scheduled_at < :now ORDER BY id LIMIT 1`, { file, now: t.clock.now() },
          )
          if (!appointment) return
          if (step.type === 'outcome') await t.services.contacts.recordOutcome(appointment.id, { outcome: 'UNACCEPTABLE_ABSENCE', note: null }, appointment.version, officerContext)
          else await t.services.contacts.cancel(appointment.id, 'ill', appointment.version, officerContext)
          return
        }
        case 'assign':
          if (open) await t.services.beneficiaries.assign(file!, officers[step.officer].id, contextOf(head))
          return
        case 'close':
          if (open) await t.services.beneficiaries.close(file!, fileRow!.version, { reason: 'MEASURE_COMPLETED', closedOn: today, note: null }, officerContext)
          return
        case 'reopen':
          if (fileRow?.status === 'CLOSED') await t.services.beneficiaries.reopen(file!, fileRow.version, 'the act was appealed', contextOf(head))
          return
        case 'requestTransfer':
          if (open) await t.services.transfers.request(file!, otherRegionId, 'the person moved', contextOf(head))
          return
        case 'decideTransfer': {
          const [pending] = await sql<{ id: number }>(`SELECT id FROM transfers WHERE beneficiary_id = :file AND status = 'PENDING'`, { file })
          if (pending) await t.services.transfers.decide(pending.id, step.accept, step.accept ? null : 'no capacity', contextOf(otherHead))
          return
        }
        case 'days':
          t.clock.set(new Date(t.clock.now().getTime() + step.days * 86_400_000))
      }
    }

    /** The open counts the database keeps (folded and not), and the open items counted. */
    const openCounts = () => sql<{ key: string; count: number }>(
      `SELECT region_id || '/' || assignee_key || '/' || kind AS key, sum(n)::int AS count
         FROM (SELECT region_id, assignee_key, kind, open_count AS n FROM work_item_open_counts UNION ALL SELECT region_id, assignee_key, kind, change FROM work_item_open_count_changes) c
        GROUP BY region_id, assignee_key, kind HAVING sum(n) <> 0 ORDER BY key`,
    )
    const openItemsCounted = () => sql<{ key: string; count: number }>(
      `SELECT region_id || '/' || coalesce(assignee_user_id, 0) || '/' || kind AS key, count(*)::int AS count FROM work_items w WHERE ${OPEN_SQL} GROUP BY 1 ORDER BY key`,
    )

    it('when any sequence of events is applied through the services, then after each the ledger is what the oracle recomputes from the records, and its open counts what the items count', async function () {
      this.timeout(300_000)
      await fc.assert(
        fc.asyncProperty(fc.array(event, { minLength: 5, maxLength: 25 }), async (events) => {
          t.clock.set('2031-03-02T10:00:00+04:00')
          const ownFiles: number[] = []
          for (const [index, step] of [{ type: 'newFile', officer: 0 } as const, ...events].entries()) {
            await apply(step, ownFiles).catch((error: unknown) => {
              if (!(error instanceof ServiceError)) throw error
            })
            expect(await ledger(), JSON.stringify(step)).to.deep.equal(await oracle())
            // Counted with changes not folded, then folded every third step: exact either way.
            if (index % 3 === 2) await t.services.ledger.foldOpenCounts()
            expect(await openCounts(), `open counts after ${JSON.stringify(step)}`).to.deep.equal(await openItemsCounted())
          }
        }),
        { numRuns: 12, seed: 20261207 },
      )
    })
  })

  describe('the lists', () => {
    let regionId: number
    let head: TestPerson
    let senior: TestPerson
    let officer: TestPerson

    before(async () => {
      regionId = await regionIdOf('TAVUSH')
      head = await createPerson('REGIONAL_HEAD', 'TAVUSH')
      senior = await createPerson('SENIOR_SPECIALIST', 'TAVUSH')
      officer = await createPerson('SPECIALIST', 'TAVUSH')
    })

    it('when a file is closed, then its items leave the board, my work and the national board; reopened, they come back', async () => {
      t.clock.set('2032-02-02T10:00:00+04:00')
      const file = await createBeneficiary(regionId, officer.id, { createdAt: new Date('2032-02-01T10:00:00+04:00') })
      await t.services.sequelize.transaction((transaction) => t.services.deadlines.open({ beneficiaryId: file.id, ruleId: 'FIRST_CONTACT', subjectType: 'beneficiary', subjectId: file.id, eventDate: '2032-01-28' }, transaction))
      const headBrowser = await signIn(t.app, head.username)
      const officerBrowser = await signIn(t.app, officer.username)
      const listed = async () => ({
        board: (await headBrowser.get(`/regions/${regionId}/board`)).text.includes(`/deadlines/`),
        mine: (await officerBrowser.get('/my-work')).text.includes(`/deadlines/`),
        national: (await t.services.board.national()).rows.find((row) => row.regionId === regionId)!.byKind.FIRST_CONTACT?.overdue ?? 0,
      })
      expect(await listed()).to.deep.equal({ board: true, mine: true, national: 1 })
      await t.services.beneficiaries.close(file.id, file.version, { reason: 'MEASURE_COMPLETED', closedOn: '2032-02-02', note: null }, contextOf(officer))
      expect(await listed()).to.deep.equal({ board: false, mine: false, national: 0 })
      const closed = await t.services.ledger.ofSource('deadline', (await sql<{ id: number }>('SELECT id FROM deadlines WHERE beneficiary_id = :id', { id: file.id }))[0].id)
      expect(closed).to.include({ state: 'CANCELLED', cancelReason: 'FILE_NOT_OPEN' })
      const [{ version }] = await sql<{ version: number }>('SELECT version FROM beneficiaries WHERE id = :id', { id: file.id })
      await t.services.beneficiaries.reopen(file.id, version, 'the court act was appealed', contextOf(head))
      expect(await listed()).to.deep.equal({ board: true, mine: true, national: 1 })
    })

    it('when a region has work for several people and the head, then each list counts what the board counts', async () => {
      const region = await regionIdOf('VAYOTS_DZOR')
      const regionHead = await createPerson('REGIONAL_HEAD', 'VAYOTS_DZOR')
      const staff = [await createPerson('SPECIALIST', 'VAYOTS_DZOR'), await createPerson('SPECIALIST', 'VAYOTS_DZOR')]
      t.clock.set('2034-04-10T10:00:00+04:00')
      const rules: DeadlineRuleId[] = ['FIRST_CONTACT', 'INITIAL_ASSESSMENT', 'VIOLATION_ACTION', 'PLAN_REVIEW']
      for (const [n, rule] of rules.entries()) {
        for (const person of staff) {
          const file = await createBeneficiary(region, person.id, { createdAt: new Date('2034-01-02T10:00:00+04:00') })
          const eventDate = addCalendarDays('2034-03-20', n * 7)
          await t.services.sequelize.transaction((transaction) => t.services.deadlines.open({ beneficiaryId: file.id, ruleId: rule, subjectType: 'beneficiary', subjectId: file.id, eventDate }, transaction))
          await t.services.contacts.book(file.id, { kind: 'PHONE', scheduledAt: new Date(`${addCalendarDays('2034-04-11', n * 2)}T11:00:00+04:00`), durationMinutes: 15, place: null, notes: null, outcome: null, outcomeNote: null, riskAcknowledged: false }, contextOf(person))
        }
      }
      const board = await t.services.board.regionBoard(region, {})
      for (const person of staff) {
        const mine = await t.services.board.myWork(region, person.id)
        const row = board.officers.find((officer) => officer.id === person.id)!
        expect([row.overdue, row.dueThisWeek], person.username).to.deep.equal([mine.counts.overdue, mine.counts.today + mine.counts.week])
        expect(mine.counts.overdue + mine.counts.today + mine.counts.week, 'some work is due').to.be.greaterThan(0)
      }
      const headsOwn = await t.services.board.myWork(region, regionHead.id, { headOfRegion: true })
      const everyone = [...staff.map((person) => board.officers.find((officer) => officer.id === person.id)!)]
      expect(everyone.reduce((sum, row) => sum + row.overdue, 0) + headsOwn.counts.overdue, 'the staff\'s and the head\'s overdue make the board\'s').to.equal(board.counts.overdue)
      const national = (await t.services.board.national()).rows.find((row) => row.regionId === region)!
      expect([national.overdue, national.dueThisWeek]).to.deep.equal([board.counts.overdue, board.counts.today + board.counts.week])
    })

    it('when an assessment waits for countersignature, then it is on the head\'s own work (and the acting head\'s on the delegation\'s days only), not the officer\'s', async () => {
      const file = await createBeneficiary(regionId, officer.id, { createdAt: new Date('2033-01-02T10:00:00+04:00') })
      t.clock.set('2033-03-01T10:00:00+04:00')
      // The plan is approved on the assessment, which still waits for the head's countersignature.
      await planInForce(t.services, file.id, officer, head)
      const [{ assessmentId }] = await sql<{ assessmentId: number }>('SELECT id AS "assessmentId" FROM assessments WHERE beneficiary_id = :id', { id: file.id })
      await t.services.delegations.create({ regionId, actingUserId: senior.id, startsOn: '2033-03-10', endsOn: '2033-03-12', reason: 'leave' }, contextOf(head))
      const countersignOn = async (username: string) => (await (await signIn(t.app, username)).get('/my-work')).text.includes(`/assessments/${assessmentId}"`)
      expect(await countersignOn(head.username), 'head').to.equal(true)
      expect(await countersignOn(officer.username), 'officer').to.equal(false)
      expect(await countersignOn(senior.username), 'senior before the delegation').to.equal(false)
      t.clock.set('2033-03-11T10:00:00+04:00')
      expect(await countersignOn(senior.username), 'acting head during the delegation').to.equal(true)
      t.clock.set('2033-03-13T10:00:00+04:00')
      expect(await countersignOn(senior.username), 'senior after the delegation').to.equal(false)
    })
  })
})
