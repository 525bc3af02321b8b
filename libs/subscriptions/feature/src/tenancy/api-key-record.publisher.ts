import { type ApiKeyRecord, TOPICS } from '@harmony/contracts';
import { isActiveMember } from '@harmony/subscriptions/domain';
import type { EntityManager } from 'typeorm';
import { ApiKeyEntity, MemberEntity } from '../entities';
import { enqueueOutbox } from '../outbox/outbox.writer';

/**
 * Queues the key's record for the compacted `webhooks.api-keys` topic (key =
 * its sha256), which event-ingest authenticates from without a database. A
 * key of an inactive member is published as revoked: it must stop working
 * everywhere at once, not only here.
 */
export async function publishApiKey(manager: EntityManager, keyId: string): Promise<void> {
  const apiKey = await manager.findOneByOrFail(ApiKeyEntity, { id: keyId });
  const member = await manager.findOneBy(MemberEntity, { id: apiKey.memberId });
  const record: ApiKeyRecord = {
    keyId: apiKey.id,
    keyHash: apiKey.keyHash,
    workspaceId: apiKey.workspaceId,
    memberId: apiKey.memberId,
    scopes: apiKey.scopes,
    revoked: apiKey.revokedAt !== null || !member || !isActiveMember(member.status),
    updatedAt: new Date().toISOString(),
  };
  await enqueueOutbox(manager, TOPICS.apiKeys, apiKey.keyHash, record);
}

/** Republishes every key of a member whose status changed. */
export async function publishMemberApiKeys(manager: EntityManager, memberId: string): Promise<void> {
  const keys = await manager.find(ApiKeyEntity, { where: { memberId }, select: { id: true } });
  for (const key of keys) await publishApiKey(manager, key.id);
}
