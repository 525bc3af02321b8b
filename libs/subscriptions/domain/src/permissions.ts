import { API_KEY_SCOPES, type ApiKeyScope, getEventDefinition, HARMONY_EVENT_TYPES, type MemberRole, type MemberStatus } from '@harmony/contracts';
import type { FieldError } from './field-error';

// Roles, statuses and scopes are the API's words (contracts): the page shows them too.
export { API_KEY_SCOPES, type ApiKeyScope, type MemberRole, type MemberStatus } from '@harmony/contracts';

export interface Actor {
  workspaceId: string;
  memberId: string;
  role: MemberRole;
  scopes: readonly ApiKeyScope[];
  /** The API key the request came with (absent for the service's own work): manual sends are marked with it. */
  apiKey?: { id: string; name: string };
}

export function isAdmin(role: MemberRole): boolean {
  return role === 'admin' || role === 'owner';
}

export function isApiKeyScope(value: unknown): value is ApiKeyScope {
  return typeof value === 'string' && (API_KEY_SCOPES as readonly string[]).includes(value);
}

export function hasScope(actor: Actor, scope: ApiKeyScope): boolean {
  return actor.scopes.includes(scope);
}

export type WebhookAccess = 'allowed' | 'not_found' | 'forbidden';

/**
 * Whether an actor may act on a webhook: another workspace's webhook does not
 * exist for it (404, no existence leak); in its workspace, admins act on
 * every webhook, members on their own only (403).
 */
export function webhookAccess(actor: Actor, webhook: { workspaceId: string; ownerMemberId: string } | null): WebhookAccess {
  if (!webhook || webhook.workspaceId !== actor.workspaceId) return 'not_found';
  if (isAdmin(actor.role) || webhook.ownerMemberId === actor.memberId) return 'allowed';
  return 'forbidden';
}

/** Members whose webhooks may receive events: deactivated or removed owners' webhooks receive nothing. */
export function isActiveMember(status: MemberStatus): boolean {
  return status === 'active';
}

/** The least role whose webhooks can receive an event type: `admin` for admin-only catalog types (user.*). */
export function requiredRole(type: string): 'admin' | 'member' {
  return getEventDefinition(type)?.access === 'admin' ? 'admin' : 'member';
}

/**
 * What a webhook's owner should know about its event selection: admin-only
 * types selected (by name or by `'*'`) while the owner is not an admin will not
 * be delivered — permissions are checked at send time against the owner's
 * current role, so they start arriving if the owner is promoted. A warning,
 * not a refusal (decision 0091): "every event" stays a valid choice for anyone.
 */
export function eventSelectionWarnings(events: '*' | readonly string[], ownerRole: MemberRole): FieldError[] {
  if (isAdmin(ownerRole)) return [];
  const adminOnly = (events === '*' ? HARMONY_EVENT_TYPES : events).filter((type) => requiredRole(type) === 'admin');
  if (adminOnly.length === 0) return [];
  return [
    {
      field: 'events',
      reason: `${adminOnly.join(', ')} ${adminOnly.length === 1 ? 'is' : 'are'} admin-only: this webhook will not receive ${adminOnly.length === 1 ? 'it' : 'them'} while its owner is a ${ownerRole}`,
    },
  ];
}
