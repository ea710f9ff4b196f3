import { expect } from 'chai'
import { QueryTypes } from 'sequelize'
import type request from 'supertest'
import { buildTestApp, type TestApp } from '../helpers/app'
import { signIn, type Browser } from '../helpers/agent'
import { createBeneficiary } from '../helpers/beneficiaries'
import { createPerson, regionIdOf, type TestPerson } from '../helpers/people'

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

  it('when the mediation instruction is sent repeatedly, then the case is instructed once and every answer leads to it', async () => {
    const regionId = await regionIdOf('LORI')
    const serviceHead = await createPerson('SERVICE_HEAD', null)
    const file = await createBeneficiary(regionId, (await createPerson('SPECIALIST', 'LORI')).id, { category: 'MEDIATION_PARTICIPANT', fileNumber: `ԼՌ-2031-${70000 + (process.pid % 10000)}` })
    const browser = await signIn(t.app, serviceHead.username)
    const action = `/regions/${regionId}/mediation/new`
    const page = await browser.get(action)
    const fields = {
      authority: 'Լոռու մարզի առաջին ատյանի ընդհանուր իրավասության դատարան', criminalCaseNumber: 'ԼԴ/0777/01/31', authorityReference: '', authorityDecisionDate: '18.11.2031', receivedOn: '20.11.2031',
      instructedOn: '24.11.2031', instructionNote: '', beneficiaryFileNumber: file.fileNumber, victimName: 'Անահիտ Մկրտչյան', victimContact: '', victimRepresentative: '', victimNotes: '',
      submissionId: submissionIdOf(page.text, action),
    }
    const answers = await sentRepeatedly(browser, action, fields)
    const cases = await t.services.sequelize.query<{ id: number }>('SELECT id FROM mediation_cases WHERE beneficiary_id = :beneficiaryId', { replacements: { beneficiaryId: file.id }, type: QueryTypes.SELECT })
    expect(cases).to.have.length(1)
    expectEachLedTo(answers, `/mediation/${cases[0].id}`)
  })

  describe('on a measure', () => {
    let officer: TestPerson
    let browser: Browser
    let fineId: number
    let worksId: number

    beforeEach(async () => {
      officer = await createPerson('SPECIALIST', 'ARMAVIR')
      browser = await signIn(t.app, officer.username)
      const beneficiaryId = (await createBeneficiary(await regionIdOf('ARMAVIR'), officer.id)).id
      const act = { court: 'Արմավիրի մարզի առաջին ատյանի դատարան', caseNumber: 'ԱՐԴ/0999/01/31', kind: 'VERDICT', actDate: '03.11.2031', inForceDate: '14.11.2031', receivedDate: '20.11.2031' }
      const registered = await browser.post(`/beneficiaries/${beneficiaryId}/court-acts/new`, { ...act, types: ['FINE', 'PUBLIC_WORKS'], m0_amountAmd: '150000', m1_hoursOrdered: '40' })
      expect(registered.status).to.equal(303)
      const measures = await t.services.measures.measuresOf(beneficiaryId)
      fineId = measures.find((measure) => measure.typeCode === 'FINE')!.id
      worksId = measures.find((measure) => measure.typeCode === 'PUBLIC_WORKS')!.id
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
