import { expect } from 'chai'
import PgBoss from 'pg-boss'
import pino from 'pino'
import { QueryTypes } from 'sequelize'
import { buildTestApp, type TestApp } from '../helpers/app'
import { anonymous, signIn } from '../helpers/agent'
import { createBeneficiary } from '../helpers/beneficiaries'
import { testDatabase } from '../helpers/database'
import { createPerson, regionIdOf } from '../helpers/people'
import { ManualClock } from '../../server/domain/clock'
import { services as buildServices } from '../../server/services'
import type { Mailer } from '../../server/services/reminders'
import { DIGEST_QUEUE, workOnDigests } from '../../server/jobs'
import { User } from '../../models'

describe('reminders: the daily digest and the calendar feed', () => {
  let t: TestApp

  beforeEach(() => {
    t = buildTestApp()
  })

  it('when the digest job runs twice on two workers, then each user gets one digest and one e-mail', async function () {
    this.timeout(60_000)
    const { sequelize, url } = testDatabase()
    const officer = await createPerson('SPECIALIST', 'ARAGATSOTN')
    await User.update({ email: 'officer@example.am' }, { where: { id: officer.id } })
    const sent: string[] = []
    const mailer: Mailer = { send: async (message) => void sent.push(message.to) }
    const clock = new ManualClock(new Date('2034-01-09T07:00:00+04:00'))
    const reminders = buildServices({ sequelize, clock, mailer, publicUrl: 'https://probation.example.am' }).reminders
    const workers = [new PgBoss({ connectionString: url, schema: 'pgboss_test', max: 2 }), new PgBoss({ connectionString: url, schema: 'pgboss_test', max: 2 })]
    try {
      for (const boss of workers) await boss.start()
      await workers[0].createQueue(DIGEST_QUEUE, { name: DIGEST_QUEUE })
      for (const boss of workers) await workOnDigests(boss, reminders, pino({ level: 'silent' }))
      const jobs = [await workers[0].send(DIGEST_QUEUE, { date: '2034-01-09' }), await workers[1].send(DIGEST_QUEUE, { date: '2034-01-09' })]
      const deadline = Date.now() + 45_000
      for (;;) {
        const states = await Promise.all(jobs.map((id) => workers[0].getJobById(DIGEST_QUEUE, id!)))
        if (states.every((job) => job?.state === 'completed')) break
        if (Date.now() > deadline) throw new Error(`jobs did not complete: ${states.map((job) => job?.state).join(', ')}`)
        await new Promise((resolve) => setTimeout(resolve, 200))
      }
    } finally {
      await Promise.all(workers.map((boss) => boss.stop({ graceful: false, wait: true, timeout: 5_000 })))
    }
    const perUser = await sequelize.query<{ userId: number; digests: number }>(`SELECT user_id AS "userId", count(*)::int AS digests FROM digests WHERE digest_date = '2034-01-09' GROUP BY user_id`, { type: QueryTypes.SELECT })
    const [{ staff }] = await sequelize.query<{ staff: number }>(`SELECT count(*)::int AS staff FROM users WHERE active AND region_id IS NOT NULL AND role IN ('SPECIALIST', 'SENIOR_SPECIALIST', 'REGIONAL_HEAD')`, { type: QueryTypes.SELECT })
    expect(perUser.length).to.be.at.least(1)
    expect(perUser.every((row) => row.digests === 1)).to.equal(true)
    expect(perUser.length).to.be.at.most(staff)
    expect(perUser.some((row) => row.userId === officer.id)).to.equal(true)
    expect(sent.filter((to) => to === 'officer@example.am')).to.have.length(1)
  })

  it('when an officer has work due, then their digest counts it and lists file numbers, never names', async () => {
    t.clock.set('2034-02-06T08:00:00+04:00')
    const regionId = await regionIdOf('ARAGATSOTN')
    const officer = await createPerson('SPECIALIST', 'ARAGATSOTN')
    const file = await createBeneficiary(regionId, officer.id, { surname: 'Գևորգյան' })
    const context = { actor: { id: officer.id, role: officer.role, regionId, actingHeadRegionIds: [] }, actorUsername: officer.username, sourceIp: null, requestId: null }
    await t.services.measures.registerCourtAct(file.id, { court: 'Court', caseNumber: 'D-1', kind: 'VERDICT', actDate: '2034-01-20', inForceDate: '2034-01-25', receivedDate: '2034-01-30', documentId: null, changesActId: null, changeKind: null, endsMeasureIds: [] }, [{ typeCode: 'PUBLIC_WORKS', details: { hoursOrdered: 10 } }], context)
    await t.services.reminders.prepareDigests()
    const browser = await signIn(t.app, officer.username)
    const page = await browser.get('/digest')
    expect(page.status).to.equal(200)
    expect(page.text).to.contain('data-testid="digest-counts"').and.contain(file.fileNumber).and.not.contain('Գևորգյան')
  })

  it('when the quarterly report is still to be submitted, then the head\'s and the acting head\'s digests list it and an officer\'s does not', async () => {
    t.clock.set('2039-04-03T08:00:00+04:00')
    const regionId = await regionIdOf('SYUNIK')
    const head = await createPerson('REGIONAL_HEAD', 'SYUNIK')
    const senior = await createPerson('SENIOR_SPECIALIST', 'SYUNIK')
    const officer = await createPerson('SPECIALIST', 'SYUNIK')
    const headContext = { actor: { id: head.id, role: head.role, regionId, actingHeadRegionIds: [] }, actorUsername: head.username, sourceIp: null, requestId: null }
    await t.services.delegations.create({ regionId, actingUserId: senior.id, startsOn: '2039-04-03', endsOn: '2039-04-10', reason: 'Leave' }, headContext)
    await t.services.reminders.prepareDigests()
    const reportLines = async (userId: number) => (await t.services.reminders.latestDigest(userId))!.content.lines.filter((line) => line.kind === 'QUARTERLY_REPORT').map((line) => line.href)
    // The first quarter of 2039 is due on 05.04.2039, within the digest's week.
    expect(await reportLines(head.id)).to.deep.equal([`/regions/${regionId}/reports/2039/1`])
    expect(await reportLines(senior.id)).to.deep.equal([`/regions/${regionId}/reports/2039/1`])
    expect(await reportLines(officer.id)).to.deep.equal([])
  })

  it('when an officer creates a calendar address, then it serves their deadlines without a session; a new address or revocation ends the old one', async () => {
    t.clock.set('2034-03-06T08:00:00+04:00')
    const regionId = await regionIdOf('ARAGATSOTN')
    const officer = await createPerson('SPECIALIST', 'ARAGATSOTN')
    const file = await createBeneficiary(regionId, officer.id, { surname: 'Մանուկյան' })
    const context = { actor: { id: officer.id, role: officer.role, regionId, actingHeadRegionIds: [] }, actorUsername: officer.username, sourceIp: null, requestId: null }
    await t.services.measures.registerCourtAct(file.id, { court: 'Court', caseNumber: 'D-2', kind: 'VERDICT', actDate: '2034-02-20', inForceDate: '2034-02-25', receivedDate: '2034-03-03', documentId: null, changesActId: null, changeKind: null, endsMeasureIds: [] }, [{ typeCode: 'PUBLIC_WORKS', details: { hoursOrdered: 10 } }], context)
    const browser = await signIn(t.app, officer.username)
    expect((await browser.post('/account/calendar')).status).to.equal(303)
    const page = await browser.get('/account/calendar')
    const address = /data-testid="feed-url"/.test(page.text) ? /value="([^"]+\.ics)"/.exec(page.text)![1] : ''
    const path = new URL(address).pathname
    expect((await browser.get('/account/calendar')).text).not.to.contain(path)

    const visitor = anonymous(t.app)
    const feed = await visitor.get(path)
    expect(feed.status).to.equal(200)
    expect(feed.headers['content-type']).to.contain('text/calendar')
    expect(feed.text).to.contain('BEGIN:VEVENT').and.contain(file.fileNumber).and.not.contain('Մանուկյան')
    // Received Friday 03.03.2034: the act is to be registered in 3 working days, by Wednesday 08.03.2034 — a holiday — so Thursday 09.03.
    expect(feed.text).to.contain('DTSTART;VALUE=DATE:20340309')

    await browser.post('/account/calendar')
    expect((await visitor.get(path)).status).to.equal(404)
    const fresh = new URL(/value="([^"]+\.ics)"/.exec((await browser.get('/account/calendar')).text)![1]).pathname
    expect((await visitor.get(fresh)).status).to.equal(200)
    await browser.post('/account/calendar/revoke')
    expect((await visitor.get(fresh)).status).to.equal(404)
    expect((await visitor.get('/calendar/not-a-token.ics')).status).to.equal(404)
  })
})
