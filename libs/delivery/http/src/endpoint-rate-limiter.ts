export interface EndpointRateLimiterOptions {
  /** Requests per second per endpoint when the subscription sets none. */
  defaultPerSecond: number;
  /** Bucket size in seconds of rate: how big a burst may go out at once (default 1 s). */
  burstSeconds?: number;
  /** Monotonic milliseconds; injectable for tests. */
  now?: () => number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryInMs: number };

interface Bucket {
  tokens: number;
  perSecond: number;
  capacity: number;
  updatedAt: number;
}

/**
 * A token bucket per endpoint: `perSecond` tokens a second, up to a burst of
 * `perSecond × burstSeconds` (at least 1). A refused take says when a token
 * will be there, so the worker can defer the job that long.
 */
export class EndpointRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly now: () => number;
  private readonly burstSeconds: number;

  constructor(private readonly options: EndpointRateLimiterOptions) {
    if (!(options.defaultPerSecond > 0)) throw new Error('defaultPerSecond must be positive');
    this.now = options.now ?? (() => performance.now());
    this.burstSeconds = options.burstSeconds ?? 1;
  }

  tryTake(endpointKey: string, perSecond?: number | null): RateDecision {
    const rate = perSecond && perSecond > 0 ? perSecond : this.options.defaultPerSecond;
    const bucket = this.refill(endpointKey, rate);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryInMs: Math.ceil(((1 - bucket.tokens) * 1000) / bucket.perSecond) };
  }

  get size(): number {
    return this.buckets.size;
  }

  /** Drops full buckets: a new one starts full, so forgetting them changes nothing. */
  sweep(): number {
    let dropped = 0;
    for (const [key, bucket] of this.buckets) {
      const elapsed = this.now() - bucket.updatedAt;
      if (bucket.tokens + (elapsed * bucket.perSecond) / 1000 >= bucket.capacity) {
        this.buckets.delete(key);
        dropped += 1;
      }
    }
    return dropped;
  }

  private refill(endpointKey: string, perSecond: number): Bucket {
    const now = this.now();
    const capacity = Math.max(1, perSecond * this.burstSeconds);
    let bucket = this.buckets.get(endpointKey);
    if (!bucket) {
      bucket = { tokens: capacity, perSecond, capacity, updatedAt: now };
      this.buckets.set(endpointKey, bucket);
      return bucket;
    }
    bucket.tokens = Math.min(bucket.capacity, bucket.tokens + ((now - bucket.updatedAt) * bucket.perSecond) / 1000);
    bucket.updatedAt = now;
    if (bucket.perSecond !== perSecond) {
      // The subscription's limit changed: keep what was saved, within the new size.
      bucket.perSecond = perSecond;
      bucket.capacity = capacity;
      bucket.tokens = Math.min(bucket.tokens, capacity);
    }
    return bucket;
  }
}
