import { ADMIN_ACCESS, type AccessDefault, type Access } from './access';
import { getEventDefinition } from '../catalog/event-catalog';
import type { Conversation } from '../catalog/shared/conversation.schema';

/**
 * Concrete `access` for an event whose producer did not set one, from the
 * catalog default. For `participants`, a private conversation is visible to its
 * owner, internal participants and the users/teams it is shared with; a
 * workspace-visible conversation to everyone. Without a conversation in the
 * data it fails closed (admins only).
 */
export function resolveDefaultAccess(accessDefault: AccessDefault, data: unknown): Access {
  switch (accessDefault) {
    case 'workspace':
      return { scope: 'workspace' };
    case 'admin':
      return { scope: 'admin' };
    case 'participants': {
      const conversation = conversationOf(data);
      if (!conversation) return { scope: 'admin' };
      if (conversation.visibility === 'workspace') return { scope: 'workspace' };
      const userIds = new Set<string>([conversation.ownerId, ...conversation.sharedWithUserIds]);
      for (const participant of conversation.participants) {
        if (participant.userId) userIds.add(participant.userId);
      }
      return { scope: 'restricted', userIds: [...userIds], teamIds: [...new Set(conversation.sharedWithTeamIds)] };
    }
  }
}

/**
 * The catalog's default is a floor for admin-only types: a producer may narrow
 * an event's access, never widen it past the catalog, so an admin-only event
 * (user.*) stays admin-only whatever `access` it was sent with. Applied at
 * ingest (normalisation) and again wherever permissions are checked.
 */
export function withCatalogFloor(type: string, access: Access): Access {
  return getEventDefinition(type)?.access === 'admin' ? ADMIN_ACCESS : access;
}

function conversationOf(data: unknown): Conversation | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const conversation = (data as { conversation?: unknown }).conversation;
  if (typeof conversation !== 'object' || conversation === null) return undefined;
  return conversation as Conversation;
}
