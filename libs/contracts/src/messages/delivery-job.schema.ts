import { EVENT_ENVELOPE_SCHEMA, type EventEnvelope } from '../envelope/envelope.schema';
import {
  DATE_TIME_SCHEMA,
  nullable,
  objectSchema,
  prefixedIdSchema,
  schemaDocument,
  stringEnumSchema,
  type JsonSchema,
} from '../schema/json-schema';
import { ID_PREFIXES, SUBSCRIPTION_ID_SCHEMA, WORKSPACE_ID_SCHEMA } from '../schema/ids';
import { MAX_DELIVERY_ATTEMPTS } from '../topics/retry-tiers';

/**
 * Why this job is on the topic: `new` from fan-out, `retry` after a failed
 * attempt, `deferred` while the endpoint's circuit is open (no attempt spent),
 * `recovery` for a redelivery or recovery someone asked for. (The Test button
 * sends directly, without a job.)
 */
export const DELIVERY_JOB_REASONS = ['new', 'retry', 'deferred', 'recovery'] as const;
export type DeliveryJobReason = (typeof DELIVERY_JOB_REASONS)[number];

/**
 * One event to deliver to one subscription, on `webhooks.deliveries`,
 * `webhooks.retries.<tier>` and `webhooks.deliveries.dlq` (key = subscriptionId).
 * The envelope is embedded: events are small, and the worker needs no lookup.
 */
export interface DeliveryJob {
  jobId: string;
  subscriptionId: string;
  workspaceId: string;
  event: EventEnvelope;
  /** The attempt this job will make, 1..8. */
  attempt: number;
  /** When attempt 1 was made; `null` before it. */
  firstAttemptAt: string | null;
  /** Do not attempt before this time; `null` = now. */
  notBefore: string | null;
  reason: DeliveryJobReason;
  enqueuedAt: string;
  /**
   * Set when the job is first deferred (circuit open, rate limited): deferred
   * past this time it is exhausted (DLQ) instead of waiting forever. Absent
   * or `null` until then.
   */
  deadline?: string | null;
  /** Who asked for a manual redelivery or recovery; its attempts (and their retries) are marked with it. */
  requestedBy?: RequestedBy;
}

/** The API key that asked for a manual send, and the member it acts as. */
export interface RequestedBy {
  apiKeyId: string;
  apiKeyName: string;
  memberId: string;
}

export const REQUESTED_BY_SCHEMA: JsonSchema = objectSchema({
  apiKeyId: { type: 'string', minLength: 1 },
  apiKeyName: { type: 'string' },
  memberId: { type: 'string', minLength: 1 },
});

export const DELIVERY_JOB_SCHEMA: JsonSchema = schemaDocument(
  'messages/delivery-job.json',
  'DeliveryJob',
  objectSchema({
    jobId: prefixedIdSchema(ID_PREFIXES.job),
    subscriptionId: SUBSCRIPTION_ID_SCHEMA,
    workspaceId: WORKSPACE_ID_SCHEMA,
    event: envelopeFragment(),
    attempt: { type: 'integer', minimum: 1, maximum: MAX_DELIVERY_ATTEMPTS },
    firstAttemptAt: nullable(DATE_TIME_SCHEMA),
    notBefore: nullable(DATE_TIME_SCHEMA),
    reason: stringEnumSchema(DELIVERY_JOB_REASONS),
    enqueuedAt: DATE_TIME_SCHEMA,
    deadline: nullable(DATE_TIME_SCHEMA),
    requestedBy: REQUESTED_BY_SCHEMA,
  }, { optional: ['deadline', 'requestedBy'] }),
);

function envelopeFragment(): JsonSchema {
  const { $schema: _dialect, $id: _id, ...fragment } = EVENT_ENVELOPE_SCHEMA as Record<string, unknown>;
  return fragment;
}
