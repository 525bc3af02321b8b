/* The shapes of the subscription-service REST API the page uses (see /openapi.json). */
import type { AttemptOutcome } from '@harmony/contracts/api';

export type { Delivery, DeliveryPage, EventTypeCategory as EventCategory, EventTypeInfo, TestResult } from '@harmony/contracts/api';

export interface FieldError {
  field: string;
  reason: string;
}

export interface Webhook {
  id: string;
  name: string;
  description: string | null;
  url: string;
  /** Why the deployment's current URL rules refuse the URL (changed since it was saved); deliveries wait until it is fixed. */
  urlProblem: string | null;
  /** `'*'` = every event type, including ones added later. */
  events: '*' | string[];
  enabled: boolean;
  /** The workspace's operational endpoint: receives the operational events (webhook.*) about the other webhooks. */
  operational: boolean;
  disabledReason: string | null;
  disabledAt: string | null;
  rateLimitPerSecond: number | null;
  headers: Record<string, string>;
  ownerMemberId: string;
  owner: { memberId: string; displayName: string; role: string };
  /** What the owner should know, e.g. admin-only events this webhook will not receive while its owner is a member. */
  warnings?: FieldError[];
  /** `disablesAt`: while enabled and failing, when endpoint health will disable it unless a delivery succeeds first. */
  health: { failingSince: string | null; lastAttemptAt: string | null; disablesAt: string | null };
  /** In lists: the newest delivery log entry. */
  lastDelivery?: { outcome: AttemptOutcome; httpStatus: number | null; errorCode: string | null; finishedAt: string } | null;
  /** In lists: the last 24 h of endpoint health. */
  endpointHealth?: EndpointHealthSummary;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookInput {
  name: string;
  description: string | null;
  url: string;
  events: '*' | string[];
}

export interface Secret {
  id: string;
  secret: string;
  createdAt: string;
  /** null for the current secret. */
  expiresAt: string | null;
}

export interface DeliveryFilter {
  eventId?: string;
  outcome?: string;
  eventType?: string;
  operational?: 'true' | 'false';
  cursor?: string;
  limit?: number;
}

export interface WebhookPage {
  data: Webhook[];
  nextCursor: string | null;
}

export interface WebhookFilter {
  search?: string;
  enabled?: '' | 'true' | 'false';
  eventType?: string;
  operational?: 'true' | 'false';
  cursor?: string;
  limit?: number;
}


/** Attempts in one window of the hourly rollup (GET /v1/webhooks/{id}/health). */
export interface HealthWindow {
  from: string;
  attempts: number;
  succeeded: number;
  failed: number;
  /** Held back unsent while the circuit was open. */
  deferred: number;
  successRate: number | null;
  responseTimeMs: { p50: number | null; p95: number | null };
}

export interface EndpointHealthSummary {
  last24h: HealthWindow;
  /** The delivery worker's circuit breaker as it reported it with its newest attempt; null state = not reported yet. */
  breaker: { state: 'closed' | 'open' | 'half-open' | null; asOf: string | null };
  lastError: { attemptId: string; eventId: string; outcome: AttemptOutcome; httpStatus: number | null; code: string; message: string; at: string } | null;
}

export interface EndpointHealth extends EndpointHealthSummary {
  webhookId: string;
  last7d: HealthWindow;
}
