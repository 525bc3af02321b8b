import type { SubscriptionOwner, SubscriptionRecord } from '@harmony/contracts';
import { isActiveMember } from '@harmony/subscriptions/domain';
import type { MemberEntity, SigningSecretEntity, SubscriptionEntity } from '../entities';

/** Of a webhook's secrets (newest first), those that still sign: current (no expiry) first, then rotated-out ones newest first. */
export function stillSigning(secrets: SigningSecretEntity[], now = new Date()): SigningSecretEntity[] {
  return secrets
    .filter((secret) => secret.expiresAt === null || secret.expiresAt > now)
    .sort((a, b) => Number(a.expiresAt !== null) - Number(b.expiresAt !== null));
}

/** A member's current access, as every permission check reads it (fan-out, retries, redeliver, recover, the log). */
export function toSubscriptionOwner(member: MemberEntity): SubscriptionOwner {
  return { memberId: member.id, userId: member.userId, role: member.role, teamIds: member.teamIds, active: isActiveMember(member.status) };
}

/** The snapshot fan-out and the delivery worker follow: subscription, owner's current access, valid secrets. */
export function toSubscriptionRecord(subscription: SubscriptionEntity, owner: MemberEntity, secrets: SigningSecretEntity[]): SubscriptionRecord {
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
