import type { Consumer } from 'kafkajs';
import type { Logger } from '@harmony/platform-observability';

export interface SupervisedConsumerOptions {
  /** Names the consumer in logs and in the dead report (e.g. its group id). */
  name: string;
  /** A fresh kafkajs consumer: one that failed or crashed is thrown away, never reused. */
  create(): Consumer;
  /** Connects, subscribes and runs it (kafkajs `run` resolves once the member has joined its group). */
  boot(consumer: Consumer): Promise<void>;
  /** Down (failing to start, or crashed and not back) longer than this: dead. */
  maxDownMs: number;
  /** Called once when the consumer is declared dead; the process should then exit for its supervisor. */
  onDead(error: Error): void;
  logger: Logger;
  /** Backoff between attempts: doubles from `initialBackoffMs` up to `maxBackoffMs` (defaults 250 ms, 5 s). */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /**
   * A consumer that shows no sign of life this long — no fetch, batch,
   * heartbeat or join, while booting or running — is treated as crashed
   * (default 30 s). kafkajs can hang in a join or reconnect without ever
   * crashing; a live consumer fetches at least every max-wait (500 ms).
   */
  stallMs?: number;
}

type State = 'idle' | 'starting' | 'running' | 'restarting' | 'dead' | 'stopped';

const DISPOSE_TIMEOUT_MS = 5_000;
const DEFAULT_STALL_MS = 30_000;
/** kafkajs events that show a consumer is alive. */
const SIGNS_OF_LIFE = ['FETCH_START', 'START_BATCH_PROCESS', 'END_BATCH_PROCESS', 'HEARTBEAT', 'GROUP_JOIN', 'CONNECT'] as const;

/**
 * Keeps one kafkajs consumer alive. kafkajs restarts a crashed consumer by
 * itself only for errors it deems retriable, gives up silently otherwise, and
 * `run()` resolves even when the first join failed — so here kafkajs never
 * restarts (`restartOnFailure` answers no) and every failure takes one path:
 * the consumer is thrown away and a new one is booted after a backoff. A
 * consumer down longer than `maxDownMs` is declared dead (`onDead`), so the
 * process can exit and be restarted by its supervisor instead of staying up
 * without consuming.
 */
export class SupervisedConsumer {
  private current: Consumer | null = null;
  private state: State = 'idle';
  private downSince: number | null = null;
  private wake: (() => void) | null = null;
  private deadError: Error | null = null;
  private lastError: Error | null = null;
  /** Declares the consumer dead when the bound passes, even while an attempt hangs. */
  private watchdog: NodeJS.Timeout | null = null;
  private lastSignOfLife = 0;
  private stallCheck: NodeJS.Timeout | null = null;
  /** Ends a boot that hangs (set while one is in progress). */
  private bootStalled: ((error: Error) => void) | null = null;
  /** Consumers booted after a failure (not counting the first). */
  restarts = 0;

  constructor(private readonly options: SupervisedConsumerOptions) {}

  /** The running consumer; `null` while (re)starting, dead or stopped. */
  get consumer(): Consumer | null {
    return this.state === 'running' ? this.current : null;
  }

  get running(): boolean {
    return this.state === 'running';
  }

  get dead(): boolean {
    return this.state === 'dead';
  }

  /** kafkajs options every supervised consumer needs: no restarts of its own. */
  static readonly RETRY = { restartOnFailure: async (): Promise<boolean> => false };

  /**
   * Resolves once a consumer runs (or `stop()` was called meanwhile); retries
   * with backoff until then and rejects only when the consumer is dead.
   */
  async start(): Promise<void> {
    if (this.state !== 'idle') throw new Error(`${this.options.name}: already started`);
    this.state = 'starting';
    // Not running yet counts as down: a first start that never succeeds is bounded too.
    this.goneDown();
    await this.bootUntilRunning();
  }

  /** Stops retrying and disconnects the current consumer (a running one leaves its group). */
  async stop(): Promise<void> {
    const consumer = this.current;
    this.state = 'stopped';
    this.current = null;
    this.clearWatchdog();
    if (this.stallCheck) clearInterval(this.stallCheck);
    this.stallCheck = null;
    this.wake?.();
    if (consumer) await consumer.disconnect();
  }

  private async bootUntilRunning(): Promise<void> {
    let backoff = this.options.initialBackoffMs ?? 250;
    for (;;) {
      if (this.stopped()) return;
      if (this.isDead()) throw this.deadError;
      const error = await this.attempt();
      if (this.stopped()) return;
      if (this.isDead()) throw this.deadError;
      if (error === null) {
        if (this.restarts > 0) this.options.logger.info({ consumer: this.options.name, downMs: Date.now() - (this.downSince ?? Date.now()) }, 'consumer recovered');
        this.downSince = null;
        this.clearWatchdog();
        this.state = 'running';
        return;
      }
      this.lastError = error;
      const downMs = Date.now() - (this.downSince ?? Date.now());
      if (downMs >= this.options.maxDownMs) {
        this.declareDead();
        throw this.deadError;
      }
      this.options.logger.warn({ err: error, consumer: this.options.name, retryInMs: backoff, downMs }, 'consumer failed; restarting');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, backoff);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
      backoff = Math.min(backoff * 2, this.options.maxBackoffMs ?? 5_000);
      this.restarts += 1;
    }
  }

  /** One consumer, booted; the error that stopped it, or `null` when it runs. */
  private async attempt(): Promise<Error | null> {
    const consumer = this.options.create();
    this.current = consumer;
    let booting = true;
    let failure: Error | null = null;
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      const error = payload.error instanceof Error ? payload.error : new Error(String(payload.error));
      if (booting) failure ??= error;
      else this.crashed(consumer, error);
    });
    this.watchForStalls(consumer);
    const stalled = new Promise<Error>((resolve) => (this.bootStalled = resolve));
    const booted = this.options.boot(consumer).then(
      () => null,
      (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
    );
    // A boot that hangs is abandoned: the consumer is disposed below and its late events are ignored.
    const error = await Promise.race([booted, stalled]);
    this.bootStalled = null;
    failure ??= error;
    booting = false;
    if (failure === null && !this.stopped() && !this.isDead()) return null;
    if (this.current === consumer) this.current = null;
    await dispose(consumer);
    return failure ?? new Error('stopped');
  }

  /** A method, not a property read: `stop()` may run while this awaits, which narrowing cannot see. */
  private stopped(): boolean {
    return this.state === 'stopped';
  }

  private isDead(): boolean {
    return this.state === 'dead';
  }

  private goneDown(): void {
    this.downSince = Date.now();
    this.clearWatchdog();
    this.watchdog = setTimeout(() => this.declareDead(), this.options.maxDownMs);
    this.watchdog.unref();
  }

  private clearWatchdog(): void {
    if (this.watchdog) clearTimeout(this.watchdog);
    this.watchdog = null;
  }

  /** Down past the bound: report once, stop trying, and let go of whatever attempt is in flight. */
  private declareDead(): void {
    if (this.state === 'dead' || this.state === 'stopped' || this.state === 'running') return;
    const downMs = Date.now() - (this.downSince ?? Date.now());
    const cause = this.lastError?.message ?? 'no attempt finished';
    this.state = 'dead';
    this.clearWatchdog();
    if (this.stallCheck) clearInterval(this.stallCheck);
    this.stallCheck = null;
    this.deadError = new Error(`${this.options.name}: consumer down for ${downMs} ms (limit ${this.options.maxDownMs} ms): ${cause}`);
    this.options.logger.fatal({ err: this.lastError, consumer: this.options.name, downMs }, 'consumer could not recover; giving up');
    this.options.onDead(this.deadError);
    this.wake?.();
    const consumer = this.current;
    this.current = null;
    if (consumer) void dispose(consumer);
  }

  private watchForStalls(consumer: Consumer): void {
    const stallMs = this.options.stallMs ?? DEFAULT_STALL_MS;
    this.lastSignOfLife = Date.now();
    for (const event of SIGNS_OF_LIFE) {
      consumer.on(consumer.events[event], () => {
        if (consumer === this.current) this.lastSignOfLife = Date.now();
      });
    }
    this.stallCheck ??= setInterval(() => {
      const current = this.current;
      const quietMs = Date.now() - this.lastSignOfLife;
      if (!current || quietMs < stallMs) return;
      const error = new Error(`no fetch, batch, heartbeat or join for ${quietMs} ms`);
      this.lastSignOfLife = Date.now();
      if (this.bootStalled) this.bootStalled(error);
      else this.crashed(current, error);
    }, Math.max(100, Math.floor(stallMs / 3)));
    this.stallCheck.unref();
  }

  private crashed(consumer: Consumer, error: Error): void {
    if (consumer !== this.current || this.state !== 'running') return;
    this.state = 'restarting';
    this.current = null;
    this.goneDown();
    this.restarts += 1;
    this.options.logger.error({ err: error, consumer: this.options.name }, 'consumer crashed; restarting');
    void dispose(consumer)
      .then(() => this.bootUntilRunning())
      .catch(() => undefined); // dead: already reported through onDead
  }
}

/** Disconnects a failed consumer, never waiting long (its broker may be gone). */
async function dispose(consumer: Consumer): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([consumer.disconnect().catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, DISPOSE_TIMEOUT_MS)))]);
  clearTimeout(timer);
}
