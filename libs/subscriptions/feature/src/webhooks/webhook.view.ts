import type { Webhook } from '@harmony/contracts';
import { AUTO_DISABLE_AFTER_MS, eventSelectionWarnings, maskHeaders, type MemberRole } from '@harmony/subscriptions/domain';
import type { SubscriptionEntity } from '../entities';

/** What a webhook's view shows of its owner's member row. */
export interface WebhookOwner {
  displayName: string;
  role: MemberRole;
}

/**
 * A webhook as the API shows it (contracts' WEBHOOK): custom header values masked
 * (`****` + last 4, only a write replaces them), warnings that follow the owner's current role.
 */
export function toWebhookView(subscription: SubscriptionEntity, owner: WebhookOwner, urlProblem: string | null): Webhook {
  const ownerRole = owner.role;
  return {
    id: subscription.id,
    name: subscription.name,
    description: subscription.description,
    url: subscription.url,
    urlProblem,
    events: subscription.allEvents ? '*' : subscription.eventTypes,
    enabled: subscription.enabled,
    operational: subscription.operational,
    disabledReason: subscription.disabledReason,
    disabledAt: subscription.disabledAt?.toISOString() ?? null,
    rateLimitPerSecond: subscription.rateLimitPerSecond,
    headers: maskHeaders(subscription.headers),
    ownerMemberId: subscription.ownerMemberId,
    owner: { memberId: subscription.ownerMemberId, displayName: owner.displayName, role: owner.role },
    warnings: eventSelectionWarnings(subscription.allEvents ? '*' : subscription.eventTypes, ownerRole),
    health: {
      failingSince: subscription.failingSince?.toISOString() ?? null,
      lastAttemptAt: subscription.lastAttemptAt?.toISOString() ?? null,
      disablesAt: subscription.enabled && subscription.failingSince ? new Date(subscription.failingSince.getTime() + AUTO_DISABLE_AFTER_MS).toISOString() : null,
    },
    version: subscription.version,
    createdAt: subscription.createdAt.toISOString(),
    updatedAt: subscription.updatedAt.toISOString(),
  };
}
