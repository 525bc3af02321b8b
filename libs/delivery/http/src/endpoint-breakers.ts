import { EventEmitter } from 'node:events';
import CircuitBreaker from 'opossum';

export type BreakerState = 'closed' | 'open' | 'half-open';
export type EndpointTask = () => Promise<unknown>;
export type EndpointBreaker = CircuitBreaker<[EndpointTask], unknown>;

export interface EndpointBreakersOptions {
  /** Failure percentage in the rolling window that opens the circuit (default 50). */
  errorThresholdPercentage?: number;
  /** Calls in the window before the percentage counts (default 5). */
  volumeThreshold?: number;
  /** Open → half-open after this (default 60 s). */
  resetTimeoutMs?: number;
  /** Rolling window (default 60 s, 6 buckets). */
  rollingWindowMs?: number;
  /** A breaker unused this long (and not open) is dropped (default 10 min). */
  idleEvictMs?: number;
  /** How often the shared timer rotates windows and evicts; 0 = no timer, the caller drives `tick()` (tests). */
  tickIntervalMs?: number;
  now?: () => number;
  /** Every transition, e.g. to count breaker opens in metrics. */
  onStateChange?: (endpointKey: string, state: BreakerState) => void;
}

/** Thrown inside a breaker for a call whose result is a failure, so opossum counts it. */
export class EndpointCallFailed<T> extends Error {
  constructor(readonly result: T) {
    super('endpoint call failed');
    this.name = 'EndpointCallFailed';
  }
}

export type BreakerCall<T> = { kind: 'done'; result: T } | { kind: 'open'; retryInMs: number };

const ROLLING_BUCKETS = 6;

interface Entry {
  breaker: EndpointBreaker;
  lastUsedAt: number;
  openedAt: number | null;
}

/**
 * One opossum circuit breaker per endpoint. opossum keeps timers per breaker,
 * which thousands of endpoints would multiply: here every breaker shares one
 * bucket-rotation emitter driven by a single interval, snapshots are off, and
 * breakers idle for `idleEvictMs` are shut down and dropped.
 */
export class EndpointBreakers {
  private readonly entries = new Map<string, Entry>();
  private readonly rotation = new EventEmitter();
  private readonly timer: NodeJS.Timeout | null;
  private readonly now: () => number;
  private readonly idleEvictMs: number;
  private readonly resetTimeoutMs: number;
  private readonly rollingWindowMs: number;
  private lastRotationAt: number;

  constructor(private readonly options: EndpointBreakersOptions = {}) {
    this.now = options.now ?? Date.now;
    this.idleEvictMs = options.idleEvictMs ?? 10 * 60_000;
    this.resetTimeoutMs = options.resetTimeoutMs ?? 60_000;
    this.rollingWindowMs = options.rollingWindowMs ?? 60_000;
    this.rotation.setMaxListeners(0);
    this.lastRotationAt = this.now();
    const interval = options.tickIntervalMs ?? this.rollingWindowMs / ROLLING_BUCKETS;
    this.timer = interval > 0 ? setInterval(() => this.tick(), interval) : null;
    this.timer?.unref();
  }

  /** The breaker of an endpoint (created on first use). */
  get(endpointKey: string): EndpointBreaker {
    const entry = this.entryFor(endpointKey);
    entry.lastUsedAt = this.now();
    return entry.breaker;
  }

  /**
   * Runs `task` through the endpoint's breaker. A result `isFailure` accepts
   * counts against the endpoint but is still returned; while the circuit is
   * open the task is not run and the caller defers the job.
   */
  async call<T>(endpointKey: string, task: () => Promise<T>, isFailure: (result: T) => boolean): Promise<BreakerCall<T>> {
    const entry = this.entryFor(endpointKey);
    entry.lastUsedAt = this.now();
    try {
      const result = (await entry.breaker.fire(async () => {
        const result = await task();
        if (isFailure(result)) throw new EndpointCallFailed(result);
        return result;
      })) as T;
      return { kind: 'done', result };
    } catch (error) {
      if (error instanceof EndpointCallFailed) return { kind: 'done', result: error.result as T };
      if ((error as { code?: unknown }).code === 'EOPENBREAKER') {
        const openedAt = entry.openedAt ?? this.now();
        return { kind: 'open', retryInMs: Math.max(0, openedAt + this.resetTimeoutMs - this.now()) };
      }
      throw error;
    }
  }

  state(endpointKey: string): BreakerState | null {
    const entry = this.entries.get(endpointKey);
    return entry ? stateOf(entry.breaker) : null;
  }

  /** Breakers per state, for a gauge. */
  counts(): Record<BreakerState, number> {
    const counts: Record<BreakerState, number> = { closed: 0, open: 0, 'half-open': 0 };
    for (const { breaker } of this.entries.values()) counts[stateOf(breaker)] += 1;
    return counts;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Rotates the rolling windows when a bucket is due and evicts idle breakers; returns how many were evicted. */
  tick(): number {
    const now = this.now();
    const bucketMs = this.rollingWindowMs / ROLLING_BUCKETS;
    while (now - this.lastRotationAt >= bucketMs) {
      this.rotation.emit('rotate');
      this.lastRotationAt += bucketMs;
    }
    let evicted = 0;
    for (const [key, entry] of this.entries) {
      if (now - entry.lastUsedAt < this.idleEvictMs || entry.breaker.opened) continue;
      entry.breaker.shutdown();
      this.entries.delete(key);
      evicted += 1;
    }
    return evicted;
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    for (const { breaker } of this.entries.values()) breaker.shutdown();
    this.entries.clear();
  }

  private entryFor(endpointKey: string): Entry {
    const existing = this.entries.get(endpointKey);
    if (existing) return existing;
    const breaker = new CircuitBreaker<[EndpointTask], unknown>((task) => task(), {
      // The sender has its own deadline; opossum's would only race it.
      timeout: false,
      errorThresholdPercentage: this.options.errorThresholdPercentage ?? 50,
      volumeThreshold: this.options.volumeThreshold ?? 5,
      resetTimeout: this.resetTimeoutMs,
      rollingCountTimeout: this.rollingWindowMs,
      rollingCountBuckets: ROLLING_BUCKETS,
      rollingPercentilesEnabled: false,
      enableSnapshots: false,
      rotateBucketController: this.rotation,
    });
    const entry: Entry = { breaker, lastUsedAt: this.now(), openedAt: null };
    breaker.on('open', () => {
      entry.openedAt = this.now();
      this.options.onStateChange?.(endpointKey, 'open');
    });
    breaker.on('halfOpen', () => this.options.onStateChange?.(endpointKey, 'half-open'));
    breaker.on('close', () => {
      entry.openedAt = null;
      this.options.onStateChange?.(endpointKey, 'closed');
    });
    this.entries.set(endpointKey, entry);
    return entry;
  }
}

function stateOf(breaker: EndpointBreaker): BreakerState {
  if (breaker.opened) return 'open';
  if (breaker.halfOpen) return 'half-open';
  return 'closed';
}
