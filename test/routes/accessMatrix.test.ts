import { expect } from 'chai'
import type express from 'express'
import { Op, QueryTypes } from 'sequelize'
import { AuditEvent, BeneficiaryDocument, Delegation, Transfer } from '../../models'
import { buildTestApp, type TestApp } from '../helpers/app'
import { anonymous, refreshToken, signIn, type Browser } from '../helpers/agent'
import { createPerson, regionIdOf, type TestPerson } from '../helpers/people'
import { createBeneficiary } from '../helpers/beneficiaries'

/*
 * Who may reach what. Every route of the app appears in ROUTES with the personas allowed to use it;
 * everyone else must be refused (403 for a signed-in user, sign-in for an anonymous visitor). The
 * inventory test fails when a route exists without a policy guard or without a line here.
 */
type Persona =
  | 'anonymous'
  | 'serviceHead'
  | 'administrator'
  | 'regionalHead'
  | 'seniorSpecialist'
  | 'specialist'
  | 'actingHeadBefore'
  | 'actingHeadDuring'
  | 'actingHeadAfter'
  | 'otherRegionHead'
  | 'otherRegionSpecialist'

const PERSONAS: Persona[] = ['anonymous', 'serviceHead', 'administrator', 'regionalHead', 'seniorSpecialist', 'specialist', 'actingHeadBefore', 'actingHeadDuring', 'actingHeadAfter', 'otherRegionHead', 'otherRegionSpecialist']
const SIGNED_IN = PERSONAS.filter((p) => p !== 'anonymous')
const EVERYONE = PERSONAS

interface Fixture {
  ownRegionId: number
  otherRegionId: number
  targetUserId: number
  delegationId: number
  beneficiaryId: number
  closedBeneficiaryId: number
  documentId: number
  incomingTransferId: number
  measureId: number
  deadlineId: number
  violationId: number
  itemId: number
  attachmentId: number
  letterId: number
  taskId: number
  lineId: number
  mediationCaseId: number
  assessmentId: number
  planId: number
  goalId: number
  stepId: number
  appointmentId: number
  eventId: number
  participantId: number
  /** The open file's number: a page that shows it shows the person's record. */
  fileNumber: string
  /** The administrator's request waiting for the service head. */
  accountRequestId: number
}

interface RouteCase {
  method: 'GET' | 'POST'
  path: string
  url: (f: Fixture) => string
  allowed: readonly Persona[]
  /** Refusals answer 404 so that the existence of another region's record is not disclosed. */
  hidden?: boolean
}

const route = (method: 'GET' | 'POST', path: string, allowed: readonly Persona[], url?: (f: Fixture) => string, hidden = false): RouteCase => ({ method, path, allowed, url: url ?? (() => path), hidden })
const file = (method: 'GET' | 'POST', suffix: string, allowed: readonly Persona[], which: 'open' | 'closed' = 'open') =>
  route(method, `/beneficiaries/:beneficiaryId${suffix}`, allowed, (f) => `/beneficiaries/${which === 'open' ? f.beneficiaryId : f.closedBeneficiaryId}${suffix}`, true)

const REGION_STAFF: Persona[] = ['regionalHead', 'seniorSpecialist', 'specialist', 'actingHeadBefore', 'actingHeadDuring', 'actingHeadAfter']
const HEAD_POWERS: Persona[] = ['regionalHead', 'actingHeadDuring']
// The specialist persona is the file's responsible officer.
const CHANGES_FILE: Persona[] = [...HEAD_POWERS, 'specialist']
// The specialist persona is also the assignee of the fixture's incoming item and the author of its letter.
const WORKS_ON_ITEM: Persona[] = [...HEAD_POWERS, 'specialist']
const READS_REGION: Persona[] = ['serviceHead', ...REGION_STAFF]

// The acting head's delegation runs over these dates; the three acting personas are the same kind of
// person judged before, during and after it.
const DELEGATION = { startsOn: '2031-03-10', endsOn: '2031-03-20' }
const CLOCK: Partial<Record<Persona, string>> = {
  actingHeadBefore: '2031-03-09T10:00:00+04:00',
  actingHeadDuring: '2031-03-15T10:00:00+04:00',
  actingHeadAfter: '2031-03-21T10:00:00+04:00',
}
const DEFAULT_MOMENT = '2031-03-15T10:00:00+04:00'

const ROUTES: RouteCase[] = [
  route('GET', '/health', EVERYONE),
  route('GET', '/ready', EVERYONE),
  route('GET', '/sign-in', EVERYONE),
  // The second step answers everyone: a visitor without a right password is sent back to it, a signed-in user home.
  route('GET', '/sign-in/code', EVERYONE),
  route('GET', '/sign-in/enrol', EVERYONE),
  route('POST', '/language', EVERYONE),
  route('GET', '/', SIGNED_IN),
  route('GET', '/account/password', SIGNED_IN),
  route('POST', '/account/password', SIGNED_IN),
  route('GET', '/account/two-factor', SIGNED_IN),
  route('POST', '/account/two-factor/recovery-codes', SIGNED_IN),
  route('GET', '/admin/users', ['administrator']),
  route('GET', '/admin/users/new', ['administrator']),
  route('POST', '/admin/users/new', ['administrator']),
  route('GET', '/admin/users/:userId', ['administrator'], (f) => `/admin/users/${f.targetUserId}`),
  route('GET', '/admin/users/:userId/edit', ['administrator'], (f) => `/admin/users/${f.targetUserId}/edit`),
  route('POST', '/admin/users/:userId/edit', ['administrator'], (f) => `/admin/users/${f.targetUserId}/edit`),
  route('POST', '/admin/users/:userId/deactivate', ['administrator'], (f) => `/admin/users/${f.targetUserId}/deactivate`),
  route('POST', '/admin/users/:userId/reactivate', ['administrator'], (f) => `/admin/users/${f.targetUserId}/reactivate`),
  route('GET', '/admin/users/:userId/reset-password', ['administrator'], (f) => `/admin/users/${f.targetUserId}/reset-password`),
  route('POST', '/admin/users/:userId/reset-password', ['administrator'], (f) => `/admin/users/${f.targetUserId}/reset-password`),
  route('POST', '/admin/users/:userId/reset-two-factor', ['administrator'], (f) => `/admin/users/${f.targetUserId}/reset-two-factor`),
  route('GET', '/account-requests', ['serviceHead', 'administrator']),
  route('POST', '/account-requests/:requestId/confirm', ['serviceHead'], (f) => `/account-requests/${f.accountRequestId}/confirm`),
  route('POST', '/account-requests/:requestId/refuse', ['serviceHead'], (f) => `/account-requests/${f.accountRequestId}/refuse`),
  route('POST', '/account-requests/:requestId/cancel', ['administrator'], (f) => `/account-requests/${f.accountRequestId}/cancel`),
  route('GET', '/admin/regions', ['administrator']),
  route('GET', '/admin/regions/new', ['administrator']),
  route('POST', '/admin/regions/new', ['administrator']),
  route('GET', '/admin/regions/:regionId/edit', ['administrator'], (f) => `/admin/regions/${f.ownRegionId}/edit`),
  route('POST', '/admin/regions/:regionId/edit', ['administrator'], (f) => `/admin/regions/${f.ownRegionId}/edit`),
  route('GET', '/regions/:regionId/delegations', ['serviceHead', 'regionalHead', 'actingHeadDuring'], (f) => `/regions/${f.ownRegionId}/delegations`),
  route('POST', '/regions/:regionId/delegations', ['serviceHead', 'regionalHead'], (f) => `/regions/${f.ownRegionId}/delegations`),
  route('POST', '/delegations/:delegationId/revoke', ['serviceHead', 'regionalHead'], (f) => `/delegations/${f.delegationId}/revoke`),
  route('GET', '/audit', ['serviceHead', 'administrator', 'regionalHead', 'actingHeadDuring', 'otherRegionHead']),
  route('GET', '/regions/:regionId/beneficiaries', ['serviceHead', ...REGION_STAFF], (f) => `/regions/${f.ownRegionId}/beneficiaries`, true),
  route('GET', '/caseload', [...REGION_STAFF, 'otherRegionHead', 'otherRegionSpecialist']),
  route('GET', '/beneficiaries/search', ['serviceHead', ...REGION_STAFF, 'otherRegionHead', 'otherRegionSpecialist']),
  route('GET', '/regions/:regionId/beneficiaries/new', REGION_STAFF, (f) => `/regions/${f.ownRegionId}/beneficiaries/new`, true),
  route('POST', '/regions/:regionId/beneficiaries/new', REGION_STAFF, (f) => `/regions/${f.ownRegionId}/beneficiaries/new`, true),
  file('GET', '', ['serviceHead', ...REGION_STAFF]),
  file('POST', '/access-reason', ['serviceHead', ...REGION_STAFF]),
  file('GET', '/print', ['serviceHead', ...REGION_STAFF]),
  file('GET', '/edit', CHANGES_FILE),
  file('POST', '/edit', CHANGES_FILE),
  file('POST', '/notes', CHANGES_FILE),
  file('GET', '/assign', HEAD_POWERS),
  file('POST', '/assign', HEAD_POWERS),
  file('GET', '/close', CHANGES_FILE),
  file('POST', '/close', CHANGES_FILE),
  file('POST', '/reopen', HEAD_POWERS, 'closed'),
  file('POST', '/documents', CHANGES_FILE),
  route('GET', '/beneficiaries/:beneficiaryId/documents/:documentId', ['serviceHead', ...REGION_STAFF], (f) => `/beneficiaries/${f.beneficiaryId}/documents/${f.documentId}`, true),
  file('GET', '/photo', ['serviceHead', ...REGION_STAFF]),
  file('GET', '/export.pdf', ['serviceHead', ...CHANGES_FILE]),
  file('GET', '/court-acts/new', CHANGES_FILE),
  file('POST', '/court-acts/new', CHANGES_FILE),
  route('GET', '/measures/:measureId', ['serviceHead', ...REGION_STAFF], (f) => `/measures/${f.measureId}`, true),
  route('POST', '/measures/:measureId/transition', CHANGES_FILE, (f) => `/measures/${f.measureId}/transition`, true),
  route('POST', '/measures/:measureId/sessions', CHANGES_FILE, (f) => `/measures/${f.measureId}/sessions`, true),
  route('POST', '/measures/:measureId/payments', CHANGES_FILE, (f) => `/measures/${f.measureId}/payments`, true),
  route('GET', '/regions/:regionId/measures', ['serviceHead', ...REGION_STAFF], (f) => `/regions/${f.ownRegionId}/measures`, true),
  route('POST', '/deadlines/:deadlineId/recompute', HEAD_POWERS, (f) => `/deadlines/${f.deadlineId}/recompute`, true),
  route('GET', '/deadlines/:deadlineId', ['serviceHead', ...REGION_STAFF], (f) => `/deadlines/${f.deadlineId}`, true),
  route('POST', '/measures/:measureId/violations', CHANGES_FILE, (f) => `/measures/${f.measureId}/violations`, true),
  route('POST', '/measures/:measureId/placements', CHANGES_FILE, (f) => `/measures/${f.measureId}/placements`, true),
  route('POST', '/measures/:measureId/notices', CHANGES_FILE, (f) => `/measures/${f.measureId}/notices`, true),
  route('POST', '/measures/:measureId/obligations', CHANGES_FILE, (f) => `/measures/${f.measureId}/obligations`, true),
  route('POST', '/measures/:measureId/reports', CHANGES_FILE, (f) => `/measures/${f.measureId}/reports`, true),
  route('GET', '/regions/:regionId/devices', HEAD_POWERS, (f) => `/regions/${f.ownRegionId}/devices`, true),
  route('POST', '/regions/:regionId/devices', HEAD_POWERS, (f) => `/regions/${f.ownRegionId}/devices`, true),
  route('POST', '/measures/:measureId/devices', CHANGES_FILE, (f) => `/measures/${f.measureId}/devices`, true),
  route('POST', '/measures/:measureId/device-steps', CHANGES_FILE, (f) => `/measures/${f.measureId}/device-steps`, true),
  route('POST', '/measures/:measureId/alerts', CHANGES_FILE, (f) => `/measures/${f.measureId}/alerts`, true),
  route('GET', '/regions/:regionId/violations', HEAD_POWERS, (f) => `/regions/${f.ownRegionId}/violations`, true),
  route('POST', '/violations/:violationId/decide', HEAD_POWERS, (f) => `/violations/${f.violationId}/decide`, true),
  route('GET', '/admin/calendar', ['administrator']),
  route('POST', '/admin/calendar', ['administrator']),
  route('POST', '/admin/calendar/remove', ['administrator']),
  route('GET', '/rules', SIGNED_IN),
  route('POST', '/rules/:ruleId', ['administrator'], () => '/rules/ACT_REGISTER'),
  route('GET', '/retention', ['serviceHead']),
  route('POST', '/retention/anonymise', ['serviceHead']),
  file('GET', '/transfer', HEAD_POWERS),
  file('POST', '/transfer', HEAD_POWERS),
  route('GET', '/regions/:regionId/transfers', HEAD_POWERS, (f) => `/regions/${f.ownRegionId}/transfers`, true),
  // Decided by the receiving region: the fixture's transfer comes from the other region into this one.
  route('POST', '/transfers/:transferId/refuse', HEAD_POWERS, (f) => `/transfers/${f.incomingTransferId}/refuse`, true),
  route('POST', '/transfers/:transferId/accept', HEAD_POWERS, (f) => `/transfers/${f.incomingTransferId}/accept`, true),
  route('GET', '/regions/:regionId/correspondence', READS_REGION, (f) => `/regions/${f.ownRegionId}/correspondence`, true),
  route('GET', '/regions/:regionId/correspondence/new', REGION_STAFF, (f) => `/regions/${f.ownRegionId}/correspondence/new`, true),
  route('POST', '/regions/:regionId/correspondence/new', REGION_STAFF, (f) => `/regions/${f.ownRegionId}/correspondence/new`, true),
  route('GET', '/correspondence/mine', [...REGION_STAFF, 'otherRegionHead', 'otherRegionSpecialist']),
  route('GET', '/correspondence/:itemId', READS_REGION, (f) => `/correspondence/${f.itemId}`, true),
  route('POST', '/correspondence/:itemId/assign', HEAD_POWERS, (f) => `/correspondence/${f.itemId}/assign`, true),
  route('POST', '/correspondence/:itemId/start', WORKS_ON_ITEM, (f) => `/correspondence/${f.itemId}/start`, true),
  route('POST', '/correspondence/:itemId/control', HEAD_POWERS, (f) => `/correspondence/${f.itemId}/control`, true),
  route('POST', '/correspondence/:itemId/due-date', HEAD_POWERS, (f) => `/correspondence/${f.itemId}/due-date`, true),
  route('POST', '/correspondence/:itemId/extend', HEAD_POWERS, (f) => `/correspondence/${f.itemId}/extend`, true),
  route('POST', '/correspondence/:itemId/reply', WORKS_ON_ITEM, (f) => `/correspondence/${f.itemId}/reply`, true),
  route('POST', '/correspondence/:itemId/close', WORKS_ON_ITEM, (f) => `/correspondence/${f.itemId}/close`, true),
  route('POST', '/correspondence/:itemId/attachments', REGION_STAFF, (f) => `/correspondence/${f.itemId}/attachments`, true),
  route('GET', '/correspondence/attachments/:attachmentId', READS_REGION, (f) => `/correspondence/attachments/${f.attachmentId}`, true),
  route('GET', '/letters/:letterId', READS_REGION, (f) => `/letters/${f.letterId}`, true),
  route('POST', '/letters/:letterId/edit', WORKS_ON_ITEM, (f) => `/letters/${f.letterId}/edit`, true),
  route('POST', '/letters/:letterId/delete', WORKS_ON_ITEM, (f) => `/letters/${f.letterId}/delete`, true),
  route('POST', '/letters/:letterId/sign', HEAD_POWERS, (f) => `/letters/${f.letterId}/sign`, true),
  route('POST', '/letters/:letterId/send', REGION_STAFF, (f) => `/letters/${f.letterId}/send`, true),
  route('GET', '/regions/:regionId/letters/new', REGION_STAFF, (f) => `/regions/${f.ownRegionId}/letters/new`, true),
  route('POST', '/regions/:regionId/letters/new', REGION_STAFF, (f) => `/regions/${f.ownRegionId}/letters/new`, true),
  route('GET', '/regions/:regionId/correspondence/control', ['serviceHead', ...HEAD_POWERS], (f) => `/regions/${f.ownRegionId}/correspondence/control`, true),
  route('GET', '/regions/:regionId/correspondence/summary', ['serviceHead', ...HEAD_POWERS], (f) => `/regions/${f.ownRegionId}/correspondence/summary`, true),
  route('GET', '/regions/:regionId/correspondence/register.:format', READS_REGION, (f) => `/regions/${f.ownRegionId}/correspondence/register.xlsx?register=IN&from=2031-01-01&to=2031-03-31`, true),
  route('GET', '/tasks/:taskId', READS_REGION, (f) => `/tasks/${f.taskId}`, true),
  route('POST', '/tasks/:taskId/checklist', WORKS_ON_ITEM, (f) => `/tasks/${f.taskId}/checklist`, true),
  route('POST', '/tasks/:taskId/checklist/:lineId/request', WORKS_ON_ITEM, (f) => `/tasks/${f.taskId}/checklist/${f.lineId}/request`, true),
  route('POST', '/tasks/:taskId/checklist/:lineId/received', WORKS_ON_ITEM, (f) => `/tasks/${f.taskId}/checklist/${f.lineId}/received`, true),
  route('POST', '/tasks/:taskId/sections', WORKS_ON_ITEM, (f) => `/tasks/${f.taskId}/sections`, true),
  route('POST', '/tasks/:taskId/submit', WORKS_ON_ITEM, (f) => `/tasks/${f.taskId}/submit`, true),
  route('POST', '/tasks/:taskId/decide', HEAD_POWERS, (f) => `/tasks/${f.taskId}/decide`, true),
  file('GET', '/supervision', READS_REGION),
  file('POST', '/assessments', CHANGES_FILE),
  route('GET', '/assessments/:assessmentId', READS_REGION, (f) => `/assessments/${f.assessmentId}`, true),
  route('POST', '/assessments/:assessmentId/draft', CHANGES_FILE, (f) => `/assessments/${f.assessmentId}/draft`, true),
  route('POST', '/assessments/:assessmentId/complete', CHANGES_FILE, (f) => `/assessments/${f.assessmentId}/complete`, true),
  // The fixture's assessment is the specialist's: heads countersign it, its author cannot.
  route('POST', '/assessments/:assessmentId/countersign', HEAD_POWERS, (f) => `/assessments/${f.assessmentId}/countersign`, true),
  file('POST', '/plans', CHANGES_FILE),
  route('GET', '/plans/:planId', READS_REGION, (f) => `/plans/${f.planId}`, true),
  route('POST', '/plans/:planId/goals', CHANGES_FILE, (f) => `/plans/${f.planId}/goals`, true),
  route('POST', '/plans/:planId/goals/:goalId', CHANGES_FILE, (f) => `/plans/${f.planId}/goals/${f.goalId}`, true),
  route('POST', '/plans/:planId/goals/:goalId/steps', CHANGES_FILE, (f) => `/plans/${f.planId}/goals/${f.goalId}/steps`, true),
  route('POST', '/plans/:planId/steps/:stepId/delete', CHANGES_FILE, (f) => `/plans/${f.planId}/steps/${f.stepId}/delete`, true),
  route('POST', '/plans/:planId/agreement', CHANGES_FILE, (f) => `/plans/${f.planId}/agreement`, true),
  route('POST', '/plans/:planId/submit', CHANGES_FILE, (f) => `/plans/${f.planId}/submit`, true),
  route('POST', '/plans/:planId/decide', HEAD_POWERS, (f) => `/plans/${f.planId}/decide`, true),
  route('GET', '/instruments', ['serviceHead', 'administrator', ...REGION_STAFF, 'otherRegionHead', 'otherRegionSpecialist']),
  route('POST', '/instruments/import', ['serviceHead']),
  route('POST', '/instruments/contact-frequency', ['administrator']),
  route('GET', '/mediation', ['serviceHead']),
  // Staff without head powers reach the region's list, which shows them only the cases they mediate.
  route('GET', '/regions/:regionId/mediation', READS_REGION, (f) => `/regions/${f.ownRegionId}/mediation`, true),
  route('GET', '/regions/:regionId/mediation/new', ['serviceHead'], (f) => `/regions/${f.ownRegionId}/mediation/new`, true),
  route('POST', '/regions/:regionId/mediation/new', ['serviceHead'], (f) => `/regions/${f.ownRegionId}/mediation/new`, true),
  route('GET', '/mediation/:caseId', READS_REGION, (f) => `/mediation/${f.mediationCaseId}`, true),
  route('POST', '/mediation/:caseId/instruction', ['serviceHead'], (f) => `/mediation/${f.mediationCaseId}/instruction`, true),
  route('POST', '/mediation/:caseId/mediator', HEAD_POWERS, (f) => `/mediation/${f.mediationCaseId}/mediator`, true),
  // The specialist persona is the fixture mediation's mediator.
  route('POST', '/mediation/:caseId/meetings', [...HEAD_POWERS, 'specialist'], (f) => `/mediation/${f.mediationCaseId}/meetings`, true),
  route('POST', '/mediation/:caseId/outcome', [...HEAD_POWERS, 'specialist'], (f) => `/mediation/${f.mediationCaseId}/outcome`, true),
  route('POST', '/mediation/:caseId/report', [...HEAD_POWERS, 'specialist'], (f) => `/mediation/${f.mediationCaseId}/report`, true),
  route('POST', '/mediation/:caseId/end', ['serviceHead', ...HEAD_POWERS], (f) => `/mediation/${f.mediationCaseId}/end`, true),
  // The victim's details: those running the mediation only.
  route('GET', '/mediation/:caseId/victim', ['serviceHead', ...HEAD_POWERS, 'specialist'], (f) => `/mediation/${f.mediationCaseId}/victim`, true),
  route('POST', '/mediation/:caseId/victim', ['serviceHead', ...HEAD_POWERS, 'specialist'], (f) => `/mediation/${f.mediationCaseId}/victim`, true),
  route('GET', '/regions/:regionId/board', ['serviceHead', ...HEAD_POWERS], (f) => `/regions/${f.ownRegionId}/board`, true),
  route('GET', '/my-work', [...REGION_STAFF, 'otherRegionHead', 'otherRegionSpecialist']),
  route('GET', '/board/national', ['serviceHead']),
  route('GET', '/digest', [...REGION_STAFF, 'otherRegionHead', 'otherRegionSpecialist']),
  route('GET', '/account/calendar', [...REGION_STAFF, 'otherRegionHead', 'otherRegionSpecialist']),
  route('POST', '/account/calendar', [...REGION_STAFF, 'otherRegionHead', 'otherRegionSpecialist']),
  route('POST', '/account/calendar/revoke', [...REGION_STAFF, 'otherRegionHead', 'otherRegionSpecialist']),
  // The secret address is the credential: anyone may ask, an unknown token is 404 (as the fixture's is).
  route('GET', '/calendar/:token.ics', EVERYONE, () => '/calendar/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics'),
  // Contacts follow the file's rules; staff not on the file's caseload are sent to give a reason first (a redirect, not a refusal).
  file('GET', '/contacts', ['serviceHead', ...REGION_STAFF]),
  file('POST', '/contacts', CHANGES_FILE),
  route('POST', '/appointments/:appointmentId/outcome', CHANGES_FILE, (f) => `/appointments/${f.appointmentId}/outcome`, true),
  route('POST', '/appointments/:appointmentId/cancel', CHANGES_FILE, (f) => `/appointments/${f.appointmentId}/cancel`, true),
  route('GET', '/appointments/:appointmentId.ics', ['serviceHead', ...REGION_STAFF], (f) => `/appointments/${f.appointmentId}.ics`, true),
  route('GET', '/regions/:regionId/appointments/pending', READS_REGION, (f) => `/regions/${f.ownRegionId}/appointments/pending`, true),
  // Resocialisation events: the region's staff organise them and record attendance; the service head reads.
  route('GET', '/regions/:regionId/activities', READS_REGION, (f) => `/regions/${f.ownRegionId}/activities`, true),
  route('GET', '/regions/:regionId/activities/new', REGION_STAFF, (f) => `/regions/${f.ownRegionId}/activities/new`, true),
  route('POST', '/regions/:regionId/activities/new', REGION_STAFF, (f) => `/regions/${f.ownRegionId}/activities/new`, true),
  route('GET', '/regions/:regionId/activities/participation', READS_REGION, (f) => `/regions/${f.ownRegionId}/activities/participation`, true),
  route('GET', '/activities/:eventId', READS_REGION, (f) => `/activities/${f.eventId}`, true),
  route('POST', '/activities/:eventId/edit', REGION_STAFF, (f) => `/activities/${f.eventId}/edit`, true),
  route('POST', '/activities/:eventId/invitations', REGION_STAFF, (f) => `/activities/${f.eventId}/invitations`, true),
  route('POST', '/activities/:eventId/participants/:participantId', REGION_STAFF, (f) => `/activities/${f.eventId}/participants/${f.participantId}`, true),
  route('POST', '/activities/:eventId/participants/:participantId/withdraw', REGION_STAFF, (f) => `/activities/${f.eventId}/participants/${f.participantId}/withdraw`, true),
  // Quarterly reports: the region's head (or acting head) prepares them, the service head reads every region's and decides;
  // other staff have no access. An empty form is bad input (400), which still counts as allowed.
  route('GET', '/regions/:regionId/reports', ['serviceHead', ...HEAD_POWERS], (f) => `/regions/${f.ownRegionId}/reports`, true),
  route('GET', '/regions/:regionId/reports/:year/:quarter', ['serviceHead', ...HEAD_POWERS], (f) => `/regions/${f.ownRegionId}/reports/2031/1`, true),
  route('POST', '/regions/:regionId/reports/:year/:quarter/narrative', HEAD_POWERS, (f) => `/regions/${f.ownRegionId}/reports/2031/1/narrative`, true),
  route('POST', '/regions/:regionId/reports/:year/:quarter/decision', ['serviceHead'], (f) => `/regions/${f.ownRegionId}/reports/2031/1/decision`, true),
  route('GET', '/regions/:regionId/reports/:year/:quarter/figures/:figure', ['serviceHead', ...HEAD_POWERS], (f) => `/regions/${f.ownRegionId}/reports/2031/1/figures/violationsRecorded`, true),
  route('GET', '/regions/:regionId/reports/:year/:quarter/export.:format', ['serviceHead', ...HEAD_POWERS], (f) => `/regions/${f.ownRegionId}/reports/2031/1/export.xlsx`, true),
  route('GET', '/reports/national', ['serviceHead']),
  route('GET', '/reports/national/export.:format', ['serviceHead'], () => '/reports/national/export.csv'),
  // Last: it ends the session it is tried with.
  route('POST', '/sign-out', SIGNED_IN),
]

// Public form posts judged elsewhere (the session and two-factor tests): allowed for everyone by design.
const PUBLIC_FORM_POSTS = ['POST /sign-in', 'POST /sign-in/code', 'POST /sign-in/enrol']

interface RouteLayer {
  route?: { path: string; methods: Record<string, boolean>; stack: { handle: { policyAction?: string } }[] }
  handle: { stack?: RouteLayer[] }
}

function routesOf(app: express.Express): { key: string; guarded: boolean }[] {
  const found: { key: string; guarded: boolean }[] = []
  const walk = (layers: RouteLayer[]) => {
    for (const layer of layers) {
      if (layer.route) {
        const guarded = layer.route.stack.some((l) => typeof l.handle.policyAction === 'string')
        for (const method of Object.keys(layer.route.methods)) found.push({ key: `${method.toUpperCase()} ${layer.route.path}`, guarded })
      } else if (layer.handle.stack) {
        walk(layer.handle.stack)
      }
    }
  }
  walk((app as unknown as { router: { stack: RouteLayer[] } }).router.stack)
  return found
}

describe('access: the role × route matrix', () => {
  let t: TestApp
  let fixture: Fixture
  const people = new Map<Persona, TestPerson>()

  before(async () => {
    t = buildTestApp()
    t.clock.set(DEFAULT_MOMENT)
    const ownRegionId = await regionIdOf('TAVUSH')
    const otherRegionId = await regionIdOf('SYUNIK')
    people.set('serviceHead', await createPerson('SERVICE_HEAD', null))
    people.set('administrator', await createPerson('ADMINISTRATOR', null))
    people.set('regionalHead', await createPerson('REGIONAL_HEAD', 'TAVUSH'))
    people.set('seniorSpecialist', await createPerson('SENIOR_SPECIALIST', 'TAVUSH'))
    people.set('specialist', await createPerson('SPECIALIST', 'TAVUSH'))
    const acting = await createPerson('SENIOR_SPECIALIST', 'TAVUSH')
    for (const persona of ['actingHeadBefore', 'actingHeadDuring', 'actingHeadAfter'] as const) people.set(persona, acting)
    people.set('otherRegionHead', await createPerson('REGIONAL_HEAD', 'SYUNIK'))
    people.set('otherRegionSpecialist', await createPerson('SPECIALIST', 'SYUNIK'))
    const target = await createPerson('SPECIALIST', 'TAVUSH')
    const delegation = await Delegation.create({
      regionId: ownRegionId,
      actingUserId: acting.id,
      grantedByUserId: people.get('regionalHead')!.id,
      ...DELEGATION,
      reason: 'annual leave',
      revokedAt: null,
      revokedByUserId: null,
      revokeReason: null,
    })
    // A delegation that stays open while the matrix tries to revoke it.
    const revocable = await Delegation.create({
      regionId: ownRegionId,
      actingUserId: people.get('seniorSpecialist')!.id,
      grantedByUserId: people.get('regionalHead')!.id,
      startsOn: '2031-06-01',
      endsOn: '2031-06-10',
      reason: 'business trip',
      revokedAt: null,
      revokedByUserId: null,
      revokeReason: null,
    })
    expect(delegation.id).to.be.a('number')
    const beneficiary = await createBeneficiary(ownRegionId, people.get('specialist')!.id)
    const closed = await createBeneficiary(ownRegionId, people.get('specialist')!.id, { status: 'CLOSED', closedOn: '2031-01-10', closeReason: 'MEASURE_COMPLETED' })
    const attach = (kind: 'DOCUMENT' | 'PHOTO', mediaType: string, content: Buffer) =>
      BeneficiaryDocument.create({ beneficiaryId: beneficiary.id, kind, fileName: `${kind}.bin`, mediaType, sizeBytes: content.length, content, description: null, uploadedByUserId: people.get('specialist')!.id, uploadedAt: new Date() })
    const document = await attach('DOCUMENT', 'application/pdf', Buffer.from('%PDF-1.4\n%%EOF\n'))
    await attach('PHOTO', 'image/png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    const moving = await createBeneficiary(otherRegionId, people.get('otherRegionSpecialist')!.id)
    const incoming = await Transfer.create({ beneficiaryId: moving.id, fromRegionId: otherRegionId, toRegionId: ownRegionId, reason: 'moved', requestedByUserId: people.get('otherRegionHead')!.id, requestedAt: new Date(), decidedByUserId: null, decidedAt: null, decisionReason: null })
    const specialist = people.get('specialist')!
    const officerContext = { actor: { id: specialist.id, role: specialist.role, regionId: specialist.regionId, actingHeadRegionIds: [] }, actorUsername: specialist.username, sourceIp: null, requestId: null }
    await t.services.measures.registerCourtAct(beneficiary.id, { court: 'Court', caseNumber: 'C-1', kind: 'VERDICT', actDate: '2031-03-01', inForceDate: '2031-03-05', receivedDate: '2031-03-10', documentId: null, changesActId: null, changeKind: null, endsMeasureIds: [] }, [{ typeCode: 'FINE', details: { amountAmd: 100000 } }], officerContext)
    const [measure] = await t.services.measures.measuresOf(beneficiary.id)
    const [deadline] = await t.services.deadlines.forBeneficiary(beneficiary.id, true)
    await t.services.measures.recordViolation(measure.id, { kind: 'MISSED_REPORT', occurredOn: '2031-03-12', description: 'did not come' }, officerContext)
    const [violation] = await t.services.measures.violationsOf(measure.id)
    const head = people.get('regionalHead')!
    const headContext = { actor: { id: head.id, role: head.role, regionId: head.regionId, actingHeadRegionIds: [] }, actorUsername: head.username, sourceIp: null, requestId: null }
    const item = await t.services.correspondence.registerIncoming(ownRegionId, {
      receivedOn: '2031-03-14', channel: 'POST', kind: 'UNIT_REQUEST', sender: 'Penitentiary institution', senderAddress: null, senderReference: null, senderDate: null, subject: 'Report for early release', summary: null,
      beneficiaryFileNumber: null, topic: null, complaintSubject: null, complaintStaffUserId: null, complaintAbout: null, documentDueDate: null, reportRequested: true, reportPurpose: 'EARLY_RELEASE',
    }, officerContext)
    await t.services.correspondence.assign(item.id, { assigneeId: specialist.id, resolution: 'Prepare', expectedVersion: 1 }, headContext)
    await t.services.correspondence.addAttachment(item.id, { fileName: 'scan.pdf', content: Buffer.from('%PDF-1.4\n%%EOF\n') }, officerContext)
    const [attachment] = await t.services.correspondence.attachments(item.id)
    const letterId = await t.services.correspondence.draftReply(item.id, { addressee: 'Institution', addresseeAddress: null, subject: 'Reply', body: 'Text', letterDate: '2031-03-15', expectedVersion: 2 }, officerContext)
    const taskId = (await t.services.correspondence.taskOf(item.id))!
    const [line] = (await t.services.correspondence.task(taskId)).checklist
    const instructing = people.get('serviceHead')!
    const serviceHeadContext = { actor: { id: instructing.id, role: instructing.role, regionId: null, actingHeadRegionIds: [] }, actorUsername: instructing.username, sourceIp: null, requestId: null }
    const { id: mediationCaseId } = await t.services.mediation.instruct(ownRegionId, {
      criminalCaseNumber: 'CC-1', authority: 'Court', authorityReference: null, authorityDecisionDate: '2031-03-02', receivedOn: '2031-03-03', authorityReportDate: null, instructedOn: '2031-03-04', instructionNote: null,
      beneficiaryFileNumber: beneficiary.fileNumber, victim: { fullName: 'Victim', contact: null, representative: null, notes: null },
    }, serviceHeadContext)
    await t.services.mediation.nameMediator(mediationCaseId, { mediatorUserId: specialist.id, expectedVersion: 1 }, headContext)
    const assessmentId = await t.services.assessments.start(beneficiary.id, null, officerContext)
    const { instrument } = await t.services.assessments.get(assessmentId)
    const answers = Object.fromEntries(instrument.domains.flatMap((domain) => domain.items.map((item) => [item.code, item.options[item.options.length - 1].code])))
    const evidence = Object.fromEntries(instrument.domains.flatMap((domain) => domain.items.map((item) => [item.code, 'evidence'])))
    await t.services.assessments.saveDraft(assessmentId, { answers, evidence, expectedVersion: 1 }, officerContext)
    await t.services.assessments.complete(assessmentId, 2, officerContext)
    const planId = await t.services.plans.draftFor(beneficiary.id, officerContext)
    const [goal] = (await t.services.plans.get(planId)).goals
    await t.services.plans.addStep(planId, goal.id, { kind: 'PROGRAMME', description: 'step', responsible: 'officer', dueDate: null }, 1, officerContext)
    const [step] = (await t.services.plans.get(planId)).goals[0].steps
    // Contacts and activities: an appointment on the file; an event of the region with the file invited.
    const appointmentId = await t.services.contacts.book(beneficiary.id, { kind: 'OFFICE_VISIT', scheduledAt: new Date('2031-03-20T10:00:00+04:00'), durationMinutes: 60, place: null, notes: null, outcome: null, outcomeNote: null, riskAcknowledged: false }, officerContext)
    const eventId = await t.services.activities.create(ownRegionId, { kind: 'SPORTS', title: 'Match', date: '2031-03-14', time: null, place: 'Stadium', organiser: 'Youth centre', description: null }, officerContext)
    await t.services.activities.invite(eventId, [beneficiary.id], officerContext)
    const [participant] = await t.services.activities.participants(eventId)
    const administrator = people.get('administrator')!
    const asked = await t.services.users.create({ username: 'matrix.head', fullName: 'Matrix Head', email: null, role: 'REGIONAL_HEAD', regionId: ownRegionId }, 'Temporary pass 12345',
      { actor: { id: administrator.id, role: administrator.role, regionId: null, actingHeadRegionIds: [] }, actorUsername: administrator.username, sourceIp: null, requestId: null })
    if (asked.done) throw new Error('a regional head is confirmed by the service head')
    fixture = {
      accountRequestId: asked.requestId,
      appointmentId, eventId, participantId: participant.id,
      ownRegionId, otherRegionId, assessmentId, planId, goalId: goal.id, stepId: step.id, targetUserId: target.id, delegationId: revocable.id, beneficiaryId: beneficiary.id, closedBeneficiaryId: closed.id, documentId: document.id, incomingTransferId: incoming.id, measureId: measure.id, deadlineId: deadline.id, violationId: violation.id,
      itemId: item.id, attachmentId: attachment.id, letterId, taskId, lineId: line.id, mediationCaseId, fileNumber: beneficiary.fileNumber,
    }
  })

  it('when the app is built, then every route has a policy guard and a line in this matrix', () => {
    const routes = routesOf(t.app)
    expect(routes.length).to.be.greaterThan(20)
    const unguarded = routes.filter((r) => !r.guarded).map((r) => r.key)
    expect(unguarded, 'routes without a policy decision').to.deep.equal([])
    const listed = new Set([...ROUTES.map((r) => `${r.method} ${r.path}`), ...PUBLIC_FORM_POSTS])
    const missing = routes.map((r) => r.key).filter((key) => !listed.has(key))
    expect(missing, 'routes missing from the matrix').to.deep.equal([])
  })

  for (const persona of PERSONAS) {
    it(`when ${persona} tries every route, then exactly the allowed ones succeed`, async () => {
      t.clock.set(CLOCK[persona] ?? DEFAULT_MOMENT)
      let browser: Browser
      if (persona === 'anonymous') {
        browser = anonymous(t.app)
        await refreshToken(browser)
      } else {
        browser = await signIn(t.app, people.get(persona)!.username)
      }
      const outcomes: string[] = []
      for (const routeCase of ROUTES) {
        const url = routeCase.url(fixture)
        const response = routeCase.method === 'GET' ? await browser.get(url) : await browser.post(url, {})
        // A refusal sends a visitor to sign in (with returnTo for pages); signing out lands on sign-in with its own notice.
        const refused = response.status === 403 || (routeCase.hidden === true && response.status === 404) || (response.status === 303 && /^\/sign-in(\?returnTo=|$)/.test(String(response.headers.location)))
        const expectedAllowed = routeCase.allowed.includes(persona)
        expect(response.status, `${persona} ${routeCase.method} ${url}`).to.be.lessThan(500)
        if (expectedAllowed === refused) outcomes.push(`${routeCase.method} ${url}: expected ${expectedAllowed ? 'allowed' : 'refused'}, got ${response.status} ${response.headers.location ?? ''}`)
        if (!expectedAllowed && persona !== 'anonymous') expect(response.status, `${persona} ${routeCase.method} ${url}`).to.equal(routeCase.hidden ? 404 : 403)
      }
      expect(outcomes).to.deep.equal([])
    })
  }

  it('when a page of one record shows a person\'s file, then the audit log holds that read (every such page of the inventory, as the first persona allowed)', async () => {
    // A page of one record: its path names a record other than a region, an account or a delegation. Lists of a region
    // or of a person's work show many files at once and are not judged here.
    const ofOneRecord = (path: string) => /:(?!regionId|userId|delegationId|token)[a-zA-Z]+Id\b/.test(path)
    const unaudited: string[] = []
    let judged = 0
    for (const routeCase of ROUTES.filter((line) => line.method === 'GET' && ofOneRecord(line.path))) {
      const persona = (['serviceHead', 'regionalHead', 'specialist'] as const).find((candidate) => routeCase.allowed.includes(candidate)) ?? routeCase.allowed[0]
      if (persona === undefined || persona === 'anonymous') continue
      t.clock.set(CLOCK[persona] ?? DEFAULT_MOMENT)
      const browser = await signIn(t.app, people.get(persona)!.username)
      const [{ before }] = await t.services.sequelize.query<{ before: string }>('SELECT coalesce(max(id), 0)::text AS before FROM audit_events', { type: QueryTypes.SELECT })
      const response = await browser.get(routeCase.url(fixture))
      const shown = response.status === 200 && (response.text ?? response.body?.toString?.('latin1') ?? '').includes(fixture.fileNumber)
      const binary = response.status === 200 && !/text\/html/.test(String(response.headers['content-type']))
      if (!shown && !binary) continue
      judged += 1
      // The read of the file itself, or of the record that shows it (a mediation case, an activity with its participants).
      const reads = await AuditEvent.count({ where: { outcome: 'success', id: { [Op.gt]: before } } })
      if (reads === 0) unaudited.push(`${routeCase.path} (${persona})`)
    }
    expect(judged, 'pages judged').to.be.greaterThan(15)
    expect(unaudited, 'pages of a person\'s file that leave no audit line').to.deep.equal([])
  })

  it('when another region\'s head opens this region\'s delegations, then the refusal is recorded in the audit log', async () => {
    t.clock.set(DEFAULT_MOMENT)
    const browser = await signIn(t.app, people.get('otherRegionHead')!.username)
    expect((await browser.get(`/regions/${fixture.ownRegionId}/delegations`)).status).to.equal(403)
    const denial = await AuditEvent.findOne({ where: { action: 'access.denied', actorUserId: people.get('otherRegionHead')!.id }, order: [['id', 'DESC']] })
    expect(denial?.details).to.include({ policyAction: 'delegation.list' })
  })

  it('when the acting head is in office, then the interface says so, and not before or after', async () => {
    const acting = people.get('actingHeadDuring')!
    for (const [persona, shown] of [['actingHeadBefore', false], ['actingHeadDuring', true], ['actingHeadAfter', false]] as const) {
      t.clock.set(CLOCK[persona]!)
      const browser = await signIn(t.app, acting.username)
      const home = await browser.get('/')
      expect(home.text.includes('data-testid="acting-head-banner"'), persona).to.equal(shown)
    }
  })

  it('when the administrator opens their own account actions, then editing, deactivating and resetting themselves are refused', async () => {
    const admin = people.get('administrator')!
    const browser = await signIn(t.app, admin.username)
    expect((await browser.get(`/admin/users/${admin.id}/edit`)).status).to.equal(403)
    expect((await browser.post(`/admin/users/${admin.id}/deactivate`)).status).to.equal(403)
    expect((await browser.get(`/admin/users/${admin.id}/reset-password`)).status).to.equal(403)
  })
  it('when every form of every page is sent hostile values (far dates, NUL and control characters, a bidirectional override, 10,000 characters, a field twice, prototype keys, huge numbers), then nothing answers 500 and nothing a schema refuses is saved', async function () {
    // Last in the file: the forms act on the fixture (a form with no fields is simply sent).
    this.timeout(600_000)
    t.clock.set(DEFAULT_MOMENT)
    const corpus: { what: string; fields: (names: string[]) => [string, string][] }[] = [
      { what: 'a date in the year 9999', fields: (names) => names.map((name) => [name, '31.12.9999']) },
      { what: 'a date in the year 1', fields: (names) => names.map((name) => [name, '01.01.0001']) },
      { what: 'NUL and control characters', fields: (names) => names.map((name) => [name, 'a\u0000b\u0007c\u001b[31m']) },
      { what: 'a bidirectional override', fields: (names) => names.map((name) => [name, '\u202Eevil\u202C']) },
      { what: '10,000 characters', fields: (names) => names.map((name) => [name, 'ա'.repeat(10_000)]) },
      { what: 'each field twice', fields: (names) => names.flatMap((name) => [[name, '1'], [name, '2']] as [string, string][]) },
      { what: 'prototype keys', fields: (names) => [...names.map((name) => [name, 'x'] as [string, string]), ['__proto__[polluted]', '1'], ['constructor[prototype][polluted]', '1']] },
      { what: 'huge and negative numbers', fields: (names) => names.map((name, index) => [name, ['1e309', '-1', '99999999999999999999', 'NaN'][index % 4]]) },
    ]
    const failures: string[] = []
    const storedBefore = await valuesNoSchemaAllows()
    let sent = 0
    for (const persona of ['serviceHead', 'administrator', 'regionalHead', 'specialist'] as const) {
      let browser = await signIn(t.app, people.get(persona)!.username)
      for (const routeCase of ROUTES.filter((line) => line.method === 'GET' && line.allowed.includes(persona))) {
        const page = await browser.get(routeCase.url(fixture))
        if (page.status !== 200 || !/text\/html/.test(String(page.headers['content-type']))) continue
        const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1]
        if (!csrf) continue
        for (const [, action, body] of page.text.matchAll(/<form[^>]*method="post"[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)) {
          if (['/sign-out', '/language'].includes(action)) continue
          const names = [...new Set([...body.matchAll(/<(?:input|select|textarea)[^>]*name="([^"]+)"/g)].map((match) => match[1]))].filter((name) => name !== '_csrf')
          for (const hostile of corpus) {
            const form = new URLSearchParams([['_csrf', csrf], ...hostile.fields(names)])
            const response = await browser.agent.post(action.replace(/&amp;/g, '&')).type('form').send(form.toString())
            sent += 1
            if (response.status >= 500) failures.push(`${persona} POST ${action} with ${hostile.what}: ${response.status}`)
            if (response.status === 303 && String(response.headers.location).startsWith('/sign-in')) browser = await signIn(t.app, people.get(persona)!.username)
          }
        }
      }
    }
    expect(sent, 'hostile posts sent').to.be.greaterThan(300)
    expect(failures).to.deep.equal([])
    // What the forms saved: no value a schema refuses (a control character, a bidirectional override, a prototype key, a
    // date outside any field's range) is in any column now that was not there before.
    const storedAfter = await valuesNoSchemaAllows()
    const slipped = [...storedAfter].filter(([column, count]) => count > (storedBefore.get(column) ?? 0)).map(([column, count]) => `${column}: ${count - (storedBefore.get(column) ?? 0)}`)
    expect(slipped, 'values saved that their schema should refuse').to.deep.equal([])
  })

  /**
   * Per column of the app's tables, how many rows hold what no form's schema lets through. The audit log (which quotes
   * refused sign-in names), the sessions and the sign-in limits are not form data.
   */
  async function valuesNoSchemaAllows(): Promise<Map<string, number>> {
    const columns = await t.services.sequelize.query<{ table: string; column: string; type: string }>(
      `SELECT table_name AS "table", column_name AS "column", data_type AS type FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name NOT IN ('audit_events', 'user_sessions', 'sign_in_limits', 'submissions', 'migrations')
          AND data_type IN ('text', 'character varying', 'jsonb', 'date', 'timestamp with time zone')`,
      { type: QueryTypes.SELECT },
    )
    const TEXT_REFUSED = String.raw`'[\x01-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]|__proto__|constructor\[prototype\]'`
    // jsonb holds a control character as its escape (\u0007).
    const JSON_REFUSED = String.raw`'\\u00(0[1-8bcef]|1[0-9a-f])|[\u202a-\u202e\u2066-\u2069]|__proto__'`
    const conditionOf = (column: string, type: string) =>
      type === 'jsonb' ? `"${column}"::text ~ ${JSON_REFUSED}`
        : type === 'date' || type.startsWith('timestamp') ? `("${column}" > '2100-12-31' OR "${column}" < '1800-01-01')`
          : `"${column}" ~ ${TEXT_REFUSED}`
    const counts = new Map<string, number>()
    for (const { table, column, type } of columns) {
      const [{ count }] = await t.services.sequelize.query<{ count: number }>(`SELECT count(*)::int AS count FROM "${table}" WHERE ${conditionOf(column, type)}`, { type: QueryTypes.SELECT }).catch((error: Error) => { throw new Error(`${table}.${column}: ${error.message}`) })
      if (count > 0) counts.set(`${table}.${column}`, count)
    }
    return counts
  }
})
