import { expect } from 'chai'
import { Op } from 'sequelize'
import { AuditEvent, Beneficiary } from '../../models'
import { buildTestApp, type TestApp } from '../helpers/app'
import { signIn, type Browser } from '../helpers/agent'
import { createBeneficiary } from '../helpers/beneficiaries'
import { createPerson, regionIdOf, type TestPerson } from '../helpers/people'

const CARD = {
  surname: 'Պետրոսյան',
  givenName: 'Արմեն',
  patronymic: 'Սամվելի',
  sex: 'MALE',
  birthDate: '12.04.1990',
  category: 'PROBATION_PERIOD',
  status: 'ACTIVE',
}

// Gegharkunik is used only by these tests: its register and numbering are theirs alone.
describe('beneficiary records', () => {
  let t: TestApp
  let regionId: number
  let head: TestPerson
  let officer: TestPerson
  let colleague: TestPerson
  let headBrowser: Browser
  let officerBrowser: Browser

  before(async () => {
    regionId = await regionIdOf('GEGHARKUNIK')
    head = await createPerson('REGIONAL_HEAD', 'GEGHARKUNIK')
    officer = await createPerson('SPECIALIST', 'GEGHARKUNIK')
    colleague = await createPerson('SPECIALIST', 'GEGHARKUNIK')
  })
  beforeEach(async () => {
    t = buildTestApp()
    t.clock.set('2026-11-23T10:00:00+04:00')
    headBrowser = await signIn(t.app, head.username)
    officerBrowser = await signIn(t.app, officer.username)
  })

  it('when an officer registers a card, then it gets the region\'s next file number, a generated Latin spelling, and the officer as responsible', async () => {
    const response = await officerBrowser.post(`/regions/${regionId}/beneficiaries/new`, { ...CARD, birthDate: '01.01.1961', publicServiceNumber: '1234567801' })
    expect(response.status).to.equal(303)
    const created = await Beneficiary.findOne({ where: { publicServiceNumber: '1234567801' } })
    expect(created!.fileNumber).to.match(/^ԳՂ-2026-\d{4}$/)
    expect(created).to.include({ surnameLatin: 'Petrosyan', givenNameLatin: 'Armen', patronymicLatin: 'Samveli', responsibleOfficerId: officer.id, regionId })
    expect(await AuditEvent.count({ where: { action: 'beneficiary.create', targetId: String(created!.id) } })).to.equal(1)
  })

  it('when a card is registered, then its first contact and initial assessment fall due; a mediation participant\'s do not', async () => {
    await officerBrowser.post(`/regions/${regionId}/beneficiaries/new`, { ...CARD, birthDate: '02.02.1962', publicServiceNumber: '1234567802' })
    const supervised = await Beneficiary.findOne({ where: { publicServiceNumber: '1234567802' } })
    // Registered Monday 23.11.2026: first contact within 2 working days, assessment within 15.
    const due = (await t.services.deadlines.forBeneficiary(supervised!.id, true)).map((deadline) => [deadline.ruleId, deadline.dueDate])
    expect(due).to.deep.include.members([['FIRST_CONTACT', '2026-11-25'], ['INITIAL_ASSESSMENT', '2026-12-14']])
    await officerBrowser.post(`/regions/${regionId}/beneficiaries/new`, { ...CARD, birthDate: '03.03.1963', publicServiceNumber: '1234567803', category: 'MEDIATION_PARTICIPANT' })
    const participant = await Beneficiary.findOne({ where: { publicServiceNumber: '1234567803' } })
    expect(await t.services.deadlines.forBeneficiary(participant!.id, true)).to.deep.equal([])
  })

  it('when 50 cards are created at the same time, then they get 50 distinct consecutive numbers', async () => {
    const card = (n: number) => ({ ...CARD, surname: 'Համբարձումյան', givenName: 'Գոռ', birthDate: `${String((n % 28) + 1).padStart(2, '0')}.0${(n % 9) + 1}.1985`, publicServiceNumber: String(5500000000 + n) })
    const before = await Beneficiary.count({ where: { regionId } })
    const responses = await Promise.all(Array.from({ length: 50 }, (_, n) => officerBrowser.post(`/regions/${regionId}/beneficiaries/new`, card(n))))
    expect(responses.map((r) => r.status)).to.deep.equal(Array(50).fill(303))
    const rows = await Beneficiary.findAll({ where: { regionId, publicServiceNumber: { [Op.between]: ['5500000000', '5500000049'] } } })
    const numbers = rows.map((row) => Number(row.fileNumber.split('-')[2])).sort((a, b) => a - b)
    expect(new Set(numbers).size).to.equal(50)
    expect(numbers[49] - numbers[0]).to.equal(49)
    expect(await Beneficiary.count({ where: { regionId } })).to.equal(before + 50)
  })

  it('when the same card form is submitted five times at once and again later, then one file is registered and every answer opens it', async () => {
    const form = await officerBrowser.get(`/regions/${regionId}/beneficiaries/new`)
    const submissionId = /name="submissionId" value="([0-9a-f-]{36})"/.exec(form.text)![1]
    const fields = { ...CARD, birthDate: '05.05.1975', publicServiceNumber: '4455667701', submissionId }
    const answers = await Promise.all(Array.from({ length: 5 }, () => officerBrowser.post(`/regions/${regionId}/beneficiaries/new`, fields)))
    const created = await Beneficiary.findAll({ where: { publicServiceNumber: '4455667701' } })
    expect(created).to.have.length(1)
    expect(answers.map((answer) => [answer.status, answer.headers.location])).to.deep.equal(Array(5).fill([303, `/beneficiaries/${created[0].id}`]))
    const later = await officerBrowser.post(`/regions/${regionId}/beneficiaries/new`, fields)
    expect([later.status, later.headers.location]).to.deep.equal([303, `/beneficiaries/${created[0].id}`])
    expect(await AuditEvent.count({ where: { action: 'beneficiary.create', targetId: String(created[0].id) } })).to.equal(1)
    // A new form is a new submission; an id that is not one is refused.
    const second = await officerBrowser.get(`/regions/${regionId}/beneficiaries/new`)
    expect(/name="submissionId" value="([0-9a-f-]{36})"/.exec(second.text)![1]).to.not.equal(submissionId)
    expect((await officerBrowser.post(`/regions/${regionId}/beneficiaries/new`, { ...fields, submissionId: 'not-a-uuid' })).status).to.equal(400)
  })

  it('when "start assessment" is pressed five times at once, then one draft is started and each answer opens it', async () => {
    const file = await createBeneficiary(regionId, officer.id)
    const context = { actor: { id: officer.id, role: officer.role, regionId, actingHeadRegionIds: [] }, actorUsername: officer.username, sourceIp: null, requestId: null }
    const started = await Promise.all(Array.from({ length: 5 }, () => t.services.assessments.start(file.id, null, context)))
    expect(new Set(started).size).to.equal(1)
    expect(await AuditEvent.count({ where: { action: 'assessment.start', targetId: String(file.id) } })).to.equal(1)
  })

  it('when a card matches an existing file in the region, then the officer is warned with a link and can still save after confirming', async () => {
    const existing = await createBeneficiary(regionId, officer.id, { publicServiceNumber: '7777777701' })
    const warned = await officerBrowser.post(`/regions/${regionId}/beneficiaries/new`, { ...CARD, givenName: 'Գևորգ', publicServiceNumber: '7777777701' })
    expect(warned.status).to.equal(409)
    expect(warned.text).to.contain('data-testid="duplicate-warning"').and.contain(`/beneficiaries/${existing.id}`)
    expect(warned.text).to.contain('value="Գևորգ"')
    const confirmed = await officerBrowser.post(`/regions/${regionId}/beneficiaries/new`, { ...CARD, givenName: 'Գևորգ', publicServiceNumber: '7777777701', confirmDuplicate: '1' })
    expect(confirmed.status).to.equal(303)
  })

  it('when a card matches a file in another region, then the warning names only that regional body', async () => {
    const shirakOfficer = await createPerson('SPECIALIST', 'SHIRAK')
    const other = await createBeneficiary(await regionIdOf('SHIRAK'), shirakOfficer.id, { surname: 'Գասպարյան', surnameLatin: 'Gasparyan', birthDate: '1979-02-03' })
    const warned = await officerBrowser.post(`/regions/${regionId}/beneficiaries/new`, { ...CARD, surname: 'Գասպարյան', givenName: 'Արմեն', birthDate: '03.02.1979' })
    expect(warned.status).to.equal(409)
    expect(warned.text).to.contain('Շիրակի մարզային մարմին')
    expect(warned.text).to.not.contain(other.fileNumber)
    expect(warned.text).to.not.contain(`/beneficiaries/${other.id}`)
  })

  it('when two people edit the same card, then the second save is refused, both versions are shown and nothing is overwritten', async () => {
    const file = await createBeneficiary(regionId, officer.id)
    const edit = (browser: Browser, employer: string) => browser.post(`/beneficiaries/${file.id}/edit`, { ...CARD, surname: file.surname, surnameLatin: file.surnameLatin, givenNameLatin: file.givenNameLatin, birthDate: '12.04.1990', employer, version: file.version })
    expect((await edit(headBrowser, 'Արարատ ցեմենտ')).status).to.equal(303)
    const stale = await edit(officerBrowser, 'Գավառի պանիր')
    expect(stale.status).to.equal(409)
    expect(stale.text).to.contain('data-testid="stale-edit"').and.contain('Արարատ ցեմենտ').and.contain('Գավառի պանիր')
    expect((await Beneficiary.findByPk(file.id))!.employer).to.equal('Արարատ ցեմենտ')
  })

  it('when a name is searched in Armenian, in either Latin spelling or with one typo, then the person is found; by file, document or public service number too', async () => {
    const file = await createBeneficiary(regionId, officer.id, { surname: 'Ղուկասյան', surnameLatin: 'Ghukasyan', identityDocumentNumber: 'AN4455667', publicServiceNumber: '3141592653' })
    await Beneficiary.update({ searchKey: 'gukasyan armen gukasyan armen' }, { where: { id: file.id } })
    for (const query of ['Ղուկասյան', 'Ghukasyan', 'Ghukasian', 'Ghukasyam', 'ghoukasyan', file.fileNumber, 'AN4455667', '3141592653']) {
      const page = await officerBrowser.get(`/beneficiaries/search?q=${encodeURIComponent(query)}`)
      expect(page.text, query).to.contain(`/beneficiaries/${file.id}"`)
    }
  })

  it('when staff of another region search, then this region\'s people are not found', async () => {
    const file = await createBeneficiary(regionId, officer.id, { identityDocumentNumber: 'AN9990001' })
    const stranger = await signIn(t.app, (await createPerson('SPECIALIST', 'LORI')).username)
    expect((await stranger.get('/beneficiaries/search?q=AN9990001')).text).to.not.contain(`/beneficiaries/${file.id}"`)
    expect((await stranger.get(`/beneficiaries/${file.id}`)).status).to.equal(404)
    const chief = await signIn(t.app, (await createPerson('SERVICE_HEAD', null)).username)
    expect((await chief.get('/beneficiaries/search?q=AN9990001')).text).to.contain(`/beneficiaries/${file.id}"`)
  })

  it('when a colleague opens a file not on their caseload, then a reason is asked first, recorded, and the file is read-only for them', async () => {
    const file = await createBeneficiary(regionId, officer.id)
    const browser = await signIn(t.app, colleague.username)
    const prompt = await browser.get(`/beneficiaries/${file.id}`)
    expect(prompt.status).to.equal(200)
    expect(prompt.text).to.contain('/access-reason').and.not.contain(file.surname)
    expect((await browser.post(`/beneficiaries/${file.id}/access-reason`, { reason: 'փոխարինում եմ արձակուրդում գտնվող գործընկերոջը' })).status).to.equal(303)
    const page = await browser.get(`/beneficiaries/${file.id}`)
    expect(page.text).to.contain(file.fileNumber)
    expect(page.text).to.not.contain(`/beneficiaries/${file.id}/edit`)
    expect(page.text, 'health notes are for the responsible officer and the heads').to.not.contain('insulin-dependent diabetes')
    expect((await browser.post(`/beneficiaries/${file.id}/edit`, { ...CARD, version: 1 })).status, 'refused as if absent').to.equal(404)

    const reason = await AuditEvent.findOne({ where: { action: 'beneficiary.accessReason', targetId: String(file.id), actorUserId: colleague.id } })
    expect(reason!.details).to.deep.equal({ reason: 'փոխարինում եմ արձակուրդում գտնվող գործընկերոջը' })
    const headView = await headBrowser.get(`/beneficiaries/${file.id}`)
    expect(headView.text).to.contain('data-testid="access-log"').and.contain('փոխարինում եմ արձակուրդում').and.contain(colleague.username)
    expect(headView.text).to.contain('insulin-dependent diabetes')
    // The colleague's reason, their opening and the head's own: three reads by two people, in one line above the list.
    expect(headView.text).to.match(/data-testid="read-summary">Կարդացվել է 3 անգամ՝ 2 անձի կողմից, վերջինը՝ \d{2}\.\d{2}\.\d{4} \d{2}:\d{2}։/)
    // Reads of the file's supervision pages are reads too: the access log's, not the history's.
    await officerBrowser.get(`/beneficiaries/${file.id}/supervision`)
    await officerBrowser.get(`/beneficiaries/${file.id}/contacts`)
    const page2 = (await headBrowser.get(`/beneficiaries/${file.id}`)).text
    const history = page2.match(/id="timeline-heading"[\s\S]*?<\/section>/)![0]
    expect(history).not.to.contain('Վերահսկողությունը բացվել է').and.not.to.contain('Հանդիպումները բացվել են')
    expect(page2.match(/data-testid="access-log"[\s\S]*?<\/table>/)![0]).to.contain('Վերահսկողությունը բացվել է').and.contain('Հանդիպումները բացվել են')
  })

  it('when a file is viewed and changed, then the audit log holds the view and each changed field before and after, and the timeline shows the change', async () => {
    const file = await createBeneficiary(regionId, officer.id)
    await officerBrowser.get(`/beneficiaries/${file.id}`)
    expect(await AuditEvent.count({ where: { action: 'beneficiary.view', targetId: String(file.id), actorUserId: officer.id } })).to.equal(1)
    await officerBrowser.post(`/beneficiaries/${file.id}/edit`, { ...CARD, surname: file.surname, surnameLatin: 'Petrosyan', givenNameLatin: 'Armen', phones: '+374 91 000000', healthNotes: 'insulin-dependent diabetes', version: file.version })
    const change = await AuditEvent.findOne({ where: { action: 'beneficiary.update', targetId: String(file.id) } })
    expect(change!.details.before).to.deep.include({ phones: null })
    expect(change!.details.after).to.deep.include({ phones: '+374 91 000000' })
    const page = await officerBrowser.get(`/beneficiaries/${file.id}`)
    expect(page.text).to.contain('data-testid="timeline"').and.contain('Քարտը փոփոխվել է')
  })

  it('when text fields hold script payloads, then every page shows them escaped', async () => {
    const payload = '<script>alert(1)</script>'
    const file = await createBeneficiary(regionId, officer.id, { birthPlace: payload, employer: payload, riskToStaff: true, riskToStaffReason: payload })
    await officerBrowser.post(`/beneficiaries/${file.id}/notes`, { body: payload })
    for (const path of [`/beneficiaries/${file.id}`, `/beneficiaries/${file.id}/print`]) {
      const page = await headBrowser.get(path)
      expect(page.text, path).to.not.contain(payload)
      expect(page.text, path).to.contain('&lt;script&gt;')
    }
  })

  it('when the head assigns a file, then each officer\'s caseload is shown and an officer of another region is refused', async () => {
    const file = await createBeneficiary(regionId, null)
    const page = await headBrowser.get(`/beneficiaries/${file.id}/assign`)
    expect(page.text).to.contain(officer.username.length ? 'ընթացիկ գործ' : '')
    expect((await headBrowser.post(`/beneficiaries/${file.id}/assign`, { officerId: colleague.id })).status).to.equal(303)
    expect((await Beneficiary.findByPk(file.id))!.responsibleOfficerId).to.equal(colleague.id)
    const foreign = await createPerson('SPECIALIST', 'LORI')
    const refused = await headBrowser.post(`/beneficiaries/${file.id}/assign`, { officerId: foreign.id })
    expect(refused.status).to.equal(400)
    expect(refused.text).to.contain('Ընտրեք այս Մարմնի ակտիվ աշխատակցի')
    expect((await Beneficiary.findByPk(file.id))!.responsibleOfficerId).to.equal(colleague.id)
  })

  it('when a file is closed, then it is read-only for the officer, and the head can reopen it with a reason', async () => {
    const file = await createBeneficiary(regionId, officer.id, { createdAt: new Date('2026-11-20T10:00:00+04:00') })
    expect((await officerBrowser.post(`/beneficiaries/${file.id}/close`, { reason: 'MEASURE_COMPLETED', closedOn: '23.11.2026', note: '', version: file.version })).status).to.equal(303)
    const closed = await Beneficiary.findByPk(file.id)
    expect(closed).to.include({ status: 'CLOSED', closedOn: '2026-11-23', closeReason: 'MEASURE_COMPLETED' })
    expect((await officerBrowser.get(`/beneficiaries/${file.id}/edit`)).status).to.equal(404)
    expect((await officerBrowser.post(`/beneficiaries/${file.id}/notes`, { body: 'late note' })).status).to.equal(404)
    expect((await headBrowser.post(`/beneficiaries/${file.id}/reopen`, { reason: 'the court act was appealed', version: closed!.version })).status).to.equal(303)
    expect((await Beneficiary.findByPk(file.id))!.status).to.equal('ACTIVE')
  })

  it('when the register is filtered, sorted and paged, then it lists the region\'s files accordingly', async () => {
    const flagged = await createBeneficiary(regionId, officer.id, { surname: 'Աբգարյան', surnameLatin: 'Abgaryan', riskToStaff: true, riskToStaffReason: 'threatened an officer' })
    const page = await headBrowser.get(`/regions/${regionId}/beneficiaries?risk=1&sort=name&direction=asc`)
    expect(page.status).to.equal(200)
    expect(page.text).to.contain(flagged.fileNumber).and.contain('data-testid="risk-flag"')
    const bad = await headBrowser.get(`/regions/${regionId}/beneficiaries?sort=nonsense&page=-4`)
    expect(bad.status, 'a bad query falls back to the defaults').to.equal(200)
  })

  it('when a head or the responsible officer exports the whole file, then a PDF with an embedded Armenian font comes back and the export is audited', async () => {
    const file = await createBeneficiary(regionId, officer.id)
    await officerBrowser.post(`/beneficiaries/${file.id}/notes`, { body: 'Այցելել է գրասենյակ' })
    const response = await headBrowser.get(`/beneficiaries/${file.id}/export.pdf`).buffer(true).parse((res, callback) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => callback(null, Buffer.concat(chunks)))
    })
    expect(response.status).to.equal(200)
    expect(response.headers['content-type']).to.equal('application/pdf')
    const pdf = (response.body as Buffer).toString('latin1')
    expect(pdf.startsWith('%PDF-')).to.equal(true)
    expect(pdf).to.match(/\/FontFile2/).and.match(/DejaVuSans/)
    expect(await AuditEvent.count({ where: { action: 'beneficiary.export', targetId: String(file.id), actorUserId: head.id } })).to.equal(1)
    // The responsible officer exports their own case; a colleague of the region does not.
    expect((await officerBrowser.get(`/beneficiaries/${file.id}/export.pdf`)).status, 'the responsible officer').to.equal(200)
    expect((await (await signIn(t.app, colleague.username)).get(`/beneficiaries/${file.id}/export.pdf`)).status, 'a colleague').to.equal(404)
  })
})
