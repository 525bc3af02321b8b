import type { ApiKeyRecord } from '@harmony/contracts';
import { isActiveMember } from '@harmony/subscriptions/domain';
import type { ApiKeyEntity, MemberEntity } from '../entities';

/**
 * The key's record for the compacted `webhooks.api-keys` topic, which
 * event-ingest authenticates from without a database. A key of an inactive
 * (or deleted) member is published as revoked: it must stop working
 * everywhere at once, not only here.
 */
export function toApiKeyRecord(apiKey: ApiKeyEntity, member: MemberEntity | null, now = new Date()): ApiKeyRecord {
  return {
    keyId: apiKey.id,
    keyHash: apiKey.keyHash,
    workspaceId: apiKey.workspaceId,
    memberId: apiKey.memberId,
    scopes: apiKey.scopes,
    revoked: apiKey.revokedAt !== null || !member || !isActiveMember(member.status),
    updatedAt: now.toISOString(),
  };
}
