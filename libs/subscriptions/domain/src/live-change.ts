import { type Actor, isAdmin } from './permissions';

/** The NOTIFY channel the database tells live changes on (migration LiveNotifications). */
export const LIVE_CHANNEL = 'webhooks_live';

/**
 * A change the live page refreshes on: a webhook row changed, or attempts of a
 * webhook were logged. It names, never carries: the page reads the change through
 * the API, which applies every rule of what the key may see.
 */
export interface LiveChange {
  kind: 'webhook' | 'delivery';
  workspaceId: string;
  webhookId: string;
  /** The webhook's owner; both when ownership moved; none when the webhook is gone. */
  owners: string[];
}

/** A NOTIFY payload as a change, or null when it is not one (never trusted blindly). */
export function parseLiveChange(payload: string): LiveChange | null {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { kind, workspaceId, webhookId, owners } = value as Record<string, unknown>;
  if (kind !== 'webhook' && kind !== 'delivery') return null;
  if (typeof workspaceId !== 'string' || typeof webhookId !== 'string' || !Array.isArray(owners)) return null;
  return { kind, workspaceId, webhookId, owners: owners.filter((owner): owner is string => typeof owner === 'string') };
}

/** What the API would show the actor: its workspace's, and a member only its own webhooks'. */
export function mayWatch(actor: Actor, change: LiveChange): boolean {
  if (change.workspaceId !== actor.workspaceId) return false;
  return isAdmin(actor.role) || change.owners.includes(actor.memberId);
}
