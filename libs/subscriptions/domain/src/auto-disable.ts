import type { AttemptOutcome } from '@harmony/contracts';

export const AUTO_DISABLE_AFTER_MS = 5 * 24 * 60 * 60 * 1000;

export interface EndpointHealth {
  /** Start of the current run of failures; null while healthy. */
  failingSince: Date | null;
}

export interface ObservedAttempt {
  outcome: AttemptOutcome;
  httpStatus: number | null;
  startedAt: Date;
  finishedAt: Date;
}

export interface HealthDecision {
  failingSince: Date | null;
  /** A reason when the endpoint must be disabled now, else null. */
  disable: string | null;
}

/**
 * How one attempt changes an endpoint's health. A success ends a failure run
 * (unless it is older than the run); failures start or extend it; after five
 * days of continuous failure, or a 410 Gone, the endpoint is disabled.
 * Deferred attempts (circuit open) were never sent and say nothing.
 */
export function observeAttempt(health: EndpointHealth, attempt: ObservedAttempt): HealthDecision {
  if (attempt.httpStatus === 410) {
    return { failingSince: health.failingSince ?? attempt.startedAt, disable: 'The endpoint answered 410 Gone.' };
  }
  if (attempt.outcome === 'deferred' || attempt.outcome === 'sending') return { failingSince: health.failingSince, disable: null };
  if (attempt.outcome === 'success') {
    const stillFailing = health.failingSince !== null && attempt.finishedAt < health.failingSince;
    return { failingSince: stillFailing ? health.failingSince : null, disable: null };
  }
  if (attempt.outcome === 'dropped') return { failingSince: health.failingSince, disable: null };
  const failingSince = health.failingSince && health.failingSince < attempt.startedAt ? health.failingSince : attempt.startedAt;
  if (attempt.finishedAt.getTime() - failingSince.getTime() >= AUTO_DISABLE_AFTER_MS) {
    return { failingSince, disable: `Every delivery failed for 5 days (since ${failingSince.toISOString()}).` };
  }
  return { failingSince, disable: null };
}
