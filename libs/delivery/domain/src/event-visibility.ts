import { ADMIN_ROLES, type Access, type SubscriptionOwner } from '@harmony/contracts';

/**
 * Whether a webhook's owner may see an event ("webhook data follows workspace
 * permissions"):
 * - an inactive (deactivated or removed) owner sees nothing;
 * - `workspace`: every active member;
 * - `restricted`: admins, the listed users, members of the listed teams;
 * - `admin`: admins and owners only.
 */
export function ownerMaySee(owner: SubscriptionOwner, access: Access): boolean {
  if (!owner.active) return false;
  const isAdmin = ADMIN_ROLES.includes(owner.role);
  switch (access.scope) {
    case 'workspace':
      return true;
    case 'admin':
      return isAdmin;
    case 'restricted':
      return isAdmin || access.userIds.includes(owner.userId) || owner.teamIds.some((teamId) => access.teamIds.includes(teamId));
    default:
      // An access scope this build does not know: fail closed.
      return false;
  }
}
