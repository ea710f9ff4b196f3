import type { Role } from '../domain/roles'
import { OPEN_FILE_STATUSES } from '../domain/beneficiaryCatalogue'

/**
 * The one place that decides every permission. Routes call it through the `authorize` middleware,
 * views through `can` in their locals. An action that has no rule here is refused.
 */
export interface Actor {
  readonly id: number
  readonly role: Role
  readonly regionId: number | null
  /** Regions where this user holds a delegation as acting head today. */
  readonly actingHeadRegionIds: readonly number[]
}

export interface Resource {
  readonly regionId?: number | null
  /** The user a resource belongs to or is about (an account being administered), and that user's role. */
  readonly userId?: number
  readonly userRole?: Role
  /** For a personal file: the officer responsible for it, and its status. */
  readonly responsibleOfficerId?: number | null
  readonly status?: string
  /** For correspondence: the staff member it is assigned to. */
  readonly assigneeId?: number | null
}

type Rule = (actor: Actor | null, resource: Resource) => boolean

const anyone: Rule = () => true
const signedIn: Rule = (actor) => actor !== null
const administrator: Rule = (actor) => actor?.role === 'ADMINISTRATOR'
const notSelf = (rule: Rule): Rule => (actor, resource) => rule(actor, resource) && actor?.id !== resource.userId
/**
 * The administrator never acts on the service head's account (edit, password, deactivation): with it they would hold
 * the powers over every file. An account whose role the guard did not give counts as the service head's.
 */
const notOnServiceHead = (rule: Rule): Rule => (actor, resource) => rule(actor, resource) && resource.userRole !== undefined && resource.userRole !== 'SERVICE_HEAD'

export function isServiceHead(actor: Actor | null): boolean {
  return actor?.role === 'SERVICE_HEAD'
}

/** The substantive regional head of that region (not an acting one). */
export function isHeadOf(actor: Actor | null, regionId: number | null | undefined): boolean {
  return actor?.role === 'REGIONAL_HEAD' && regionId !== null && regionId !== undefined && actor.regionId === regionId
}

/** Holds the regional head's powers in that region: the head, or today's acting head. */
export function hasHeadPowersIn(actor: Actor | null, regionId: number | null | undefined): boolean {
  if (!actor || regionId === null || regionId === undefined) return false
  return isHeadOf(actor, regionId) || actor.actingHeadRegionIds.includes(regionId)
}

const REGIONAL_STAFF: readonly Role[] = ['REGIONAL_HEAD', 'SENIOR_SPECIALIST', 'SPECIALIST']

/** Works in that region (any regional role). */
export function worksIn(actor: Actor | null, regionId: number | null | undefined): boolean {
  return actor !== null && REGIONAL_STAFF.includes(actor.role) && regionId !== null && regionId !== undefined && actor.regionId === regionId
}

function isResponsibleOfficer(actor: Actor | null, resource: Resource): boolean {
  return actor !== null && resource.responsibleOfficerId !== undefined && resource.responsibleOfficerId === actor.id
}

// A closed, transferred or archived file is read-only except for the heads.
const fileIsOpen = (resource: Resource) => resource.status === undefined || OPEN_FILE_STATUSES.includes(resource.status)

const readsRegionFiles: Rule = (actor, resource) => isServiceHead(actor) || worksIn(actor, resource.regionId)
const changesFile: Rule = (actor, resource) =>
  hasHeadPowersIn(actor, resource.regionId) || (worksIn(actor, resource.regionId) && isResponsibleOfficer(actor, resource) && fileIsOpen(resource))
const headPowers: Rule = (actor, resource) => hasHeadPowersIn(actor, resource.regionId)

/**
 * Staff reading a file that is not on their caseload give a reason first (recorded in the audit log);
 * heads and the responsible officer do not.
 */
export function needsAccessReason(actor: Actor, resource: Resource): boolean {
  return !isServiceHead(actor) && !hasHeadPowersIn(actor, resource.regionId) && !isResponsibleOfficer(actor, resource)
}

const worksInRegion: Rule = (actor, resource) => worksIn(actor, resource.regionId)
// The assignee works on an item (replies, tasks, closing); the head can always step in.
const worksOnItem: Rule = (actor, resource) =>
  hasHeadPowersIn(actor, resource.regionId) || (worksIn(actor, resource.regionId) && actor !== null && resource.assigneeId === actor.id)
// A draft is edited by its author or the head; `userId` is the author.
const editsDraft: Rule = (actor, resource) => hasHeadPowersIn(actor, resource.regionId) || (worksIn(actor, resource.regionId) && actor !== null && resource.userId === actor.id)

const serviceHeadOrHeadPowers: Rule = (actor, resource) => isServiceHead(actor) || hasHeadPowersIn(actor, resource.regionId)
// Naming or revoking an acting head stays with the substantive head and the service head.
const serviceHeadOrSubstantiveHead: Rule = (actor, resource) => isServiceHead(actor) || isHeadOf(actor, resource.regionId)

const RULES = {
  'health.check': anyone,
  'session.signIn': anyone,
  'language.change': anyone,
  'session.signOut': signedIn,
  'home.view': signedIn,
  'account.changePassword': signedIn,
  'account.twoFactor': signedIn,

  'user.list': administrator,
  'user.create': administrator,
  'user.edit': notSelf(notOnServiceHead(administrator)),
  'user.deactivate': notSelf(notOnServiceHead(administrator)),
  'user.reactivate': notSelf(notOnServiceHead(administrator)),
  'user.resetPassword': notSelf(notOnServiceHead(administrator)),
  'user.resetTwoFactor': notSelf(notOnServiceHead(administrator)),
  // Two people: the administrator asks, the service head confirms or refuses; the administrator may withdraw.
  'accountRequest.list': (actor) => administrator(actor, {}) || isServiceHead(actor),
  'accountRequest.decide': (actor) => isServiceHead(actor),
  'accountRequest.cancel': administrator,
  'region.list': administrator,
  'region.create': administrator,
  'region.edit': administrator,

  'delegation.list': serviceHeadOrHeadPowers,
  'delegation.create': serviceHeadOrSubstantiveHead,
  'delegation.revoke': serviceHeadOrSubstantiveHead,

  'audit.view': (actor) => actor !== null && auditScope(actor) !== null,

  'beneficiary.list': readsRegionFiles,
  'beneficiary.caseload': (actor) => actor !== null && REGIONAL_STAFF.includes(actor.role),
  'beneficiary.create': (actor, resource) => worksIn(actor, resource.regionId),
  'beneficiary.view': readsRegionFiles,
  'beneficiary.edit': changesFile,
  'beneficiary.addNote': changesFile,
  'beneficiary.uploadDocument': changesFile,
  'beneficiary.downloadDocument': readsRegionFiles,
  'beneficiary.viewHealth': (actor, resource) => isServiceHead(actor) || headPowers(actor, resource) || (worksIn(actor, resource.regionId) && isResponsibleOfficer(actor, resource)),
  'beneficiary.assign': headPowers,
  'beneficiary.close': changesFile,
  'beneficiary.reopen': headPowers,
  'beneficiary.viewAccessLog': serviceHeadOrHeadPowers,
  // The whole file as a PDF: the heads (a subject access request) and the responsible officer (their own case).
  'beneficiary.exportFile': (actor, resource) => serviceHeadOrHeadPowers(actor, resource) || (worksIn(actor, resource.regionId) && isResponsibleOfficer(actor, resource)),
  'beneficiary.requestTransfer': headPowers,
  // For a transfer the resource's region is the receiving one.
  'transfer.decide': headPowers,
  'transfer.list': headPowers,
  'beneficiary.anonymise': (actor) => isServiceHead(actor),

  // Court acts and measures hang off the personal file: the file's rules apply.
  'measure.register': changesFile,
  'measure.view': readsRegionFiles,
  'measure.change': changesFile,
  'measure.list': readsRegionFiles,
  'deadline.view': readsRegionFiles,
  'deadline.recompute': headPowers,
  'violation.record': changesFile,
  // The device register is the region's equipment: its head (or acting head) keeps it.
  'device.list': headPowers,
  'device.add': headPowers,
  'monitoring.change': changesFile,
  'violation.decide': headPowers,
  'violation.list': headPowers,
  // Assessments and plans hang off the personal file; countersigning and approval are the head's, never of one's own work.
  'assessment.view': readsRegionFiles,
  'assessment.edit': changesFile,
  // `userId`: the assessment's author; `userId` of a plan: who submitted it.
  'assessment.countersign': notSelf(headPowers),
  'plan.view': readsRegionFiles,
  'plan.edit': changesFile,
  'plan.decide': notSelf(headPowers),
  'instrument.list': (actor) => actor !== null && (isServiceHead(actor) || actor.role === 'ADMINISTRATOR' || REGIONAL_STAFF.includes(actor.role)),
  // The instrument is the Service's methodology: its head decides which version is in use.
  'instrument.import': (actor) => isServiceHead(actor),
  'contactFrequency.edit': administrator,
  // The heads' view of deadlines; staff see their own work.
  'board.region': serviceHeadOrHeadPowers,
  'board.mine': (actor) => actor !== null && REGIONAL_STAFF.includes(actor.role),
  'board.national': (actor) => isServiceHead(actor),
  'digest.view': (actor) => actor !== null && REGIONAL_STAFF.includes(actor.role),
  'calendarFeed.manage': (actor) => actor !== null && REGIONAL_STAFF.includes(actor.role),
  // The feed's secret address is its credential (calendar applications have no session); the service checks it.
  'calendarFeed.read': anyone,
  // Correspondence: the region's staff keep the registers; the head (or acting head) routes, extends, signs and approves.
  'correspondence.list': readsRegionFiles,
  'correspondence.register': worksInRegion,
  'correspondence.view': readsRegionFiles,
  'correspondence.attach': worksInRegion,
  'correspondence.assign': headPowers,
  'correspondence.setControl': headPowers,
  'correspondence.overrideDue': headPowers,
  'correspondence.extend': headPowers,
  'correspondence.work': worksOnItem,
  'correspondence.control': serviceHeadOrHeadPowers,
  'correspondence.mine': (actor) => actor !== null && REGIONAL_STAFF.includes(actor.role),
  'correspondence.summary': serviceHeadOrHeadPowers,
  'letter.view': readsRegionFiles,
  'letter.draft': worksInRegion,
  'letter.edit': editsDraft,
  'letter.sign': headPowers,
  'letter.send': worksInRegion,
  'task.decide': headPowers,
  // Mediation, run on the service head's instruction; the case's `assigneeId` is its mediator. The service head instructs;
  // the region's head (or acting head) names the mediator; the mediator and the head run it. The region's staff see the
  // case as they see the file, and in the region's list only the cases they mediate. The victim's details, and what the
  // meetings and the agreement record, are read only by those running the mediation (the service head among them).
  'mediation.overview': (actor) => isServiceHead(actor),
  'mediation.list': readsRegionFiles,
  'mediation.listAll': serviceHeadOrHeadPowers,
  'mediation.instruct': (actor) => isServiceHead(actor),
  'mediation.editInstruction': (actor) => isServiceHead(actor),
  'mediation.view': readsRegionFiles,
  'mediation.viewVictim': (actor, resource) => isServiceHead(actor) || worksOnItem(actor, resource),
  'mediation.editVictim': (actor, resource) => isServiceHead(actor) || worksOnItem(actor, resource),
  'mediation.nameMediator': headPowers,
  'mediation.work': worksOnItem,
  'mediation.end': serviceHeadOrHeadPowers,
  // Contacts hang off the personal file: the file's rules apply. The region's list of appointments awaiting an
  // outcome is read by those who read the region's files.
  'contact.view': readsRegionFiles,
  'contact.book': changesFile,
  'contact.recordOutcome': changesFile,
  'contact.cancel': changesFile,
  'contact.pending': readsRegionFiles,
  // Resocialisation events are the region's work: its staff organise them and record attendance; the service head reads.
  'activity.list': readsRegionFiles,
  'activity.view': readsRegionFiles,
  'activity.create': worksInRegion,
  'activity.edit': worksInRegion,
  'activity.invite': worksInRegion,
  'activity.recordAttendance': worksInRegion,
  // Quarterly reports: the region's head (or acting head) prepares and submits; the service head reads every region's,
  // decides and sees the national roll-up. Other staff have no access: the report is the head's account to the service head.
  'report.view': serviceHeadOrHeadPowers,
  'report.prepare': headPowers,
  'report.decide': (actor) => isServiceHead(actor),
  'report.national': (actor) => isServiceHead(actor),
  'rules.view': signedIn,
  'rules.edit': administrator,
  'calendar.edit': administrator,
} satisfies Record<string, Rule>

export type Action = keyof typeof RULES
export const ACTIONS = Object.keys(RULES) as Action[]

export function can(actor: Actor | null, action: Action, resource: Resource = {}): boolean {
  const rule: Rule | undefined = RULES[action]
  return rule ? rule(actor, resource) : false
}

export type AuditScope =
  | { readonly kind: 'all' }
  | { readonly kind: 'regions'; readonly regionIds: readonly number[] }
  | { readonly kind: 'categories'; readonly categories: readonly string[] }

/** Which audit entries an actor may read: the service head all, heads their region, the administrator account events. */
export function auditScope(actor: Actor): AuditScope | null {
  if (isServiceHead(actor)) return { kind: 'all' }
  if (actor.role === 'ADMINISTRATOR') return { kind: 'categories', categories: ['account', 'region', 'reference'] }
  const regionIds = [...new Set([...(actor.role === 'REGIONAL_HEAD' && actor.regionId !== null ? [actor.regionId] : []), ...actor.actingHeadRegionIds])]
  return regionIds.length > 0 ? { kind: 'regions', regionIds } : null
}
