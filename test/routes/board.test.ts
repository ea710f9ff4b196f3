import { expect } from 'chai'
import { buildTestApp, type TestApp } from '../helpers/app'
import { signIn } from '../helpers/agent'
import { createBeneficiary } from '../helpers/beneficiaries'
import { createPerson, regionIdOf } from '../helpers/people'
import { contextOf, planInForce } from '../helpers/supervision'

describe('deadline board: the region, my work and the national view', () => {
  let t: TestApp

  beforeEach(() => {
    t = buildTestApp()
  })

  it('when a region has court acts to register and correspondence to answer, then its head sees them grouped by due date with each officer\'s counts, and an officer sees only their own', async () => {
    t.clock.set('2032-03-01T10:00:00+04:00')
    const regionId = await regionIdOf('SHIRAK')
    const head = await createPerson('REGIONAL_HEAD', 'SHIRAK')
    const officer = await createPerson('SPECIALIST', 'SHIRAK')
    const colleague = await createPerson('SPECIALIST', 'SHIRAK')
    const own = await createBeneficiary(regionId, officer.id)
    const theirs = await createBeneficiary(regionId, colleague.id)
    const contextOf = (person: typeof officer) => ({ actor: { id: person.id, role: person.role, regionId, actingHeadRegionIds: [] }, actorUsername: person.username, sourceIp: null, requestId: null })
    const act = { court: 'Court', caseNumber: 'B-1', kind: 'VERDICT' as const, actDate: '2032-02-20', inForceDate: '2032-02-25', receivedDate: '2032-02-26', documentId: null, changesActId: null, changeKind: null, endsMeasureIds: [] }
    // Received Thursday 26.02.2032: the other act is due in 3 working days, Tuesday 02.03.2032.
    await t.services.measures.registerCourtAct(own.id, act, [{ typeCode: 'PUBLIC_WORKS', details: { hoursOrdered: 40 } }], contextOf(officer))
    await t.services.measures.registerCourtAct(theirs.id, { ...act, caseNumber: 'B-2' }, [{ typeCode: 'PUBLIC_WORKS', details: { hoursOrdered: 20 } }], contextOf(colleague))
    // An official letter received 10.02.2032 was due ten working days later: overdue.
    const item = await t.services.correspondence.registerIncoming(regionId, {
      receivedOn: '2032-02-10', channel: 'POST', kind: 'STATE_BODY_LETTER', sender: 'Ministry', senderAddress: null, senderReference: null, senderDate: null, subject: 'Statistics request', summary: null,
      beneficiaryFileNumber: null, topic: null, complaintSubject: null, complaintStaffUserId: null, complaintAbout: null, documentDueDate: null, reportRequested: false, reportPurpose: null,
    }, contextOf(officer))
    await t.services.correspondence.assign(item.id, { assigneeId: officer.id, resolution: 'Answer', expectedVersion: 1 }, contextOf(head))

    const headBrowser = await signIn(t.app, head.username)
    const board = await headBrowser.get(`/regions/${regionId}/board`)
    expect(board.status).to.equal(200)
    expect(board.text).to.match(/data-testid="board-overdue"[\s\S]*?\/correspondence\/\d+[\s\S]*?<\/table>/)
    expect(board.text).to.match(/data-testid="board-week"[\s\S]*02\.03\.2032/)
    expect(board.text).to.contain('data-testid="board-officers"')

    const filtered = await headBrowser.get(`/regions/${regionId}/board?officerId=${colleague.id}`)
    expect(filtered.text).to.contain(theirs.fileNumber).and.not.contain(`/correspondence/${item.id}"`)

    const officerBrowser = await signIn(t.app, officer.username)
    const mine = await officerBrowser.get('/my-work')
    expect(mine.status).to.equal(200)
    expect(mine.text).to.contain(own.fileNumber).and.contain(`/correspondence/${item.id}"`).and.not.contain(theirs.fileNumber)

    const serviceHead = await createPerson('SERVICE_HEAD', null)
    const national = await (await signIn(t.app, serviceHead.username)).get('/board/national')
    expect(national.status).to.equal(200)
    expect(national.text).to.contain(`/regions/${regionId}/board`)
    expect((await officerBrowser.get('/board/national')).status).to.equal(403)
    const otherHead = await createPerson('REGIONAL_HEAD', 'LORI')
    expect((await (await signIn(t.app, otherHead.username)).get(`/regions/${regionId}/board`)).status).to.equal(404)
  })

  it('when contacts fall behind the plan, public works behind pace and the quarterly report is not in, then the board says so and explains why, and each line goes when put right', async () => {
    const regionId = await regionIdOf('ARAGATSOTN')
    const head = await createPerson('REGIONAL_HEAD', 'ARAGATSOTN')
    const officer = await createPerson('SPECIALIST', 'ARAGATSOTN')
    const supervised = await createBeneficiary(regionId, officer.id, { category: 'PROBATION_PERIOD' })
    const working = await createBeneficiary(regionId, officer.id, { category: 'NON_CUSTODIAL_PUNISHMENT' })
    // The plan comes into force on 02.05.2038 at the medium level: 2 contacts a month, 2 × 30/31 rounded up in May too.
    t.clock.set('2038-05-02T10:00:00+04:00')
    await planInForce(t.services, supervised.id, officer, head)
    t.clock.set('2038-05-06T10:00:00+04:00')
    const act = { court: 'Court', caseNumber: 'K-1', kind: 'VERDICT' as const, actDate: '2038-04-20', inForceDate: '2038-04-28', receivedDate: '2038-05-02', documentId: null, changesActId: null, changeKind: null, endsMeasureIds: [] }
    await t.services.measures.registerCourtAct(working.id, act, [{ typeCode: 'PUBLIC_WORKS', details: { hoursOrdered: 120 } }], contextOf(officer))
    const [{ id: measureId }] = await t.services.measures.measuresOf(working.id)
    await t.services.measures.transition(measureId, 'start', { date: '2038-05-06', reason: null, endReason: null, courtActReference: null }, contextOf(officer))
    t.clock.set('2038-05-20T10:00:00+04:00')
    await t.services.measures.addWorkSession(measureId, { workDate: '2038-05-07', hours: 4, confirmedBy: 'Ashtarak municipality' }, contextOf(officer))
    await t.services.contacts.book(supervised.id, { kind: 'OFFICE_VISIT', scheduledAt: new Date('2038-05-10T11:00:00+04:00'), durationMinutes: 30, place: null, notes: null, outcome: 'ATTENDED_COMPLIED', outcomeNote: null, riskAcknowledged: false }, contextOf(officer))

    const headBrowser = await signIn(t.app, head.username)
    let board = await headBrowser.get(`/regions/${regionId}/board`)
    expect(board.status).to.equal(200)
    // One contact held of the two required, none booked: due by the month's end, explained on the contacts page.
    expect(board.text).to.match(new RegExp(`href="/beneficiaries/${supervised.id}/contacts"[^>]*>31\\.05\\.2038</a>`))
    expect(board.text).to.contain('Այս ամիս պահանջվում է 2 հանդիպում. կայացել է 1, նշանակված կամ արդյունքին սպասող՝ 0։')
    // 4 of 120 hours in two weeks: behind the expected 12 a week; due when 120 hours at 12 a week from 06.05 are done (70 days).
    expect(board.text).to.match(new RegExp(`href="/measures/${measureId}"[^>]*>15\\.07\\.2038</a>`))
    expect(board.text).to.contain('Կատարված է 4 ժամ 120-ից. տեմպը՝ շաբաթական 2 ժամ, սպասվողը՝ 12։')
    // The first quarter's report was due on 05.04.2038 and is overdue; the second's is due on 05.07.2038.
    expect(board.text).to.match(new RegExp(`data-testid="board-overdue"[\\s\\S]*?href="/regions/${regionId}/reports/2038/1"[^>]*>05\\.04\\.2038</a>[\\s\\S]*?</table>`))
    expect(board.text).to.contain(`/regions/${regionId}/reports/2038/2"`)
    const national = await t.services.board.national()
    expect(national.rows.find((row) => row.regionId === regionId)!.byKind.QUARTERLY_REPORT).to.deep.equal({ overdue: 1, due: 0 })

    // The officer's own work has the file's lines but not the head's report; the head's own work has the report.
    const mine = await (await signIn(t.app, officer.username)).get('/my-work')
    expect(mine.text).to.contain(`/beneficiaries/${supervised.id}/contacts"`).and.contain(`/measures/${measureId}"`).and.not.contain('/reports/2038/1"')
    expect((await headBrowser.get('/my-work')).text).to.contain(`/regions/${regionId}/reports/2038/1"`)

    // Put right: a second contact booked, the hours caught up, the report submitted.
    await t.services.contacts.book(supervised.id, { kind: 'PHONE', scheduledAt: new Date('2038-05-28T11:00:00+04:00'), durationMinutes: 15, place: null, notes: null, outcome: null, outcomeNote: null, riskAcknowledged: false }, contextOf(officer))
    for (const workDate of ['2038-05-18', '2038-05-19']) await t.services.measures.addWorkSession(measureId, { workDate, hours: 12, confirmedBy: 'Ashtarak municipality' }, contextOf(officer))
    await t.services.quarterlyReports.submit(regionId, { year: 2038, quarter: 1 }, { problems: 'Late', proposals: 'Earlier preparation', expectedVersion: 0 }, contextOf(head))
    board = await headBrowser.get(`/regions/${regionId}/board`)
    expect(board.text).not.to.match(new RegExp(`href="/beneficiaries/${supervised.id}/contacts"[^>]*>31\\.05\\.2038</a>`))
    expect(board.text).not.to.contain('Այս ամիս պահանջվում է').and.not.contain(`/measures/${measureId}"`).and.not.contain('/reports/2038/1"')
    expect(board.text).to.contain(`/regions/${regionId}/reports/2038/2"`)
    // The booked call is the officer's work on its day: hold it and record the outcome.
    expect(board.text).to.match(/28\.05\.2038<\/td>\s*<td>Հանդիպում՝ անցկացնել և գրանցել արդյունքը<\/td>/)
  })
})

describe('deadline board: a long group in pages', () => {
  let t: TestApp

  beforeEach(() => {
    t = buildTestApp()
  })

  it('when a group holds more lines than the board lists, then the board shows its first lines with a link to the whole group, which lists it in pages in due-date order and keeps the filter', async () => {
    t.clock.set('2033-06-01T10:00:00+04:00')
    const regionId = await regionIdOf('TAVUSH')
    const head = await createPerson('REGIONAL_HEAD', 'TAVUSH')
    const letters: { id: number; receivedOn: string }[] = []
    // 23 letters received in April, one a day: each due ten working days later, all overdue by 01.06.2033.
    for (let day = 1; day <= 23; day += 1) {
      const receivedOn = `2033-04-${String(day).padStart(2, '0')}`
      const item = await t.services.correspondence.registerIncoming(regionId, {
        receivedOn, channel: 'POST', kind: 'STATE_BODY_LETTER', sender: 'Ministry', senderAddress: null, senderReference: null, senderDate: null, subject: `Request ${day}`, summary: null,
        beneficiaryFileNumber: null, topic: null, complaintSubject: null, complaintStaffUserId: null, complaintAbout: null, documentDueDate: null, reportRequested: false, reportPurpose: null,
      }, contextOf(head))
      letters.push({ id: item.id, receivedOn })
    }
    const overdueOf = (html: string) => [...(html.match(/data-testid="board-overdue"[\s\S]*?<\/table>/)?.[0] ?? '').matchAll(/href="\/correspondence\/(\d+)" title/g)].map((match) => Number(match[1]))
    const browser = await signIn(t.app, head.username)

    const board = await browser.get(`/regions/${regionId}/board?kind=CORRESPONDENCE`)
    const total = Number(board.text.match(/id="group-overdue">[^<]*\((\d+)\)/)![1])
    expect(total).to.equal(23)
    expect(overdueOf(board.text)).to.have.length(20)
    expect(overdueOf(board.text)).to.deep.equal(letters.slice(0, 20).map((letter) => letter.id))
    const link = board.text.match(/href="([^"]+)" data-testid="board-all-overdue"/)![1].replace(/&amp;/g, '&')
    expect(link).to.equal(`/regions/${regionId}/board?kind=CORRESPONDENCE&group=overdue`)

    const whole = await browser.get(link)
    expect(whole.status).to.equal(200)
    expect(overdueOf(whole.text)).to.deep.equal(letters.slice(0, total).map((letter) => letter.id))
    expect(whole.text).not.to.contain('data-testid="board-later"')
    expect(whole.text).to.contain(`href="/regions/${regionId}/board?kind=CORRESPONDENCE"`)
    // Past the last page: the page says so, with nothing listed; an unknown group is the board itself.
    const beyond = await browser.get(`${link}&page=2`)
    expect(beyond.status).to.equal(200)
    expect(overdueOf(beyond.text)).to.deep.equal([])
    const unknown = await browser.get(`/regions/${regionId}/board?group=someday&page=x`)
    expect(unknown.status).to.equal(200)
    expect(unknown.text).to.contain('data-testid="board-officers"')
  })

  it('when the ledger is read a window at a time, then the windows follow one another in due-date order without gaps or repeats', async () => {
    t.clock.set('2033-06-01T10:00:00+04:00')
    const regionId = await regionIdOf('SYUNIK')
    const head = await createPerson('REGIONAL_HEAD', 'SYUNIK')
    for (let day = 1; day <= 12; day += 1) {
      await t.services.correspondence.registerIncoming(regionId, {
        receivedOn: `2033-05-${String(day).padStart(2, '0')}`, channel: 'POST', kind: 'STATE_BODY_LETTER', sender: 'Ministry', senderAddress: null, senderReference: null, senderDate: null, subject: `Request ${day}`, summary: null,
        beneficiaryFileNumber: null, topic: null, complaintSubject: null, complaintStaffUserId: null, complaintAbout: null, documentDueDate: null, reportRequested: false, reportPurpose: null,
      }, contextOf(head))
    }
    const read = (offset: number) => t.services.ledger.summary({ regionId }, { kind: 'CORRESPONDENCE' }, '2033-06-01', { limit: 5, offset, group: 'overdue' })
    const pages = await Promise.all([0, 5, 10].map(read))
    const all = (await t.services.ledger.summary({ regionId }, { kind: 'CORRESPONDENCE' }, '2033-06-01', { limit: 100 })).lines.filter((line) => line.group === 'overdue')
    expect(pages.flatMap((page) => page.lines.map((line) => line.sourceId))).to.deep.equal(all.map((line) => line.sourceId))
    expect(pages.every((page) => page.lines.every((line) => line.group === 'overdue'))).to.equal(true)
    expect(pages[0].counts.overdue).to.equal(all.length)
  })
})
