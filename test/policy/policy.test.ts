import { expect } from 'chai'
import { ACTIONS, auditScope, can, hasHeadPowersIn, type Action, type Actor } from '../../server/policy'
import type { Role } from '../../server/domain/roles'

const OWN = 3
const OTHER = 8

function actor(role: Role, regionId: number | null, actingHeadRegionIds: number[] = [], id = 100): Actor {
  return { id, role, regionId, actingHeadRegionIds }
}

describe('policy', () => {
  it('when an action has no rule, then it is refused (deny by default)', () => {
    expect(can(actor('SERVICE_HEAD', null), 'beneficiary.delete' as Action)).to.equal(false)
  })

  it('when nobody is signed in, then only the public actions are allowed (the calendar feed checks its secret address itself)', () => {
    const allowed = ACTIONS.filter((action) => can(null, action, { regionId: OWN }))
    expect(allowed.sort()).to.deep.equal(['calendarFeed.read', 'health.check', 'language.change', 'session.signIn'])
  })

  it('when an acting head holds a delegation for the region, then they have head powers there and nowhere else', () => {
    const acting = actor('SENIOR_SPECIALIST', OWN, [OWN])
    expect(hasHeadPowersIn(acting, OWN)).to.equal(true)
    expect(hasHeadPowersIn(acting, OTHER)).to.equal(false)
    expect(hasHeadPowersIn(actor('SENIOR_SPECIALIST', OWN), OWN)).to.equal(false)
    expect(can(acting, 'delegation.list', { regionId: OWN })).to.equal(true)
    expect(can(acting, 'delegation.create', { regionId: OWN }), 'an acting head does not delegate further').to.equal(false)
  })

  it('when a regional head acts in another region, then it is refused', () => {
    const head = actor('REGIONAL_HEAD', OWN)
    expect(can(head, 'delegation.list', { regionId: OWN })).to.equal(true)
    expect(can(head, 'delegation.list', { regionId: OTHER })).to.equal(false)
    expect(can(head, 'delegation.create', { regionId: undefined })).to.equal(false)
  })

  it('when the administrator acts on their own account or the service head\'s, then it is refused; on others it is allowed', () => {
    const admin = actor('ADMINISTRATOR', null, [], 7)
    for (const action of ['user.edit', 'user.deactivate', 'user.reactivate', 'user.resetPassword'] as const) {
      expect(can(admin, action, { userId: 7, userRole: 'ADMINISTRATOR' }), action).to.equal(false)
      expect(can(admin, action, { userId: 8, userRole: 'REGIONAL_HEAD' }), action).to.equal(true)
      expect(can(admin, action, { userId: 9, userRole: 'SERVICE_HEAD' }), action).to.equal(false)
      // An account whose role the guard did not give is not acted on.
      expect(can(admin, action, { userId: 8 }), action).to.equal(false)
    }
  })

  it('when the administrator asks for regional work, then it is refused: accounts and reference data only', () => {
    const admin = actor('ADMINISTRATOR', null)
    expect(can(admin, 'delegation.list', { regionId: OWN })).to.equal(false)
    expect(auditScope(admin)).to.deep.equal({ kind: 'categories', categories: ['account', 'region', 'reference'] })
  })

  it('when the audit scope is asked, then the service head sees all, heads their region, staff nothing', () => {
    expect(auditScope(actor('SERVICE_HEAD', null))).to.deep.equal({ kind: 'all' })
    expect(auditScope(actor('REGIONAL_HEAD', OWN))).to.deep.equal({ kind: 'regions', regionIds: [OWN] })
    expect(auditScope(actor('SENIOR_SPECIALIST', OWN, [OWN]))).to.deep.equal({ kind: 'regions', regionIds: [OWN] })
    expect(auditScope(actor('SPECIALIST', OWN))).to.equal(null)
    expect(can(actor('SPECIALIST', OWN), 'audit.view')).to.equal(false)
  })
})
