import { type SubscriptionOwner, type SubscriptionRecord, TOPICS } from '@harmony/contracts';
import { isActiveMember } from '@harmony/subscriptions/domain';
import type { EntityManager } from 'typeorm';
import { MemberEntity, SigningSecretEntity, SubscriptionEntity } from '../entities';
import { enqueueOutbox } from '../outbox/outbox.writer';

/** Secrets that still sign, current (no expiry) first, then rotated-out ones newest first. */
export async function validSecrets(manager: EntityManager, subscriptionId: string, now = new Date()): Promise<SigningSecretEntity[]> {
  const secrets = await manager.find(SigningSecretEntity, { where: { subscriptionId }, order: { createdAt: 'DESC', id: 'DESC' } });
  return secrets
    .filter((secret) => secret.expiresAt === null || secret.expiresAt > now)
    .sort((a, b) => Number(a.expiresAt !== null) - Number(b.expiresAt !== null));
}

/** A member's current access, as every permission check reads it (fan-out, retries, redeliver, recover, the log). */
export function toSubscriptionOwner(member: MemberEntity): SubscriptionOwner {
  return { memberId: member.id, userId: member.userId, role: member.role, teamIds: member.teamIds, active: isActiveMember(member.status) };
}

/** The snapshot fan-out and the delivery worker follow: subscription, owner's current access, valid secrets. */
export async function buildSubscriptionRecord(manager: EntityManager, id: string): Promise<SubscriptionRecord | null> {
  const subscription = await manager.findOneBy(SubscriptionEntity, { id });
  if (!subscription) return null;
  const owner = await manager.findOneByOrFail(MemberEntity, { id: subscription.ownerMemberId });
  const secrets = await validSecrets(manager, id);
  return {
    id: subscription.id,
    workspaceId: subscription.workspaceId,
    name: subscription.name,
    url: subscription.url,
    eventTypes: subscription.allEvents ? '*' : subscription.eventTypes,
    enabled: subscription.enabled,
    disabledReason: subscription.enabled ? null : subscription.disabledReason,
    owner: toSubscriptionOwner(owner),
    rateLimitPerSecond: subscription.rateLimitPerSecond,
    headers: subscription.headers,
    secrets: secrets.map((secret) => ({
      id: secret.id,
      secret: secret.secret,
      createdAt: secret.createdAt.toISOString(),
      expiresAt: secret.expiresAt ? secret.expiresAt.toISOString() : null,
    })),
    version: subscription.version,
    updatedAt: subscription.updatedAt.toISOString(),
  };
}

/**
 * Bumps the version and queues the new snapshot (or a tombstone when the
 * subscription is gone) in the caller's transaction.
 */
export async function publishSubscription(manager: EntityManager, id: string): Promise<void> {
  await manager.query('UPDATE subscriptions SET version = version + 1, updated_at = now() WHERE id = $1', [id]);
  const record = await buildSubscriptionRecord(manager, id);
  await enqueueOutbox(manager, TOPICS.subscriptions, id, record);
}

/** Queues the current snapshot again without a new version (resync after a topic was lost). */
export async function republishSubscription(manager: EntityManager, id: string): Promise<void> {
  const record = await buildSubscriptionRecord(manager, id);
  if (record) await enqueueOutbox(manager, TOPICS.subscriptions, id, record);
}
