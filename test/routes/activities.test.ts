import { expect } from 'chai'
import { buildTestApp, type TestApp } from '../helpers/app'
import { signIn, type Browser } from '../helpers/agent'
import { createBeneficiary } from '../helpers/beneficiaries'
import { createPerson, regionIdOf, type TestPerson } from '../helpers/people'
import { planInForce } from '../helpers/supervision'

// Gegharkunik's events; each test keeps to its own year, so the region's counts are its own.
const REGION = 'GEGHARKUNIK'

function eventIdOf(location: string | undefined): number {
  return Number(/\/activities\/(\d+)$/.exec(location ?? '')![1])
}

/** The participant's line on the event page: its id, version and the goals offered. */
function participantLine(page: string, beneficiaryId: number): { id: number; version: string; goalIds: number[]; html: string } {
  const match = new RegExp(`<tr id="participant-(\\d+)" data-testid="participant-${beneficiaryId}">([\\s\\S]*?)</tr>`).exec(page)
  if (!match) throw new Error(`no line for ${beneficiaryId}`)
  const goalSelect = /name="goalId"[^>]*>([\s\S]*?)<\/select>/.exec(match[2])?.[1] ?? ''
  return { id: Number(match[1]), version: /name="version" value="(\d+)"/.exec(match[2])![1], goalIds: [...goalSelect.matchAll(/value="(\d+)"/g)].map((m) => Number(m[1])), html: match[2] }
}

/** What the participant's line says of them: attendance, goal and note. */
function stateOf(lineHtml: string): string {
  return /data-testid="participation-state">([\s\S]*?)<\/p>/.exec(lineHtml)![1].replace(/\s+/g, ' ').trim()
}

function cells(page: string, testId: string): string[] {
  const row = new RegExp(`<tr data-testid="${testId}">([\\s\\S]*?)</tr>`).exec(page)
  if (!row) throw new Error(`no line ${testId}`)
  return [...row[1].matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => cell[1].replace(/<[^>]+>/g, '').trim())
}

describe('activities through the app', () => {
  let t: TestApp
  let regionId: number
  let head: TestPerson
  let officer: TestPerson
  let organiser: TestPerson
  let organiserBrowser: Browser

  beforeEach(async () => {
    t = buildTestApp()
    regionId = await regionIdOf(REGION)
    head = await createPerson('REGIONAL_HEAD', REGION)
    officer = await createPerson('SPECIALIST', REGION)
    organiser = await createPerson('SENIOR_SPECIALIST', REGION)
  })

  async function at(moment: string): Promise<void> {
    t.clock.set(moment)
    organiserBrowser = await signIn(t.app, organiser.username)
  }

  async function createEvent(fields: Record<string, string>): Promise<number> {
    const response = await organiserBrowser.post(`/regions/${regionId}/activities/new`, fields)
    expect(response.status, response.text.slice(0, 3000)).to.equal(303)
    return eventIdOf(response.headers.location)
  }

  async function invite(eventId: number, beneficiaryIds: number[], browser = organiserBrowser) {
    return browser.agent.post(`/activities/${eventId}/invitations`).type('form').send([`_csrf=${encodeURIComponent(browser.csrf)}`, ...beneficiaryIds.map((id) => `beneficiaryIds=${id}`)].join('&'))
  }

  it('when staff organise events, invite the region\'s files, record attendance linked to plan goals, then the event, the person\'s file and the quarterly counts show it', async () => {
    const withPlan = await createBeneficiary(regionId, officer.id)
    const withoutPlan = await createBeneficiary(regionId, officer.id)
    t.clock.set('2030-02-01T10:00:00+04:00')
    const plan = await planInForce(t.services, withPlan.id, officer, head)
    const [goal] = plan.goals

    await at('2030-05-10T10:00:00+04:00')
    const pastEvent = await createEvent({ kind: 'EDUCATIONAL', title: 'Համակարգչային գրագիտության դասընթաց', date: '14.02.2030', time: '', place: 'Գավառի քոլեջ', organiser: 'Գավառի պետական քոլեջ', description: '' })
    const sportsEvent = await createEvent({ kind: 'SPORTS', title: 'Ֆուտբոլային մրցաշար', date: '10.05.2030', time: '11:00', place: 'Գավառի մարզադաշտ', organiser: 'Երիտասարդական կենտրոն' })
    expect((await invite(sportsEvent, [withPlan.id, withoutPlan.id])).status).to.equal(303)
    expect((await invite(pastEvent, [withPlan.id])).status).to.equal(303)

    let page = await organiserBrowser.get(`/activities/${sportsEvent}`)
    expect(page.status).to.equal(200)
    expect(page.text).to.contain('Ֆուտբոլային մրցաշար').and.contain('10.05.2030 11:00').and.contain('Երիտասարդական կենտրոն')
    const line = participantLine(page.text, withPlan.id)
    expect(line.goalIds).to.deep.equal(plan.goals.map((g) => g.id))
    expect(participantLine(page.text, withoutPlan.id).goalIds).to.deep.equal([])
    // The invitation list offers only files not yet invited.
    expect(page.text).not.to.match(new RegExp(`<option value="${withPlan.id}">`))

    expect((await organiserBrowser.post(`/activities/${sportsEvent}/participants/${line.id}`, { attendance: 'ATTENDED', goalId: String(goal.id), note: 'Ակտիվ մասնակցություն', version: line.version })).status).to.equal(303)
    const absent = participantLine(page.text, withoutPlan.id)
    expect((await organiserBrowser.post(`/activities/${sportsEvent}/participants/${absent.id}`, { attendance: 'ABSENT', goalId: '', note: '', version: absent.version })).status).to.equal(303)
    const pastLine = participantLine((await organiserBrowser.get(`/activities/${pastEvent}`)).text, withPlan.id)
    expect((await organiserBrowser.post(`/activities/${pastEvent}/participants/${pastLine.id}`, { attendance: 'ATTENDED', goalId: String(plan.goals[1].id), note: '', version: pastLine.version })).status).to.equal(303)

    page = await organiserBrowser.get(`/activities/${sportsEvent}`)
    expect(stateOf(participantLine(page.text, withPlan.id).html)).to.equal(`Մասնակցել է · Պլանի նպատակ: ${goal.description} · Ակտիվ մասնակցություն`)
    expect(stateOf(participantLine(page.text, withoutPlan.id).html)).to.equal('Չի մասնակցել')

    const officerBrowser = await signIn(t.app, officer.username)
    const file = await officerBrowser.get(`/beneficiaries/${withPlan.id}/contacts`)
    expect(file.text).to.match(new RegExp(`data-testid="participations"[\\s\\S]*Ֆուտբոլային մրցաշար[\\s\\S]*Մասնակցել է[\\s\\S]*${goal.description}`))

    const counts = await organiserBrowser.get(`/regions/${regionId}/activities/participation?year=2030`)
    expect(counts.status).to.equal(200)
    // Per kind: events, invited, attended for each quarter, then the year.
    expect(cells(counts.text, 'kind-SPORTS')).to.deep.equal(['Սպորտային միջոցառում', '0', '0', '0', '1', '2', '1', '0', '0', '0', '0', '0', '0', '1', '2', '1'])
    expect(cells(counts.text, 'kind-EDUCATIONAL')).to.deep.equal(['Կրթական միջոցառում', '1', '1', '1', '0', '0', '0', '0', '0', '0', '0', '0', '0', '1', '1', '1'])
    // Per person: events attended each quarter, the year's total, invitations.
    expect(cells(counts.text, `person-${withPlan.id}`).slice(2)).to.deep.equal(['1', '1', '0', '0', '2', '2'])
    expect(cells(counts.text, `person-${withoutPlan.id}`).slice(2)).to.deep.equal(['0', '0', '0', '0', '0', '1'])

    const list = await organiserBrowser.get(`/regions/${regionId}/activities?year=2030`)
    expect(cells(list.text, `event-${sportsEvent}`).slice(-2)).to.deep.equal(['2', '1'])
  })

  it('when event or participation input is bad, then each problem is named beside its field and what was typed is kept', async () => {
    await at('2031-04-10T10:00:00+04:00')
    const bad = await organiserBrowser.post(`/regions/${regionId}/activities/new`, { kind: 'PICNIC', title: 'Ծառատունկ', date: '', time: '9am', place: 'Մարտունի', organiser: '' })
    expect(bad.status).to.equal(400)
    expect(bad.text).to.contain('id="kind-error"').and.contain('id="date-error"').and.contain('id="time-error"').and.contain('id="organiser-error"')
    expect(bad.text).to.contain('value="Ծառատունկ"').and.contain('value="Մարտունի"')
    const far = await organiserBrowser.post(`/regions/${regionId}/activities/new`, { kind: 'COMMUNITY_WORK_DAY', title: 'Շաբաթօրյակ', date: '10.04.2033', place: 'Մարտունի', organiser: 'Համայնքապետարան' })
    expect(far.status).to.equal(400)
    expect(far.text).to.contain('id="date-error"')

    const eventId = await createEvent({ kind: 'COMMUNITY_WORK_DAY', title: 'Շաբաթօրյակ', date: '20.04.2031', place: 'Մարտունու այգի', organiser: 'Մարտունու համայնքապետարան' })
    const ours = await createBeneficiary(regionId, officer.id)
    const closed = await createBeneficiary(regionId, officer.id, { status: 'CLOSED', closedOn: '2031-01-10', closeReason: 'MEASURE_COMPLETED' })
    const elsewhere = await createBeneficiary(await regionIdOf('SHIRAK'), null)
    for (const refused of [elsewhere.id, closed.id]) {
      const response = await invite(eventId, [ours.id, refused])
      expect(response.status).to.equal(400)
      expect(response.text).to.contain('id="beneficiaryIds-error"').and.contain('Կարելի է հրավիրել միայն այս մարմնի բաց գործերով շահառուներին')
    }
    expect((await invite(eventId, [ours.id])).status).to.equal(303)

    let page = await organiserBrowser.get(`/activities/${eventId}`)
    const line = participantLine(page.text, ours.id)
    const early = await organiserBrowser.post(`/activities/${eventId}/participants/${line.id}`, { attendance: 'ATTENDED', goalId: '', note: 'Կգա', version: line.version })
    expect(early.status).to.equal(400)
    expect(early.text).to.contain(`id="participant-${line.id}-attendance-error"`).and.contain('value="Կգա"')

    // A goal of someone else's plan is not this person's.
    const planned = await createBeneficiary(regionId, officer.id)
    const plan = await planInForce(t.services, planned.id, officer, head)
    const foreignGoal = await organiserBrowser.post(`/activities/${eventId}/participants/${line.id}`, { attendance: '', goalId: String(plan.goals[0].id), note: '', version: line.version })
    expect(foreignGoal.status).to.equal(400)
    expect(foreignGoal.text).to.contain(`id="participant-${line.id}-goalId-error"`)

    expect((await organiserBrowser.post(`/activities/${eventId}/participants/${line.id}`, { attendance: '', goalId: '', note: 'Հաստատել է', version: line.version })).status).to.equal(303)
    const stale = await organiserBrowser.post(`/activities/${eventId}/participants/${line.id}`, { attendance: '', goalId: '', note: 'Ուշացած', version: line.version })
    expect(stale.status).to.equal(409)
    expect(stale.text).to.contain('data-testid="stale-notice"').and.contain('value="Ուշացած"')

    page = await organiserBrowser.get(`/activities/${eventId}`)
    const edit = await organiserBrowser.post(`/activities/${eventId}/edit`, { kind: 'COMMUNITY_WORK_DAY', title: 'Շաբաթօրյակ այգում', date: '21.04.2031', time: '10:00', place: 'Մարտունու այգի', organiser: 'Մարտունու համայնքապետարան', version: /name="version" value="(\d+)"/.exec(page.text)![1] })
    expect(edit.status).to.equal(303)
    expect((await organiserBrowser.get(`/activities/${eventId}`)).text).to.contain('Շաբաթօրյակ այգում').and.contain('21.04.2031 10:00')
  })

  it('when another region\'s staff try the region\'s events, then they are refused; the service head reads but does not organise', async () => {
    await at('2032-03-01T10:00:00+04:00')
    const eventId = await createEvent({ kind: 'CULTURAL', title: 'Թատրոնի այց', date: '01.03.2032', place: 'Գավառի թատրոն', organiser: 'Մարմին' })
    const ours = await createBeneficiary(regionId, officer.id)
    expect((await invite(eventId, [ours.id])).status).to.equal(303)
    const line = participantLine((await organiserBrowser.get(`/activities/${eventId}`)).text, ours.id)

    const stranger = await signIn(t.app, (await createPerson('REGIONAL_HEAD', 'SHIRAK')).username)
    expect((await stranger.get(`/regions/${regionId}/activities`)).status).to.equal(404)
    expect((await stranger.get(`/regions/${regionId}/activities/participation`)).status).to.equal(404)
    expect((await stranger.get(`/activities/${eventId}`)).status).to.equal(404)
    expect((await stranger.post(`/activities/${eventId}/edit`, { kind: 'CULTURAL', title: 'x', date: '01.03.2032', place: 'x', organiser: 'x', version: '1' })).status).to.equal(404)
    expect((await invite(eventId, [ours.id], stranger)).status).to.equal(404)
    expect((await stranger.post(`/activities/${eventId}/participants/${line.id}`, { attendance: 'ATTENDED', version: line.version })).status).to.equal(404)

    const chief = await signIn(t.app, (await createPerson('SERVICE_HEAD', null)).username)
    const read = await chief.get(`/activities/${eventId}`)
    expect(read.status).to.equal(200)
    expect(read.text).not.to.contain('data-testid="invite-form"').and.not.contain('data-testid="participation-form"')
    expect((await chief.get(`/regions/${regionId}/activities`)).status).to.equal(200)
    expect((await chief.post(`/regions/${regionId}/activities/new`, { kind: 'CULTURAL', title: 'x', date: '01.03.2032', place: 'x', organiser: 'x' })).status).to.equal(404)
  })
})
