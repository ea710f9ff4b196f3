import { randomUUID } from 'node:crypto'
import { expect } from 'chai'
import { QueryTypes } from 'sequelize'
import type request from 'supertest'
import { buildTestApp, type TestApp } from '../helpers/app'
import { signIn, type Browser } from '../helpers/agent'
import { createBeneficiary } from '../helpers/beneficiaries'
import { createPerson, regionIdOf, type TestPerson } from '../helpers/people'
import { contextOf } from '../helpers/supervision'
import { sampleInstrument } from '../../server/domain/sampleInstrument'

/** The one-time id of the page's form that posts to `action` (a page may hold several forms). */
function submissionIdOf(page: string, action: string): string {
  const form = new RegExp(`<form[^>]*action="${action}"((?:(?!</form>)[\\s\\S])*)</form>`).exec(page)
  if (!form) throw new Error(`no form posting to ${action} on the page`)
  const id = /name="submissionId" value="([0-9a-f-]{36})"/.exec(form[1])
  if (!id) throw new Error(`the form posting to ${action} carries no submission id`)
  return id[1]
}

/** The same filled form sent three times at once (a double click, a resend), then once more after. */
async function sentRepeatedly(browser: Browser, action: string, fields: Record<string, string | string[]>): Promise<request.Response[]> {
  const atOnce = await Promise.all(Array.from({ length: 3 }, () => browser.post(action, fields)))
  return [...atOnce, await browser.post(action, fields)]
}

function expectEachLedTo(answers: request.Response[], location: string): void {
  expect(answers.map((answer) => answer.status).filter((status) => status >= 500), 'no server error').to.deep.equal([])
  expect(answers.map((answer) => [answer.status, answer.headers.location])).to.deep.equal(answers.map(() => [303, location]))
}

describe('create forms sent more than once', () => {
  let t: TestApp

  beforeEach(() => {
    t = buildTestApp()
    t.clock.set('2031-11-24T10:00:00+04:00')
  })

  it('when the new event form is sent repeatedly, then the event is created once and every answer leads to it', async () => {
    const regionId = await regionIdOf('GEGHARKUNIK')
    const organiser = await createPerson('SENIOR_SPECIALIST', 'GEGHARKUNIK')
    const browser = await signIn(t.app, organiser.username)
    const action = `/regions/${regionId}/activities/new`
    const page = await browser.get(action)
    const fields = { kind: 'SPORTS', title: 'Ֆուտբոլային մրցաշար', date: '24.11.2031', time: '11:00', place: 'Գավառի մարզադաշտ', organiser: 'Երիտասարդական կենտրոն', description: '', submissionId: submissionIdOf(page.text, action) }
    const answers = await sentRepeatedly(browser, action, fields)
    const created = await t.services.sequelize.query<{ id: number }>('SELECT id FROM activity_events WHERE created_by_user_id = :userId', { replacements: { userId: organiser.id }, type: QueryTypes.SELECT })
    expect(created).to.have.length(1)
    expectEachLedTo(answers, `/activities/${created[0].id}`)
  })

  it('when a new device is sent repeatedly, then it is registered once (a repeat is not refused as a serial taken) and every answer leads to the register', async () => {
    const regionId = await regionIdOf('TAVUSH')
    const head = await signIn(t.app, (await createPerson('REGIONAL_HEAD', 'TAVUSH')).username)
    const action = `/regions/${regionId}/devices`
    const page = await head.get(action)
    const serial = `GPS-${randomUUID().slice(0, 8).toUpperCase()}`
    const answers = await sentRepeatedly(head, action, { serial, kind: 'GPS', submissionId: submissionIdOf(page.text, action) })
    expect((await t.services.monitoring.devices(regionId)).filter((device) => device.serial === serial)).to.have.length(1)
    expectEachLedTo(answers, action)
  })

  describe('in mediation', () => {
    let regionId: number
    let serviceHead: TestPerson
    let beneficiaryFileNumber: string
    let beneficiaryId: number

    /** The instruction form filled in, with the id of the form it was read from. */
    function instruction(submissionId: string) {
      return {
        authority: 'Լոռու մարզի առաջին ատյանի ընդհանուր իրավասության դատարան', criminalCaseNumber: 'ԼԴ/0777/01/31', authorityReference: '', authorityDecisionDate: '18.11.2031', receivedOn: '20.11.2031',
        instructedOn: '24.11.2031', instructionNote: '', beneficiaryFileNumber, victimName: 'Անահիտ Մկրտչյան', victimContact: '', victimRepresentative: '', victimNotes: '', submissionId,
      }
    }

    async function casesOfTheFile(): Promise<{ id: number }[]> {
      return t.services.sequelize.query<{ id: number }>('SELECT id FROM mediation_cases WHERE beneficiary_id = :beneficiaryId', { replacements: { beneficiaryId }, type: QueryTypes.SELECT })
    }

    beforeEach(async () => {
      regionId = await regionIdOf('LORI')
      serviceHead = await createPerson('SERVICE_HEAD', null)
      const file = await createBeneficiary(regionId, (await createPerson('SPECIALIST', 'LORI')).id, { category: 'MEDIATION_PARTICIPANT', fileNumber: `ԼՌ-2031-${70000 + Math.floor(Math.random() * 29999)}` })
      beneficiaryFileNumber = file.fileNumber
      beneficiaryId = file.id
    })

    it('when the mediation instruction is sent repeatedly, then the case is instructed once and every answer leads to it', async () => {
      const browser = await signIn(t.app, serviceHead.username)
      const action = `/regions/${regionId}/mediation/new`
      const page = await browser.get(action)
      const answers = await sentRepeatedly(browser, action, instruction(submissionIdOf(page.text, action)))
      const cases = await casesOfTheFile()
      expect(cases).to.have.length(1)
      expectEachLedTo(answers, `/mediation/${cases[0].id}`)
    })

    it('when a meeting with the parties is sent repeatedly, then it is recorded once and every answer leads to the case\'s meetings', async () => {
      const instructing = await signIn(t.app, serviceHead.username)
      const form = await instructing.get(`/regions/${regionId}/mediation/new`)
      expect((await instructing.post(`/regions/${regionId}/mediation/new`, instruction(submissionIdOf(form.text, `/regions/${regionId}/mediation/new`)))).status).to.equal(303)
      const [{ id: caseId }] = await casesOfTheFile()
      const mediator = await createPerson('SPECIALIST', 'LORI')
      const head = await signIn(t.app, (await createPerson('REGIONAL_HEAD', 'LORI')).username)
      const casePage = await head.get(`/mediation/${caseId}`)
      const version = /data-testid="mediator-form"[\s\S]*?name="version" value="(\d+)"/.exec(casePage.text)![1]
      expect((await head.post(`/mediation/${caseId}/mediator`, { mediatorUserId: String(mediator.id), version })).status).to.equal(303)
      const browser = await signIn(t.app, mediator.username)
      const action = `/mediation/${caseId}/meetings`
      const page = await browser.get(`/mediation/${caseId}`)
      const answers = await sentRepeatedly(browser, action, { heldOn: '24.11.2031', place: 'Վանաձոր, մարմնի շենք', participants: 'Շահառուն, տուժողը', summary: 'Կողմերը ներկայացրել են իրենց դիրքորոշումները', nextSteps: '', submissionId: submissionIdOf(page.text, action) })
      expect(await t.services.mediation.meetingDates(caseId)).to.have.length(1)
      expectEachLedTo(answers, `/mediation/${caseId}#meetings`)
    })
  })

  describe('on a personal file', () => {
    let officer: TestPerson
    let browser: Browser
    let beneficiaryId: number

    beforeEach(async () => {
      officer = await createPerson('SPECIALIST', 'SHIRAK')
      browser = await signIn(t.app, officer.username)
      beneficiaryId = (await createBeneficiary(await regionIdOf('SHIRAK'), officer.id)).id
    })

    it('when a note is sent repeatedly, then it is added once and every answer leads to the file\'s notes', async () => {
      const action = `/beneficiaries/${beneficiaryId}/notes`
      const page = await browser.get(`/beneficiaries/${beneficiaryId}`)
      const answers = await sentRepeatedly(browser, action, { body: 'Զանգահարեց, կներկայանա երկուշաբթի', submissionId: submissionIdOf(page.text, action) })
      expect(await t.services.beneficiaries.notes(beneficiaryId)).to.have.length(1)
      expectEachLedTo(answers, `/beneficiaries/${beneficiaryId}#notes`)
    })

    it('when a transfer to another region is asked repeatedly, then it is asked once (a repeat is not refused as already pending) and every answer leads to the file', async () => {
      const head = await signIn(t.app, (await createPerson('REGIONAL_HEAD', 'SHIRAK')).username)
      const action = `/beneficiaries/${beneficiaryId}/transfer`
      const page = await head.get(action)
      const answers = await sentRepeatedly(head, action, { toRegionId: String(await regionIdOf('LORI')), reason: 'Տեղափոխվել է Վանաձոր', submissionId: submissionIdOf(page.text, action) })
      expect(await t.services.transfers.forBeneficiary(beneficiaryId)).to.have.length(1)
      expectEachLedTo(answers, `/beneficiaries/${beneficiaryId}`)
    })

    it('when a document\'s upload is sent repeatedly, then it is stored once and every answer leads to the file\'s documents', async () => {
      const action = `/beneficiaries/${beneficiaryId}/documents`
      const page = await browser.get(`/beneficiaries/${beneficiaryId}`)
      const submissionId = submissionIdOf(page.text, action)
      const uploaded = () => browser.agent.post(action).field('_csrf', browser.csrf).field('description', 'դատավճռի պատճեն').field('submissionId', submissionId).attach('file', Buffer.from('%PDF-1.7\n%%EOF\n'), 'verdict.pdf')
      const answers = [...(await Promise.all([uploaded(), uploaded(), uploaded()])), await uploaded()]
      expect(await t.services.beneficiaries.documents(beneficiaryId)).to.have.length(1)
      expectEachLedTo(answers, `/beneficiaries/${beneficiaryId}#documents`)
    })
  })

  describe('in correspondence', () => {
    let head: Browser
    let itemId: number

    async function countOf(table: string, where: string, replacements: Record<string, number>): Promise<number> {
      const [{ count }] = await t.services.sequelize.query<{ count: number }>(`SELECT count(*)::int AS count FROM ${table} WHERE ${where}`, { replacements, type: QueryTypes.SELECT })
      return count
    }

    beforeEach(async () => {
      const regionId = await regionIdOf('KOTAYK')
      head = await signIn(t.app, (await createPerson('REGIONAL_HEAD', 'KOTAYK')).username)
      const registered = await head.post(`/regions/${regionId}/correspondence/new`, {
        receivedOn: '24.11.2031', channel: 'POST', kind: 'UNIT_REQUEST', sender: 'Քրեակատարողական հիմնարկ', subject: 'Զեկույց ՊՎԱ-ի համար', reportRequested: '1', reportPurpose: 'EARLY_RELEASE', documentDueDate: '04.12.2031',
      })
      expect(registered.status).to.equal(303)
      itemId = Number(/\/correspondence\/(\d+)$/.exec(registered.headers.location)![1])
    })

    it('when a letter\'s attachment is sent repeatedly, then it is attached once and every answer leads to the item\'s attachments', async () => {
      const action = `/correspondence/${itemId}/attachments`
      const page = await head.get(`/correspondence/${itemId}`)
      const submissionId = submissionIdOf(page.text, action)
      const uploaded = () => head.agent.post(action).field('_csrf', head.csrf).field('submissionId', submissionId).attach('file', Buffer.from('%PDF-1.7\n%%EOF\n'), 'request.pdf')
      const answers = [...(await Promise.all([uploaded(), uploaded(), uploaded()])), await uploaded()]
      expect(await countOf('correspondence_attachments', 'incoming_item_id = :itemId', { itemId })).to.equal(1)
      expectEachLedTo(answers, `/correspondence/${itemId}#attachments`)
    })

    it('when a line of the task\'s checklist is sent repeatedly, then it is added once and every answer leads to the task', async () => {
      const taskId = Number(/\/tasks\/(\d+)/.exec((await head.get(`/correspondence/${itemId}`)).text)![1])
      const linesBefore = await countOf('task_checklist', 'task_id = :taskId', { taskId })
      const action = `/tasks/${taskId}/checklist`
      const page = await head.get(`/tasks/${taskId}`)
      const answers = await sentRepeatedly(head, action, { source: 'EMPLOYER', description: 'Աշխատավայրի բնութագիր', submissionId: submissionIdOf(page.text, action) })
      expect(await countOf('task_checklist', 'task_id = :taskId', { taskId })).to.equal(linesBefore + 1)
      expectEachLedTo(answers, `/tasks/${taskId}`)
    })

    it('when a checklist line\'s request for information is sent repeatedly, then one letter is drafted (a repeat is not refused as already requested) and every answer leads to it', async () => {
      const taskId = Number(/\/tasks\/(\d+)/.exec((await head.get(`/correspondence/${itemId}`)).text)![1])
      const page = await head.get(`/tasks/${taskId}`)
      const action = /action="(\/tasks\/\d+\/checklist\/\d+\/request)"/.exec(page.text)![1]
      const answers = await sentRepeatedly(head, action, { addressee: 'ՀՀ ոստիկանություն', addresseeAddress: '', subject: 'Տեղեկանք', body: 'Խնդրում ենք տրամադրել տեղեկանք', letterDate: '24.11.2031', submissionId: submissionIdOf(page.text, action) })
      const letters = await t.services.sequelize.query<{ id: number }>(`SELECT id FROM outgoing_letters WHERE task_id = :taskId`, { replacements: { taskId }, type: QueryTypes.SELECT })
      expect(letters).to.have.length(1)
      expectEachLedTo(answers, `/letters/${letters[0].id}`)
    })
  })

  describe('in administration', () => {
    let admin: Browser

    async function countOf(sql: string, replacements: Record<string, string>): Promise<number> {
      const [{ count }] = await t.services.sequelize.query<{ count: number }>(sql, { replacements, type: QueryTypes.SELECT })
      return count
    }

    /** The new account form filled in, with the id of the form it was read from. */
    async function newAccount(role: string, region: string): Promise<Record<string, string>> {
      const page = await admin.get('/admin/users/new')
      return { username: `new.${randomUUID().slice(0, 8)}`, fullName: 'Նոր Աշխատակից', email: '', role, regionId: String(await regionIdOf(region)), temporaryPassword: 'Temporary pass 12345', submissionId: submissionIdOf(page.text, '/admin/users/new') }
    }

    beforeEach(async () => {
      admin = await signIn(t.app, (await createPerson('ADMINISTRATOR', null)).username)
    })

    it('when a new account is sent repeatedly, then it is created once (a repeat is not refused as a name taken) and every answer leads to it', async () => {
      const account = await newAccount('SPECIALIST', 'SYUNIK')
      const answers = await sentRepeatedly(admin, '/admin/users/new', account)
      const created = await t.services.sequelize.query<{ id: number }>('SELECT id FROM users WHERE username = :username', { replacements: { username: account.username }, type: QueryTypes.SELECT })
      expect(created).to.have.length(1)
      expectEachLedTo(answers, `/admin/users/${created[0].id}`)
    })

    it('when a regional head\'s new account is sent repeatedly, then one request for it waits for the service head and every answer leads to the requests', async () => {
      const account = await newAccount('REGIONAL_HEAD', 'SYUNIK')
      const answers = await sentRepeatedly(admin, '/admin/users/new', account)
      expect(await countOf(`SELECT count(*)::int AS count FROM account_requests WHERE account ->> 'username' = :username`, { username: account.username })).to.equal(1)
      expectEachLedTo(answers, '/account-requests')
    })

    it('when an acting head is named repeatedly, then the delegation is made once (a repeat is not refused as overlapping) and every answer leads to the delegations', async () => {
      const regionId = await regionIdOf('ARAGATSOTN')
      const head = await signIn(t.app, (await createPerson('REGIONAL_HEAD', 'ARAGATSOTN')).username)
      const senior = await createPerson('SENIOR_SPECIALIST', 'ARAGATSOTN')
      const action = `/regions/${regionId}/delegations`
      const page = await head.get(action)
      const answers = await sentRepeatedly(head, action, { actingUserId: String(senior.id), startsOn: '01.12.2031', endsOn: '12.12.2031', reason: 'Արձակուրդ', submissionId: submissionIdOf(page.text, action) })
      expect(await countOf('SELECT count(*)::int AS count FROM delegations WHERE acting_user_id = :actingUserId', { actingUserId: String(senior.id) })).to.equal(1)
      expectEachLedTo(answers, action)
    })

    it('when a new region is sent repeatedly, then it is created once (a repeat is not refused as a code taken) and every answer leads to the regions', async () => {
      const page = await admin.get('/admin/regions/new')
      const code = 'VAYOTS_DZOR_SOUTH'
      const answers = await sentRepeatedly(admin, '/admin/regions/new', { code, filePrefix: 'ՎՁՀ', nameHy: 'Վայոց Ձորի հարավ', nameEn: 'Vayots Dzor South', centreHy: 'Եղեգնաձոր', centreEn: 'Yeghegnadzor', active: '1', submissionId: submissionIdOf(page.text, '/admin/regions/new') })
      const created = await t.services.sequelize.query<{ id: number }>('SELECT id FROM regions WHERE code = :code', { replacements: { code }, type: QueryTypes.SELECT })
      expect(created).to.have.length(1)
      expectEachLedTo(answers, '/admin/regions')
    })

    it('when a holiday of the working calendar is sent repeatedly, then the day is set once (the date is its key, so no id is needed) and every answer leads to its year', async () => {
      const holiday = { date: '31.12.2031', working: '0', reason: 'Ամանորյա տոներ' }
      const atOnce = await Promise.all(Array.from({ length: 3 }, () => admin.post('/admin/calendar', holiday)))
      const answers = [...atOnce, await admin.post('/admin/calendar', holiday)]
      expect(await countOf(`SELECT count(*)::int AS count FROM calendar_days WHERE date = :date`, { date: '2031-12-31' })).to.equal(1)
      expectEachLedTo(answers, '/admin/calendar?year=2031')
    })
  })

  describe('in supervision', () => {
    let officer: TestPerson
    let browser: Browser
    let beneficiaryId: number

    async function countOf(table: string): Promise<number> {
      const [{ count }] = await t.services.sequelize.query<{ count: number }>(`SELECT count(*)::int AS count FROM ${table} WHERE beneficiary_id = :beneficiaryId`, { replacements: { beneficiaryId }, type: QueryTypes.SELECT })
      return count
    }

    /** Posts the form three times at once, then once more: a start opens the draft there is, so no id is needed. */
    async function startedRepeatedly(action: string, fields: Record<string, string>): Promise<request.Response[]> {
      const atOnce = await Promise.all(Array.from({ length: 3 }, () => browser.post(action, fields)))
      return [...atOnce, await browser.post(action, fields)]
    }

    beforeEach(async () => {
      officer = await createPerson('SPECIALIST', 'ARARAT')
      browser = await signIn(t.app, officer.username)
      beneficiaryId = (await createBeneficiary(await regionIdOf('ARARAT'), officer.id)).id
    })

    it('when starting an assessment is sent repeatedly, then one draft is started and every answer leads to it', async () => {
      const answers = await startedRepeatedly(`/beneficiaries/${beneficiaryId}/assessments`, { reason: '' })
      const [draft] = await t.services.assessments.forBeneficiary(beneficiaryId)
      expect(await countOf('assessments')).to.equal(1)
      expectEachLedTo(answers, `/assessments/${draft.id}`)
    })

    it('when starting a plan is sent repeatedly, then one draft is opened and every answer leads to it', async () => {
      const context = contextOf(officer)
      const assessmentId = await t.services.assessments.start(beneficiaryId, null, context)
      const answers = Object.fromEntries(sampleInstrument().domains.flatMap((domain) => domain.items).map((item) => [item.code, item.options[item.options.length - 1].code]))
      const evidence = Object.fromEntries(sampleInstrument().domains.flatMap((domain) => domain.items).filter((item) => item.evidenceRequired).map((item) => [item.code, 'Դատավճիռ']))
      const saved = await t.services.assessments.saveDraft(assessmentId, { answers, evidence, expectedVersion: (await t.services.assessments.get(assessmentId)).version }, context)
      await t.services.assessments.complete(assessmentId, saved, context)
      const started = await startedRepeatedly(`/beneficiaries/${beneficiaryId}/plans`, {})
      const [draft] = await t.services.plans.history(beneficiaryId)
      expect(await countOf('supervision_plans')).to.equal(1)
      expectEachLedTo(started, `/plans/${draft.id}`)
    })
  })

  describe('on a measure', () => {
    let officer: TestPerson
    let browser: Browser
    let beneficiaryId: number
    let fineId: number
    let worksId: number

    /** Registers a court act ordering one measure with the given details (`m0_<field>`), and returns the measure's id. */
    async function ordered(typeCode: string, details: Record<string, string>): Promise<number> {
      const act = { court: 'Արմավիրի մարզի առաջին ատյանի դատարան', caseNumber: 'ԱՐԴ/1000/01/31', kind: 'VERDICT', actDate: '03.11.2031', inForceDate: '14.11.2031', receivedDate: '20.11.2031' }
      const known = new Set((await t.services.measures.measuresOf(beneficiaryId)).map((measure) => measure.id))
      expect((await browser.post(`/beneficiaries/${beneficiaryId}/court-acts/new`, { ...act, types: typeCode, ...details })).status).to.equal(303)
      return (await t.services.measures.measuresOf(beneficiaryId)).find((measure) => !known.has(measure.id))!.id
    }

    async function started(measureId: number): Promise<number> {
      expect((await browser.post(`/measures/${measureId}/transition`, { action: 'start', date: '21.11.2031' })).status).to.equal(303)
      return measureId
    }

    async function countOf(table: string, measureId: number): Promise<number> {
      const [{ count }] = await t.services.sequelize.query<{ count: number }>(`SELECT count(*)::int AS count FROM ${table} WHERE measure_id = :measureId`, { replacements: { measureId }, type: QueryTypes.SELECT })
      return count
    }

    beforeEach(async () => {
      officer = await createPerson('SPECIALIST', 'ARMAVIR')
      browser = await signIn(t.app, officer.username)
      beneficiaryId = (await createBeneficiary(await regionIdOf('ARMAVIR'), officer.id)).id
      const act = { court: 'Արմավիրի մարզի առաջին ատյանի դատարան', caseNumber: 'ԱՐԴ/0999/01/31', kind: 'VERDICT', actDate: '03.11.2031', inForceDate: '14.11.2031', receivedDate: '20.11.2031' }
      const registered = await browser.post(`/beneficiaries/${beneficiaryId}/court-acts/new`, { ...act, types: ['FINE', 'PUBLIC_WORKS'], m0_amountAmd: '150000', m1_hoursOrdered: '40' })
      expect(registered.status).to.equal(303)
      const measures = await t.services.measures.measuresOf(beneficiaryId)
      fineId = measures.find((measure) => measure.typeCode === 'FINE')!.id
      worksId = measures.find((measure) => measure.typeCode === 'PUBLIC_WORKS')!.id
    })

    it('when a day of public works covering all the hours left is sent repeatedly, then it is recorded once (a repeat is not refused as more than left) and every answer leads to the measure', async () => {
      const measureId = await started(await ordered('PUBLIC_WORKS', { m0_hoursOrdered: '8' }))
      const action = `/measures/${measureId}/sessions`
      const page = await browser.get(`/measures/${measureId}`)
      const answers = await sentRepeatedly(browser, action, { workDate: '24.11.2031', hours: '8', confirmedBy: 'Արմավիրի համայնքապետարան', submissionId: submissionIdOf(page.text, action) })
      expect((await t.services.measures.workSessions(measureId)).map((session) => Number(session.hours))).to.deep.equal([8])
      expectEachLedTo(answers, `/measures/${measureId}`)
    })

    it('when a notice of a deprived right is sent repeatedly, then it is recorded once and every answer leads to the measure', async () => {
      const measureId = await ordered('DEPRIVATION_OF_RIGHT', { m0_prohibitedPostOrActivity: 'հասարակական տրանսպորտ վարել', m0_termMonths: '12' })
      const action = `/measures/${measureId}/notices`
      const page = await browser.get(`/measures/${measureId}`)
      const answers = await sentRepeatedly(browser, action, { addresseeKind: 'EMPLOYER', addressee: 'Արմավիր Ավտոբուս ՍՊԸ', sentOn: '24.11.2031', letterReference: '01/4321', submissionId: submissionIdOf(page.text, action) })
      expect(await t.services.measures.rightNoticesOf(measureId)).to.have.length(1)
      expectEachLedTo(answers, `/measures/${measureId}`)
    })

    describe('under administrative supervision', () => {
      let supervisionId: number

      beforeEach(async () => {
        supervisionId = await started(await ordered('ADMINISTRATIVE_SUPERVISION', { m0_reportingPerWeek: '2', m0_termEndDate: '20.05.2032', m0_courtObligations: 'տանը լինել 22:00–06:00\nալկոհոլ չօգտագործել' }))
      })

      it('when an obligation\'s check is sent repeatedly, then it is recorded once and every answer leads to the measure', async () => {
        const action = `/measures/${supervisionId}/obligations`
        const page = await browser.get(`/measures/${supervisionId}`)
        const answers = await sentRepeatedly(browser, action, { obligationIndex: '1', checkedOn: '24.11.2031', complied: '0', note: 'ալկոհոլի հոտ', submissionId: submissionIdOf(page.text, action) })
        expect(await countOf('obligation_checks', supervisionId)).to.equal(1)
        expectEachLedTo(answers, `/measures/${supervisionId}`)
      })

      it('when a reporting day is sent repeatedly, then it is recorded once (a repeat is not refused as a day already recorded) and every answer leads to the measure', async () => {
        const action = `/measures/${supervisionId}/reports`
        const page = await browser.get(`/measures/${supervisionId}`)
        const answers = await sentRepeatedly(browser, action, { expectedOn: '24.11.2031', reported: '0', note: '', submissionId: submissionIdOf(page.text, action) })
        expect(await t.services.measures.reportsOf(supervisionId)).to.have.length(1)
        expectEachLedTo(answers, `/measures/${supervisionId}`)
      })
    })

    describe('under house arrest', () => {
      let arrestId: number
      let deviceId: number

      beforeEach(async () => {
        arrestId = await ordered('HOUSE_ARREST', { m0_houseArrestAddress: 'Արմավիր, Աբովյան 3', m0_termEndDate: '20.02.2032' })
        const armavir = await regionIdOf('ARMAVIR')
        const head = await signIn(t.app, (await createPerson('REGIONAL_HEAD', 'ARMAVIR')).username)
        const serial = `RF-${randomUUID().slice(0, 13).toUpperCase()}`
        expect((await head.post(`/regions/${armavir}/devices`, { serial, kind: 'RF' })).status).to.equal(303)
        deviceId = (await t.services.monitoring.devices(armavir)).find((device) => device.serial === serial)!.id
      })

      it('when a device\'s assignment is sent repeatedly, then it is assigned once (a repeat is not refused as a device taken) and every answer leads to the measure', async () => {
        const action = `/measures/${arrestId}/devices`
        const page = await browser.get(`/measures/${arrestId}`)
        const answers = await sentRepeatedly(browser, action, { deviceId: String(deviceId), orderedOn: '21.11.2031', submissionId: submissionIdOf(page.text, action) })
        expect(await t.services.monitoring.assignmentsOf(arrestId)).to.have.length(1)
        expectEachLedTo(answers, `/measures/${arrestId}`)
      })

      it('when an alert is refused, then its form keeps its id, and sent repeatedly once corrected it is recorded once and every answer leads to the measure', async () => {
        expect((await browser.post(`/measures/${arrestId}/devices`, { deviceId: String(deviceId), orderedOn: '21.11.2031' })).status).to.equal(303)
        const [assignment] = await t.services.monitoring.assignmentsOf(arrestId)
        expect((await browser.post(`/measures/${arrestId}/device-steps`, { assignmentId: String(assignment.id), step: 'install', on: '22.11.2031' })).status).to.equal(303)
        const action = `/measures/${arrestId}/alerts`
        const page = await browser.get(`/measures/${arrestId}`)
        const alert = { assignmentId: String(assignment.id), occurredOn: '23.11.2031', occurredTime: '23:40', kind: 'ZONE_LEFT', response: 'զանգահարվեց, տուն վերադարձավ 23:55-ին', submissionId: submissionIdOf(page.text, action) }
        const refused = await browser.post(action, { ...alert, response: '' })
        expect(refused.status).to.equal(400)
        expect(submissionIdOf(refused.text, action)).to.equal(alert.submissionId)
        const answers = await sentRepeatedly(browser, action, alert)
        expect((await t.services.monitoring.assignmentsOf(arrestId))[0].alerts).to.have.length(1)
        expectEachLedTo(answers, `/measures/${arrestId}`)
      })
    })

    it('when the whole fine\'s payment is sent repeatedly, then it is recorded once (a repeat is not refused as over the balance) and every answer leads to the measure', async () => {
      const action = `/measures/${fineId}/payments`
      const page = await browser.get(`/measures/${fineId}`)
      const answers = await sentRepeatedly(browser, action, { paidOn: '24.11.2031', amountAmd: '150000', receiptNumber: 'Q-31', submissionId: submissionIdOf(page.text, action) })
      expect(await t.services.measures.payments(fineId)).to.have.length(1)
      expectEachLedTo(answers, `/measures/${fineId}`)
    })

    it('when a violation is sent repeatedly, then it is recorded once and every answer leads to the measure', async () => {
      const action = `/measures/${worksId}/violations`
      const page = await browser.get(`/measures/${worksId}`)
      const answers = await sentRepeatedly(browser, action, { kind: 'FAILED_TO_WORK', occurredOn: '23.11.2031', description: 'Չներկայացավ աշխատանքի', submissionId: submissionIdOf(page.text, action) })
      expect(await t.services.measures.violationsOf(worksId)).to.have.length(1)
      expectEachLedTo(answers, `/measures/${worksId}`)
    })

    it('when a placement is sent repeatedly, then it is recorded once and every answer leads to the measure', async () => {
      const action = `/measures/${worksId}/placements`
      const page = await browser.get(`/measures/${worksId}`)
      const answers = await sentRepeatedly(browser, action, { organisation: 'Արմավիրի համայնքապետարան', address: 'Արմավիր, Հանրապետության 1', supervisor: 'Ա. Մելքոնյան', fromDate: '24.11.2031', submissionId: submissionIdOf(page.text, action) })
      expect(await t.services.measures.placementsOf(worksId)).to.have.length(1)
      expectEachLedTo(answers, `/measures/${worksId}`)
    })

    it('when a refused form is shown again, then it keeps its id while the page\'s other forms get new ones, and once corrected it records once', async () => {
      const page = await browser.get(`/measures/${worksId}`)
      const placementId = submissionIdOf(page.text, `/measures/${worksId}/placements`)
      const refused = await browser.post(`/measures/${worksId}/placements`, { organisation: '', address: 'Արմավիր', supervisor: 'Ա. Մելքոնյան', fromDate: '24.11.2031', submissionId: placementId })
      expect(refused.status).to.equal(400)
      expect(submissionIdOf(refused.text, `/measures/${worksId}/placements`)).to.equal(placementId)
      expect(submissionIdOf(refused.text, `/measures/${worksId}/violations`)).to.not.equal(submissionIdOf(page.text, `/measures/${worksId}/violations`))
      const answers = await sentRepeatedly(browser, `/measures/${worksId}/placements`, { organisation: 'Արմավիրի համայնքապետարան', address: 'Արմավիր', supervisor: 'Ա. Մելքոնյան', fromDate: '24.11.2031', submissionId: placementId })
      expect(await t.services.measures.placementsOf(worksId)).to.have.length(1)
      expectEachLedTo(answers, `/measures/${worksId}`)
    })
  })
})
