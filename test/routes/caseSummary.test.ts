import { expect } from 'chai'
import { buildTestApp, type TestApp } from '../helpers/app'
import { signIn } from '../helpers/agent'
import { createBeneficiary } from '../helpers/beneficiaries'
import { createPerson, regionIdOf } from '../helpers/people'
import { contextOf, planInForce } from '../helpers/supervision'

describe('the personal file\'s summary of the case', () => {
  let t: TestApp

  beforeEach(() => {
    t = buildTestApp()
  })

  it('when a file is under supervision with a measure in force, then its page opens with the officer, the risk, the plan and its review, the next appointment and the measure\'s progress', async () => {
    const regionId = await regionIdOf('KOTAYK')
    const head = await createPerson('REGIONAL_HEAD', 'KOTAYK')
    const officer = await createPerson('SPECIALIST', 'KOTAYK')
    const file = await createBeneficiary(regionId, officer.id, { category: 'NON_CUSTODIAL_PUNISHMENT' })
    t.clock.set('2036-03-03T10:00:00+04:00')
    const act = { court: 'Court', caseNumber: 'K-7', kind: 'VERDICT' as const, actDate: '2036-02-20', inForceDate: '2036-02-27', receivedDate: '2036-03-02', documentId: null, changesActId: null, changeKind: null, endsMeasureIds: [] }
    await t.services.measures.registerCourtAct(file.id, act, [{ typeCode: 'PUBLIC_WORKS', details: { hoursOrdered: 80 } }], contextOf(officer))
    const [measure] = await t.services.measures.measuresOf(file.id)
    await t.services.measures.transition(measure.id, 'start', { date: '2036-03-03', reason: null, endReason: null, courtActReference: null }, contextOf(officer))
    await planInForce(t.services, file.id, officer, head)
    await t.services.contacts.book(file.id, { kind: 'OFFICE_VISIT', scheduledAt: new Date('2036-03-10T11:30:00+04:00'), durationMinutes: 30, place: 'Hrazdan office', notes: null, outcome: null, outcomeNote: null, riskAcknowledged: false }, contextOf(officer))

    const page = await (await signIn(t.app, officer.username)).get(`/beneficiaries/${file.id}`)
    expect(page.status).to.equal(200)
    const summary = page.text.match(/data-testid="case-summary"[\s\S]*?<\/section>/)![0]
    expect(summary).to.contain(officer.fullName)
    expect(summary).to.contain('Միջին').and.contain('գնահատվել է 03.03.2036')
    expect(summary).to.contain('Գործում է՝ ամսական 2 հանդիպում')
    expect(summary).to.contain('10.03.2036 11:30').and.contain('Hrazdan office')
    expect(summary).to.contain(`href="/measures/${measure.id}"`).and.contain('Կատարված է 0 ժամ 80-ից')
  })

  it('when a file has nothing yet, then the summary says so instead of leaving blanks', async () => {
    const regionId = await regionIdOf('KOTAYK')
    const officer = await createPerson('SPECIALIST', 'KOTAYK')
    const file = await createBeneficiary(regionId, officer.id)
    const page = await (await signIn(t.app, officer.username)).get(`/beneficiaries/${file.id}`)
    const summary = page.text.match(/data-testid="case-summary"[\s\S]*?<\/section>/)![0]
    expect(summary).to.contain('Դեռ գնահատված չէ').and.contain('Գործող պլան չկա').and.contain('Նշանակված չէ')
  })
})
