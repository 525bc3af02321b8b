// No imports: the page (apps/web) uses these through @harmony/contracts/api.

/**
 * - `sending`: produced before the request goes out (the intent); the outcome that
 *   follows carries the same `attemptId` and replaces it in the log. One left
 *   `sending` means the worker stopped mid-request: the receiver may have got it
 *   (outcome unknown), and the job is sent again with the same `webhook-id`.
 * - `success`: 2xx.
 * - `failure`: failed, a retry is scheduled.
 * - `exhausted`: failed on the last attempt; the job went to the DLQ.
 * - `dropped`: not retried (410 Gone, subscription deleted/disabled, owner lost access).
 * - `deferred`: not sent (circuit open, rate limited); re-queued without spending an attempt.
 */
export const ATTEMPT_OUTCOMES = ['sending', 'success', 'failure', 'exhausted', 'dropped', 'deferred'] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

/** The outcomes of an attempt that was sent and failed: what an endpoint's last error can be. */
export const FAILED_OUTCOMES = ['failure', 'exhausted', 'dropped'] as const satisfies readonly AttemptOutcome[];
export type FailedOutcome = (typeof FAILED_OUTCOMES)[number];

export function isFailedOutcome(outcome: AttemptOutcome): outcome is FailedOutcome {
  return (FAILED_OUTCOMES as readonly string[]).includes(outcome);
}
