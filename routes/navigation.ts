import type { RequestHandler } from 'express'
import type { Action, Resource } from '../server/policy'

/** One entry of a menu: its label (a message key), where it goes, and whether it is the page shown. */
export interface NavigationLink {
  label: string
  href: string
  current: boolean
}

/** A top-level entry: a menu of links, shown as a plain link when it holds one. */
export interface NavigationSection {
  label: string
  links: NavigationLink[]
  current: boolean
}

type Can = (action: Action, resource?: Resource) => boolean

interface Candidate {
  label: string
  href: string
  allowed: boolean
}

interface SectionPlan {
  label: string
  candidates: Candidate[]
  /** Pages under no link of the section that belong to it (a personal file belongs to People). */
  owns: RegExp[]
}

/** The path is the link's page or a page under it. */
function isUnder(path: string, href: string): boolean {
  return href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`)
}

/**
 * The main navigation by task: at most seven entries, each a menu of what the person may open (asked of the policy,
 * as the routes ask), with the page shown marked. `path` is the request's path without its query.
 */
export function navigationFor(user: { regionId: number | null }, can: Can, path: string): NavigationSection[] {
  const region = user.regionId
  const inRegion = (action: Action) => region !== null && can(action, { regionId: region })
  const regional = (suffix: string) => `/regions/${region}/${suffix}`
  const plans: SectionPlan[] = [
    { label: 'nav.home', candidates: [{ label: 'nav.home', href: '/', allowed: true }], owns: [/^\/digest$/] },
    {
      label: 'nav.section.people',
      candidates: [
        { label: 'nav.register', href: regional('beneficiaries'), allowed: inRegion('beneficiary.list') },
        { label: 'nav.search', href: '/beneficiaries/search', allowed: can('beneficiary.list', { regionId: region }) },
        { label: 'nav.caseload', href: '/caseload', allowed: can('beneficiary.caseload') },
        { label: 'nav.transfers', href: regional('transfers'), allowed: inRegion('transfer.list') },
      ],
      owns: [/^\/beneficiaries\//, /^\/regions\/\d+\/beneficiaries/],
    },
    {
      label: 'nav.section.measures',
      candidates: [
        { label: 'nav.measures', href: regional('measures'), allowed: inRegion('measure.list') },
        { label: 'nav.violations', href: regional('violations'), allowed: inRegion('violation.list') },
        { label: 'nav.devices', href: regional('devices'), allowed: inRegion('device.list') },
        { label: 'nav.pendingAppointments', href: regional('appointments/pending'), allowed: inRegion('contact.pending') },
        { label: 'nav.activities', href: regional('activities'), allowed: inRegion('activity.list') },
        can('mediation.overview')
          ? { label: 'nav.mediation', href: '/mediation', allowed: true }
          : { label: 'nav.mediation', href: regional('mediation'), allowed: inRegion('mediation.list') },
      ],
      owns: [/^\/(measures|assessments|plans|appointments|violations|devices|mediation)\//],
    },
    {
      label: 'nav.section.correspondence',
      candidates: [
        { label: 'nav.correspondence', href: regional('correspondence'), allowed: inRegion('correspondence.list') },
        { label: 'nav.myCorrespondence', href: '/correspondence/mine', allowed: can('correspondence.mine') },
      ],
      owns: [/^\/(correspondence|letters)\//],
    },
    {
      label: 'nav.section.deadlines',
      candidates: [
        { label: 'nav.myWork', href: '/my-work', allowed: can('board.mine') },
        { label: 'nav.board', href: regional('board'), allowed: inRegion('board.region') },
        { label: 'nav.nationalBoard', href: '/board/national', allowed: can('board.national') },
        { label: 'nav.digest', href: '/digest', allowed: can('digest.view') },
        { label: 'nav.calendarFeed', href: '/account/calendar', allowed: can('calendarFeed.manage') },
      ],
      owns: [/^\/deadlines\//],
    },
    {
      label: 'nav.quarterlyReports',
      candidates: [
        can('report.national')
          ? { label: 'nav.quarterlyReports', href: '/reports/national', allowed: true }
          : { label: 'nav.quarterlyReports', href: regional('reports'), allowed: inRegion('report.view') },
      ],
      owns: [/^\/regions\/\d+\/reports/, /^\/reports\//],
    },
    {
      label: 'nav.section.administration',
      candidates: [
        { label: 'nav.delegations', href: regional('delegations'), allowed: inRegion('delegation.list') },
        { label: 'nav.users', href: '/admin/users', allowed: can('user.list') },
        { label: 'nav.accountRequests', href: '/account-requests', allowed: can('accountRequest.list') },
        { label: 'nav.regions', href: '/admin/regions', allowed: can('region.list') },
        { label: 'nav.calendar', href: '/admin/calendar', allowed: can('calendar.edit') },
        { label: 'nav.instruments', href: '/instruments', allowed: can('instrument.list') },
        { label: 'nav.rules', href: '/rules', allowed: can('rules.view') },
        { label: 'nav.audit', href: '/audit', allowed: can('audit.view') },
        { label: 'nav.retention', href: '/retention', allowed: can('beneficiary.anonymise') },
      ],
      owns: [/^\/admin\//],
    },
  ]
  // The page is marked under the link it is closest to: /regions/3/board/x is the board's, not the region's.
  const allowed = plans.flatMap((plan) => plan.candidates.filter((candidate) => candidate.allowed))
  const closest = allowed.filter((candidate) => isUnder(path, candidate.href)).sort((a, b) => b.href.length - a.href.length)[0]
  return plans
    .map((plan) => {
      const links = plan.candidates.filter((candidate) => candidate.allowed).map((candidate) => ({ label: candidate.label, href: candidate.href, current: candidate === closest }))
      const current = links.some((link) => link.current) || (closest === undefined && plan.owns.some((pattern) => pattern.test(path)))
      return { label: plan.label, links, current }
    })
    .filter((section) => section.links.length > 0)
}

/** Pages built for a signed-in person show the navigation the policy allows them (res.locals.can, set before). */
export const navigationForViews: RequestHandler = (req, res, next) => {
  res.locals.navigation = () => (req.user ? navigationFor(req.user, res.locals.can as Can, req.path) : [])
  next()
}
