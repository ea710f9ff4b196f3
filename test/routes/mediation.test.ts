import { expect } from 'chai'
import { QueryTypes } from 'sequelize'
import { AuditEvent, Delegation } from '../../models'
import { buildTestApp, type TestApp } from '../helpers/app'
import { signIn, type Browser } from '../helpers/agent'
import { createPerson, regionIdOf, type TestPerson } from '../helpers/people'
import { createBeneficiary } from '../helpers/beneficiaries'
import { VALIDATION_EN, VALIDATION_HY } from '../helpers/messages'

// The cases are Lori's, in 2030.
const VICTIM = { victimName: 'Անահիտ Մկրտչյան', victimContact: '+374 91 123456', victimRepresentative: 'Փաստաբան Արամ Գալստյան', victimNotes: 'Նախընտրում է երեկոյան հանդիպումներ' }
const INSTRUCTION = {
  authority: 'Լոռու մարզի առաջին ատյանի ընդհանուր իրավասության դատարան',
  criminalCaseNumber: 'ԼԴ/0123/01/30',
  authorityReference: 'Ո-45',
  authorityDecisionDate: '08.04.2030',
  receivedOn: '10.04.2030',
  instructedOn: '11.04.2030',
  instructionNote: 'Անցկացնել հաշտարարություն և զեկուցել արդյունքի մասին',
}

/** The page's own content, for a readable failure message. */
function mainOf(page: string): string {
  return page.slice(page.indexOf('<main'), page.indexOf('<main') + 3000)
}

function caseIdOf(location: string | undefined): number {
  return Number(/\/mediation\/(\d+)$/.exec(location ?? '')![1])
}

function versionOf(page: string, form: string): string {
  const match = new RegExp(`data-testid="${form}"[\\s\\S]*?name="version" value="(\\d+)"`).exec(page)
  if (!match) throw new Error(`no ${form} with a version on the page`)
  return match[1]
}

let fileSequence = 0

describe('mediation through the app', () => {
  let t: TestApp
  let regionId: number
  let serviceHead: TestPerson
  let head: TestPerson
  let mediator: TestPerson
  let colleague: TestPerson
  let fileNumber: string

  async function at(moment: string, person: TestPerson): Promise<Browser> {
    t.clock.set(moment)
    return signIn(t.app, person.username)
  }

  async function instruct(browser: Browser, fields: Record<string, string> = {}): Promise<number> {
    const response = await browser.post(`/regions/${regionId}/mediation/new`, { ...INSTRUCTION, ...VICTIM, beneficiaryFileNumber: fileNumber, ...fields })
    expect(response.status, mainOf(response.text)).to.equal(303)
    return caseIdOf(response.headers.location)
  }

  /** Instructed on 11.04.2030 with the mediator named on 12.04.2030. */
  async function caseWithMediator(): Promise<number> {
    const caseId = await instruct(await at('2030-04-11T10:00:00+04:00', serviceHead))
    const headBrowser = await at('2030-04-12T10:00:00+04:00', head)
    const page = await headBrowser.get(`/mediation/${caseId}`)
    const named = await headBrowser.post(`/mediation/${caseId}/mediator`, { mediatorUserId: String(mediator.id), version: versionOf(page.text, 'mediator-form') })
    expect(named.status, mainOf(named.text)).to.equal(303)
    return caseId
  }

  beforeEach(async () => {
    t = buildTestApp()
    t.clock.set('2030-04-11T10:00:00+04:00')
    regionId = await regionIdOf('LORI')
    serviceHead = await createPerson('SERVICE_HEAD', null)
    head = await createPerson('REGIONAL_HEAD', 'LORI')
    mediator = await createPerson('SPECIALIST', 'LORI')
    colleague = await createPerson('SPECIALIST', 'LORI')
    // A number as printed (the form checks its shape), far above those the register gives out.
    fileSequence += 1
    const file = await createBeneficiary(regionId, colleague.id, { category: 'MEDIATION_PARTICIPANT', fileNumber: `ԼՌ-2030-${9000 + fileSequence}` })
    fileNumber = file.fileNumber
  })

  it('when the service head instructs, the head names a mediator who meets the parties, reaches an agreement and reports in time, then the case is reported on time', async () => {
    let browser = await at('2030-04-11T10:00:00+04:00', serviceHead)
    const form = await browser.get(`/regions/${regionId}/mediation/new`)
    expect(form.status).to.equal(200)
    const caseId = await instruct(browser)
    let page = await browser.get(`/mediation/${caseId}`)
    expect(page.text).to.match(/ԼՌ-ՀՇ-2030-\d{4}/)
    expect(page.text).to.contain('data-testid="case-status">Հանձնարարված')
    expect(page.text).to.contain('data-testid="report-due-pending"')

    browser = await at('2030-04-12T10:00:00+04:00', head)
    page = await browser.get(`/mediation/${caseId}`)
    expect((await browser.post(`/mediation/${caseId}/mediator`, { mediatorUserId: String(mediator.id), version: versionOf(page.text, 'mediator-form') })).status).to.equal(303)

    browser = await at('2030-04-18T10:00:00+04:00', mediator)
    const list = await browser.get(`/regions/${regionId}/mediation`)
    expect(list.text).to.contain(`/mediation/${caseId}"`).and.contain('data-testid="own-cases-only"')
    const met = await browser.post(`/mediation/${caseId}/meetings`, { heldOn: '18.04.2030', place: 'Վանաձոր, մարմնի շենք', participants: 'Շահառուն, տուժողը, ներկայացուցիչը', summary: 'Կողմերը ներկայացրել են իրենց դիրքորոշումները', nextSteps: 'Երկրորդ հանդիպում' })
    expect(met.status).to.equal(303)
    page = await browser.get(`/mediation/${caseId}`)
    expect(page.text).to.contain('data-testid="case-status">Ընթացքում').and.contain('Կողմերը ներկայացրել են իրենց դիրքորոշումները')

    browser = await at('2030-04-22T10:00:00+04:00', mediator)
    page = await browser.get(`/mediation/${caseId}`)
    const concluded = await browser.post(`/mediation/${caseId}/outcome`, { outcome: 'AGREEMENT', concludedOn: '22.04.2030', agreementTerms: 'Վնասի հատուցում 200 000 դրամ մինչև 30.05.2030', outcomeReason: '', version: versionOf(page.text, 'outcome-form') })
    expect(concluded.status, mainOf(concluded.text)).to.equal(303)
    page = await browser.get(`/mediation/${caseId}`)
    // 10 working days from Monday 22.04.2030: 24 April (Wednesday) and 1 May (Wednesday) are holidays, so Wednesday 08.05.2030.
    expect(page.text).to.contain('data-testid="report-due">08.05.2030')
    expect(page.text).to.contain('Ցեղասպանության զոհերի հիշատակի օր').and.contain('01.05.2030 (Աշխատանքի օր)')
    expect(page.text).to.contain('Կանխադրված ժամկետ է, օրենքով սահմանված չէ։')

    browser = await at('2030-05-06T10:00:00+04:00', mediator)
    page = await browser.get(`/mediation/${caseId}`)
    const reported = await browser.post(`/mediation/${caseId}/report`, { sentOn: '06.05.2030', letterReference: 'ԼՌ-Ե-2030-0042', version: versionOf(page.text, 'report-form') })
    expect(reported.status).to.equal(303)
    page = await browser.get(`/mediation/${caseId}`)
    expect(page.text).to.contain('data-testid="case-status">Զեկուցված').and.contain('ԼՌ-Ե-2030-0042').and.contain('ժամկետում')
    expect(page.text).not.to.contain('data-testid="report-form"')

    browser = await at('2030-05-06T10:00:00+04:00', serviceHead)
    const overview = await browser.get('/mediation')
    expect(overview.status).to.equal(200)
    expect(overview.text).to.contain(`/regions/${regionId}/mediation`)
    const actions = await AuditEvent.findAll({ where: { category: 'mediation', targetId: String(caseId) }, order: [['id', 'ASC']] })
    expect(actions.map((event) => event.action).filter((action) => !action.startsWith('mediation.view'))).to.deep.equal(['mediation.instruct', 'mediation.nameMediator', 'mediation.recordMeeting', 'mediation.conclude', 'mediation.report'])
  })

  it('when the decision sets the report date, then it wins over the default term from the start, moved off a holiday, and stays after the conclusion', async () => {
    // 09.05.2030 is Victory and Peace Day (a Thursday): the next working day is Friday 10.05.2030.
    const caseId = await instruct(await at('2030-04-11T10:00:00+04:00', serviceHead), { authorityReportDate: '09.05.2030' })
    const browser = await at('2030-04-12T10:00:00+04:00', head)
    let page = await browser.get(`/mediation/${caseId}`)
    expect(page.text).to.contain('data-testid="report-due">10.05.2030')
    expect(page.text).to.contain('Կիրառվել է փաստաթղթում նշված ժամկետը՝ 09.05.2030')
    await browser.post(`/mediation/${caseId}/mediator`, { mediatorUserId: String(mediator.id), version: versionOf(page.text, 'mediator-form') })
    page = await browser.get(`/mediation/${caseId}`)
    const notHeld = await browser.post(`/mediation/${caseId}/outcome`, { outcome: 'NOT_HELD', concludedOn: '12.04.2030', outcomeReason: 'Տուժողը հրաժարվել է մասնակցել', version: versionOf(page.text, 'outcome-form') })
    expect(notHeld.status).to.equal(303)
    page = await browser.get(`/mediation/${caseId}`)
    expect(page.text).to.contain('data-testid="report-due">10.05.2030')

    await browser.post('/language', { language: 'en', returnTo: `/mediation/${caseId}` })
    page = await browser.get(`/mediation/${caseId}`)
    expect(page.text).to.contain('The date set in the document itself, 09.05.2030, is used instead of the default term.')
    expect(page.text).to.contain('Skipped: 09.05.2030 (Victory and Peace Day).')
    expect(page.text).to.contain('Default term, not from law.')
  })

  it('when the service head corrects the instruction with the authority\'s report date, then the due date follows it; a concluded case takes no correction', async () => {
    const caseId = await caseWithMediator()
    let browser = await at('2030-04-12T10:00:00+04:00', serviceHead)
    let page = await browser.get(`/mediation/${caseId}`)
    expect(page.text).to.contain('data-testid="report-due-pending"')
    const corrected = await browser.post(`/mediation/${caseId}/instruction`, { ...INSTRUCTION, authorityReportDate: '03.05.2030', version: versionOf(page.text, 'instruction-edit-form') })
    expect(corrected.status).to.equal(303)
    page = await browser.get(`/mediation/${caseId}`)
    expect(page.text).to.contain('data-testid="report-due">03.05.2030')
    const backwards = await browser.post(`/mediation/${caseId}/instruction`, { ...INSTRUCTION, authorityReportDate: '01.04.2030', version: versionOf(page.text, 'instruction-edit-form') })
    expect(backwards.status).to.equal(400)
    expect(backwards.text).to.contain('id="authorityReportDate-error"').and.contain('value="01.04.2030"')

    browser = await at('2030-04-12T10:00:00+04:00', mediator)
    page = await browser.get(`/mediation/${caseId}`)
    await browser.post(`/mediation/${caseId}/outcome`, { outcome: 'NOT_HELD', concludedOn: '12.04.2030', outcomeReason: 'Շահառուն չի ներկայացել', version: versionOf(page.text, 'outcome-form') })
    browser = await at('2030-04-12T10:00:00+04:00', serviceHead)
    page = await browser.get(`/mediation/${caseId}`)
    expect(page.text).to.contain('data-testid="report-due">03.05.2030').and.not.contain('data-testid="instruction-edit-form"')
    // Its form is gone; a post from a page opened earlier is refused for the case's state, not as a stale edit.
    const [{ version }] = await t.services.sequelize.query<{ version: number }>('SELECT version FROM mediation_cases WHERE id = :caseId', { replacements: { caseId }, type: QueryTypes.SELECT })
    const late = await browser.post(`/mediation/${caseId}/instruction`, { ...INSTRUCTION, version: String(version) })
    expect(late.status).to.equal(400)
    expect(late.text).to.contain('այլևս չի ուղղվում')
  })

  it('when people other than those running the mediation open a case, then the victim and the confidential record are never rendered, the victim routes are refused, and every view is audited', async () => {
    const caseId = await caseWithMediator()
    let browser = await at('2030-04-15T10:00:00+04:00', mediator)
    await browser.post(`/mediation/${caseId}/meetings`, { heldOn: '15.04.2030', place: 'Վանաձոր', participants: `Շահառուն, ${VICTIM.victimName}`, summary: 'Առաջին հանդիպում', nextSteps: '' })

    const acting = await createPerson('SENIOR_SPECIALIST', 'LORI')
    await Delegation.create({ regionId, actingUserId: acting.id, grantedByUserId: head.id, startsOn: '2030-04-14', endsOn: '2030-04-20', reason: 'annual leave', revokedAt: null, revokedByUserId: null, revokeReason: null })
    for (const person of [mediator, head, acting, serviceHead]) {
      browser = await at('2030-04-15T10:00:00+04:00', person)
      const before = await AuditEvent.count({ where: { action: 'mediation.viewVictim', actorUserId: person.id, targetId: String(caseId) } })
      const page = await browser.get(`/mediation/${caseId}`)
      expect(page.status, person.role).to.equal(200)
      expect(page.text, person.role).to.contain(VICTIM.victimName).and.contain(VICTIM.victimContact).and.contain('Առաջին հանդիպում')
      expect(await AuditEvent.count({ where: { action: 'mediation.viewVictim', actorUserId: person.id, targetId: String(caseId) } }), person.role).to.equal(before + 1)
      expect((await browser.get(`/mediation/${caseId}/victim`)).status, person.role).to.equal(200)
    }

    const senior = await createPerson('SENIOR_SPECIALIST', 'LORI')
    for (const person of [colleague, senior]) {
      browser = await at('2030-04-15T10:00:00+04:00', person)
      const page = await browser.get(`/mediation/${caseId}`)
      expect(page.status, person.role).to.equal(200)
      expect(page.text, person.role).to.contain('data-testid="victim-restricted"').and.contain('data-testid="meetings-restricted"').and.contain('15.04.2030')
      for (const secret of [VICTIM.victimName, 'Անահիտ', VICTIM.victimContact, VICTIM.victimRepresentative, 'Առաջին հանդիպում']) expect(page.text, person.role).not.to.contain(secret)
      expect(await AuditEvent.count({ where: { action: 'mediation.view', actorUserId: person.id, targetId: String(caseId) } }), person.role).to.equal(1)
      expect((await browser.get(`/mediation/${caseId}/victim`)).status, person.role).to.equal(404)
      const overwrite = await browser.post(`/mediation/${caseId}/victim`, { victimName: 'Overwritten', version: '1' })
      expect(overwrite.status, person.role).to.equal(404)
      expect(overwrite.text).not.to.contain(VICTIM.victimName)
      // Nor do they run it: no meeting, outcome or mediator from them.
      expect((await browser.post(`/mediation/${caseId}/meetings`, { heldOn: '15.04.2030', place: 'x', participants: 'x', summary: 'x' })).status, person.role).to.equal(404)
      // In the region's list they see only the cases they mediate.
      expect((await browser.get(`/regions/${regionId}/mediation`)).text, person.role).not.to.contain(`/mediation/${caseId}"`)
    }
    const [victim] = await t.services.sequelize.query<{ full_name: string }>('SELECT full_name FROM mediation_victims WHERE case_id = :caseId', { replacements: { caseId }, type: QueryTypes.SELECT })
    expect(victim.full_name).to.equal(VICTIM.victimName)

    const otherHead = await createPerson('REGIONAL_HEAD', 'SHIRAK')
    browser = await at('2030-04-15T10:00:00+04:00', otherHead)
    expect((await browser.get(`/mediation/${caseId}`)).status).to.equal(404)
    expect((await browser.get(`/mediation/${caseId}/victim`)).status).to.equal(404)
  })

  it('when the mediator corrects the victim\'s details, then they are saved and the audit line names the fields changed, not their values', async () => {
    const caseId = await caseWithMediator()
    const browser = await at('2030-04-15T10:00:00+04:00', mediator)
    const page = await browser.get(`/mediation/${caseId}/victim`)
    expect(page.text).to.contain(`value="${VICTIM.victimContact}"`)
    const saved = await browser.post(`/mediation/${caseId}/victim`, { ...VICTIM, victimContact: '+374 93 000000', version: versionOf(page.text, 'victim-form') })
    expect(saved.status).to.equal(303)
    expect((await browser.get(`/mediation/${caseId}`)).text).to.contain('+374 93 000000')
    const line = await AuditEvent.findOne({ where: { action: 'mediation.editVictim', targetId: String(caseId) } })
    expect(line?.details).to.deep.equal({ changed: ['contact'] })
    expect(JSON.stringify(line?.details)).not.to.contain('374')

    const stale = await browser.post(`/mediation/${caseId}/victim`, { ...VICTIM, victimContact: '+374 77 111111', version: versionOf(page.text, 'victim-form') })
    expect(stale.status).to.equal(409)
    expect(stale.text).to.contain('data-testid="victim-saved"').and.contain('+374 93 000000').and.contain('value="+374 77 111111"')
  })

  it('when the instruction is bad, then each problem is named beside its field in the user\'s language and the form keeps what was typed', async () => {
    const browser = await at('2030-04-11T10:00:00+04:00', serviceHead)
    const empty = await browser.post(`/regions/${regionId}/mediation/new`, { ...INSTRUCTION, authority: '', victimName: '', receivedOn: '31.02.2030', beneficiaryFileNumber: fileNumber })
    expect(empty.status).to.equal(400)
    expect(empty.text).to.contain('id="authority-error"').and.contain('id="victimName-error"').and.contain('id="receivedOn-error"')
    expect(empty.text).to.contain(VALIDATION_HY.required).and.contain(VALIDATION_HY.date).and.contain(VALIDATION_HY.summary)
    expect(empty.text).to.contain(`value="${INSTRUCTION.criminalCaseNumber}"`)
    expect(empty.text).to.match(/aria-describedby="[^"]*authority-error"/)

    const future = await browser.post(`/regions/${regionId}/mediation/new`, { ...INSTRUCTION, ...VICTIM, beneficiaryFileNumber: fileNumber, receivedOn: '12.04.2030', instructedOn: '12.04.2030' })
    expect(future.status).to.equal(400)
    expect(future.text).to.contain('id="receivedOn-error"').and.contain('չի կարող լինել ապագայում')
    const order = await browser.post(`/regions/${regionId}/mediation/new`, { ...INSTRUCTION, ...VICTIM, beneficiaryFileNumber: fileNumber, authorityDecisionDate: '10.04.2030', receivedOn: '09.04.2030' })
    expect(order.text).to.contain('id="authorityDecisionDate-error"')

    const elsewhere = await createBeneficiary(await regionIdOf('SHIRAK'), null, { fileNumber: 'ՇԿ-2030-9000' })
    await browser.post('/language', { language: 'en', returnTo: '/' })
    const foreign = await browser.post(`/regions/${regionId}/mediation/new`, { ...INSTRUCTION, ...VICTIM, beneficiaryFileNumber: elsewhere.fileNumber })
    expect(foreign.status).to.equal(400)
    expect(foreign.text).to.contain('id="beneficiaryFileNumber-error"').and.contain('This regional body has no personal file with this number.')
    expect(foreign.text).to.contain(`value="${VICTIM.victimName}"`)
    const missing = await browser.post(`/regions/${regionId}/mediation/new`, { ...INSTRUCTION, ...VICTIM, beneficiaryFileNumber: fileNumber, criminalCaseNumber: '' })
    expect(missing.text).to.contain(VALIDATION_EN.required).and.contain(VALIDATION_EN.summary)
    expect(await t.services.sequelize.query('SELECT 1 FROM mediation_cases c JOIN beneficiaries b ON b.id = c.beneficiary_id WHERE b.file_number = :fileNumber', { replacements: { fileNumber }, type: QueryTypes.SELECT })).to.have.length(0)
  })

  it('when the steps are given out of order or against the rules, then each is refused beside its field and nothing changes', async () => {
    const caseId = await instruct(await at('2030-04-11T10:00:00+04:00', serviceHead))
    let browser = await at('2030-04-12T10:00:00+04:00', head)
    let page = await browser.get(`/mediation/${caseId}`)
    const stranger = await createPerson('SPECIALIST', 'SHIRAK')
    const foreign = await browser.post(`/mediation/${caseId}/mediator`, { mediatorUserId: String(stranger.id), version: versionOf(page.text, 'mediator-form') })
    expect(foreign.status).to.equal(400)
    expect(foreign.text).to.contain('id="mediatorUserId-error"').and.contain('գործող աշխատակից')
    const inactive = await createPerson('SPECIALIST', 'LORI', { active: false })
    expect((await browser.post(`/mediation/${caseId}/mediator`, { mediatorUserId: String(inactive.id), version: versionOf(page.text, 'mediator-form') })).status).to.equal(400)
    // No outcome without a mediator.
    expect(page.text).not.to.contain('data-testid="outcome-form"')
    await browser.post(`/mediation/${caseId}/mediator`, { mediatorUserId: String(mediator.id), version: versionOf(page.text, 'mediator-form') })

    browser = await at('2030-04-15T10:00:00+04:00', mediator)
    page = await browser.get(`/mediation/${caseId}`)
    const early = await browser.post(`/mediation/${caseId}/meetings`, { heldOn: '10.04.2030', place: 'Վանաձոր', participants: 'Կողմերը', summary: 'Ամփոփում' })
    expect(early.status).to.equal(400)
    expect(early.text).to.contain('id="heldOn-error"').and.contain('11.04.2030')
    const tomorrow = await browser.post(`/mediation/${caseId}/meetings`, { heldOn: '16.04.2030', place: 'Վանաձոր', participants: 'Կողմերը', summary: 'Ամփոփում' })
    expect(tomorrow.text).to.contain('չի կարող լինել ապագայում').and.contain('>Ամփոփում</textarea>')

    const noOutcome = await browser.post(`/mediation/${caseId}/outcome`, { outcome: '', concludedOn: '15.04.2030', version: versionOf(page.text, 'outcome-form') })
    expect(noOutcome.status).to.equal(400)
    expect(noOutcome.text).to.contain('id="outcome-error"').and.contain(VALIDATION_HY.required)
    const noReason = await browser.post(`/mediation/${caseId}/outcome`, { outcome: 'NOT_HELD', concludedOn: '15.04.2030', outcomeReason: '', version: versionOf(page.text, 'outcome-form') })
    expect(noReason.text).to.contain('id="outcomeReason-error"')
    const noTerms = await browser.post(`/mediation/${caseId}/outcome`, { outcome: 'AGREEMENT', concludedOn: '15.04.2030', agreementTerms: '', version: versionOf(page.text, 'outcome-form') })
    expect(noTerms.text).to.contain('id="agreementTerms-error"')
    const withoutMeeting = await browser.post(`/mediation/${caseId}/outcome`, { outcome: 'NO_AGREEMENT', concludedOn: '15.04.2030', version: versionOf(page.text, 'outcome-form') })
    expect(withoutMeeting.status).to.equal(400)
    expect(withoutMeeting.text).to.contain('առնվազն մեկ հանդիպում')
    const reportFirst = await browser.post(`/mediation/${caseId}/report`, { sentOn: '15.04.2030', letterReference: 'ԼՌ-Ե-2030-0001', version: versionOf(page.text, 'outcome-form') })
    expect(reportFirst.status).to.equal(400)

    await browser.post(`/mediation/${caseId}/meetings`, { heldOn: '15.04.2030', place: 'Վանաձոր', participants: 'Կողմերը', summary: 'Ամփոփում' })
    page = await browser.get(`/mediation/${caseId}`)
    const beforeMeeting = await browser.post(`/mediation/${caseId}/outcome`, { outcome: 'NO_AGREEMENT', concludedOn: '14.04.2030', version: versionOf(page.text, 'outcome-form') })
    expect(beforeMeeting.text).to.contain('id="concludedOn-error"').and.contain('15.04.2030')
    expect((await browser.post(`/mediation/${caseId}/outcome`, { outcome: 'NO_AGREEMENT', concludedOn: '15.04.2030', version: versionOf(page.text, 'outcome-form') })).status).to.equal(303)
    page = await browser.get(`/mediation/${caseId}`)
    const reportEarly = await browser.post(`/mediation/${caseId}/report`, { sentOn: '14.04.2030', letterReference: 'ԼՌ-Ե-2030-0001', version: versionOf(page.text, 'report-form') })
    expect(reportEarly.status).to.equal(400)
    expect(reportEarly.text).to.contain('id="sentOn-error"').and.contain('15.04.2030')
    const [row] = await t.services.sequelize.query<{ status: string }>('SELECT status FROM mediation_cases WHERE id = :caseId', { replacements: { caseId }, type: QueryTypes.SELECT })
    expect(row.status).to.equal('CONCLUDED')
  })

  it('when two heads name a mediator from the same page, then the second, stale choice is refused with the current state shown', async () => {
    const caseId = await instruct(await at('2030-04-11T10:00:00+04:00', serviceHead))
    const browser = await at('2030-04-12T10:00:00+04:00', head)
    const page = await browser.get(`/mediation/${caseId}`)
    const version = versionOf(page.text, 'mediator-form')
    expect((await browser.post(`/mediation/${caseId}/mediator`, { mediatorUserId: String(mediator.id), version })).status).to.equal(303)
    const stale = await browser.post(`/mediation/${caseId}/mediator`, { mediatorUserId: String(colleague.id), version })
    expect(stale.status).to.equal(409)
    expect(stale.text).to.match(new RegExp(`data-testid="case-mediator">Test SPECIALIST \\d+`))
    expect(stale.text).to.contain(`value="${colleague.id}" selected`)
    const [row] = await t.services.sequelize.query<{ mediator_user_id: number }>('SELECT mediator_user_id FROM mediation_cases WHERE id = :caseId', { replacements: { caseId }, type: QueryTypes.SELECT })
    expect(row.mediator_user_id).to.equal(mediator.id)
  })

  it('when the Service declines an instruction, then the reason is required, no report is owed and the case takes no further step', async () => {
    const caseId = await instruct(await at('2030-04-11T10:00:00+04:00', serviceHead))
    const browser = await at('2030-04-12T10:00:00+04:00', head)
    let page = await browser.get(`/mediation/${caseId}`)
    const noReason = await browser.post(`/mediation/${caseId}/end`, { kind: 'DECLINED', endedOn: '12.04.2030', reason: '', version: versionOf(page.text, 'end-form') })
    expect(noReason.status).to.equal(400)
    expect(noReason.text).to.contain('id="reason-error"')
    expect((await browser.post(`/mediation/${caseId}/end`, { kind: 'DECLINED', endedOn: '12.04.2030', reason: 'Հանձնարարականը դուրս է Ծառայության իրավասությունից', version: versionOf(page.text, 'end-form') })).status).to.equal(303)
    page = await browser.get(`/mediation/${caseId}`)
    expect(page.text).to.contain('data-testid="case-status">Մերժված').and.contain('Զեկույց չի պահանջվում')
    expect(page.text).not.to.contain('data-testid="mediator-form"').and.not.to.contain('data-testid="end-form"')
    const late = await browser.post(`/mediation/${caseId}/mediator`, { mediatorUserId: String(mediator.id), version: '2' })
    expect(late.status).to.equal(400)
  })
})
