import { QueryTypes } from 'sequelize'
import { expect } from 'chai'
import { buildTestApp, type TestApp } from '../helpers/app'
import { signIn, type Browser } from '../helpers/agent'
import { createPerson, regionIdOf, type TestPerson } from '../helpers/people'
import { createBeneficiary } from '../helpers/beneficiaries'
import { AuditEvent } from '../../models'

// The items are registered in Yerevan's body.
const COMPLAINT = { receivedOn: '23.11.2026', channel: 'POST', kind: 'COMPLAINT', sender: 'Աննա Սարգսյան', senderAddress: 'Երևան, Աբովյան 1', subject: 'Հանդիպման ժամի մասին', topic: 'SUPERVISION_CONDITIONS', complaintSubject: 'REGIONAL_BODY' }

function itemIdOf(location: string | undefined): number {
  return Number(/\/correspondence\/(\d+)$/.exec(location ?? '')![1])
}

function versionOf(page: string): string {
  return /name="version" value="(\d+)"/.exec(page)![1]
}

describe('correspondence through the app', () => {
  let t: TestApp
  let head: TestPerson
  let officer: TestPerson
  let headBrowser: Browser
  let officerBrowser: Browser
  let regionId: number

  beforeEach(async () => {
    t = buildTestApp()
    t.clock.set('2026-11-23T10:00:00+04:00')
    regionId = await regionIdOf('YEREVAN')
    head = await createPerson('REGIONAL_HEAD', 'YEREVAN')
    officer = await createPerson('SPECIALIST', 'YEREVAN')
    headBrowser = await signIn(t.app, head.username)
    officerBrowser = await signIn(t.app, officer.username)
  })

  async function register(fields: Record<string, string>, browser = officerBrowser): Promise<number> {
    const response = await browser.post(`/regions/${regionId}/correspondence/new`, fields)
    expect(response.status, response.text.slice(0, 2000)).to.equal(303)
    return itemIdOf(response.headers.location)
  }

  it('when a citizen complaint is registered, assigned, answered, signed and sent, then it leaves the overdue list and the register shows its reply', async () => {
    const itemId = await register(COMPLAINT)
    let page = await officerBrowser.get(`/correspondence/${itemId}`)
    expect(page.status).to.equal(200)
    // Law on Petitions: one month from 23.11.2026 is 23.12.2026, a Wednesday.
    expect(page.text).to.match(/data-testid="item-due">23\.12\.2026/)
    expect(page.text).to.contain('Գրանցված')

    page = await headBrowser.get(`/correspondence/${itemId}`)
    const assigned = await headBrowser.post(`/correspondence/${itemId}/assign`, { assigneeId: String(officer.id), resolution: 'Պատասխանել մինչև ժամկետը', version: versionOf(page.text) })
    expect(assigned.status).to.equal(303)

    page = await officerBrowser.get(`/correspondence/${itemId}`)
    expect((await officerBrowser.post(`/correspondence/${itemId}/start`, { version: versionOf(page.text) })).status).to.equal(303)
    page = await officerBrowser.get(`/correspondence/${itemId}`)
    const drafted = await officerBrowser.post(`/correspondence/${itemId}/reply`, { addressee: COMPLAINT.sender, addresseeAddress: COMPLAINT.senderAddress, subject: 'Պատասխան', body: 'Հարգելի տիկին Սարգսյան…', letterDate: '23.11.2026', version: versionOf(page.text) })
    expect(drafted.status).to.equal(303)
    page = await officerBrowser.get(`/correspondence/${itemId}`)
    const letterId = Number(/\/letters\/(\d+)/.exec(page.text)![1])

    // A staff member who is not a head cannot sign, even their own draft.
    const letterPage = await officerBrowser.get(`/letters/${letterId}`)
    expect(letterPage.text).not.to.contain('data-testid="sign-form"')
    expect((await officerBrowser.post(`/letters/${letterId}/sign`, { version: versionOf(letterPage.text) })).status).to.equal(404)
    // Nor can an unsigned letter be sent.
    const unsignedSend = await officerBrowser.post(`/letters/${letterId}/send`, { sentOn: '23.11.2026', sendingMethod: 'POST', version: versionOf(letterPage.text) })
    expect(unsignedSend.status).to.equal(400)
    expect(unsignedSend.text).to.contain('Չստորագրված գրությունը չի ուղարկվում')

    // Time passes: the reply is late; the item is on the overdue list.
    t.clock.set('2026-12-24T10:00:00+04:00')
    ;[headBrowser, officerBrowser] = [await signIn(t.app, head.username), await signIn(t.app, officer.username)]
    const control = await headBrowser.get(`/regions/${regionId}/correspondence/control`)
    expect(control.text).to.match(/data-testid="control-overdue"[\s\S]*href="\/correspondence\/\d+"/)
    expect(control.text).to.contain(`/correspondence/${itemId}"`)

    const signPage = await headBrowser.get(`/letters/${letterId}`)
    const signed = await headBrowser.post(`/letters/${letterId}/sign`, { version: versionOf(signPage.text) })
    expect(signed.status).to.equal(303)
    const sendPage = await officerBrowser.get(`/letters/${letterId}`)
    expect(sendPage.text).to.match(/ԵՐ-Ե-2026-\d{4}|-Ե-2026-\d{4}/)
    const sent = await officerBrowser.post(`/letters/${letterId}/send`, { sentOn: '24.12.2026', sendingMethod: 'REGISTERED_POST', version: versionOf(sendPage.text) })
    expect(sent.status).to.equal(303)

    const after = await headBrowser.get(`/regions/${regionId}/correspondence/control`)
    expect(after.text).not.to.contain(`/correspondence/${itemId}"`)
    page = await officerBrowser.get(`/correspondence/${itemId}`)
    expect(page.text).to.contain('Պատասխանն ուղարկված է').and.contain('ժամկետանց')
    const outgoing = await headBrowser.get(`/regions/${regionId}/correspondence?register=OUT`)
    expect(outgoing.text).to.contain('Պատվիրված նամակով, 24.12.2026')
    expect(await AuditEvent.count({ where: { action: 'letter.sign', targetId: String(letterId) } })).to.equal(1)
  })

  it('when the registration form is submitted five times at once and again later, then one item gets one number and the next letter the number after it', async () => {
    const form = await officerBrowser.get(`/regions/${regionId}/correspondence/new`)
    const submissionId = /name="submissionId" value="([0-9a-f-]{36})"/.exec(form.text)![1]
    const answers = await Promise.all(Array.from({ length: 5 }, () => officerBrowser.post(`/regions/${regionId}/correspondence/new`, { ...COMPLAINT, submissionId })))
    const locations = new Set(answers.map((answer) => `${answer.status} ${answer.headers.location}`))
    expect([...locations]).to.have.length(1)
    const itemId = itemIdOf(answers[0].headers.location)
    const later = await officerBrowser.post(`/regions/${regionId}/correspondence/new`, { ...COMPLAINT, submissionId })
    expect(itemIdOf(later.headers.location)).to.equal(itemId)
    const first = await t.services.correspondence.item(itemId)
    const next = await t.services.correspondence.item(await register(COMPLAINT))
    expect(next.number.split('-')[3]).to.equal(String(Number(first.number.split('-')[3]) + 1).padStart(4, '0'))
  })

  it('when a letter of the region\'s own is sent three times at once, then one draft is made and every answer opens it', async () => {
    const form = await officerBrowser.get(`/regions/${regionId}/letters/new`)
    const submissionId = /name="submissionId" value="([0-9a-f-]{36})"/.exec(form.text)![1]
    const fields = { addressee: 'Երևանի քաղաքապետարան', addresseeAddress: '', subject: 'Հանրային աշխատանքների տեղերի մասին', body: 'Խնդրում ենք տրամադրել տեղեր։', letterDate: '23.11.2026', beneficiaryFileNumber: '', submissionId }
    const answers = await Promise.all(Array.from({ length: 3 }, () => officerBrowser.post(`/regions/${regionId}/letters/new`, fields)))
    const locations = [...new Set(answers.map((answer) => `${answer.status} ${answer.headers.location}`))]
    expect(locations).to.have.length(1)
    expect(locations[0]).to.match(/^303 \/letters\/\d+$/)
    const [{ drafts }] = await t.services.sequelize.query<{ drafts: number }>(`SELECT count(*)::int AS drafts FROM outgoing_letters WHERE region_id = :regionId AND subject = :subject`, { replacements: { regionId, subject: fields.subject }, type: QueryTypes.SELECT })
    expect(drafts).to.equal(1)
  })

  it('when a complaint is about a staff member, then it cannot be assigned to them, only to someone else', async () => {
    const itemId = await register({ ...COMPLAINT, topic: 'STAFF_CONDUCT', complaintSubject: 'STAFF_MEMBER', complaintStaffUserId: String(officer.id), complaintAbout: 'Կոպիտ վերաբերմունք' })
    const page = await headBrowser.get(`/correspondence/${itemId}`)
    const refused = await headBrowser.post(`/correspondence/${itemId}/assign`, { assigneeId: String(officer.id), resolution: 'Քննել', version: versionOf(page.text) })
    expect(refused.status).to.equal(400)
    expect(refused.text).to.contain('Բողոքը վերաբերում է այս աշխատակցին. հանձնարարեք այլ աշխատակցի։')
    expect((await t.services.correspondence.item(itemId)).assigneeUserId).to.equal(null)
    const other = await createPerson('SENIOR_SPECIALIST', 'YEREVAN')
    const assigned = await headBrowser.post(`/correspondence/${itemId}/assign`, { assigneeId: String(other.id), resolution: 'Քննել', version: versionOf(page.text) })
    expect(assigned.status).to.equal(303)
  })

  it('when an item without a reply is closed, then a reason is required', async () => {
    const itemId = await register(COMPLAINT)
    const page = await headBrowser.get(`/correspondence/${itemId}`)
    const refused = await headBrowser.post(`/correspondence/${itemId}/close`, { closedOn: '23.11.2026', reason: '', version: versionOf(page.text) })
    expect(refused.status).to.equal(400)
    expect(refused.text).to.contain('նշեք փակման պատճառը')
    const closed = await headBrowser.post(`/correspondence/${itemId}/close`, { closedOn: '23.11.2026', reason: 'Դիմողը հետ է վերցրել', version: versionOf(page.text) })
    expect(closed.status).to.equal(303)
  })

  it('when a petition is extended inside its window, then the due date moves and the notice is numbered in the outgoing register; outside it, it is refused', async () => {
    const itemId = await register(COMPLAINT)
    // Due 23.12.2026 (Wednesday): the notice must go out 3 working days before, by 18.12.2026 (Friday).
    t.clock.set('2026-12-18T10:00:00+04:00')
    headBrowser = await signIn(t.app, head.username)
    let page = await headBrowser.get(`/correspondence/${itemId}`)
    expect(page.text).to.contain('data-testid="extend-form"').and.contain('18.12.2026')
    const extended = await headBrowser.post(`/correspondence/${itemId}/extend`, { noticeDate: '18.12.2026', newDueDate: '', addressee: COMPLAINT.sender, body: 'Անհրաժեշտ են լրացուցիչ ուսումնասիրություններ', sendingMethod: 'POST', version: versionOf(page.text) })
    expect(extended.status).to.equal(303)
    page = await headBrowser.get(`/correspondence/${itemId}`)
    // One month after 23.12.2026 is 23.01.2027, a Saturday: the next working day.
    expect(page.text).to.match(/data-testid="item-due">25\.01\.2027/)
    expect(page.text).to.contain('data-testid="due-changes"')
    const again = await headBrowser.post(`/correspondence/${itemId}/extend`, { noticeDate: '18.12.2026', addressee: 'x', body: 'y', sendingMethod: 'POST', version: versionOf(page.text) })
    expect(again.status).to.equal(400)
    expect(again.text).to.contain('միայն մեկ անգամ')

    t.clock.set('2026-11-23T10:00:00+04:00')
    officerBrowser = await signIn(t.app, officer.username)
    const lateId = await register(COMPLAINT)
    t.clock.set('2026-12-21T10:00:00+04:00')
    headBrowser = await signIn(t.app, head.username)
    page = await headBrowser.get(`/correspondence/${lateId}`)
    expect(page.text).not.to.contain('data-testid="extend-form"')
    const late = await headBrowser.post(`/correspondence/${lateId}/extend`, { noticeDate: '21.12.2026', addressee: 'x', body: 'y', sendingMethod: 'POST', version: versionOf(page.text) })
    expect(late.status).to.equal(400)
    expect(late.text).to.contain('18.12.2026')
  })

  it('when a report is requested, then the officer gathers, the head approves, and only then the reply can be signed', async () => {
    const itemId = await register({ receivedOn: '23.11.2026', channel: 'POST', kind: 'UNIT_REQUEST', sender: 'Քրեակատարողական հիմնարկ', subject: 'Զեկույց ՊՎԱ-ի համար', reportRequested: '1', reportPurpose: 'EARLY_RELEASE', documentDueDate: '04.12.2026' })
    let page = await headBrowser.get(`/correspondence/${itemId}`)
    expect(page.text).to.match(/data-testid="item-due">04\.12\.2026/)
    await headBrowser.post(`/correspondence/${itemId}/assign`, { assigneeId: String(officer.id), resolution: 'Նախապատրաստել', version: versionOf(page.text) })
    const taskId = Number(/\/tasks\/(\d+)/.exec((await officerBrowser.get(`/correspondence/${itemId}`)).text)![1])
    let task = await officerBrowser.get(`/tasks/${taskId}`)
    expect(task.text).to.contain('Ոստիկանություն').and.contain('Համայնքապետարան')
    const lineId = Number(/\/tasks\/\d+\/checklist\/(\d+)\/request/.exec(task.text)![1])
    const request = await officerBrowser.post(`/tasks/${taskId}/checklist/${lineId}/request`, { addressee: 'ՀՀ ոստիկանություն', subject: 'Տեղեկանք', body: 'Խնդրում ենք տրամադրել…', letterDate: '23.11.2026' })
    expect(request.status).to.equal(303)

    const submittedEmpty = await officerBrowser.post(`/tasks/${taskId}/submit`, { version: versionOf(task.text) })
    expect(submittedEmpty.status).to.equal(400)
    const sections = Object.fromEntries(['PERSON', 'CONDUCT', 'COMPLIANCE', 'RISK_AND_NEEDS', 'SOCIAL_SITUATION', 'CONCLUSION'].map((code) => [`section_${code}`, `Տեքստ ${code}`]))
    expect((await officerBrowser.post(`/tasks/${taskId}/sections`, { ...sections, version: versionOf(task.text) })).status).to.equal(303)
    task = await officerBrowser.get(`/tasks/${taskId}`)
    expect((await officerBrowser.post(`/tasks/${taskId}/submit`, { version: versionOf(task.text) })).status).to.equal(303)

    page = await officerBrowser.get(`/correspondence/${itemId}`)
    await officerBrowser.post(`/correspondence/${itemId}/reply`, { addressee: 'Քրեակատարողական հիմնարկ', subject: 'Զեկույց', body: 'Կից ներկայացնում ենք', letterDate: '24.11.2026', version: versionOf(page.text) })
    page = await officerBrowser.get(`/correspondence/${itemId}`)
    const replyId = Number(/\/letters\/(\d+)">Նախագիծ<\/a> · Պատասխան/.exec(page.text)![1])
    let letter = await headBrowser.get(`/letters/${replyId}`)
    const early = await headBrowser.post(`/letters/${replyId}/sign`, { version: versionOf(letter.text) })
    expect(early.status).to.equal(400)
    expect(early.text).to.contain('դեռ հաստատված չեն')

    task = await headBrowser.get(`/tasks/${taskId}`)
    expect((await headBrowser.post(`/tasks/${taskId}/decide`, { decision: 'approve', comment: '', version: versionOf(task.text) })).status).to.equal(303)
    letter = await headBrowser.get(`/letters/${replyId}`)
    expect((await headBrowser.post(`/letters/${replyId}/sign`, { version: versionOf(letter.text) })).status).to.equal(303)
  })

  it('when two people act on the same item, then the second, stale action is refused and nothing is overwritten', async () => {
    const itemId = await register(COMPLAINT)
    const page = await headBrowser.get(`/correspondence/${itemId}`)
    const version = versionOf(page.text)
    expect((await headBrowser.post(`/correspondence/${itemId}/assign`, { assigneeId: String(officer.id), resolution: 'Առաջին', version })).status).to.equal(303)
    const stale = await headBrowser.post(`/correspondence/${itemId}/assign`, { assigneeId: String(head.id), resolution: 'Երկրորդ', version })
    expect(stale.status).to.equal(409)
    expect(stale.text).to.contain('value="Երկրորդ"').and.contain('Առաջին')
  })

  it('when registration input is bad, then each problem is named beside its field and the form keeps what was typed', async () => {
    const response = await officerBrowser.post(`/regions/${regionId}/correspondence/new`, { ...COMPLAINT, kind: 'TELEGRAM', receivedOn: '31.02.2026', sender: '' })
    expect(response.status).to.equal(400)
    expect(response.text).to.contain('id="kind-error"').and.contain('id="receivedOn-error"').and.contain('id="sender-error"')
    expect(response.text).to.contain('value="Հանդիպման ժամի մասին"')
    const future = await officerBrowser.post(`/regions/${regionId}/correspondence/new`, { ...COMPLAINT, receivedOn: '24.11.2026' })
    expect(future.status).to.equal(400)
    expect(future.text).to.contain('չի կարող լինել ապագայում')
    const reply = await register(COMPLAINT)
    const page = await headBrowser.get(`/correspondence/${reply}`)
    const early = await headBrowser.post(`/correspondence/${reply}/reply`, { addressee: 'x', subject: 'y', body: 'z', letterDate: '20.11.2026', version: versionOf(page.text) })
    expect(early.status).to.equal(400)
    expect(early.text).to.contain('չի կարող թվագրվել գրության ստացումից առաջ')
  })

  it('when an item concerns a beneficiary, then their personal file lists it', async () => {
    const file = await createBeneficiary(regionId, officer.id, { fileNumber: `ԵՐ-2026-${String(9000 + Math.floor(Math.random() * 999)).padStart(4, '0')}` })
    const itemId = await register({ ...COMPLAINT, kind: 'BENEFICIARY_APPLICATION', beneficiaryFileNumber: file.fileNumber })
    const page = await officerBrowser.get(`/beneficiaries/${file.id}`)
    expect(page.text).to.match(new RegExp(`data-testid="file-correspondence-in"[\\s\\S]*href="/correspondence/${itemId}"`))
  })

  it('when the register is exported for a period, then PDF and XLSX come back as files', async () => {
    await register(COMPLAINT)
    const pdf = await headBrowser.get(`/regions/${regionId}/correspondence/register.pdf?register=IN&from=2026-11-01&to=2026-11-30`)
    expect(pdf.status).to.equal(200)
    expect(pdf.headers['content-type']).to.contain('application/pdf')
    const xlsx = await headBrowser.get(`/regions/${regionId}/correspondence/register.xlsx?register=OUT&from=2026-11-01&to=2026-11-30`)
    expect(xlsx.status).to.equal(200)
    expect(xlsx.headers['content-disposition']).to.contain('outgoing-2026-11-01-2026-11-30.xlsx')
    const bad = await headBrowser.get(`/regions/${regionId}/correspondence/register.pdf?register=IN&from=2026-12-01&to=2026-11-30`)
    expect(bad.status).to.equal(400)
  })
})
