import { expect } from 'chai'
import { buildTestApp, type TestApp } from '../helpers/app'
import { signIn, type Browser } from '../helpers/agent'
import { createBeneficiary } from '../helpers/beneficiaries'
import { createPerson, regionIdOf, type TestPerson } from '../helpers/people'
import { AuditEvent, BeneficiaryDocument } from '../../models'

const ACT_FIELDS = { court: 'Արարատի մարզի առաջին ատյանի դատարան', caseNumber: 'ԱՐԴ/0456/01/26', kind: 'VERDICT', actDate: '02.11.2026', inForceDate: '13.11.2026', receivedDate: '20.11.2026' }

describe('court acts and measures through the app', () => {
  let t: TestApp
  let officer: TestPerson
  let browser: Browser
  let beneficiaryId: number

  beforeEach(async () => {
    t = buildTestApp()
    t.clock.set('2026-11-23T10:00:00+04:00')
    officer = await createPerson('SPECIALIST', 'ARMAVIR')
    browser = await signIn(t.app, officer.username)
    beneficiaryId = (await createBeneficiary(await regionIdOf('ARMAVIR'), officer.id)).id
  })

  it('when the officer chooses measures, then the form asks for each one\'s court-set details', async () => {
    const page = await browser.get(`/beneficiaries/${beneficiaryId}/court-acts/new?types=PUBLIC_WORKS&types=FINE`)
    expect(page.status).to.equal(200)
    expect(page.text).to.contain('name="m0_hoursOrdered"').and.contain('name="m1_amountAmd"')
  })

  it('when the act\'s form is sent three times at once (a double click, a resend), then the act and its measures are registered once and every answer leads to the file', async () => {
    const page = await browser.get(`/beneficiaries/${beneficiaryId}/court-acts/new?types=FINE`)
    const submissionId = /name="submissionId" value="([0-9a-f-]{36})"/.exec(page.text)![1]
    const fields = { ...ACT_FIELDS, types: 'FINE', m0_amountAmd: '150000', submissionId }
    const answers = await Promise.all(Array.from({ length: 3 }, () => browser.post(`/beneficiaries/${beneficiaryId}/court-acts/new`, fields)))
    expect(answers.map((answer) => [answer.status, answer.headers.location])).to.deep.equal(Array.from({ length: 3 }, () => [303, `/beneficiaries/${beneficiaryId}#measures`]))
    expect((await t.services.measures.courtActsOf(beneficiaryId)).length).to.equal(1)
    expect((await t.services.measures.measuresOf(beneficiaryId)).length).to.equal(1)
    // A new form is a new submission.
    const again = await browser.get(`/beneficiaries/${beneficiaryId}/court-acts/new?types=FINE`)
    expect(/name="submissionId" value="([0-9a-f-]{36})"/.exec(again.text)![1]).to.not.equal(submissionId)
  })

  it('when the officer types the act, then chooses or changes its measures, then nothing typed is lost and each measure keeps its details', async () => {
    const chosen = await browser.post(`/beneficiaries/${beneficiaryId}/court-acts/new`, { ...ACT_FIELDS, types: 'PUBLIC_WORKS', intent: 'chooseMeasures' })
    expect(chosen.status).to.equal(200)
    expect(chosen.text).to.contain(`value="${ACT_FIELDS.court}"`).and.contain(`value="${ACT_FIELDS.caseNumber}"`).and.contain('name="m0_hoursOrdered"')
    expect(chosen.text).to.match(/value="PUBLIC_WORKS" id="type-PUBLIC_WORKS" checked/)
    // A fine ticked too comes first in the list: the public works' 40 hours follow them to their new place.
    const more = await browser.post(`/beneficiaries/${beneficiaryId}/court-acts/new`, { ...ACT_FIELDS, types: ['FINE', 'PUBLIC_WORKS'], shown: 'PUBLIC_WORKS', m0_hoursOrdered: '40', intent: 'chooseMeasures' })
    expect(more.status).to.equal(200)
    expect(more.text).to.match(/name="m1_hoursOrdered"[^>]*value="40"|value="40"[^>]*name="m1_hoursOrdered"/)
    expect(more.text).to.contain('name="m0_amountAmd"').and.contain(`value="${ACT_FIELDS.caseNumber}"`)
    expect((await t.services.measures.courtActsOf(beneficiaryId)).length, 'choosing saves nothing').to.equal(0)
  })

  it('when a court act with public works is recorded, sessions logged and execution started, then the file shows hours and the due dates explain themselves', async () => {
    const recorded = await browser.post(`/beneficiaries/${beneficiaryId}/court-acts/new`, { ...ACT_FIELDS, types: 'PUBLIC_WORKS', m0_hoursOrdered: '40' })
    expect(recorded.status).to.equal(303)
    const file = await browser.get(`/beneficiaries/${beneficiaryId}`)
    expect(file.text).to.contain('data-testid="file-measures"').and.contain('հանրային աշխատանքներ')
    const measureId = Number(/\/measures\/(\d+)/.exec(file.text)![1])
    const deadlineId = Number(/\/deadlines\/(\d+)/.exec(file.text)![1])
    const explanation = await browser.get(`/deadlines/${deadlineId}`)
    expect(explanation.text).to.contain('data-testid="explanation"').and.contain('25.11.2026')
    expect(explanation.text).to.contain('լռելյայն')

    expect((await browser.post(`/measures/${measureId}/transition`, { action: 'start', date: '21.11.2026' })).status).to.equal(303)
    expect((await browser.post(`/measures/${measureId}/sessions`, { workDate: '21.11.2026', hours: '4', confirmedBy: 'Armavir municipality' })).status).to.equal(303)
    expect((await browser.post(`/measures/${measureId}/sessions`, { workDate: '22.11.2026', hours: '3.5', confirmedBy: 'Armavir municipality' })).status).to.equal(303)
    const page = await browser.get(`/measures/${measureId}`)
    // Numbers as Armenian writes them: the decimal comma.
    expect(page.text).to.contain('Կատարված է 7,5 ժամ 40-ից, մնացել է 32,5')
    expect(page.text).to.match(/<td>3,5<\/td>/)
    expect(page.text, 'an input of the page takes the measure type for its own').not.to.contain('[object Object]')
    const completion = await browser.post(`/measures/${measureId}/transition`, { action: 'complete', date: '23.11.2026' })
    expect(completion.status).to.equal(400)
    expect(completion.text).to.contain('Դեռ կան չկատարված ժամեր')
    // Hours as people write them: a decimal comma is taken; too many for a session says the limit beside the field.
    expect((await browser.post(`/measures/${measureId}/sessions`, { workDate: '23.11.2026', hours: '6,5', confirmedBy: 'Armavir municipality' })).status).to.equal(303)
    expect((await browser.get(`/measures/${measureId}`)).text).to.contain('Կատարված է 14 ժամ 40-ից, մնացել է 26')
    const tooMany = await browser.post(`/measures/${measureId}/sessions`, { workDate: '23.11.2026', hours: '30', confirmedBy: 'Armavir municipality' })
    expect(tooMany.status).to.equal(400)
    expect(tooMany.text).to.contain('Առավելագույնը 12։').and.contain('value="30"')
    expect(await AuditEvent.count({ where: { action: 'courtAct.register', targetId: String(beneficiaryId) } })).to.equal(1)
  })

  it('when a fine payment exceeds the balance or the hours are negative, then the officer is told and nothing is saved', async () => {
    await browser.post(`/beneficiaries/${beneficiaryId}/court-acts/new`, { ...ACT_FIELDS, types: 'FINE', m0_amountAmd: '200000' })
    const file = await browser.get(`/beneficiaries/${beneficiaryId}`)
    const measureId = Number(/\/measures\/(\d+)/.exec(file.text)![1])
    expect((await browser.get(`/measures/${measureId}`)).text, 'thousands spaced as Armenian writes them').to.match(/Վճարված է 0 դրամ 200\s000-ից/)
    const over = await browser.post(`/measures/${measureId}/payments`, { paidOn: '21.11.2026', amountAmd: '250000', receiptNumber: 'Q-77' })
    expect(over.status).to.equal(400)
    expect(over.text).to.contain('Վճարումը մեծ է մնացորդից').and.contain('value="Q-77"')
    const negative = await browser.post(`/beneficiaries/${beneficiaryId}/court-acts/new`, { ...ACT_FIELDS, caseNumber: 'X-2', types: 'PUBLIC_WORKS', m0_hoursOrdered: '-3' })
    expect(negative.status).to.equal(400)
    expect(negative.text).to.contain('id="m0_hoursOrdered-error"').and.contain('Առնվազն 1')
    const backwards = await browser.post(`/beneficiaries/${beneficiaryId}/court-acts/new`, { ...ACT_FIELDS, caseNumber: 'X-3', receivedDate: '01.11.2026', types: 'FINE', m0_amountAmd: '1000' })
    expect(backwards.text).to.contain('Ակտը չի կարող ստացվել իր ամսաթվից առաջ')
    const unknown = await browser.post(`/beneficiaries/${beneficiaryId}/court-acts/new`, { ...ACT_FIELDS, caseNumber: 'X-4', types: 'EXILE' })
    expect(unknown.status).to.equal(400)
    const acts = await t.services.measures.courtActsOf(beneficiaryId)
    expect(acts.map((a) => a.caseNumber)).to.deep.equal(['ԱՐԴ/0456/01/26'])
  })

  it('when the region\'s measures are filtered by due date, then overdue ones are listed', async () => {
    await browser.post(`/beneficiaries/${beneficiaryId}/court-acts/new`, { ...ACT_FIELDS, types: 'FINE', m0_amountAmd: '5000', receivedDate: '20.11.2026' })
    t.clock.set('2026-12-20T10:00:00+04:00')
    const head = await signIn(t.app, (await createPerson('REGIONAL_HEAD', 'ARMAVIR')).username)
    const overdue = await head.get(`/regions/${await regionIdOf('ARMAVIR')}/measures?due=overdue`)
    expect(overdue.status).to.equal(200)
    expect(overdue.text).to.contain('data-testid="measures"').and.contain('տուգանք').and.contain('href="/deadlines/')
  })

  it('when the administrator changes a rule, then the change is audited and new due dates use it while old ones stay', async () => {
    await browser.post(`/beneficiaries/${beneficiaryId}/court-acts/new`, { ...ACT_FIELDS, types: 'PUBLIC_WORKS', m0_hoursOrdered: '10' })
    const admin = await signIn(t.app, (await createPerson('ADMINISTRATOR', null)).username)
    const rules = await admin.get('/rules')
    const version = /action="\/rules\/ACT_REGISTER"[\s\S]*?name="version" value="(\d+)"/.exec(rules.text)![1]
    expect((await admin.post('/rules/ACT_REGISTER', { amount: '5', version })).status).to.equal(303)
    expect(await AuditEvent.count({ where: { action: 'rule.change', targetId: 'ACT_REGISTER' } })).to.be.greaterThan(0)
    await browser.post(`/beneficiaries/${beneficiaryId}/court-acts/new`, { ...ACT_FIELDS, caseNumber: 'N-2', types: 'PUBLIC_WORKS', m0_hoursOrdered: '10' })
    const due = (await t.services.deadlines.forBeneficiary(beneficiaryId, true)).filter((d) => d.ruleId === 'ACT_REGISTER').map((d) => d.dueDate)
    expect(due).to.deep.equal(['2026-11-25', '2026-11-27'])
    const [first] = (await t.services.deadlines.forBeneficiary(beneficiaryId, true)).filter((d) => d.ruleId === 'ACT_REGISTER')
    expect((await browser.post(`/deadlines/${first.id}/recompute`)).status, 'officers do not recompute').to.equal(404)
    const head = await signIn(t.app, (await createPerson('REGIONAL_HEAD', 'ARMAVIR')).username)
    expect((await head.post(`/deadlines/${first.id}/recompute`)).status).to.equal(303)
    expect((await t.services.deadlines.get(first.id)).dueDate, 'recomputed on request with the new value').to.equal('2026-11-27')
    await admin.post('/rules/ACT_REGISTER', { amount: '3', version: String(Number(version) + 1) })
  })

  it('when the administrator makes a Monday a holiday, then a later due date moves past it', async () => {
    const admin = await signIn(t.app, (await createPerson('ADMINISTRATOR', null)).username)
    expect((await admin.post('/admin/calendar', { date: '24.11.2026', working: '0', reason: 'Government decision (test)' })).status).to.equal(303)
    await browser.post(`/beneficiaries/${beneficiaryId}/court-acts/new`, { ...ACT_FIELDS, types: 'PUBLIC_WORKS', m0_hoursOrdered: '10' })
    const [due] = (await t.services.deadlines.forBeneficiary(beneficiaryId, true)).filter((d) => d.ruleId === 'ACT_REGISTER')
    expect(due.dueDate).to.equal('2026-11-26')
    expect(due.explanation.skipped.map((s) => s.date)).to.include('2026-11-24')
    await admin.post('/admin/calendar/remove', { date: '2026-11-24' })
  })

  it('when a violation is recorded, then the action due follows the rule, the head decides it and the decision deadline closes', async () => {
    await browser.post(`/beneficiaries/${beneficiaryId}/court-acts/new`, { ...ACT_FIELDS, types: 'PUBLIC_WORKS', m0_hoursOrdered: '20' })
    const file = await browser.get(`/beneficiaries/${beneficiaryId}`)
    const measureId = Number(/\/measures\/(\d+)/.exec(file.text)![1])
    const empty = await browser.post(`/measures/${measureId}/violations`, { kind: '', occurredOn: '', description: 'kept text' })
    expect(empty.status).to.equal(400)
    expect(empty.text).to.contain('id="kind-error"').and.contain('value="kept text"')
    expect((await browser.post(`/measures/${measureId}/violations`, { kind: 'FAILED_TO_WORK', occurredOn: '22.11.2026', description: 'did not come to work' })).status).to.equal(303)
    const page = await browser.get(`/measures/${measureId}`)
    expect(page.text).to.contain('Գրավոր նախազգուշացում').and.contain('սպասում է Մարմնի պետի որոշմանը')
    const [violation] = await t.services.measures.violationsOf(measureId)
    expect((await browser.post(`/violations/${violation.id}/decide`, { outcome: 'NO_ACTION', decidedOn: '23.11.2026' })).status, 'an officer does not decide').to.equal(404)
    const head = await signIn(t.app, (await createPerson('REGIONAL_HEAD', 'ARMAVIR')).username)
    const awaiting = await head.get(`/regions/${await regionIdOf('ARMAVIR')}/violations`)
    expect(awaiting.text).to.contain('did not come to work')
    const early = await head.post(`/violations/${violation.id}/decide`, { outcome: 'WRITTEN_WARNING_GIVEN', decidedOn: '21.11.2026' })
    expect(early.text).to.contain('Որոշումը չի կարող նախորդել խախտմանը')
    expect((await head.post(`/violations/${violation.id}/decide`, { outcome: 'WRITTEN_WARNING_GIVEN', decidedOn: '23.11.2026' })).status).to.equal(303)
    const open = (await t.services.deadlines.forBeneficiary(beneficiaryId, true)).map((d) => d.ruleId)
    expect(open).to.not.include('VIOLATION_ACTION')
    expect(await AuditEvent.count({ where: { action: 'violation.decide', targetId: String(beneficiaryId) } })).to.equal(1)
  })

  it('when the court set obligations and reporting, then each obligation is checked on its own and absences show', async () => {
    await browser.post(`/beneficiaries/${beneficiaryId}/court-acts/new`, { ...ACT_FIELDS, types: 'ADMINISTRATIVE_SUPERVISION', m0_reportingPerWeek: '2', m0_termEndDate: '20.05.2027', m0_courtObligations: 'stay home 22:00–06:00\nno alcohol' })
    const file = await browser.get(`/beneficiaries/${beneficiaryId}`)
    const measureId = Number(/\/measures\/(\d+)/.exec(file.text)![1])
    const tooEarly = await browser.post(`/measures/${measureId}/obligations`, { obligationIndex: '1', checkedOn: '22.11.2026', complied: '1' })
    expect(tooEarly.status, 'only while in execution').to.equal(400)
    await browser.post(`/measures/${measureId}/transition`, { action: 'start', date: '21.11.2026' })
    expect((await browser.post(`/measures/${measureId}/obligations`, { obligationIndex: '1', checkedOn: '22.11.2026', complied: '0', note: 'smelled of alcohol' })).status).to.equal(303)
    expect((await browser.post(`/measures/${measureId}/obligations`, { obligationIndex: '5', checkedOn: '22.11.2026', complied: '1' })).text).to.contain('Ընտրեք դատարանի սահմանած պարտականություններից մեկը')
    expect((await browser.post(`/measures/${measureId}/reports`, { expectedOn: '23.11.2026', reported: '0' })).status).to.equal(303)
    expect((await browser.post(`/measures/${measureId}/reports`, { expectedOn: '23.11.2026', reported: '1' })).text).to.contain('Այս օրն արդեն գրանցված է')
    const page = await browser.get(`/measures/${measureId}`)
    expect(page.text).to.contain('data-testid="obligations"').and.contain('smelled of alcohol').and.contain('Չի կատարվում')
    expect(page.text).to.contain('data-testid="reports"').and.contain('Չի ներկայացել')
  })

  it('when house arrest is ordered, then an RF device of the region is assigned, its installation closes the deadline, alerts are logged and the cost counts the days', async () => {
    await browser.post(`/beneficiaries/${beneficiaryId}/court-acts/new`, { ...ACT_FIELDS, types: 'HOUSE_ARREST', m0_houseArrestAddress: 'Արմավիր, Աբովյան 3', m0_termEndDate: '20.02.2027' })
    const file = await browser.get(`/beneficiaries/${beneficiaryId}`)
    const measureId = Number(/\/measures\/(\d+)/.exec(file.text)![1])
    expect((await t.services.deadlines.forBeneficiary(beneficiaryId, true)).map((d) => d.ruleId)).to.include('EM_INSTALLATION')
    const head = await signIn(t.app, (await createPerson('REGIONAL_HEAD', 'ARMAVIR')).username)
    const armavir = await regionIdOf('ARMAVIR')
    const serial = `RF-${Date.now()}`
    expect((await head.post(`/regions/${armavir}/devices`, { serial, kind: 'RF' })).status).to.equal(303)
    expect((await head.post(`/regions/${armavir}/devices`, { serial, kind: 'RF' })).text).to.contain('Այս սերիական համարով սարք արդեն կա')
    await head.post(`/regions/${armavir}/devices`, { serial: `GPS-${Date.now()}`, kind: 'GPS' })
    const devices = await t.services.monitoring.devices(armavir)
    const rf = devices.find((d) => d.serial === serial)!
    const gps = devices.find((d) => d.kind === 'GPS' && d.status === 'AVAILABLE')!
    const wrongKind = await browser.post(`/measures/${measureId}/devices`, { deviceId: String(gps.id), orderedOn: '20.11.2026' })
    expect(wrongKind.status).to.equal(400)
    expect(wrongKind.text).to.contain('թույլատրելի է այս միջոցի համար')
    expect((await browser.post(`/measures/${measureId}/devices`, { deviceId: String(rf.id), orderedOn: '20.11.2026' })).status).to.equal(303)
    const [assignment] = await t.services.monitoring.assignmentsOf(measureId)
    expect((await browser.post(`/measures/${measureId}/device-steps`, { assignmentId: String(assignment.id), step: 'install', on: '21.11.2026' })).status).to.equal(303)
    expect((await t.services.deadlines.forBeneficiary(beneficiaryId, true)).map((d) => d.ruleId)).to.not.include('EM_INSTALLATION')
    expect((await browser.post(`/measures/${measureId}/alerts`, { assignmentId: String(assignment.id), occurredOn: '22.11.2026', occurredTime: '23:40', kind: 'ZONE_LEFT', response: 'called; back home at 23:55' })).status).to.equal(303)
    const [installed] = await t.services.monitoring.assignmentsOf(measureId)
    // Installed 21.11, today 23.11: three days at the RF fee of 1,331 AMD.
    expect(installed.costAmd).to.equal(3 * 1331)
    expect(installed.alerts.map((a) => a.kind)).to.deep.equal(['ZONE_LEFT'])
    // Device kinds in words, on the measure and the region's list.
    expect((await browser.get(`/measures/${measureId}`)).text).to.contain(`RF (ռադիոհաճախականային) ${serial}`)
    expect((await head.get(`/regions/${armavir}/devices`)).text).to.contain('<td>RF (ռադիոհաճախականային)</td>').and.not.contain('<td>RF</td>')
  })

  it('when public works get a placement and a deprivation of a right its notices, then both are listed on the measure and wrong kinds are refused', async () => {
    await browser.post(`/beneficiaries/${beneficiaryId}/court-acts/new`, { ...ACT_FIELDS, types: ['PUBLIC_WORKS', 'DEPRIVATION_OF_RIGHT'] as unknown as string, m0_hoursOrdered: '30', m1_prohibitedPostOrActivity: 'driving public transport', m1_termMonths: '12' })
    const [works, deprivation] = await t.services.measures.measuresOf(beneficiaryId)
    expect((await browser.post(`/measures/${works.id}/placements`, { organisation: 'Արմավիրի համայնքապետարան', address: 'Արմավիր, Հանրապետության 1', supervisor: 'Ա. Մելքոնյան', fromDate: '23.11.2026' })).status).to.equal(303)
    expect((await browser.post(`/measures/${deprivation.id}/placements`, { organisation: 'x', address: 'y', supervisor: 'z', fromDate: '23.11.2026' })).text).to.contain('Այս միջոցը հանրային աշխատանք չէ')
    expect((await browser.post(`/measures/${deprivation.id}/notices`, { addresseeKind: 'EMPLOYER', addressee: 'Armavir Bus LLC', sentOn: '23.11.2026', letterReference: '01/1234' })).status).to.equal(303)
    const empty = await browser.post(`/measures/${deprivation.id}/notices`, { addresseeKind: 'EMPLOYER', addressee: '', sentOn: '', letterReference: 'kept-ref' })
    expect(empty.status).to.equal(400)
    expect(empty.text).to.contain('id="addressee-error"').and.contain('value="kept-ref"')
    expect((await browser.get(`/measures/${works.id}`)).text).to.contain('Արմավիրի համայնքապետարան')
    expect((await browser.get(`/measures/${deprivation.id}`)).text).to.contain('Armavir Bus LLC').and.contain('01/1234')
  })

  it('when the scanned act is one of the file\'s documents, then the act links to it; another file\'s document is refused', async () => {
    const scan = await BeneficiaryDocument.create({ beneficiaryId, kind: 'DOCUMENT', fileName: 'verdict.pdf', mediaType: 'application/pdf', sizeBytes: 5, content: Buffer.from('%PDF-'), description: null, uploadedByUserId: officer.id, uploadedAt: new Date() })
    const other = await createBeneficiary(await regionIdOf('ARMAVIR'), officer.id)
    const foreign = await BeneficiaryDocument.create({ beneficiaryId: other.id, kind: 'DOCUMENT', fileName: 'other.pdf', mediaType: 'application/pdf', sizeBytes: 5, content: Buffer.from('%PDF-'), description: null, uploadedByUserId: officer.id, uploadedAt: new Date() })
    const refused = await browser.post(`/beneficiaries/${beneficiaryId}/court-acts/new`, { ...ACT_FIELDS, types: 'FINE', m0_amountAmd: '1000', documentId: String(foreign.id) })
    expect(refused.status).to.equal(400)
    expect(refused.text).to.contain('Ընտրեք այս գործի փաստաթղթերից մեկը')
    expect((await browser.post(`/beneficiaries/${beneficiaryId}/court-acts/new`, { ...ACT_FIELDS, types: 'FINE', m0_amountAmd: '1000', documentId: String(scan.id) })).status).to.equal(303)
    expect((await browser.get(`/beneficiaries/${beneficiaryId}`)).text).to.contain(`/beneficiaries/${beneficiaryId}/documents/${scan.id}`)
  })

  it('when the calendar or a rule gets bad input, then the administrator is told beside the field and nothing changes', async () => {
    const admin = await signIn(t.app, (await createPerson('ADMINISTRATOR', null)).username)
    const before = await t.services.deadlines.overrides(2026)
    const badDay = await admin.post('/admin/calendar', { date: '31.02.2026', working: '0', reason: '<script>x</script>' })
    expect(badDay.status).to.equal(400)
    expect(badDay.text).to.contain('id="date-error"').and.contain('&lt;script&gt;').and.not.contain('<script>x')
    expect(await t.services.deadlines.overrides(2026)).to.deep.equal(before)
    const badAmount = await admin.post('/rules/ACT_REGISTER', { amount: 'abc', version: '0' })
    expect(badAmount.status).to.equal(400)
    expect(badAmount.text).to.contain('id="amount-ACT_REGISTER-error"')
    expect((await t.services.deadlines.ruleSettings()).find((r) => r.rule.id === 'ACT_REGISTER')!.amount).to.equal(3)
  })
})
