import { type ResourceLimits, Worker } from 'node:worker_threads';
import type { Results } from '@electric-sql/pglite';

/** What the driver asks of PGlite: PGliteThread offers exactly this. */
export interface PgliteSession {
  query(sql: string, values?: unknown[]): Promise<Results>;
  exec(sql: string): Promise<Results[]>;
  /** `onPayload` gets each NOTIFY on `channel` once its transaction committed; the returned function stops listening. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface PgliteThreadOptions {
  /** PGlite's data directory, or 'memory://'. */
  dataDir: string;
}

/** Messages between the two threads (pglite.worker.ts answers). */
export type PgliteRequest =
  | { id: number; op: 'query'; sql: string; values: unknown[] | undefined }
  | { id: number; op: 'exec'; sql: string }
  | { id: number; op: 'listen'; channel: string; listener: number }
  | { id: number; op: 'unlisten'; listener: number }
  | { id: number; op: 'close' };
/** A request before it is numbered (each member of the union without its id). */
type Unnumbered<T> = T extends unknown ? Omit<T, 'id'> : never;
type PgliteCall = Unnumbered<PgliteRequest>;
export type PgliteReply = { id: number; value: unknown } | { id: number; error: { message: string; fields: Record<string, string | number | boolean> } };
export interface PgliteNotice {
  listener: number;
  payload: string;
}
type PgliteStarted = { ready: true; probe: Date } | { ready: false; message: string };

/** How long close() waits for the thread to end by itself before terminating it. */
const THREAD_EXIT_WAIT_MS = 5_000;

/** The worker's entry: its TypeScript source under scripts/run-ts.js and jest, its compiled .js in the build. */
const WORKER_ENTRY = require.resolve('./pglite.worker');

/**
 * The thread's young generation at 12 MB (4 MB semi-spaces) instead of V8's
 * default, which lets it grow to 16 MB semi-spaces: what the thread keeps
 * alive is small (PGlite's JS, rows in flight), but under load its young
 * generation had grown to ~30 of its ~50 MB of heap, and stayed committed
 * (decision 0104, session 6).
 */
export const PGLITE_THREAD_LIMITS = { maxYoungGenerationSizeMb: 12 } as const;

/**
 * PGlite on a thread of its own: its WebAssembly PostgreSQL works beside the
 * services instead of on the event loop that delivers webhooks. Calls cross as
 * messages and are answered in order, so the driver's session lock and
 * transactions work as they did on an in-process PGlite. An idle thread keeps
 * no process alive (as PGlite in-process did not); close() ends it.
 */
export class PGliteThread implements PgliteSession {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private readonly listeners = new Map<number, (payload: string) => void>();
  private stopped: Error | null = null;

  private constructor(
    private readonly worker: Worker,
    /** Makes a reply's values this realm's own (see start). */
    private readonly revive: (value: unknown) => unknown,
  ) {
    worker.on('message', (message: PgliteReply | PgliteNotice) => {
      if ('listener' in message) {
        this.listeners.get(message.listener)?.(message.payload);
        return;
      }
      const call = this.pending.get(message.id);
      if (!call) return;
      this.pending.delete(message.id);
      if (this.pending.size === 0) worker.unref();
      if ('error' in message) call.reject(Object.assign(new Error(message.error.message), message.error.fields));
      else call.resolve(this.revive(message.value));
    });
    worker.on('error', (error) => this.stop(error));
    worker.on('exit', (code) => this.stop(new Error(`PGlite's thread exited (${code})`)));
  }

  /** Starts the thread and opens PGlite there; rejects with PGlite's reason if it cannot. */
  static async start(options: PgliteThreadOptions): Promise<PGliteThread> {
    const worker = WORKER_ENTRY.endsWith('.ts')
      ? // From sources, the thread compiles TypeScript as its parent does (SWC).
        new Worker(`require(${JSON.stringify(require.resolve('@swc-node/register'))}); require(${JSON.stringify(WORKER_ENTRY)});`, { eval: true, workerData: options, resourceLimits: PGLITE_THREAD_LIMITS })
      : new Worker(WORKER_ENTRY, { workerData: options, resourceLimits: PGLITE_THREAD_LIMITS });
    const started = await new Promise<PgliteStarted>((resolve, reject) => {
      const exited = (code: number): void => reject(new Error(`PGlite's thread exited (${code}) while starting`));
      worker.once('message', (message: PgliteStarted) => {
        worker.off('error', reject).off('exit', exited);
        resolve(message);
      });
      worker.once('error', reject).once('exit', exited);
    });
    if (!started.ready) {
      await worker.terminate();
      throw new Error(started.message);
    }
    worker.unref();
    // A message's values are built in Node's main context. Code that runs in a vm context of its own (jest's) has
    // other Date, Array and Object constructors, and `instanceof Date` (TypeORM's too) would fail there: rebuild them.
    return new PGliteThread(worker, started.probe instanceof Date ? (value) => value : intoThisRealm);
  }

  /** The V8 limits the thread runs with (PGLITE_THREAD_LIMITS); empty once it ended. */
  get resourceLimits(): ResourceLimits {
    return this.worker.resourceLimits ?? {};
  }

  query(sql: string, values?: unknown[]): Promise<Results> {
    return this.call({ op: 'query', sql, values }) as Promise<Results>;
  }

  exec(sql: string): Promise<Results[]> {
    return this.call({ op: 'exec', sql }) as Promise<Results[]>;
  }

  async listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>> {
    const listener = this.nextId++;
    this.listeners.set(listener, onPayload);
    try {
      await this.call({ op: 'listen', channel, listener });
    } catch (error) {
      this.listeners.delete(listener);
      throw error;
    }
    return async () => {
      await this.call({ op: 'unlisten', listener });
      this.listeners.delete(listener);
    };
  }

  /**
   * Closes PGlite and lets its thread end by itself; `terminate()` only if it
   * has not within a few seconds (or the close failed). Terminating a thread
   * that had just run WebAssembly once ended a CI run's process by a signal.
   */
  async close(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    let timer: NodeJS.Timeout | undefined;
    try {
      await this.call({ op: 'close' });
      await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, THREAD_EXIT_WAIT_MS)))]);
    } finally {
      clearTimeout(timer);
      await this.worker.terminate();
    }
  }

  private call(request: PgliteCall): Promise<unknown> {
    if (this.stopped) return Promise.reject(this.stopped);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      // Throws (rejecting this call) if a value cannot be cloned; then nothing is pending.
      this.worker.postMessage({ ...request, id });
      // A request in flight keeps the process alive until it is answered.
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
    });
  }

  private stop(reason: Error): void {
    this.stopped ??= reason;
    for (const call of this.pending.values()) call.reject(reason);
    this.pending.clear();
  }
}

/** A copy of a cloned value made of this realm's objects (dates, bytes, arrays and plain objects, as rows hold). */
function intoThisRealm(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return Array.from(value, intoThisRealm);
  if (ArrayBuffer.isView(value)) return Uint8Array.from(value as Uint8Array);
  if (Object.prototype.toString.call(value) === '[object Date]') return new Date((value as Date).getTime());
  return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, intoThisRealm(entry)]));
}
