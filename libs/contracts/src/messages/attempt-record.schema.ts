import {
  DATE_TIME_SCHEMA,
  NON_EMPTY_STRING_SCHEMA,
  nullable,
  objectSchema,
  prefixedIdSchema,
  schemaDocument,
  stringEnumSchema,
  type JsonSchema,
} from '../schema/json-schema';
import { EVENT_ID_SCHEMA, EVENT_TYPE_PATTERN, ID_PREFIXES, SUBSCRIPTION_ID_SCHEMA, WORKSPACE_ID_SCHEMA } from '../schema/ids';
import { MAX_DELIVERY_ATTEMPTS } from '../topics/retry-tiers';
import { ATTEMPT_OUTCOMES, type AttemptOutcome } from './attempt-outcome';
import { REQUESTED_BY_SCHEMA, type RequestedBy } from './delivery-job.schema';

/** Response bodies are kept up to 16 KiB in the delivery log. */
export const RESPONSE_BODY_LIMIT_BYTES = 16 * 1024;
/** Response headers are kept in the log up to this many, and this many bytes of names and values. */
export const RESPONSE_HEADERS_LIMIT_COUNT = 32;
export const RESPONSE_HEADERS_LIMIT_BYTES = 4 * 1024;


/** A circuit breaker's state: `open` defers deliveries unsent; `half-open` lets one trial through. */
export const BREAKER_STATES = ['closed', 'open', 'half-open'] as const;
export type BreakerState = (typeof BREAKER_STATES)[number];

export interface AttemptError {
  /** Stable code: `timeout`, `connection_refused`, `dns_failure`, `ssrf_blocked`, `http_status`, … */
  code: string;
  message: string;
}

/** One delivery attempt, on `webhooks.attempts`; subscription-service writes it to the delivery log. */
export interface AttemptRecord {
  attemptId: string;
  jobId: string;
  eventId: string;
  eventType: string;
  subscriptionId: string;
  workspaceId: string;
  attempt: number;
  outcome: AttemptOutcome;
  url: string;
  /** `null` when no response was received. */
  httpStatus: number | null;
  durationMs: number | null;
  /** At most RESPONSE_BODY_LIMIT_BYTES of UTF-8; see `responseBodyTruncated`. */
  responseBody: string | null;
  responseBodyTruncated: boolean;
  /** Set on attempts of a manual redelivery or recovery (with who asked); absent for the pipeline's own. */
  trigger?: 'manual';
  requestedBy?: RequestedBy;
  /** The receiver's response headers, bounded (see `boundResponseHeaders`); absent from records of older workers. */
  responseHeaders?: Record<string, string>;
  error: AttemptError | null;
  /**
   * The worker's circuit breaker for this endpoint right after this attempt (or
   * decision not to attempt): what the API shows as the webhook's breaker state.
   * Absent from records of older workers.
   */
  breaker?: BreakerState;
  /** Headers sent (signature included: it is not a secret). */
  requestHeaders: Record<string, string>;
  startedAt: string;
  finishedAt: string;
  /** When the next attempt is due (outcome `failure`/`deferred`), else `null`. */
  nextAttemptAt: string | null;
}

export const ATTEMPT_RECORD_SCHEMA: JsonSchema = schemaDocument(
  'messages/attempt-record.json',
  'AttemptRecord',
  objectSchema({
    attemptId: prefixedIdSchema(ID_PREFIXES.attempt),
    jobId: prefixedIdSchema(ID_PREFIXES.job),
    eventId: EVENT_ID_SCHEMA,
    eventType: { type: 'string', pattern: EVENT_TYPE_PATTERN },
    subscriptionId: SUBSCRIPTION_ID_SCHEMA,
    workspaceId: WORKSPACE_ID_SCHEMA,
    attempt: { type: 'integer', minimum: 1, maximum: MAX_DELIVERY_ATTEMPTS },
    outcome: stringEnumSchema(ATTEMPT_OUTCOMES),
    url: { type: 'string', format: 'uri' },
    httpStatus: nullable({ type: 'integer', minimum: 100, maximum: 599 }),
    durationMs: nullable({ type: 'number', minimum: 0 }),
    // Characters ≤ bytes for UTF-8, so this bounds the truncated body.
    responseBody: nullable({ type: 'string', maxLength: RESPONSE_BODY_LIMIT_BYTES }),
    responseBodyTruncated: { type: 'boolean' },
    trigger: { const: 'manual' },
    requestedBy: REQUESTED_BY_SCHEMA,
    responseHeaders: { type: 'object', maxProperties: RESPONSE_HEADERS_LIMIT_COUNT, additionalProperties: { type: 'string' } },
    error: nullable(objectSchema({ code: NON_EMPTY_STRING_SCHEMA, message: { type: 'string' } })),
    breaker: stringEnumSchema(BREAKER_STATES),
    requestHeaders: { type: 'object', additionalProperties: { type: 'string' } },
    startedAt: DATE_TIME_SCHEMA,
    finishedAt: DATE_TIME_SCHEMA,
    nextAttemptAt: nullable(DATE_TIME_SCHEMA),
  }, { optional: ['responseHeaders', 'trigger', 'requestedBy', 'breaker'] }),
);
