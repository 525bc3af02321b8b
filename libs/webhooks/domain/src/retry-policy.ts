import { MAX_DELIVERY_ATTEMPTS, RETRY_TIERS, retryTierForAttempt, type RetryTier } from '@harmony/contracts';

/** ±20 % around each tier's delay, so endpoints that failed together do not retry together. */
export const RETRY_JITTER_RATIO = 0.2;

/** The longest a receiver's `Retry-After` can push an attempt back: the longest tier. */
export const MAX_RETRY_AFTER_MS = 10 * 3_600_000;

export interface RetryPolicyOptions {
  /** Fraction of the tier delay added or removed at random (default 0.2). */
  jitterRatio?: number;
  /** Uniform in [0, 1); injectable so tests pin the jitter. */
  random?: () => number;
  /** Upper clamp for `Retry-After` (default 10 h). */
  maxRetryAfterMs?: number;
  /** Delay of a tier; defaults to the tier's own (tests compress time here). */
  tierDelayMs?: (tier: RetryTier) => number;
  /** Attempts in all, the first included (default MAX_DELIVERY_ATTEMPTS). */
  maxAttempts?: number;
}

export type RetryDecision =
  | {
      kind: 'retry';
      /** The attempt the retried job will make. */
      nextAttempt: number;
      /** The tier topic to wait in: the attempt's tier, or a longer one when `Retry-After` asks for more. */
      tier: RetryTier;
      delayMs: number;
      /** Whether the receiver's `Retry-After` set the delay (it asked for longer than the tier). */
      retryAfterApplied: boolean;
    }
  | { kind: 'exhausted'; attempts: number };

/**
 * When to try again after a failed attempt (DESIGN.md "Delivery policy").
 *
 * - Attempts 2..8 wait in the tiers of `retryTierForAttempt`, ±20 % jitter.
 * - `Retry-After` (already limited to 429/503 by the caller) can only push the
 *   attempt later: delay = max(jittered tier delay, min(Retry-After × [1, 1.2), 10 h)).
 *   A receiver cannot make us retry sooner than the policy (that would let one
 *   endpoint spend its attempts in seconds), nor later than the longest tier
 *   (a huge value would silently park the event). The upward-only jitter keeps
 *   the "not before" promise and spreads a burst of 429s.
 * - After MAX_DELIVERY_ATTEMPTS the job is exhausted (DLQ).
 * See docs/decisions/0021-delivery-retry-after-clamp.md.
 */
export class RetryPolicy {
  private readonly jitterRatio: number;
  private readonly random: () => number;
  private readonly maxRetryAfterMs: number;
  private readonly tierDelayMs: (tier: RetryTier) => number;
  readonly maxAttempts: number;

  constructor(options: RetryPolicyOptions = {}) {
    this.jitterRatio = options.jitterRatio ?? RETRY_JITTER_RATIO;
    this.random = options.random ?? Math.random;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? MAX_RETRY_AFTER_MS;
    this.tierDelayMs = options.tierDelayMs ?? ((tier) => tier.delayMs);
    this.maxAttempts = options.maxAttempts ?? MAX_DELIVERY_ATTEMPTS;
    if (this.jitterRatio < 0 || this.jitterRatio >= 1) throw new Error('jitterRatio must be in [0, 1)');
    if (this.maxAttempts < 1 || this.maxAttempts > MAX_DELIVERY_ATTEMPTS) throw new Error(`maxAttempts must be 1..${MAX_DELIVERY_ATTEMPTS}`);
  }

  /** Decision after attempt `attempt` (1-based) failed with a retryable failure. */
  afterFailure(attempt: number, retryAfterMs: number | null = null): RetryDecision {
    if (!Number.isInteger(attempt) || attempt < 1) throw new Error(`attempt must be a positive integer, got ${attempt}`);
    const nextAttempt = attempt + 1;
    const attemptTier = retryTierForAttempt(nextAttempt);
    if (nextAttempt > this.maxAttempts || !attemptTier) return { kind: 'exhausted', attempts: attempt };

    const base = this.tierDelayMs(attemptTier);
    const jittered = Math.round(base * (1 + this.jitterRatio * (2 * this.random() - 1)));
    let delayMs = jittered;
    let retryAfterApplied = false;
    if (retryAfterMs !== null && Number.isFinite(retryAfterMs) && retryAfterMs > 0) {
      const asked = Math.min(Math.round(retryAfterMs * (1 + this.jitterRatio * this.random())), this.maxRetryAfterMs);
      if (asked > jittered) {
        delayMs = asked;
        retryAfterApplied = true;
      }
    }
    const delayTier = this.tierForDelay(delayMs);
    const tier = this.tierDelayMs(delayTier) > base ? delayTier : attemptTier;
    return { kind: 'retry', nextAttempt, tier, delayMs, retryAfterApplied };
  }

  /** A tier's delay under this policy (scaled in tests and demos). */
  delayOf(tier: RetryTier): number {
    return this.tierDelayMs(tier);
  }

  /**
   * The whole retry schedule, first attempt to last (≈ 27.6 h unscaled): a
   * job deferred without spending attempts (circuit open, rate limited) gets
   * no longer than this from its first attempt before it is exhausted.
   */
  scheduleSpanMs(): number {
    let span = 0;
    for (let attempt = 2; attempt <= this.maxAttempts; attempt++) {
      const tier = retryTierForAttempt(attempt);
      if (tier) span += this.tierDelayMs(tier);
    }
    return span;
  }

  /**
   * The tier for a job put back without spending an attempt (circuit open, rate
   * limited): the longest tier not longer than the wait, so it never sits
   * behind jobs due much later, and at least the shortest.
   */
  tierForDelay(delayMs: number): RetryTier {
    let chosen: RetryTier = RETRY_TIERS[0];
    for (const tier of RETRY_TIERS) {
      if (this.tierDelayMs(tier) <= delayMs && this.tierDelayMs(tier) >= this.tierDelayMs(chosen)) chosen = tier;
    }
    return chosen;
  }
}

const HTTP_DATE = /^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/**
 * `Retry-After` as milliseconds from `nowMs`: delay-seconds or an HTTP-date
 * (RFC 9110 §10.2.3). A date in the past is 0; anything unparseable is `null`.
 */
export function parseRetryAfter(value: string | readonly string[] | null | undefined, nowMs: number): number | null {
  const raw = Array.isArray(value) ? value[0] : value;
  if (typeof raw !== 'string') return null;
  const text = raw.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Accept the obsolete RFC 850 / asctime forms too, as HTTP recipients must; reject vague text Date.parse would guess at.
  if (!HTTP_DATE.test(text) && !/GMT$|^\w{3} \w{3} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/.test(text)) return null;
  const at = Date.parse(/GMT$/.test(text) ? text : `${text} GMT`);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - nowMs);
}
