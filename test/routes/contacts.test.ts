import { expect } from 'chai'
import { QueryTypes } from 'sequelize'
import { buildTestApp, type TestApp } from '../helpers/app'
import { signIn, type Browser } from '../helpers/agent'
import { createBeneficiary } from '../helpers/beneficiaries'
import { createPerson, regionIdOf, type TestPerson } from '../helpers/people'
import { contextOf, planInForce } from '../helpers/supervision'

// Gegharkunik's body in 2030; assertions look only at the rows each test creates.
const REGION = 'GEGHARKUNIK'
const PLAN_DAY = '2030-01-20T10:00:00+04:00'

function versionIn(page: string, appointmentId: number): string {
  const row = new RegExp(`data-testid="appointment-${appointmentId}"[\\s\\S]*?name="version" value="(\\d+)"`).exec(page)
  if (!row) throw new Error(`no form for appointment ${appointmentId}`)
  return row[1]
}

/** The cells of one month's line in the compliance table, as text. */
function complianceRow(page: string, month: string): string[] {
  const row = new RegExp(`<tr data-testid="compliance-${month}">([\\s\\S]*?)</tr>`).exec(page)
  if (!row) throw new Error(`no compliance line for ${month}`)
  return [...row[1].matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => cell[1].replace(/<[^>]+>/g, '').trim())
}

describe('contacts through the app', () => {
  let t: TestApp
  let regionId: number
  let head: TestPerson
  let officer: TestPerson
  let colleague: TestPerson
  let officerBrowser: Browser

  beforeEach(async () => {
    t = buildTestApp()
    t.clock.set(PLAN_DAY)
    regionId = await regionIdOf(REGION)
    head = await createPerson('REGIONAL_HEAD', REGION)
    officer = await createPerson('SPECIALIST', REGION)
    colleague = await createPerson('SPECIALIST', REGION)
  })

  /** Moves the clock and signs the officer in again (the session's idle limit runs on the same clock). */
  async function at(moment: string, person = officer): Promise<Browser> {
    t.clock.set(moment)
    officerBrowser = await signIn(t.app, person.username)
    return officerBrowser
  }

  async function fileWithPlan(extra: Parameters<typeof createBeneficiary>[2] = {}) {
    const file = await createBeneficiary(regionId, officer.id, extra)
    t.clock.set(PLAN_DAY)
    const plan = await planInForce(t.services, file.id, officer, head)
    return { file, plan }
  }

  async function book(beneficiaryId: number, fields: Record<string, string>, browser = officerBrowser): Promise<number> {
    const response = await browser.post(`/beneficiaries/${beneficiaryId}/contacts`, { durationMinutes: '60', ...fields })
    expect(response.status, response.text.slice(0, 3000)).to.equal(303)
    const [row] = await t.services.sequelize.query<{ id: number }>('SELECT max(id) AS id FROM appointments WHERE beneficiary_id = :beneficiaryId', { replacements: { beneficiaryId }, type: QueryTypes.SELECT })
    return row.id
  }

  it('when an office visit is booked and later recorded as held, then it moves from upcoming to past, the first-contact deadline closes and the month counts it', async () => {
    const { file } = await fileWithPlan()
    await t.services.sequelize.transaction((transaction) => t.services.deadlines.open({ beneficiaryId: file.id, ruleId: 'FIRST_CONTACT', subjectType: 'beneficiary', subjectId: file.id, eventDate: '2030-01-18' }, transaction))
    await at(PLAN_DAY)
    const appointmentId = await book(file.id, { kind: 'OFFICE_VISIT', date: '22.01.2030', time: '10:00', place: 'Գավառ, մարմնի գրասենյակ, սենյակ 3', notes: '' })
    let page = await officerBrowser.get(`/beneficiaries/${file.id}/contacts`)
    expect(page.status).to.equal(200)
    expect(page.text).to.match(new RegExp(`data-testid="upcoming"[\\s\\S]*data-testid="appointment-${appointmentId}"[\\s\\S]*22\\.01\\.2030 10:00`))
    expect(page.text).to.contain(`href="/appointments/${appointmentId}.ics"`)

    // Before its time, no outcome.
    const early = await officerBrowser.post(`/appointments/${appointmentId}/outcome`, { outcome: 'ATTENDED_COMPLIED', note: '', version: '1' })
    expect(early.status).to.equal(400)
    expect(early.text).to.contain('id="outcome-' + appointmentId + '-outcome-error"').and.contain('Արդյունքը չի կարող գրանցվել հանդիպման ժամից առաջ')

    await at('2030-01-22T11:30:00+04:00')
    page = await officerBrowser.get(`/beneficiaries/${file.id}/contacts`)
    expect(page.text).to.match(new RegExp(`data-testid="past"[\\s\\S]*data-testid="appointment-${appointmentId}"[\\s\\S]*data-testid="awaiting-outcome"`))
    const recorded = await officerBrowser.post(`/appointments/${appointmentId}/outcome`, { outcome: 'ATTENDED_COMPLIED', note: 'Ներկայացավ ժամանակին', version: versionIn(page.text, appointmentId) })
    expect(recorded.status).to.equal(303)
    page = await officerBrowser.get(`/beneficiaries/${file.id}/contacts`)
    expect(page.text).to.contain('Ներկայացել է, պահանջները կատարել է').and.contain('Ներկայացավ ժամանակին')
    // 2 a month from 20 January: 2 × 12/31 days, rounded up, is 1; the one contact held meets it.
    expect(complianceRow(page.text, '2030-01').slice(0, 3)).to.deep.equal(['01.2030', '1', '1'])
    const [deadline] = await t.services.sequelize.query<{ status: string }>(`SELECT status FROM deadlines WHERE rule_id = 'FIRST_CONTACT' AND subject_type = 'beneficiary' AND subject_id = :id`, { replacements: { id: file.id }, type: QueryTypes.SELECT })
    expect(deadline.status).to.equal('DONE')
  })

  it('when a month of contacts is entered, then the compliance table shows the hand-computed figures against the plan', async () => {
    const { file, plan } = await fileWithPlan()
    expect(plan.contactsPerMonth, 'the helper makes a medium-risk plan: 2 contacts a month by default').to.equal(2)
    await at('2030-03-05T12:00:00+04:00')
    // February: one office visit held, a home visit missed with an acceptable reason, a contact with the employer
    // (collateral: not a contact with the person), a phone call booked but cancelled.
    await book(file.id, { kind: 'OFFICE_VISIT', date: '05.02.2030', time: '10:00', outcome: 'ATTENDED_COMPLIED' })
    await book(file.id, { kind: 'HOME_VISIT', date: '12.02.2030', time: '15:00', outcome: 'ACCEPTABLE_ABSENCE', outcomeNote: 'Հիվանդ էր, տեղեկանքով' })
    await book(file.id, { kind: 'EMPLOYER_CONTACT', date: '19.02.2030', time: '11:00', outcome: 'ATTENDED_COMPLIED' })
    const page = await officerBrowser.get(`/beneficiaries/${file.id}/contacts`)
    // January from the 20th: 1 required, none held. February: 2 required, 1 held, 1 acceptable absence: not met.
    // March is running: 2 required, none held yet.
    expect(complianceRow(page.text, '2030-01')).to.deep.equal(['01.2030', '1', '0', '0', '0', '0', 'Չի համապատասխանում'])
    expect(complianceRow(page.text, '2030-02')).to.deep.equal(['02.2030', '2', '1', '1', '0', '0', 'Չի համապատասխանում'])
    expect(complianceRow(page.text, '2030-03')).to.deep.equal(['03.2030', '2', '0', '0', '0', '0', 'Ընթացքում'])
    expect(page.text).to.match(/data-testid="plan-frequency">[\s\S]*?ամսական 2 հանդիպում/)
  })

  it('when a file has more past appointments than the page lists, then the latest are listed with a link to all of them, and the months still count every one', async () => {
    const { file } = await fileWithPlan()
    await at('2030-03-05T12:00:00+04:00')
    const ids: number[] = []
    // 32 phone calls held, one every other day from 02.01.2030 to 05.03.2030 (entered afterwards, with their outcome).
    for (let day = 0; day < 32; day += 1) {
      const scheduledAt = new Date(Date.parse('2030-01-02T10:00:00+04:00') + day * 2 * 86_400_000)
      ids.push(await t.services.contacts.book(file.id, { kind: 'PHONE', scheduledAt, durationMinutes: 15, place: null, notes: null, outcome: 'ATTENDED_COMPLIED', outcomeNote: null, riskAcknowledged: false }, contextOf(officer)))
    }
    const page = await officerBrowser.get(`/beneficiaries/${file.id}/contacts`)
    const listed = (html: string) => [...html.matchAll(/data-testid="appointment-(\d+)"/g)].map((match) => Number(match[1]))
    expect(listed(page.text)).to.have.length(30).and.include(ids[31]).and.not.include(ids[0])
    expect(page.text).to.match(/data-testid="all-past">Ցույց տալ բոլոր 32 անցած հանդիպումները</)
    // January's calls are off the list but still count: 15 held, from the 2nd every other day.
    expect(complianceRow(page.text, '2030-01')[2]).to.equal('15')
    const all = await officerBrowser.get(`/beneficiaries/${file.id}/contacts?past=all`)
    expect(listed(all.text)).to.have.length(32)
    expect(all.text).not.to.contain('data-testid="all-past"')
  })

  it('when the file is closed, then contacts are required up to the closing day only and no more can be booked', async () => {
    const { file } = await fileWithPlan()
    await t.services.sequelize.query(`UPDATE beneficiaries SET status = 'CLOSED', closed_on = '2030-02-10', close_reason = 'MEASURE_COMPLETED' WHERE id = :id`, { replacements: { id: file.id } })
    await at('2030-04-05T10:00:00+04:00')
    const page = await officerBrowser.get(`/beneficiaries/${file.id}/contacts`)
    // February until the 10th: 2 × 10/28 days, rounded up, is 1. March and April are not judged at all.
    expect(complianceRow(page.text, '2030-02').slice(0, 3)).to.deep.equal(['02.2030', '1', '0'])
    expect(page.text).not.to.contain('data-testid="compliance-2030-03"').and.not.to.contain('data-testid="book-form"')
    const refused = await signIn(t.app, head.username).then((browser) => browser.post(`/beneficiaries/${file.id}/contacts`, { kind: 'OFFICE_VISIT', date: '06.04.2030', time: '10:00' }))
    expect(refused.status).to.equal(400)
    expect(refused.text).to.contain('Փակված գործով հանդիպում չի նշանակվում')
  })

  it('when unacceptable absences reach the configured number, then the page prompts to record a violation on the measure, and a recorded violation starts the count again', async () => {
    const { file } = await fileWithPlan()
    const officerContext = contextOf(officer)
    await t.services.measures.registerCourtAct(file.id, { court: 'Գեղարքունիքի մարզի դատարան', caseNumber: 'ԳԴ/0001/01/30', kind: 'VERDICT', actDate: '2030-01-10', inForceDate: '2030-01-15', receivedDate: '2030-01-18', documentId: null, changesActId: null, changeKind: null, endsMeasureIds: [] }, [{ typeCode: 'FINE', details: { amountAmd: 200000 } }], officerContext)
    const [measure] = await t.services.measures.measuresOf(file.id)
    await at('2030-02-20T12:00:00+04:00')
    await book(file.id, { kind: 'OFFICE_VISIT', date: '05.02.2030', time: '10:00', outcome: 'UNACCEPTABLE_ABSENCE' })
    await book(file.id, { kind: 'OFFICE_VISIT', date: '12.02.2030', time: '10:00', outcome: 'ATTENDED_COMPLIED' })
    let page = await officerBrowser.get(`/beneficiaries/${file.id}/contacts`)
    expect(page.text).not.to.contain('data-testid="violation-prompt"')
    // Not consecutive: the second absence after an attended visit still counts.
    await book(file.id, { kind: 'PHONE', date: '19.02.2030', time: '10:00', outcome: 'UNACCEPTABLE_ABSENCE' })
    page = await officerBrowser.get(`/beneficiaries/${file.id}/contacts`)
    expect(page.text).to.contain('data-testid="violation-prompt"').and.contain('05.02.2030, 19.02.2030')
    expect(page.text).to.contain(`href="/measures/${measure.id}#violations"`)
    expect(await t.services.measures.violationsOf(measure.id), 'nothing is recorded automatically').to.deep.equal([])

    const recorded = await officerBrowser.post(`/measures/${measure.id}/violations`, { kind: 'MISSED_REPORT', occurredOn: '19.02.2030', description: 'Երկու անհարգելի բացակայություն' })
    expect(recorded.status).to.equal(303)
    page = await officerBrowser.get(`/beneficiaries/${file.id}/contacts`)
    expect(page.text).not.to.contain('data-testid="violation-prompt"')

    // A head sees the prompt too; a threshold of 3 set in the configuration is not reached by two absences.
    const strict = buildTestApp({ UNACCEPTABLE_ABSENCES_BEFORE_VIOLATION: '3' })
    strict.clock.set('2030-02-20T12:00:00+04:00')
    const other = await fileWithPlan()
    await at('2030-02-20T12:00:00+04:00')
    await book(other.file.id, { kind: 'OFFICE_VISIT', date: '05.02.2030', time: '10:00', outcome: 'UNACCEPTABLE_ABSENCE' })
    await book(other.file.id, { kind: 'OFFICE_VISIT', date: '12.02.2030', time: '10:00', outcome: 'UNACCEPTABLE_ABSENCE' })
    const headDefault = await signIn(t.app, head.username)
    expect((await headDefault.get(`/beneficiaries/${other.file.id}/contacts`)).text).to.contain('data-testid="violation-prompt"')
    const headStrict = await signIn(strict.app, head.username)
    expect((await headStrict.get(`/beneficiaries/${other.file.id}/contacts`)).text).not.to.contain('data-testid="violation-prompt"')
  })

  it('when an appointment is downloaded as .ics, then it is an RFC 5545 calendar naming the file number and kind, never the person', async () => {
    const file = await createBeneficiary(regionId, officer.id, { surname: 'Գրիգորյան', surnameLatin: 'Grigoryan' })
    await at(PLAN_DAY)
    const appointmentId = await book(file.id, { kind: 'HOME_VISIT', date: '22.01.2030', time: '10:00', place: 'Գավառ, Կենտրոնական 12, բն. 4', durationMinutes: '45' })
    const response = await officerBrowser.get(`/appointments/${appointmentId}.ics`)
    expect(response.status).to.equal(200)
    expect(response.headers['content-type']).to.equal('text/calendar; charset=utf-8')
    expect(response.headers['content-disposition']).to.equal(`attachment; filename="appointment-${appointmentId}.ics"`)
    const body = response.text
    expect(body.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).to.equal(true)
    expect(body.endsWith('END:VEVENT\r\nEND:VCALENDAR\r\n')).to.equal(true)
    const unfolded = body.replace(/\r\n /g, '')
    expect(unfolded).to.contain(`UID:appointment-${appointmentId}@probation-back-office\r\n`)
    expect(unfolded).to.contain('DTSTART:20300122T060000Z\r\nDTEND:20300122T064500Z\r\n')
    expect(unfolded).to.contain(`SUMMARY:${file.fileNumber} · Այց բնակության վայր\r\n`)
    expect(unfolded).to.contain('LOCATION:Գավառ\\, Կենտրոնական 12\\, բն. 4\r\n')
    expect(body).not.to.contain('Գրիգորյան').and.not.to.contain('Grigoryan').and.not.to.contain('Արմեն')
    for (const line of body.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).to.be.at.most(75)

    const page = await officerBrowser.get(`/beneficiaries/${file.id}/contacts`)
    expect((await officerBrowser.post(`/appointments/${appointmentId}/cancel`, { reason: 'Տեղափոխվել է այլ օր', version: versionIn(page.text, appointmentId) })).status).to.equal(303)
    expect((await officerBrowser.get(`/appointments/${appointmentId}.ics`)).text).to.contain('STATUS:CANCELLED').and.contain('SEQUENCE:1')
  })

  it('when a home visit is booked for a person flagged as a risk to staff, then the warning is in the form, must be acknowledged, and marks the appointment', async () => {
    const file = await createBeneficiary(regionId, officer.id, { riskToStaff: true, riskToStaffReason: 'Սպառնացել է աշխատակցին, տանը շուն կա' })
    await at(PLAN_DAY)
    let page = await officerBrowser.get(`/beneficiaries/${file.id}/contacts`)
    expect(page.text).to.match(/data-testid="home-visit-risk-warning"[\s\S]*Սպառնացել է աշխատակցին, տանը շուն կա/)
    const refused = await officerBrowser.post(`/beneficiaries/${file.id}/contacts`, { kind: 'HOME_VISIT', date: '23.01.2030', time: '11:00', durationMinutes: '60', place: 'Սևան, Նաիրյան 8' })
    expect(refused.status).to.equal(400)
    expect(refused.text).to.contain('id="riskAcknowledged-error"').and.contain('value="Սևան, Նաիրյան 8"')
    // An office visit needs no acknowledgement and carries no home-visit mark.
    const officeId = await book(file.id, { kind: 'OFFICE_VISIT', date: '24.01.2030', time: '11:00' })
    const visitId = await book(file.id, { kind: 'HOME_VISIT', date: '23.01.2030', time: '11:00', place: 'Սևան, Նաիրյան 8', riskAcknowledged: '1' })
    page = await officerBrowser.get(`/beneficiaries/${file.id}/contacts`)
    expect(page.text).to.match(new RegExp(`data-testid="appointment-${visitId}">[\\s\\S]*?data-testid="home-visit-risk"[\\s\\S]*?</tr>`))
    expect(/data-testid="appointment-(\d+)">(?:(?!<\/tr>)[\s\S])*data-testid="home-visit-risk"/.exec(page.text)![1]).to.equal(String(visitId))
    expect(new RegExp(`data-testid="appointment-${officeId}">(?:(?!</tr>)[\\s\\S])*home-visit-risk`).test(page.text)).to.equal(false)
    expect((await officerBrowser.get(`/appointments/${visitId}.ics`)).text.replace(/\r\n /g, '')).to.contain('DESCRIPTION:')
  })

  it('when past appointments have no outcome, then the region list shows them, the officer\'s own caseload first, until an outcome is recorded', async () => {
    const mine = await createBeneficiary(regionId, officer.id)
    const theirs = await createBeneficiary(regionId, colleague.id)
    await at(PLAN_DAY)
    const mineId = await book(mine.id, { kind: 'OFFICE_VISIT', date: '21.01.2030', time: '09:00' })
    await at(PLAN_DAY, colleague)
    const theirsId = await book(theirs.id, { kind: 'PHONE', date: '21.01.2030', time: '08:00' })
    const upcomingId = await book(theirs.id, { kind: 'PHONE', date: '25.01.2030', time: '08:00' })

    const officerView = await at('2030-01-22T10:00:00+04:00')
    let list = await officerView.get(`/regions/${regionId}/appointments/pending`)
    expect(list.status).to.equal(200)
    expect(list.text).to.contain(`data-testid="pending-${mineId}"`).and.contain(`data-testid="pending-${theirsId}"`).and.not.contain(`data-testid="pending-${upcomingId}"`)
    expect(list.text.indexOf(`data-testid="pending-${mineId}"`)).to.be.lessThan(list.text.indexOf(`data-testid="pending-${theirsId}"`))
    expect(list.text).to.match(new RegExp(`data-testid="pending-${mineId}"[\\s\\S]*?data-testid="my-caseload"`))
    const onlyMine = await officerView.get(`/regions/${regionId}/appointments/pending?mine=1`)
    expect(onlyMine.text).to.contain(`data-testid="pending-${mineId}"`).and.not.contain(`data-testid="pending-${theirsId}"`)
    const headView = await signIn(t.app, head.username)
    expect((await headView.get(`/regions/${regionId}/appointments/pending`)).text).to.contain(`data-testid="pending-${mineId}"`).and.contain(`data-testid="pending-${theirsId}"`)

    const page = await officerView.get(`/beneficiaries/${mine.id}/contacts`)
    expect((await officerView.post(`/appointments/${mineId}/outcome`, { outcome: 'UNACCEPTABLE_ABSENCE', note: '', version: versionIn(page.text, mineId) })).status).to.equal(303)
    list = await officerView.get(`/regions/${regionId}/appointments/pending`)
    expect(list.text).not.to.contain(`data-testid="pending-${mineId}"`)
  })

  it('when many appointments await an outcome, then each page of the list, and its total, is what a plain query over the appointments gives, own caseload first', async () => {
    const now = '2030-03-12T13:00:00+04:00'
    const files = [await createBeneficiary(regionId, officer.id), await createBeneficiary(regionId, colleague.id), await createBeneficiary(regionId, officer.id, { status: 'CLOSED', closedOn: '2030-03-01', closeReason: 'MEASURE_COMPLETED' })]
    // Ninety past, the last ones today either side of now; one with an outcome, one cancelled; a third of a closed file.
    for (let n = 0; n < 96; n += 1) {
      const day = n < 90 ? `2030-03-${String(1 + (n % 11)).padStart(2, '0')}` : '2030-03-12'
      const time = n < 90 ? `${String(8 + (n % 9)).padStart(2, '0')}:${n % 2 === 0 ? '00' : '30'}` : ['09:00', '12:59', '13:00', '13:01', '17:00', '12:00'][n - 90]
      await t.services.sequelize.query(
        `INSERT INTO appointments (beneficiary_id, kind, scheduled_at, booked_by_user_id, booked_at, outcome, outcome_recorded_at, outcome_recorded_by_user_id, cancelled_at, cancelled_by_user_id, cancel_reason)
         VALUES (:file, 'PHONE', :at, :officer, :at, :outcome, :recorded, :recordedBy, :cancelled, :cancelledBy, :reason)`,
        { replacements: { file: files[n % 3].id, at: new Date(`${day}T${time}:00+04:00`), officer: officer.id, outcome: n === 7 ? 'ATTENDED_COMPLIED' : null, recorded: n === 7 ? new Date(now) : null, recordedBy: n === 7 ? officer.id : null, cancelled: n === 8 ? new Date(now) : null, cancelledBy: n === 8 ? officer.id : null, reason: n === 8 ? 'ill' : null } },
      )
    }
    t.clock.set(now)
    const plain = (userId: number, onlyMine: boolean, page: number) => t.services.sequelize.query<{ id: number; mine: boolean; total: number }>(
      `SELECT a.id, coalesce(b.responsible_officer_id = :userId, false) AS mine, count(*) OVER ()::int AS total
         FROM appointments a JOIN beneficiaries b ON b.id = a.beneficiary_id
        WHERE b.region_id = :regionId AND b.status IN ('ACTIVE', 'SUSPENDED') AND b.anonymised_at IS NULL AND a.outcome IS NULL AND a.cancelled_at IS NULL AND a.scheduled_at <= :now
          AND (NOT :onlyMine OR b.responsible_officer_id = :userId)
        ORDER BY mine DESC, a.scheduled_at, a.id LIMIT 50 OFFSET :offset`,
      { replacements: { userId, onlyMine, regionId, now: new Date(now), offset: (page - 1) * 50 }, type: QueryTypes.SELECT },
    )
    for (const [userId, onlyMine, page] of [[officer.id, false, 1], [officer.id, false, 2], [officer.id, true, 1], [colleague.id, false, 1], [colleague.id, false, 2], [head.id, false, 1], [officer.id, false, 9]] as const) {
      const expected = await plain(userId, onlyMine, page)
      const listed = await t.services.contacts.pending({ regionId, userId, onlyMine, page })
      const which = JSON.stringify({ userId, onlyMine, page })
      expect(listed.rows.map((row) => [row.id, row.onMyCaseload]), which).to.deep.equal(expected.map((row) => [row.id, row.mine]))
      if (expected.length > 0) expect(listed.total, which).to.equal(expected[0].total)
    }
    expect((await plain(officer.id, false, 1))[0].total, 'more than a page').to.be.greaterThan(50)
  })

  it('when the booking form is sent three times at once, then one appointment is booked', async () => {
    const file = await createBeneficiary(regionId, officer.id)
    await at(PLAN_DAY)
    const page = await officerBrowser.get(`/beneficiaries/${file.id}/contacts`)
    const submissionId = /name="submissionId" value="([0-9a-f-]{36})"/.exec(page.text)![1]
    const fields = { kind: 'OFFICE_VISIT', date: '24.01.2030', time: '11:00', durationMinutes: '60', place: 'Գավառ', submissionId }
    const answers = await Promise.all(Array.from({ length: 3 }, () => officerBrowser.post(`/beneficiaries/${file.id}/contacts`, fields)))
    expect(answers.map((answer) => answer.status)).to.deep.equal([303, 303, 303])
    const [{ booked }] = await t.services.sequelize.query<{ booked: number }>('SELECT count(*)::int AS booked FROM appointments WHERE beneficiary_id = :id', { replacements: { id: file.id }, type: QueryTypes.SELECT })
    expect(booked).to.equal(1)
  })

  it('when booking input is bad, then each problem is named beside its field in both languages and what was typed is kept', async () => {
    const file = await createBeneficiary(regionId, officer.id)
    await at(PLAN_DAY)
    const bad = await officerBrowser.post(`/beneficiaries/${file.id}/contacts`, { kind: 'TELEPATHY', date: '31.02.2030', time: '25:00', durationMinutes: '2', place: 'Մարտունի, դպրոց' })
    expect(bad.status).to.equal(400)
    expect(bad.text).to.contain('id="kind-error"').and.contain('id="date-error"').and.contain('id="time-error"').and.contain('id="durationMinutes-error"')
    expect(bad.text).to.contain('value="Մարտունի, դպրոց"').and.contain('value="25:00"')
    const ahead = await officerBrowser.post(`/beneficiaries/${file.id}/contacts`, { kind: 'OFFICE_VISIT', date: '20.03.2032', time: '10:00' })
    expect(ahead.status).to.equal(400)
    expect(ahead.text).to.contain('id="date-error"').and.contain('366')
    const past = await officerBrowser.post(`/beneficiaries/${file.id}/contacts`, { kind: 'OFFICE_VISIT', date: '19.01.2030', time: '10:00' })
    expect(past.status).to.equal(400)
    expect(past.text).to.contain('Անցած հանդիպումը գրանցվում է իր արդյունքով')
    const futureOutcome = await officerBrowser.post(`/beneficiaries/${file.id}/contacts`, { kind: 'OFFICE_VISIT', date: '21.01.2030', time: '10:00', outcome: 'ATTENDED_COMPLIED' })
    expect(futureOutcome.status).to.equal(400)
    expect(futureOutcome.text).to.contain('id="outcome-error"')

    const english = await signIn(t.app, officer.username)
    await english.post('/language', { language: 'en', returnTo: '/' })
    const inEnglish = await english.post(`/beneficiaries/${file.id}/contacts`, { kind: 'OFFICE_VISIT', date: '19.01.2030', time: '10:00' })
    expect(inEnglish.text).to.contain('A past contact is entered with its outcome')
  })

  it('when two people record the same appointment\'s outcome from the same page, then the second is refused as stale and keeps what they typed', async () => {
    const file = await createBeneficiary(regionId, officer.id)
    await at(PLAN_DAY)
    const appointmentId = await book(file.id, { kind: 'OFFICE_VISIT', date: '21.01.2030', time: '10:00' })
    await at('2030-01-21T12:00:00+04:00')
    const page = await officerBrowser.get(`/beneficiaries/${file.id}/contacts`)
    const version = versionIn(page.text, appointmentId)
    expect((await officerBrowser.post(`/appointments/${appointmentId}/outcome`, { outcome: 'ATTENDED_COMPLIED', note: 'Առաջին', version })).status).to.equal(303)
    const headBrowser = await signIn(t.app, head.username)
    const stale = await headBrowser.post(`/appointments/${appointmentId}/outcome`, { outcome: 'UNACCEPTABLE_ABSENCE', note: 'Երկրորդ', version })
    expect(stale.status).to.equal(409)
    expect(stale.text).to.contain('data-testid="stale-notice"').and.contain('value="Երկրորդ"').and.contain('Առաջին')
    const [row] = await t.services.sequelize.query<{ outcome: string }>('SELECT outcome FROM appointments WHERE id = :appointmentId', { replacements: { appointmentId }, type: QueryTypes.SELECT })
    expect(row.outcome).to.equal('ATTENDED_COMPLIED')
  })

  it('when another region\'s staff or a colleague without the file try, then they are refused; the colleague gives a reason before reading', async () => {
    const file = await createBeneficiary(regionId, officer.id)
    await at(PLAN_DAY)
    const appointmentId = await book(file.id, { kind: 'OFFICE_VISIT', date: '22.01.2030', time: '10:00' })
    const stranger = await createPerson('SPECIALIST', 'SHIRAK')
    const strangerBrowser = await signIn(t.app, stranger.username)
    expect((await strangerBrowser.get(`/beneficiaries/${file.id}/contacts`)).status).to.equal(404)
    expect((await strangerBrowser.post(`/beneficiaries/${file.id}/contacts`, { kind: 'OFFICE_VISIT', date: '23.01.2030', time: '10:00' })).status).to.equal(404)
    expect((await strangerBrowser.get(`/appointments/${appointmentId}.ics`)).status).to.equal(404)
    expect((await strangerBrowser.post(`/appointments/${appointmentId}/cancel`, { reason: 'x', version: '1' })).status).to.equal(404)
    expect((await strangerBrowser.get(`/regions/${regionId}/appointments/pending`)).status).to.equal(404)

    const colleagueBrowser = await signIn(t.app, colleague.username)
    const first = await colleagueBrowser.get(`/beneficiaries/${file.id}/contacts`)
    expect(first.status).to.equal(303)
    expect(first.headers.location).to.equal(`/beneficiaries/${file.id}`)
    expect((await colleagueBrowser.post(`/beneficiaries/${file.id}/contacts`, { kind: 'OFFICE_VISIT', date: '23.01.2030', time: '10:00' })).status).to.equal(404)
    expect((await colleagueBrowser.post(`/beneficiaries/${file.id}/access-reason`, { reason: 'Փոխարինում եմ արձակուրդում գտնվող գործընկերոջը' })).status).to.equal(303)
    const read = await colleagueBrowser.get(`/beneficiaries/${file.id}/contacts`)
    expect(read.status).to.equal(200)
    expect(read.text).not.to.contain('data-testid="book-form"')
  })
})
