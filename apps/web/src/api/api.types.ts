/* The shapes of the subscription-service REST API the page uses (see /openapi.json). */
import type { AttemptOutcome } from '@harmony/contracts/api';

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
  disabledReason: string | null;
  disabledAt: string | null;
  rateLimitPerSecond: number | null;
  headers: Record<string, string>;
  ownerMemberId: string;
  owner: { memberId: string; displayName: string; role: string };
  /** What the owner should know, e.g. admin-only events this webhook will not receive while its owner is a member. */
  warnings?: FieldError[];
  health: { failingSince: string | null; lastAttemptAt: string | null };
  /** In lists: the newest delivery log entry. */
  lastDelivery?: { outcome: AttemptOutcome; httpStatus: number | null; errorCode: string | null; finishedAt: string } | null;
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

export interface EventTypeInfo {
  type: string;
  description: string;
  /** The least role a webhook owner needs to receive it: `admin` for admin-only types (user.*). */
  requiredRole?: 'admin' | 'member';
  example: unknown;
}

export interface EventCategory {
  name: string;
  label: string;
  events: EventTypeInfo[];
}

export interface Delivery {
  id: string;
  /** The webhook the attempt went to. */
  webhookId: string;
  /** `test`: the Test button; `manual`: a redelivery or recovery someone asked for. */
  trigger: 'event' | 'test' | 'manual';
  requestedBy: { apiKeyId: string; apiKeyName: string; memberId: string } | null;
  eventId: string;
  eventType: string;
  attempt: number;
  outcome: AttemptOutcome;
  url: string;
  httpStatus: number | null;
  durationMs: number | null;
  /** The receiver's response headers (bounded); null without a response or on older attempts. */
  responseHeaders: Record<string, string> | null;
  responseBody: string | null;
  responseBodyTruncated: boolean;
  error: { code: string; message: string } | null;
  requestHeaders: Record<string, string>;
  /** The body as sent, when the API includes it. */
  requestBody?: string | null;
  /** Why the body is not shown although kept: the caller may not see this event (any more). */
  requestBodyWithheld?: string | null;
  startedAt: string;
  finishedAt: string;
  nextAttemptAt: string | null;
}

export interface DeliveryPage {
  data: Delivery[];
  nextCursor: string | null;
}

export interface DeliveryFilter {
  eventId?: string;
  outcome?: string;
  eventType?: string;
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
  cursor?: string;
  limit?: number;
}

export interface TestResult {
  outcome: 'success' | 'failure';
  status: number | null;
  latencyMs: number;
  responseBody: string | null;
  error: { code: string; message: string } | null;
  eventId: string;
  /** URL test only: the throwaway secret the request was signed with. */
  signingSecret?: string;
}
