// The Service's hierarchy: the roles a user can hold and which of them belong to a region.
export const ROLES = ['SERVICE_HEAD', 'REGIONAL_HEAD', 'SENIOR_SPECIALIST', 'SPECIALIST', 'ADMINISTRATOR'] as const
export type Role = (typeof ROLES)[number]

/** Roles that stand above the regions and therefore have no region of their own. */
export const ROLES_WITHOUT_REGION: readonly Role[] = ['SERVICE_HEAD', 'ADMINISTRATOR']

export function roleHasRegion(role: Role): boolean {
  return !ROLES_WITHOUT_REGION.includes(role)
}

/** Only a senior specialist of the region may be named acting head while the head is away. */
export const ROLE_ELIGIBLE_AS_ACTING_HEAD: Role = 'SENIOR_SPECIALIST'

/**
 * The longest an acting head is named for, in days (the Service's default, not a legal term): an acting head covers
 * the head's leave, illness or mission; a longer absence calls for an appointment, not a delegation.
 */
export const MAX_ACTING_HEAD_DAYS = 183

/**
 * Powers over a region's files that the administrator gives only with the service head's confirmation (two people):
 * an account becoming a regional head, or a head moving to another region's body. `before` is null for a new account.
 */
export function givesHeadPowers(before: { role: Role; regionId: number | null } | null, after: { role: Role; regionId: number | null }): boolean {
  return after.role === 'REGIONAL_HEAD' && (before === null || before.role !== 'REGIONAL_HEAD' || before.regionId !== after.regionId)
}

/** A new password for a head's account is confirmed by the service head too: whoever knows it acts as the head. */
export function passwordResetNeedsConfirmation(role: Role): boolean {
  return role === 'REGIONAL_HEAD'
}
