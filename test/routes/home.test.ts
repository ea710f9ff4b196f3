import { expect } from 'chai'
import { User } from '../../models'
import { buildTestApp, type TestApp } from '../helpers/app'
import { anonymous, signIn } from '../helpers/agent'
import { createBeneficiary } from '../helpers/beneficiaries'
import { createPerson, regionIdOf } from '../helpers/people'
import { contextOf } from '../helpers/supervision'

const letter = (receivedOn: string, subject: string) => ({
  receivedOn, channel: 'POST' as const, kind: 'STATE_BODY_LETTER' as const, sender: 'Ministry', senderAddress: null, senderReference: null, senderDate: null, subject, summary: null,
  beneficiaryFileNumber: null, topic: null, complaintSubject: null, complaintStaffUserId: null, complaintAbout: null, documentDueDate: null, reportRequested: false, reportPurpose: null,
})

/** A list's count of a due group, as its heading or its home tile says it. */
const boardCount = (html: string, group: string) => Number(html.match(new RegExp(`id="group-${group}">[^<]*\\((\\d+)\\)`))![1])
const homeCount = (html: string, group: string) => Number(html.match(new RegExp(`data-testid="home-count-${group}">\\s*<span[^>]*>(\\d+)<`))![1])

describe('home: the user\'s day', () => {
  let t: TestApp

  beforeEach(() => {
    t = buildTestApp()
    // Wednesday 14.03.2035, 09:00 in Yerevan.
    t.clock.set('2035-03-14T09:00:00+04:00')
  })

  it('when an officer opens home, then it shows their counts as my work counts them, the most urgent lines and today\'s appointments with their times', async () => {
    const regionId = await regionIdOf('GEGHARKUNIK')
    const head = await createPerson('REGIONAL_HEAD', 'GEGHARKUNIK')
    const officer = await createPerson('SPECIALIST', 'GEGHARKUNIK')
    const file = await createBeneficiary(regionId, officer.id)
    // Received 01.02.2035 and assigned to the officer: due ten working days later, overdue now.
    const item = await t.services.correspondence.registerIncoming(regionId, letter('2035-02-01', 'Statistics request'), contextOf(head))
    await t.services.correspondence.assign(item.id, { assigneeId: officer.id, resolution: 'Answer', expectedVersion: 1 }, contextOf(head))
    await t.services.contacts.book(file.id, { kind: 'HOME_VISIT', scheduledAt: new Date('2035-03-14T15:30:00+04:00'), durationMinutes: 45, place: 'Sevan, Nairyan 4', notes: null, outcome: null, outcomeNote: null, riskAcknowledged: false }, contextOf(officer))
    // Yesterday's and tomorrow's are not today's.
    await t.services.contacts.book(file.id, { kind: 'OFFICE_VISIT', scheduledAt: new Date('2035-03-15T10:00:00+04:00'), durationMinutes: 30, place: null, notes: null, outcome: null, outcomeNote: null, riskAcknowledged: false }, contextOf(officer))

    const browser = await signIn(t.app, officer.username)
    const home = await browser.get('/')
    expect(home.status).to.equal(200)
    const mine = await browser.get('/my-work')
    for (const group of ['overdue', 'today', 'week']) expect(homeCount(home.text, group), group).to.equal(boardCount(mine.text, group))
    expect(homeCount(home.text, 'overdue')).to.equal(1)
    expect(home.text).to.contain('href="/my-work?group=overdue"')
    expect(home.text).to.match(new RegExp(`data-testid="home-urgent"[\\s\\S]*href="/correspondence/${item.id}"`))
    const appointments = home.text.match(/data-testid="home-appointments"[\s\S]*?<\/ul>/)![0]
    expect(appointments).to.contain('15:30').and.contain(file.fileNumber).and.contain('Sevan, Nairyan 4')
    expect(appointments).not.to.contain('10:00')
    // An officer leads nobody: no region, no reports, no accounts.
    expect(home.text).not.to.contain('data-testid="home-officers"').and.not.contain('data-testid="home-reports"').and.not.contain('data-testid="home-accounts"')
  })

  it('when a head opens home, then what waits for the head is counted by kind, and the officers most behind are listed with links to their work', async () => {
    const regionId = await regionIdOf('LORI')
    const head = await createPerson('REGIONAL_HEAD', 'LORI')
    const officer = await createPerson('SPECIALIST', 'LORI')
    const assigned = await t.services.correspondence.registerIncoming(regionId, letter('2035-02-01', 'Assigned'), contextOf(head))
    await t.services.correspondence.assign(assigned.id, { assigneeId: officer.id, resolution: 'Answer', expectedVersion: 1 }, contextOf(head))
    // Not yet assigned: the head's to assign and answer.
    await t.services.correspondence.registerIncoming(regionId, letter('2035-02-02', 'Unassigned'), contextOf(head))

    const home = await (await signIn(t.app, head.username)).get('/')
    expect(home.status).to.equal(200)
    expect(home.text).to.match(/data-testid="home-kinds"[\s\S]*href="\/my-work\?kind=CORRESPONDENCE"/)
    const officers = home.text.match(/data-testid="home-officers"[\s\S]*?<\/table>/)![0]
    expect(officers).to.contain(`href="/regions/${regionId}/board?officerId=${officer.id}"`).and.contain(officer.fullName)
    expect(home.text).to.contain(`href="/regions/${regionId}/board?group=overdue"`)
  })

  it('when the service head opens home, then the reports awaiting a decision and every region are there; decided, the report leaves', async () => {
    const regionId = await regionIdOf('SHIRAK')
    const head = await createPerson('REGIONAL_HEAD', 'SHIRAK')
    const serviceHead = await createPerson('SERVICE_HEAD', null)
    await t.services.quarterlyReports.submit(regionId, { year: 2034, quarter: 4 }, { problems: 'None', proposals: 'None', expectedVersion: 0 }, contextOf(head))

    const browser = await signIn(t.app, serviceHead.username)
    let home = await browser.get('/')
    expect(home.status).to.equal(200)
    expect(home.text).to.match(new RegExp(`data-testid="home-reports"[\\s\\S]*href="/regions/${regionId}/reports/2034/4"`))
    expect(home.text).to.match(new RegExp(`data-testid="home-regions"[\\s\\S]*href="/regions/${regionId}/delegations"`))
    expect(home.text).not.to.contain('data-testid="home-counts"')

    const [submitted] = (await t.services.quarterlyReports.report(regionId, { year: 2034, quarter: 4 })).versions
    await t.services.quarterlyReports.decide(regionId, { year: 2034, quarter: 4 }, { decision: 'accept', grade: 'GOOD', comment: 'Accepted', expectedVersion: submitted.version }, contextOf(serviceHead))
    home = await browser.get('/')
    expect(home.text).not.to.contain(`href="/regions/${regionId}/reports/2034/4"`)
  })

  it('when the administrator opens home, then locked accounts and those on a temporary password are listed, never the service head\'s', async () => {
    const administrator = await createPerson('ADMINISTRATOR', null)
    const locked = await createPerson('SPECIALIST', 'TAVUSH')
    await User.update({ lockedUntil: new Date('2035-03-14T09:15:00+04:00') }, { where: { id: locked.id } })
    const fresh = await createPerson('SPECIALIST', 'TAVUSH', { mustChangePassword: true })
    const serviceHead = await createPerson('SERVICE_HEAD', null, { mustChangePassword: true })
    const settled = await createPerson('SPECIALIST', 'TAVUSH')

    const home = await (await signIn(t.app, administrator.username)).get('/')
    expect(home.status).to.equal(200)
    const accounts = home.text.match(/data-testid="home-accounts"[\s\S]*?<\/table>/)![0]
    expect(accounts).to.contain(`href="/admin/users/${locked.id}"`).and.contain('14.03.2035 09:15')
    expect(accounts).to.contain(`href="/admin/users/${fresh.id}"`)
    expect(accounts).not.to.contain(`/admin/users/${serviceHead.id}"`)
    expect(accounts).not.to.contain(`/admin/users/${settled.id}"`)
  })

  it('when nobody is signed in, then home sends them to sign in', async () => {
    const response = await anonymous(t.app).get('/')
    expect(response.status).to.equal(303)
    expect(response.headers.location).to.match(/^\/sign-in/)
  })
})
