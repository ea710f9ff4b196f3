import { expect } from 'chai'
import { AuditEvent } from '../../models'
import { buildTestApp, type TestApp } from '../helpers/app'
import { anonymous, refreshToken, signIn } from '../helpers/agent'
import { createPerson } from '../helpers/people'
import { testDatabase } from '../helpers/database'
import type { Sequelize } from 'sequelize'
import { createSequelize } from '../../server/db/database'
import { canEraseAuditLog } from '../../server/db/roles'

describe('the audit log', () => {
  let t: TestApp
  beforeEach(() => {
    t = buildTestApp()
  })

  it('when anyone tries to change or remove an entry, then the database refuses: the app\'s role may not, and even the owner meets the append-only guard', async () => {
    const { sequelize, ownerUrl } = testDatabase()
    const person = await createPerson('SPECIALIST', 'ARARAT')
    await signIn(t.app, person.username)
    const entry = await AuditEvent.findOne({ where: { action: 'signIn', actorUserId: person.id } })
    expect(entry, 'the sign-in was recorded').to.not.equal(null)
    const refusal = async (connection: Sequelize, statement: string): Promise<string | undefined> => {
      try {
        await connection.query(statement)
      } catch (error) {
        return (error as Error).message
      }
      return undefined
    }
    const changes = [`UPDATE audit_events SET action = 'x' WHERE id = ${entry!.id}`, `DELETE FROM audit_events WHERE id = ${entry!.id}`, 'TRUNCATE audit_events']
    // The app's role: no privilege to change or remove, and no way to switch the guard off.
    for (const statement of changes) expect(await refusal(sequelize, statement), statement).to.match(/permission denied/)
    expect(await refusal(sequelize, 'SET session_replication_role = replica')).to.match(/permission denied/)
    expect(await refusal(sequelize, 'ALTER TABLE audit_events DISABLE TRIGGER USER')).to.match(/must be owner/)
    // The owner (migrations): the trigger refuses all the same.
    const owner = createSequelize({ url: ownerUrl, poolMax: 1 })
    try {
      for (const statement of changes) expect(await refusal(owner, statement), `owner: ${statement}`).to.match(/append-only/)
    } finally {
      await owner.close()
    }
    expect((await AuditEvent.findByPk(entry!.id))!.action).to.equal(entry!.action)
    expect(await canEraseAuditLog(sequelize), 'the app\'s role, as the start-up check sees it').to.equal(false)
  })

  it('when an entry is written, then it holds who, when, what, outcome and source address', async () => {
    const person = await createPerson('SPECIALIST', 'ARARAT')
    t.clock.set('2026-11-20T08:15:00Z')
    await signIn(t.app, person.username)
    const entry = await AuditEvent.findOne({ where: { action: 'signIn', actorUserId: person.id } })
    expect(entry).to.include({ actorUsername: person.username, category: 'account', outcome: 'success', regionId: person.regionId })
    expect(entry!.occurredAt.toISOString()).to.equal('2026-11-20T08:15:00.000Z')
    expect(entry!.sourceIp).to.match(/127\.0\.0\.1/)
    expect(entry!.requestId).to.match(/^[0-9a-f-]{36}$/)
  })

  it('when a regional head opens the log, then only their region\'s entries are listed', async () => {
    const ararat = await createPerson('SPECIALIST', 'ARARAT')
    const shirak = await createPerson('SPECIALIST', 'SHIRAK')
    await signIn(t.app, ararat.username)
    await signIn(t.app, shirak.username)
    const head = await signIn(t.app, (await createPerson('REGIONAL_HEAD', 'ARARAT')).username)
    const page = await head.get('/audit?category=account')
    expect(page.status).to.equal(200)
    expect(page.text).to.contain(ararat.username)
    expect(page.text).to.not.contain(shirak.username)
  })

  it('when the administrator opens the log, then account events are listed and beneficiary events are not', async () => {
    const admin = await createPerson('ADMINISTRATOR', null)
    const person = await createPerson('SPECIALIST', 'ARARAT')
    // The log lists the newest entries first, and other tests of this file sign in with clocks years ahead: be the newest.
    t.clock.set('2099-01-01T10:00:00+04:00')
    await AuditEvent.create({ occurredAt: new Date(), actorUserId: person.id, actorUsername: person.username, action: 'beneficiary.view', category: 'beneficiary', outcome: 'success', regionId: person.regionId, targetType: 'beneficiary', targetId: '999999', details: {}, sourceIp: null, requestId: null })
    await signIn(t.app, person.username)
    const browser = await signIn(t.app, admin.username)
    const page = await browser.get('/audit')
    expect(page.text).to.contain(person.username)
    expect(page.text).to.not.contain('beneficiary #999999')
    const filtered = await browser.get('/audit?category=beneficiary')
    expect(filtered.text).to.not.contain('beneficiary #999999')
  })

  it('when a failed sign-in names an unknown account, then the attempt is still recorded, without a password', async () => {
    const browser = anonymous(t.app)
    await refreshToken(browser)
    await browser.post('/sign-in', { username: 'no.such.person', password: 'some secret words' })
    const entry = await AuditEvent.findOne({ where: { action: 'signIn', actorUsername: 'no.such.person' }, order: [['id', 'DESC']] })
    expect(entry).to.include({ outcome: 'failure', actorUserId: null })
    expect(JSON.stringify(entry!.toJSON())).to.not.contain('some secret words')
  })
})
