import { AUTO_DISABLE_AFTER_MS, eventSelectionWarnings, type FieldError, maskHeaders, type MemberRole } from '@harmony/subscriptions/domain';
import type { SubscriptionEntity } from '../entities';
import type { EndpointHealthSummary } from '../health/endpoint-health.service';

export interface LastDelivery {
  outcome: string;
  httpStatus: number | null;
  errorCode: string | null;
  finishedAt: string;
}

/** A webhook as the API shows it (secrets only through their own endpoints). */
export interface WebhookView {
  id: string;
  name: string;
  description: string | null;
  url: string;
  /**
   * Why the current URL policy refuses this URL (e.g. plain http after the operator forbade it), or null.
   * Meanwhile its deliveries fail with this reason and wait on the retry schedule: nothing is dropped.
   */
  urlProblem: string | null;
  /** `'*'` = every event type, including ones added later. */
  events: '*' | string[];
  enabled: boolean;
  /** The workspace's operational endpoint: receives the operational events (webhook.*) about the other webhooks. */
  operational: boolean;
  disabledReason: string | null;
  disabledAt: string | null;
  rateLimitPerSecond: number | null;
  /** Custom request headers, values masked (`****` + last 4): only a write replaces them. */
  headers: Record<string, string>;
  ownerMemberId: string;
  /** Who owns it: the member's display name and current role (its events follow that member's access). */
  owner: { memberId: string; displayName: string; role: MemberRole };
  /** Endpoint health from the delivery log: failing since (null = healthy), last attempt, and when it will be disabled unless a delivery succeeds first. */
  health: { failingSince: string | null; lastAttemptAt: string | null; disablesAt: string | null };
  /** What the owner should know about this webhook, e.g. admin-only events it will not receive while its owner is a member. */
  warnings: FieldError[];
  /** The newest entry of its delivery log (lists only; null before the first). */
  lastDelivery?: LastDelivery | null;
  /** Success rate, attempts and response times of the last 24 h, breaker state, last error (lists only; GET /v1/webhooks/{id}/health has both windows). */
  endpointHealth?: EndpointHealthSummary;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookOwner {
  displayName: string;
  role: MemberRole;
}

export function toWebhookView(subscription: SubscriptionEntity, owner: WebhookOwner, urlProblem: string | null): WebhookView {
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
