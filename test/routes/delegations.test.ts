import { expect } from 'chai'
import { AuditEvent, Delegation } from '../../models'
import { buildTestApp, type TestApp } from '../helpers/app'
import { signIn } from '../helpers/agent'
import { createPerson, regionIdOf } from '../helpers/people'

// Kotayk is used only here, so no other test's delegation overlaps these.
describe('acting heads: delegation of the regional head\'s powers', () => {
  let t: TestApp
  let regionId: number
  before(async () => {
    regionId = await regionIdOf('KOTAYK')
  })
  beforeEach(() => {
    t = buildTestApp()
    t.clock.set('2032-05-04T09:00:00+04:00')
  })

  it('when the head names a senior specialist for a period, then that person has head powers only within it, and it is listed and audited', async () => {
    const head = await createPerson('REGIONAL_HEAD', 'KOTAYK')
    const senior = await createPerson('SENIOR_SPECIALIST', 'KOTAYK')
    const headBrowser = await signIn(t.app, head.username)
    const named = await headBrowser.post(`/regions/${regionId}/delegations`, { actingUserId: senior.id, startsOn: '05.05.2032', endsOn: '2032-05-07', reason: 'ամենամյա արձակուրդ' })
    expect(named.status).to.equal(303)
    const list = await headBrowser.get(`/regions/${regionId}/delegations`)
    expect(list.text).to.contain('05.05.2032 – 07.05.2032').and.contain('ամենամյա արձակուրդ')
    expect(await AuditEvent.count({ where: { action: 'delegation.create', regionId } })).to.be.greaterThan(0)

    const seniorToday = await signIn(t.app, senior.username)
    expect((await seniorToday.get(`/regions/${regionId}/delegations`)).status, 'the day before').to.equal(403)
    t.clock.set('2032-05-07T23:50:00+04:00')
    const seniorLastDay = await signIn(t.app, senior.username)
    expect((await seniorLastDay.get(`/regions/${regionId}/delegations`)).status, 'the last day, late evening in Yerevan').to.equal(200)
    t.clock.set('2032-05-08T00:10:00+04:00')
    expect((await seniorLastDay.get(`/regions/${regionId}/delegations`)).status, 'just after midnight in Yerevan').to.equal(403)
    await Delegation.update({ revokedAt: new Date(), revokeReason: 'test clean-up' }, { where: { regionId, revokedAt: null } })
  })

  it('when the periods overlap, or the person is not a senior specialist of the region, then the head is told why and nothing is saved', async () => {
    const head = await createPerson('REGIONAL_HEAD', 'KOTAYK')
    const senior = await createPerson('SENIOR_SPECIALIST', 'KOTAYK')
    const other = await createPerson('SENIOR_SPECIALIST', 'KOTAYK')
    const specialist = await createPerson('SPECIALIST', 'KOTAYK')
    const foreigner = await createPerson('SENIOR_SPECIALIST', 'LORI')
    const browser = await signIn(t.app, head.username)
    expect((await browser.post(`/regions/${regionId}/delegations`, { actingUserId: senior.id, startsOn: '2032-06-01', endsOn: '2032-06-10', reason: 'leave' })).status).to.equal(303)
    const before = await Delegation.count()
    const overlap = await browser.post(`/regions/${regionId}/delegations`, { actingUserId: other.id, startsOn: '2032-06-10', endsOn: '2032-06-12', reason: 'leave' })
    expect(overlap.status).to.equal(400)
    expect(overlap.text).to.contain('արդեն նշանակված է այլ պաշտոնակատար')
    for (const person of [specialist, foreigner]) {
      const refused = await browser.post(`/regions/${regionId}/delegations`, { actingUserId: person.id, startsOn: '2032-07-01', endsOn: '2032-07-02', reason: 'leave' })
      expect(refused.text).to.contain('միայն այս Մարմնի ակտիվ ավագ մասնագետը')
    }
    expect(await Delegation.count()).to.equal(before)
    await Delegation.update({ revokedAt: new Date(), revokeReason: 'test clean-up' }, { where: { regionId, revokedAt: null } })
  })

  it('when the head revokes a delegation, then the acting head loses the powers at once and the revocation is audited', async () => {
    const head = await createPerson('REGIONAL_HEAD', 'KOTAYK')
    const senior = await createPerson('SENIOR_SPECIALIST', 'KOTAYK')
    const headBrowser = await signIn(t.app, head.username)
    await headBrowser.post(`/regions/${regionId}/delegations`, { actingUserId: senior.id, startsOn: '2032-05-04', endsOn: '2032-05-20', reason: 'business trip' })
    const delegation = await Delegation.findOne({ where: { regionId, actingUserId: senior.id } })
    const acting = await signIn(t.app, senior.username)
    expect((await acting.get('/')).text).to.contain('data-testid="acting-head-banner"')
    const noReason = await headBrowser.post(`/delegations/${delegation!.id}/revoke`, { reason: '' })
    expect(noReason.status).to.equal(400)
    expect((await headBrowser.post(`/delegations/${delegation!.id}/revoke`, { reason: 'returned early' })).status).to.equal(303)
    expect((await acting.get(`/regions/${regionId}/delegations`)).status).to.equal(403)
    expect((await acting.get('/')).text).to.not.contain('data-testid="acting-head-banner"')
    expect(await AuditEvent.count({ where: { action: 'delegation.revoke', targetId: String(delegation!.id) } })).to.equal(1)
  })

  it('when an acting head tries to name another acting head, then it is refused: only the head and the service head delegate', async () => {
    const head = await createPerson('REGIONAL_HEAD', 'KOTAYK')
    const senior = await createPerson('SENIOR_SPECIALIST', 'KOTAYK')
    const other = await createPerson('SENIOR_SPECIALIST', 'KOTAYK')
    const headBrowser = await signIn(t.app, head.username)
    await headBrowser.post(`/regions/${regionId}/delegations`, { actingUserId: senior.id, startsOn: '2032-05-04', endsOn: '2032-05-05', reason: 'leave' })
    const acting = await signIn(t.app, senior.username)
    expect((await acting.post(`/regions/${regionId}/delegations`, { actingUserId: other.id, startsOn: '2032-05-06', endsOn: '2032-05-07', reason: 'leave' })).status).to.equal(403)
    await Delegation.update({ revokedAt: new Date(), revokeReason: 'test clean-up' }, { where: { regionId, revokedAt: null } })
  })

  it('when the service head names an acting head in any region, then it is accepted', async () => {
    const chief = await createPerson('SERVICE_HEAD', null)
    const senior = await createPerson('SENIOR_SPECIALIST', 'KOTAYK')
    const browser = await signIn(t.app, chief.username)
    expect((await browser.post(`/regions/${regionId}/delegations`, { actingUserId: senior.id, startsOn: '2032-08-01', endsOn: '2032-08-02', reason: 'leave' })).status).to.equal(303)
    await Delegation.update({ revokedAt: new Date(), revokeReason: 'test clean-up' }, { where: { regionId, revokedAt: null } })
  })
})
