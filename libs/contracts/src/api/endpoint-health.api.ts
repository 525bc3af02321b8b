import { z } from 'zod';
import { FAILED_OUTCOMES } from '../messages/attempt-outcome';
import { BREAKER_STATES } from '../messages/attempt-record.schema';
import { apiShape, DATE_TIME } from './api-schema';

export const RESPONSE_TIME = apiShape(
  'ResponseTimeDto',
  z.object({
    p50: z.number().nullable().meta({ example: 142 }),
    p95: z.number().nullable().meta({ example: 231 }),
  }),
);

/** Attempts in one window of the hourly rollup. */
export const HEALTH_WINDOW = apiShape(
  'HealthWindowDto',
  z.object({
    from: DATE_TIME.describe('Start of the window: the start of the hour 24 h (or 7 d) ago — the rollup is hourly.'),
    attempts: z.number().describe('Requests sent, whatever the answer. A deferral (circuit open) is not an attempt.').meta({ example: 1200 }),
    succeeded: z.number().meta({ example: 1188 }),
    failed: z.number().describe('Attempts that failed: non-2xx, timeout, network error, refused target.').meta({ example: 12 }),
    deferred: z.number().describe("Deliveries held back unsent while the endpoint's circuit was open (retried later, no attempt spent).").meta({ example: 0 }),
    successRate: z.number().nullable().describe('succeeded / attempts (0–1); null without attempts.').meta({ example: 0.99 }),
    responseTimeMs: RESPONSE_TIME.describe(
      'Response time of the attempts in ms (failures and timeouts included), from a histogram: within one bucket step (at most 1.33×); null without attempts.',
    ),
  }),
);
export type HealthWindow = z.infer<typeof HEALTH_WINDOW>;

/** The delivery worker's circuit breaker for the endpoint, as it reported it with its newest attempt (decision 0113). */
export const BREAKER = apiShape(
  'BreakerDto',
  z.object({
    state: z
      .enum(BREAKER_STATES)
      .nullable()
      .describe(
        "The delivery worker's circuit breaker for this endpoint as the worker reported it with its newest attempt: `open` = new deliveries are deferred unsent; `half-open` = one trial is let through. null until a worker that reports it has attempted a delivery.",
      ),
    asOf: DATE_TIME.nullable().describe('When the worker reported the state (the view is this old; it changes only with the next attempt).'),
  }),
);
export type Breaker = z.infer<typeof BREAKER>;

export const LAST_ERROR = apiShape(
  'LastErrorDto',
  z.object({
    attemptId: z.string(),
    eventId: z.string(),
    outcome: z.enum(FAILED_OUTCOMES),
    httpStatus: z.number().nullable().meta({ example: 503 }),
    code: z.string().meta({ example: 'http_status' }),
    message: z.string().meta({ example: 'HTTP 503' }),
    at: DATE_TIME,
  }),
);
export type LastError = z.infer<typeof LAST_ERROR>;

const SUMMARY_FIELDS = {
  last24h: HEALTH_WINDOW,
  breaker: BREAKER,
  lastError: LAST_ERROR.nullable().describe('The newest failed attempt (test sends excluded); null when none is recorded.'),
};

/** What the webhook list shows of each webhook's health. */
export const ENDPOINT_HEALTH_SUMMARY = apiShape('EndpointHealthSummaryDto', z.object(SUMMARY_FIELDS));
export type EndpointHealthSummary = z.infer<typeof ENDPOINT_HEALTH_SUMMARY>;

/** `GET /v1/webhooks/{id}/health`. */
export const ENDPOINT_HEALTH = apiShape(
  'EndpointHealthDto',
  z.object({ ...SUMMARY_FIELDS, webhookId: z.string(), last7d: HEALTH_WINDOW }),
);
export type EndpointHealth = z.infer<typeof ENDPOINT_HEALTH>;
