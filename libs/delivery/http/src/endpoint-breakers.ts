import { EventEmitter } from 'node:events';
import type { BreakerState } from '@harmony/contracts';
import CircuitBreaker from 'opossum';

export type { BreakerState };
export type EndpointTask = () => Promise<unknown>;
export type EndpointBreaker = CircuitBreaker<[EndpointTask], unknown>;

export interface EndpointBreakersOptions {
  /** Failure percentage in the rolling window that opens the circuit (default 50). */
  errorThresholdPercentage?: number;
  /** Calls in the window before the percentage counts (default 5). */
  volumeThreshold?: number;
  /** Open → half-open after this (default 60 s); doubles after each failed trial, up to `maxResetTimeoutMs`. */
  resetTimeoutMs?: number;
  /** The longest an endpoint that keeps failing its trials stays open (default 30 min). */
  maxResetTimeoutMs?: number;
  /**
   * While the one half-open trial is in flight, how long other calls are told
   * to wait for its outcome (default 15 s: the sender's timeout bounds a trial).
   */
  trialWaitMs?: number;
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
  /** The current open period: the base, doubled per failed trial, capped. */
  resetMs: number;
  halfOpen: boolean;
}

/**
 * One opossum circuit breaker per endpoint. opossum keeps timers per breaker,
 * which thousands of endpoints would multiply: here every breaker shares one
 * bucket-rotation emitter driven by a single interval, snapshots are off, and
 * breakers idle for `idleEvictMs` are shut down and dropped.
 *
 * Half-open admits one trial (opossum); every other call is told to wait for
 * the trial's outcome (`trialWaitMs`), never "now". Each failed trial doubles
 * the endpoint's open period up to `maxResetTimeoutMs`; closing resets it.
 */
export class EndpointBreakers {
  private readonly entries = new Map<string, Entry>();
  private readonly rotation = new EventEmitter();
  private readonly timer: NodeJS.Timeout | null;
  private readonly now: () => number;
  private readonly idleEvictMs: number;
  private readonly resetTimeoutMs: number;
  private readonly maxResetTimeoutMs: number;
  private readonly trialWaitMs: number;
  private readonly rollingWindowMs: number;
  private lastRotationAt: number;

  constructor(private readonly options: EndpointBreakersOptions = {}) {
    this.now = options.now ?? Date.now;
    this.idleEvictMs = options.idleEvictMs ?? 10 * 60_000;
    this.resetTimeoutMs = options.resetTimeoutMs ?? 60_000;
    this.maxResetTimeoutMs = Math.max(this.resetTimeoutMs, options.maxResetTimeoutMs ?? 30 * 60_000);
    this.trialWaitMs = options.trialWaitMs ?? 15_000;
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
        // Half-open and refused: the trial is in flight; its outcome decides, so wait for it.
        if (entry.halfOpen) return { kind: 'open', retryInMs: this.trialWaitMs };
        const openedAt = entry.openedAt ?? this.now();
        return { kind: 'open', retryInMs: Math.max(0, openedAt + entry.resetMs - this.now()) };
      }
      throw error;
    }
  }

  /** How long the endpoint's circuit stays open the next (or current) time. */
  resetTimeoutOf(endpointKey: string): number {
    return this.entries.get(endpointKey)?.resetMs ?? this.resetTimeoutMs;
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
    const entry: Entry = { breaker, lastUsedAt: this.now(), openedAt: null, resetMs: this.resetTimeoutMs, halfOpen: false };
    // Runs before opossum's own 'open' listener, which reads options.resetTimeout to arm its timer.
    breaker.prependListener('open', () => {
      if (entry.halfOpen) entry.resetMs = Math.min(entry.resetMs * 2, this.maxResetTimeoutMs);
      entry.halfOpen = false;
      entry.openedAt = this.now();
      (breaker as unknown as { options: { resetTimeout: number } }).options.resetTimeout = entry.resetMs;
      this.options.onStateChange?.(endpointKey, 'open');
    });
    breaker.on('halfOpen', () => {
      entry.halfOpen = true;
      this.options.onStateChange?.(endpointKey, 'half-open');
    });
    breaker.on('close', () => {
      entry.openedAt = null;
      entry.halfOpen = false;
      entry.resetMs = this.resetTimeoutMs;
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
