import { expect } from 'chai'
import { QueryTypes } from 'sequelize'
import { ManualClock } from '../../server/domain/clock'
import { services as buildServices, type Services } from '../../server/services'
import { ServiceError } from '../../server/services/context'
import { MeasureDetailsError, type CourtActInput } from '../../server/services/measures'
import { createBeneficiary } from '../helpers/beneficiaries'
import { testDatabase } from '../helpers/database'
import { createPerson, regionIdOf, type TestPerson } from '../helpers/people'

const ACT: CourtActInput = {
  court: 'Արարատի մարզի առաջին ատյանի դատարան',
  caseNumber: 'ԱՐԴ/0123/01/26',
  kind: 'VERDICT',
  actDate: '2026-11-02',
  inForceDate: '2026-11-13',
  receivedDate: '2026-11-20',
  documentId: null,
  changesActId: null,
  changeKind: null,
  endsMeasureIds: [],
}

async function refusal(promise: Promise<unknown>): Promise<ServiceError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof ServiceError) return error
    throw error
  }
  throw new Error('expected a refusal')
}

describe('court acts and measures (service, real database)', () => {
  let s: Services
  let clock: ManualClock
  let officer: TestPerson
  let beneficiaryId: number
  const context = () => ({ actor: { id: officer.id, role: officer.role, regionId: officer.regionId, actingHeadRegionIds: [] }, actorUsername: officer.username, sourceIp: null, requestId: null })

  beforeEach(async () => {
    clock = new ManualClock('2026-11-23T10:00:00+04:00')
    s = buildServices({ sequelize: testDatabase().sequelize, clock })
    officer = await createPerson('SPECIALIST', 'ARARAT')
    beneficiaryId = (await createBeneficiary(await regionIdOf('ARARAT'), officer.id)).id
  })

  it('when an act imposes public works and a fine, then both are registered with their deadlines counted in Armenian working days', async () => {
    await s.measures.registerCourtAct(beneficiaryId, ACT, [{ typeCode: 'PUBLIC_WORKS', details: { hoursOrdered: 120 } }, { typeCode: 'FINE', details: { amountAmd: 300000 } }], context())
    const measures = await s.measures.measuresOf(beneficiaryId)
    expect(measures.map((m) => [m.typeCode, m.state])).to.deep.equal([['PUBLIC_WORKS', 'registered'], ['FINE', 'registered']])
    const due = await s.deadlines.forBeneficiary(beneficiaryId, true)
    // Received Friday 20.11.2026: 3 working days → Wednesday 25.11; 1 working day → Monday 23.11.
    // In force Friday 13.11: 10 working days → Friday 27.11.
    expect(due.map((d) => [d.ruleId, d.dueDate]).sort()).to.deep.equal([['ACT_REGISTER', '2026-11-25'], ['FINE_ACT_REGISTER', '2026-11-23'], ['FINE_PAYMENT', '2026-11-27']])
    expect(due.find((d) => d.ruleId === 'ACT_REGISTER')!.explanation.basis).to.equal('default')
  })

  it('when public works sessions are logged, then completion is refused while hours remain, and more hours than left are refused', async () => {
    await s.measures.registerCourtAct(beneficiaryId, ACT, [{ typeCode: 'PUBLIC_WORKS', details: { hoursOrdered: 8 } }], context())
    const [measure] = await s.measures.measuresOf(beneficiaryId)
    await s.measures.transition(measure.id, 'start', { date: '2026-11-21', reason: null, endReason: null, courtActReference: null }, context())
    await s.measures.addWorkSession(measure.id, { workDate: '2026-11-21', hours: 4, confirmedBy: 'Artashat municipality' }, context())
    expect((await refusal(s.measures.transition(measure.id, 'complete', { date: '2026-11-23', reason: null, endReason: null, courtActReference: null }, context()))).code).to.equal('lifecycle.HOURS_OUTSTANDING')
    expect((await refusal(s.measures.addWorkSession(measure.id, { workDate: '2026-11-22', hours: 4.5, confirmedBy: 'x' }, context()))).code).to.equal('measure.moreHoursThanLeft')
    await s.measures.addWorkSession(measure.id, { workDate: '2026-11-22', hours: 4, confirmedBy: 'x' }, context())
    await s.measures.transition(measure.id, 'complete', { date: '2026-11-23', reason: null, endReason: null, courtActReference: null }, context())
    const done = await s.measures.measure(measure.id)
    expect(done.state).to.equal('completed')
    expect(done.progress.publicWorks).to.include({ hoursDone: 8, hoursLeft: 0 })
  })

  it('when a payment is larger than the balance, then it is refused; paying the balance closes the payment deadline', async () => {
    await s.measures.registerCourtAct(beneficiaryId, ACT, [{ typeCode: 'FINE', details: { amountAmd: 100000 } }], context())
    const [fine] = await s.measures.measuresOf(beneficiaryId)
    expect((await refusal(s.measures.addFinePayment(fine.id, { paidOn: '2026-11-21', amountAmd: 100001, receiptNumber: 'R-1' }, context()))).code).to.equal('measure.paymentOverBalance')
    await s.measures.addFinePayment(fine.id, { paidOn: '2026-11-21', amountAmd: 60000, receiptNumber: 'R-1' }, context())
    expect((await s.measures.measure(fine.id)).progress.fine).to.include({ paidAmd: 60000, balanceAmd: 40000 })
    await s.measures.addFinePayment(fine.id, { paidOn: '2026-11-22', amountAmd: 40000, receiptNumber: 'R-2' }, context())
    expect((await s.deadlines.forBeneficiary(beneficiaryId, true)).map((d) => d.ruleId)).to.not.include('FINE_PAYMENT')
  })

  it('when a later act replaces one of two measures, then that one ends as replaced and the other goes on', async () => {
    const first = await s.measures.registerCourtAct(beneficiaryId, ACT, [{ typeCode: 'PUBLIC_WORKS', details: { hoursOrdered: 100 } }, { typeCode: 'FINE', details: { amountAmd: 50000 } }], context())
    const [works, fine] = await s.measures.measuresOf(beneficiaryId)
    await s.measures.registerCourtAct(beneficiaryId, { ...ACT, caseNumber: 'ԱՐԴ/0123/01/26-2', kind: 'DECISION', actDate: '2026-11-21', inForceDate: '2026-11-21', receivedDate: '2026-11-23', changesActId: first, changeKind: 'REPLACEMENT', endsMeasureIds: [works.id] }, [{ typeCode: 'RESTRICTION_OF_LIBERTY', details: { termMonths: 6, courtObligations: ['stay home 22:00–06:00'] } }], context())
    const after = await s.measures.measuresOf(beneficiaryId)
    expect(after.find((m) => m.id === works.id)).to.include({ state: 'ended', endReason: 'replaced' })
    // Its history names the act's kind of change, not a code in place of a reason.
    expect((await s.measures.events(works.id)).at(-1)).to.include({ action: 'end', reason: null, changeKind: 'REPLACEMENT' })
    expect(after.find((m) => m.id === fine.id)!.state).to.equal('registered')
    expect(after.map((m) => m.typeCode)).to.include('RESTRICTION_OF_LIBERTY')
    const [{ n }] = await testDatabase().sequelize.query<{ n: number }>(`SELECT count(*)::int AS n FROM deadlines WHERE subject_type = 'measure' AND subject_id = :id AND status = 'OPEN'`, { replacements: { id: works.id }, type: QueryTypes.SELECT })
    expect(n, 'the replaced measure has no open deadline').to.equal(0)
  })

  it('when a measure\'s details are wrong or unknown, then nothing of the act is saved', async () => {
    const count = async () => (await s.measures.courtActsOf(beneficiaryId)).length
    let error: unknown
    try {
      await s.measures.registerCourtAct(beneficiaryId, ACT, [{ typeCode: 'PUBLIC_WORKS', details: { hoursOrdered: -5 } }, { typeCode: 'FINE', details: {} }], context())
    } catch (caught) {
      error = caught
    }
    expect(error).to.be.instanceOf(MeasureDetailsError)
    expect((error as MeasureDetailsError).problems.map((p) => p.index)).to.deep.equal([0, 1])
    expect(await count()).to.equal(0)
    expect((await refusal(s.measures.registerCourtAct(beneficiaryId, { ...ACT, receivedDate: '2026-10-01' }, [{ typeCode: 'FINE', details: { amountAmd: 1 } }], context()))).field).to.equal('receivedDate')
  })

  it('when a probation period starts, then its end follows from the months and the closing report is due 5 working days before', async () => {
    await s.measures.registerCourtAct(beneficiaryId, ACT, [{ typeCode: 'CONDITIONAL_NON_APPLICATION', details: { probationPeriodMonths: 12 } }], context())
    const [period] = await s.measures.measuresOf(beneficiaryId)
    await s.measures.transition(period.id, 'start', { date: '2026-11-20', reason: null, endReason: null, courtActReference: null }, context())
    const started = await s.measures.measure(period.id)
    expect(started.endDate).to.equal('2027-11-20')
    expect(started.progress.daysLeft).to.equal(362)
    const report = (await s.deadlines.forBeneficiary(beneficiaryId, true)).find((d) => d.ruleId === 'PERIOD_END_REPORT')
    // 20.11.2027 is a Saturday: five working days before it is Monday 15.11.2027.
    expect(report!.dueDate).to.equal('2027-11-15')
  })

  it('when the region\'s measure list is filtered or paged, then it holds the rows, order and total of the plain query over every measure', async () => {
    const regionId = await regionIdOf('ARARAT')
    const colleague = await createPerson('SPECIALIST', 'ARARAT')
    // More than a page of measures (fifty), on files of two officers: some with open deadlines (due soon or overdue),
    // one started.
    for (const [index, owner] of Array.from({ length: 27 }, (_, index) => (index % 2 === 0 ? officer : colleague)).entries()) {
      const file = index === 0 ? beneficiaryId : (await createBeneficiary(regionId, owner.id)).id
      const act = { ...ACT, caseNumber: `ԱՐԴ/01${index}/01/26`, receivedDate: index % 2 === 0 ? '2026-11-20' : '2026-11-05' }
      await s.measures.registerCourtAct(file, act, [{ typeCode: 'PUBLIC_WORKS', details: { hoursOrdered: 40 + index } }, { typeCode: 'FINE', details: { amountAmd: 100000 * (index + 1) } }], { ...context(), actor: { ...context().actor, id: owner.id } })
    }
    const [started] = await s.measures.measuresOf(beneficiaryId)
    await s.measures.transition(started.id, 'start', { date: '2026-11-23', reason: null, endReason: null, courtActReference: null }, context())
    const plain = (filter: { typeCode?: string; state?: string; officerId?: number; due?: 'overdue' | number; page?: number }) =>
      testDatabase().sequelize.query<{ id: number; nextDueDate: string | null; total: number }>(
        `SELECT m.id, d.due_date AS "nextDueDate", count(*) OVER ()::int AS total
           FROM measures m JOIN beneficiaries b ON b.id = m.beneficiary_id
           LEFT JOIN LATERAL (SELECT id, due_date FROM deadlines WHERE subject_type = 'measure' AND subject_id = m.id AND status = 'OPEN' ORDER BY due_date, id LIMIT 1) d ON true
          WHERE b.region_id = :regionId AND b.anonymised_at IS NULL AND (:typeCode::text IS NULL OR m.type_code = :typeCode) AND (:state::text IS NULL OR m.state = :state)
            AND (:officerId::int IS NULL OR b.responsible_officer_id = :officerId)
            AND (NOT :overdue OR d.due_date < :today) AND (:days::int IS NULL OR d.due_date <= :today::date + :days::int)
          ORDER BY d.due_date NULLS LAST, b.surname_latin, m.id LIMIT 50 OFFSET :offset`,
        { replacements: { regionId, offset: ((filter.page ?? 1) - 1) * 50, typeCode: filter.typeCode ?? null, state: filter.state ?? null, officerId: filter.officerId ?? null, overdue: filter.due === 'overdue', days: typeof filter.due === 'number' ? filter.due : null, today: '2026-11-23' }, type: QueryTypes.SELECT },
      )
    // The list is kept by the database from measures, deadlines and files: change each the ways the service does and
    // more (a payment closing a deadline, another officer, a new name, a file moved to another region, one anonymised).
    const files = await testDatabase().sequelize.query<{ id: number }>('SELECT id FROM beneficiaries WHERE region_id = :regionId AND anonymised_at IS NULL ORDER BY id DESC LIMIT 4', { replacements: { regionId }, type: QueryTypes.SELECT })
    const [fine] = (await s.measures.measuresOf(files[0].id)).filter((measure) => measure.typeCode === 'FINE')
    await s.measures.addFinePayment(fine.id, { paidOn: '2026-11-23', amountAmd: Number((fine.details as { amountAmd: number }).amountAmd), receiptNumber: 'RCPT-1' }, context())
    await s.beneficiaries.assign(files[1].id, colleague.id, context())
    const otherRegion = await regionIdOf('SHIRAK')
    for (const [statement, id] of [[`UPDATE beneficiaries SET surname_latin = 'Aaronyan' WHERE id = :id`, files[1].id], ['UPDATE beneficiaries SET region_id = :other WHERE id = :id', files[2].id], ['UPDATE beneficiaries SET anonymised_at = now() WHERE id = :id', files[3].id]] as const) {
      await testDatabase().sequelize.query(statement, { replacements: { id, other: otherRegion } })
    }
    const [{ differences }] = await testDatabase().sequelize.query<{ differences: number }>(
      `SELECT count(*)::int AS differences FROM (
         (SELECT m.id, b.region_id, b.id AS file, b.responsible_officer_id, m.type_code, m.state, b.surname_latin, d.id AS deadline, d.due_date, d.rule_id
            FROM measures m JOIN beneficiaries b ON b.id = m.beneficiary_id
            LEFT JOIN LATERAL (SELECT id, due_date, rule_id FROM deadlines WHERE subject_type = 'measure' AND subject_id = m.id AND status = 'OPEN' ORDER BY due_date, id LIMIT 1) d ON true
           WHERE b.anonymised_at IS NULL
          EXCEPT SELECT measure_id, region_id, beneficiary_id, officer_id, type_code, state, surname_latin, next_deadline_id, next_due_date, next_rule_id FROM measure_list)
         UNION ALL
         (SELECT measure_id, region_id, beneficiary_id, officer_id, type_code, state, surname_latin, next_deadline_id, next_due_date, next_rule_id FROM measure_list
          EXCEPT SELECT m.id, b.region_id, b.id, b.responsible_officer_id, m.type_code, m.state, b.surname_latin, d.id, d.due_date, d.rule_id
            FROM measures m JOIN beneficiaries b ON b.id = m.beneficiary_id
            LEFT JOIN LATERAL (SELECT id, due_date, rule_id FROM deadlines WHERE subject_type = 'measure' AND subject_id = m.id AND status = 'OPEN' ORDER BY due_date, id LIMIT 1) d ON true
           WHERE b.anonymised_at IS NULL)) differing`,
      { type: QueryTypes.SELECT },
    )
    expect(differences, 'rows of measure_list that differ from their sources').to.equal(0)
    const filters = [{}, { page: 2 }, { due: 'overdue' as const }, { due: 7 }, { typeCode: 'FINE' }, { state: 'in_execution' }, { officerId: colleague.id }, { typeCode: 'PUBLIC_WORKS', officerId: officer.id, due: 30 }]
    for (const filter of filters) {
      const expected = await plain(filter)
      const listed = await s.measures.regionList({ regionId, page: 1, ...filter })
      expect(listed.rows.map((row) => [row.id, row.nextDueDate]), JSON.stringify(filter)).to.deep.equal(expected.map((row) => [row.id, row.nextDueDate]))
      expect(listed.total, JSON.stringify(filter)).to.equal(expected[0]?.total ?? 0)
    }
    expect((await plain({})).length).to.equal(50)
    expect((await plain({ page: 2 })).length).to.be.greaterThan(0)
    const beyond = await s.measures.regionList({ regionId, page: 3 })
    expect([beyond.rows, beyond.total]).to.deep.equal([[], (await plain({}))[0].total])
  })
})
