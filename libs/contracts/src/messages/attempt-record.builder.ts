import { newId } from '../schema/new-id';
import type { AttemptOutcome } from './attempt-outcome';
import type { AttemptError, AttemptRecord, BreakerState } from './attempt-record.schema';
import type { DeliveryJob } from './delivery-job.schema';

/** What happened on one attempt of a job; what was not received is left out (`null`). */
export interface AttemptFacts {
  /** The attempt's id when it was announced before (`sending`); a new one otherwise. */
  attemptId?: string;
  outcome: AttemptOutcome;
  /** Where it went; `null` when the webhook is gone (logged as `about:blank`). */
  url: string | null;
  httpStatus?: number | null;
  durationMs?: number | null;
  responseBody?: string | null;
  responseBodyTruncated?: boolean;
  /** Already bounded (`boundResponseHeaders`); only when a response was received. */
  responseHeaders?: Record<string, string>;
  error?: AttemptError | null;
  requestHeaders?: Record<string, string>;
  /** Defaults to `finishedAt`: a decision not to send takes no time. */
  startedAt?: Date;
  finishedAt?: Date;
  nextAttemptAt?: string | null;
  /** The sender's circuit breaker for the endpoint right after this attempt. */
  breaker?: BreakerState;
}

/**
 * The AttemptRecord (on `webhooks.attempts`) of one attempt of `job`, or of a
 * decision not to attempt it: the job's ids, event and attempt number, marked
 * `manual` with who asked when the job was a manual redelivery or recovery.
 */
export function attemptRecord(job: DeliveryJob, facts: AttemptFacts): AttemptRecord {
  const finishedAt = facts.finishedAt ?? new Date();
  return {
    attemptId: facts.attemptId ?? newId('attempt'),
    jobId: job.jobId,
    eventId: job.event.id,
    eventType: job.event.type,
    subscriptionId: job.subscriptionId,
    workspaceId: job.workspaceId,
    attempt: job.attempt,
    outcome: facts.outcome,
    url: facts.url ?? 'about:blank',
    httpStatus: facts.httpStatus ?? null,
    durationMs: facts.durationMs ?? null,
    responseBody: facts.responseBody ?? null,
    responseBodyTruncated: facts.responseBodyTruncated ?? false,
    ...(facts.responseHeaders ? { responseHeaders: facts.responseHeaders } : {}),
    ...(job.requestedBy ? { trigger: 'manual' as const, requestedBy: job.requestedBy } : {}),
    error: facts.error ?? null,
    ...(facts.breaker ? { breaker: facts.breaker } : {}),
    requestHeaders: facts.requestHeaders ?? {},
    startedAt: (facts.startedAt ?? finishedAt).toISOString(),
    finishedAt: finishedAt.toISOString(),
    nextAttemptAt: facts.nextAttemptAt ?? null,
  };
}
