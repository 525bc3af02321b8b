import type { BreakerState } from '@harmony/contracts';

export type { BreakerState };

export interface EndpointBreakersOptions {
  /** Failure percentage in the rolling window above which the circuit opens (default 50). */
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
  /** How often the shared timer evicts idle breakers; 0 = no timer, the caller drives `tick()` (tests). */
  tickIntervalMs?: number;
  now?: () => number;
  /** Every transition, e.g. to count breaker opens in metrics. */
  onStateChange?: (endpointKey: string, state: BreakerState) => void;
}

export type BreakerCall<T> = { kind: 'done'; result: T } | { kind: 'open'; retryInMs: number };

const ROLLING_BUCKETS = 6;

/**
 * One endpoint's circuit, kept small (tens of bytes of counters, no emitter,
 * no timer): a deployment may hold one for each of tens of thousands of endpoints.
 */
interface Circuit {
  /** Completed calls and failures per bucket of the rolling window (a ring indexed by bucket number). */
  calls: number[];
  failures: number[];
  /** The bucket number (time / bucket length) the ring was last written in. */
  bucket: number;
  lastUsedAt: number;
  /** When the circuit opened; `null` while closed. Half-open is "open, and its period is over". */
  openedAt: number | null;
  /** The current open period: the base, doubled per failed trial, capped. */
  resetMs: number;
  /** The half-open trial is in flight. */
  trial: boolean;
  /** Half-open was announced (onStateChange) for the current open period. */
  announcedHalfOpen: boolean;
}

/**
 * A circuit breaker per endpoint (Hystrix's model, as opossum implements it):
 * closed, it counts completed calls and failures over a rolling window and
 * opens once at least `volumeThreshold` calls ended and more than
 * `errorThresholdPercentage` of them failed; open, it refuses calls for its
 * open period; then half-open, it admits one trial and tells every other call
 * to wait for the trial's outcome (`trialWaitMs`), never "now". A failed trial
 * opens it again for twice as long (up to `maxResetTimeoutMs`); a successful
 * one closes it, with a fresh window and the base period.
 *
 * Written here rather than one opossum instance per endpoint (decision 0103):
 * an opossum breaker holds ~5.5 KB (an emitter, status buckets, listeners), 55 MB
 * for 10,000 endpoints; this one is a few counters, its window rotated lazily on
 * use and its half-open state derived from the clock — no timer per breaker, one
 * shared interval only to drop idle ones.
 */
export class EndpointBreakers {
  private readonly circuits = new Map<string, Circuit>();
  private readonly timer: NodeJS.Timeout | null;
  private readonly now: () => number;
  private readonly idleEvictMs: number;
  private readonly resetTimeoutMs: number;
  private readonly maxResetTimeoutMs: number;
  private readonly trialWaitMs: number;
  private readonly bucketMs: number;
  private readonly volumeThreshold: number;
  private readonly errorThresholdPercentage: number;

  constructor(private readonly options: EndpointBreakersOptions = {}) {
    this.now = options.now ?? Date.now;
    this.idleEvictMs = options.idleEvictMs ?? 10 * 60_000;
    this.resetTimeoutMs = options.resetTimeoutMs ?? 60_000;
    this.maxResetTimeoutMs = Math.max(this.resetTimeoutMs, options.maxResetTimeoutMs ?? 30 * 60_000);
    this.trialWaitMs = options.trialWaitMs ?? 15_000;
    this.bucketMs = (options.rollingWindowMs ?? 60_000) / ROLLING_BUCKETS;
    this.volumeThreshold = options.volumeThreshold ?? 5;
    this.errorThresholdPercentage = options.errorThresholdPercentage ?? 50;
    const interval = options.tickIntervalMs ?? this.bucketMs;
    this.timer = interval > 0 ? setInterval(() => this.tick(), interval) : null;
    this.timer?.unref();
  }

  /**
   * Runs `task` through the endpoint's breaker. A result `isFailure` accepts
   * counts against the endpoint but is still returned; a thrown error counts
   * too and is thrown on. While the circuit is open the task is not run and
   * the caller defers the job.
   */
  async call<T>(endpointKey: string, task: () => Promise<T>, isFailure: (result: T) => boolean): Promise<BreakerCall<T>> {
    const circuit = this.circuitFor(endpointKey);
    const now = this.now();
    circuit.lastUsedAt = now;
    const state = this.stateOf(endpointKey, circuit, now);
    if (state === 'open') return { kind: 'open', retryInMs: Math.max(0, (circuit.openedAt ?? now) + circuit.resetMs - now) };
    const trial = state === 'half-open';
    if (trial) {
      // The trial is in flight: its outcome decides, so wait for it.
      if (circuit.trial) return { kind: 'open', retryInMs: this.trialWaitMs };
      circuit.trial = true;
    }
    let result: T;
    try {
      result = await task();
    } catch (error) {
      this.ended(endpointKey, circuit, trial, true);
      throw error;
    }
    this.ended(endpointKey, circuit, trial, isFailure(result));
    return { kind: 'done', result };
  }

  /** How long the endpoint's circuit stays open the next (or current) time. */
  resetTimeoutOf(endpointKey: string): number {
    return this.circuits.get(endpointKey)?.resetMs ?? this.resetTimeoutMs;
  }

  state(endpointKey: string): BreakerState | null {
    const circuit = this.circuits.get(endpointKey);
    return circuit ? this.stateOf(endpointKey, circuit, this.now()) : null;
  }

  /** Breakers per state, for a gauge. */
  counts(): Record<BreakerState, number> {
    const counts: Record<BreakerState, number> = { closed: 0, open: 0, 'half-open': 0 };
    const now = this.now();
    for (const [key, circuit] of this.circuits) counts[this.stateOf(key, circuit, now)] += 1;
    return counts;
  }

  get size(): number {
    return this.circuits.size;
  }

  /** Drops breakers unused for `idleEvictMs` unless open or half-open (their state must outlive the quiet); returns how many. */
  tick(): number {
    const now = this.now();
    let evicted = 0;
    for (const [key, circuit] of this.circuits) {
      if (now - circuit.lastUsedAt < this.idleEvictMs || circuit.openedAt !== null) continue;
      this.circuits.delete(key);
      evicted += 1;
    }
    return evicted;
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.circuits.clear();
  }

  private circuitFor(endpointKey: string): Circuit {
    let circuit = this.circuits.get(endpointKey);
    if (!circuit) {
      circuit = {
        calls: new Array<number>(ROLLING_BUCKETS).fill(0),
        failures: new Array<number>(ROLLING_BUCKETS).fill(0),
        bucket: Math.floor(this.now() / this.bucketMs),
        lastUsedAt: this.now(),
        openedAt: null,
        resetMs: this.resetTimeoutMs,
        trial: false,
        announcedHalfOpen: false,
      };
      this.circuits.set(endpointKey, circuit);
    }
    return circuit;
  }

  private stateOf(endpointKey: string, circuit: Circuit, now: number): BreakerState {
    if (circuit.openedAt === null) return 'closed';
    if (now < circuit.openedAt + circuit.resetMs) return 'open';
    if (!circuit.announcedHalfOpen) {
      circuit.announcedHalfOpen = true;
      this.options.onStateChange?.(endpointKey, 'half-open');
    }
    return 'half-open';
  }

  /** A call (or the trial) ended: count it; open or close the circuit as it says. */
  private ended(endpointKey: string, circuit: Circuit, trial: boolean, failed: boolean): void {
    const now = this.now();
    if (trial) {
      circuit.trial = false;
      if (failed) {
        circuit.resetMs = Math.min(circuit.resetMs * 2, this.maxResetTimeoutMs);
        this.open(endpointKey, circuit, now);
      } else {
        circuit.openedAt = null;
        circuit.resetMs = this.resetTimeoutMs;
        circuit.calls.fill(0);
        circuit.failures.fill(0);
        this.options.onStateChange?.(endpointKey, 'closed');
      }
      return;
    }
    // A call started while closed may end after the circuit opened: it only counts.
    const slot = this.rotate(circuit, now);
    circuit.calls[slot] = (circuit.calls[slot] ?? 0) + 1;
    if (failed) circuit.failures[slot] = (circuit.failures[slot] ?? 0) + 1;
    if (!failed || circuit.openedAt !== null) return;
    const calls = sum(circuit.calls);
    if (calls >= this.volumeThreshold && (sum(circuit.failures) / calls) * 100 > this.errorThresholdPercentage) this.open(endpointKey, circuit, now);
  }

  private open(endpointKey: string, circuit: Circuit, now: number): void {
    circuit.openedAt = now;
    circuit.announcedHalfOpen = false;
    this.options.onStateChange?.(endpointKey, 'open');
  }

  /** Zeroes the buckets that left the window since the circuit was last written; returns the current bucket's slot. */
  private rotate(circuit: Circuit, now: number): number {
    const bucket = Math.floor(now / this.bucketMs);
    for (let b = Math.max(circuit.bucket + 1, bucket - ROLLING_BUCKETS + 1); b <= bucket; b++) {
      circuit.calls[b % ROLLING_BUCKETS] = 0;
      circuit.failures[b % ROLLING_BUCKETS] = 0;
    }
    circuit.bucket = Math.max(circuit.bucket, bucket);
    return bucket % ROLLING_BUCKETS;
  }
}

function sum(values: number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}
