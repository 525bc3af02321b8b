import type { AttemptError, RetryTier } from '@harmony/contracts';
import { parseRetryAfter, type RetryPolicy } from './retry-policy';

/** Bounded metric label for an attempt's result: HTTP class, or why there was no response. */
export const STATUS_CLASSES = ['2xx', '3xx', '4xx', '5xx', 'timeout', 'network', 'refused'] as const;
export type StatusClass = (typeof STATUS_CLASSES)[number];

/** Statuses whose `Retry-After` we honour (RFC 9110: rate limited, temporarily unavailable). */
export const RETRY_AFTER_STATUSES: ReadonlySet<number> = new Set([429, 503]);

/** `2xx`..`5xx`; a 1xx final status or a non-HTTP number counts as a network failure. */
export function statusClassOf(status: number): StatusClass {
  if (status >= 200 && status < 300) return '2xx';
  if (status >= 300 && status < 400) return '3xx';
  if (status >= 400 && status < 500) return '4xx';
  if (status >= 500 && status < 600) return '5xx';
  return 'network';
}

export const NETWORK_FAILURE_CODES = ['connection_refused', 'connection_reset', 'dns_failure', 'tls_error', 'network_error'] as const;
export type NetworkFailureCode = (typeof NETWORK_FAILURE_CODES)[number];

export type RefusalCode = 'ssrf_blocked' | 'invalid_url';

/**
 * Why an attempt failed, carrying its own retry decision (as convoy's worker
 * errors do): the worker asks the failure, not a table of status codes.
 */
export abstract class DeliveryFailure extends Error {
  abstract readonly code: string;
  abstract readonly statusClass: StatusClass;
  /** Whether a later attempt may succeed. */
  abstract readonly retryable: boolean;
  /** The endpoint said it is gone for good (410): disable the subscription. */
  readonly disablesEndpoint: boolean = false;
  /** The receiver's `Retry-After`, when it sent one with 429/503. */
  readonly retryAfterMs: number | null = null;
  readonly status: number | null = null;

  toAttemptError(): AttemptError {
    return { code: this.code, message: this.message };
  }
}

/** The endpoint answered with a non-2xx status. Redirects are failures too: we never follow them. */
export class HttpStatusFailure extends DeliveryFailure {
  readonly code = 'http_status';
  readonly statusClass: StatusClass;
  readonly retryable: boolean;
  override readonly disablesEndpoint: boolean;
  override readonly retryAfterMs: number | null;
  override readonly status: number;

  constructor(status: number, retryAfterMs: number | null = null) {
    super(status === 410 ? 'HTTP 410 Gone: the endpoint asked to stop deliveries' : `HTTP ${status}`);
    this.name = 'HttpStatusFailure';
    this.status = status;
    this.statusClass = statusClassOf(status);
    this.disablesEndpoint = status === 410;
    this.retryable = status !== 410;
    this.retryAfterMs = RETRY_AFTER_STATUSES.has(status) ? retryAfterMs : null;
  }
}

/** No complete response within the timeout (headers and body). */
export class TimeoutFailure extends DeliveryFailure {
  readonly code = 'timeout';
  readonly statusClass = 'timeout' as const;
  readonly retryable = true;

  constructor(timeoutMs: number, phase: 'connect' | 'headers' | 'body' | 'request' = 'request') {
    super(`no response within ${timeoutMs} ms (${phase})`);
    this.name = 'TimeoutFailure';
  }
}

/** DNS, TCP or TLS failed before a response: the endpoint may well be back later. */
export class NetworkFailure extends DeliveryFailure {
  readonly statusClass = 'network' as const;
  readonly retryable = true;

  constructor(
    readonly code: NetworkFailureCode,
    message: string,
  ) {
    super(message);
    this.name = 'NetworkFailure';
  }
}

/**
 * We would not send: the URL or the address it resolved to is refused by the
 * SSRF policy. A refusal found through DNS is retryable (the owner may fix the
 * record, and a rebinding attacker gets nothing either way); a URL that is
 * refused as written (scheme, literal private IP, …) never changes, so retrying
 * it is pointless. See docs/decisions/0020-delivery-ssrf-guard.md.
 */
export class TargetRefused extends DeliveryFailure {
  readonly statusClass = 'refused' as const;

  constructor(
    readonly code: RefusalCode,
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'TargetRefused';
  }
}

export type ResponseClassification = { ok: true; statusClass: '2xx' } | { ok: false; failure: HttpStatusFailure };

/** 2xx is success; anything else is a failure, with `Retry-After` read for 429/503. */
export function classifyResponse(
  status: number,
  retryAfterHeader: string | readonly string[] | null | undefined,
  nowMs: number,
): ResponseClassification {
  if (status >= 200 && status < 300) return { ok: true, statusClass: '2xx' };
  const retryAfterMs = RETRY_AFTER_STATUSES.has(status) ? parseRetryAfter(retryAfterHeader, nowMs) : null;
  return { ok: false, failure: new HttpStatusFailure(status, retryAfterMs) };
}

/**
 * What to do after a failed attempt: the three outcomes of the delivery log.
 * - `retry` → attempt outcome `failure`, job to `webhooks.retries.<tier>`.
 * - `exhausted` → outcome `exhausted`, job to the DLQ.
 * - `drop` → outcome `dropped` (410 Gone, a refusal that cannot change); no retry.
 */
export type NextStep =
  | { action: 'retry'; nextAttempt: number; tier: RetryTier; delayMs: number; retryAfterApplied: boolean }
  | { action: 'exhausted' }
  | { action: 'drop'; disableEndpoint: boolean; reason: string };

export function nextStepAfterFailure(failure: DeliveryFailure, attempt: number, policy: RetryPolicy): NextStep {
  if (!failure.retryable) return { action: 'drop', disableEndpoint: failure.disablesEndpoint, reason: failure.message };
  const decision = policy.afterFailure(attempt, failure.retryAfterMs);
  if (decision.kind === 'exhausted') return { action: 'exhausted' };
  const { kind: _kind, ...retry } = decision;
  return { action: 'retry', ...retry };
}
