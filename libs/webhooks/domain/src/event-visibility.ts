import { ADMIN_ROLES, type EventEnvelope, type SubscriptionOwner, withCatalogFloor } from '@harmony/contracts';

/**
 * Whether a webhook's owner may see an event ("webhook data follows workspace
 * permissions"):
 * - an inactive (deactivated or removed) owner sees nothing;
 * - `workspace`: every active member;
 * - `restricted`: admins, the listed users, members of the listed teams;
 * - `admin`: admins and owners only.
 * Checked at fan-out, on every retry, and at redeliver/recover. The catalog floor
 * is applied again here (defence in depth): an admin-only type is admin-only even
 * if an envelope arrives claiming wider access.
 */
export function ownerMaySee(owner: SubscriptionOwner, event: Pick<EventEnvelope, 'type' | 'access'>): boolean {
  if (!owner.active) return false;
  const access = withCatalogFloor(event.type, event.access);
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
