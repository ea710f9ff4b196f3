import { expect } from 'chai'
import { navigationFor } from '../../routes/navigation'
import { can, type Action, type Actor, type Resource } from '../../server/policy'
import { ROLES } from '../../server/domain/roles'

const ARARAT = 3

function navigationOf(actor: Actor, path: string) {
  return navigationFor({ regionId: actor.regionId }, (action: Action, resource?: Resource) => can(actor, action, resource), path)
}

const actorOf = (role: Actor['role']): Actor => ({ id: 7, role, regionId: ['SERVICE_HEAD', 'ADMINISTRATOR'].includes(role) ? null : ARARAT, actingHeadRegionIds: [] })

describe('the main navigation', () => {
  it('when any role signs in, then it has at most seven entries, none empty, and home first', () => {
    for (const role of ROLES) {
      const sections = navigationOf(actorOf(role), '/')
      expect(sections.length, role).to.be.within(1, 7)
      expect(sections[0].links.map((link) => link.href), role).to.deep.equal(['/'])
      expect(sections.every((section) => section.links.length > 0), role).to.equal(true)
    }
  })

  it('when a regional head opens a page, then the link closest to it and its menu are marked, and a page under no link marks its menu only', () => {
    const head = actorOf('REGIONAL_HEAD')
    const marked = (path: string) => navigationOf(head, path).flatMap((section) => [...(section.current ? [`[${section.label}]`] : []), ...section.links.filter((link) => link.current).map((link) => link.href)])
    expect(marked('/')).to.deep.equal(['[nav.home]', '/'])
    expect(marked(`/regions/${ARARAT}/board`)).to.deep.equal(['[nav.section.deadlines]', `/regions/${ARARAT}/board`])
    expect(marked(`/regions/${ARARAT}/correspondence/control`)).to.deep.equal(['[nav.section.correspondence]', `/regions/${ARARAT}/correspondence`])
    expect(marked('/correspondence/mine')).to.deep.equal(['[nav.section.correspondence]', '/correspondence/mine'])
    expect(marked('/beneficiaries/12')).to.deep.equal(['[nav.section.people]'])
    expect(marked('/measures/40')).to.deep.equal(['[nav.section.measures]'])
    expect(marked('/nowhere')).to.deep.equal([])
  })

  it('when a specialist signs in, then the navigation offers only what the policy lets them open', () => {
    const officer = actorOf('SPECIALIST')
    const hrefs = navigationOf(officer, '/').flatMap((section) => section.links.map((link) => link.href))
    expect(hrefs).to.include('/my-work').and.include(`/regions/${ARARAT}/beneficiaries`)
    expect(hrefs).not.to.include(`/regions/${ARARAT}/board`)
    expect(hrefs).not.to.include('/admin/users')
    expect(hrefs).not.to.include('/audit')
  })
})
