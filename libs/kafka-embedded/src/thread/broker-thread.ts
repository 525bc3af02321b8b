import { type ResourceLimits, Worker } from 'node:worker_threads';
import type { BrokerOptions } from '../broker/broker';
import type { BrokerLogger, LogLevel } from '../broker/broker-logger';

/** What a broker thread is started with: BrokerOptions without the logger (functions do not cross threads). */
export interface BrokerThreadOptions extends Omit<BrokerOptions, 'logger'> {
  /** The lowest level worth posting to the parent (default info). */
  logLevel?: LogLevel;
}

/** Messages from broker.worker.ts. */
export type BrokerThreadMessage =
  | { kind: 'started'; host: string; port: number }
  | { kind: 'failed'; message: string }
  | { kind: 'log'; level: LogLevel; msg: string; fields?: Record<string, unknown> }
  | { kind: 'closed' };

/** The worker's entry: its TypeScript source under scripts/run-ts.js and jest, its compiled .js in the build. */
const WORKER_ENTRY = require.resolve('./broker.worker');

/**
 * The thread's young generation at 12 MB (4 MB semi-spaces) instead of V8's
 * default, which lets it grow to 16 MB semi-spaces: the broker keeps little
 * alive between requests (its log is on disk), but a burst grew its heap from
 * ~12 MB to ~45 MB, mostly young generation that stays committed (decision 0104,
 * session 6).
 */
export const BROKER_THREAD_LIMITS = { maxYoungGenerationSizeMb: 12 } as const;

/**
 * The embedded broker on a thread of its own, so its protocol, disk and CRC
 * work runs beside the services instead of on the event loop that delivers.
 * Clients reach it over loopback as before; its log lines reach `logger`.
 * `onCrash` hears of a thread that ended without being closed.
 */
export class BrokerThread {
  private closing: Promise<void> | null = null;

  private constructor(
    private readonly worker: Worker,
    readonly host: string,
    readonly port: number,
  ) {}

  /** "host:port", ready for kafkajs `brokers`. */
  get address(): string {
    return `${this.host}:${this.port}`;
  }

  static async start(options: BrokerThreadOptions, logger: BrokerLogger, onCrash: (error: Error) => void): Promise<BrokerThread> {
    const worker = WORKER_ENTRY.endsWith('.ts')
      ? // From sources, the thread compiles TypeScript as its parent does (SWC).
        new Worker(`require(${JSON.stringify(require.resolve('@swc-node/register'))}); require(${JSON.stringify(WORKER_ENTRY)});`, { eval: true, workerData: options, resourceLimits: BROKER_THREAD_LIMITS })
      : new Worker(WORKER_ENTRY, { workerData: options, resourceLimits: BROKER_THREAD_LIMITS });
    let thread: BrokerThread | null = null;
    const started = new Promise<BrokerThread>((resolve, reject) => {
      worker.on('message', (message: BrokerThreadMessage) => {
        if (message.kind === 'log') logger.log(message.level, message.msg, message.fields);
        else if (message.kind === 'started') resolve((thread = new BrokerThread(worker, message.host, message.port)));
        else if (message.kind === 'failed') reject(new Error(message.message));
      });
      worker.on('error', (error) => (thread ? onCrash(error) : reject(error)));
      worker.on('exit', (code) => {
        if (!thread) reject(new Error(`the broker's thread exited (${code}) while starting`));
        else if (!thread.closing) onCrash(new Error(`the broker's thread exited (${code})`));
      });
    });
    try {
      return await started;
    } catch (error) {
      await worker.terminate();
      throw error;
    }
  }

  /** The V8 limits the thread runs with (BROKER_THREAD_LIMITS); empty once it ended. */
  get resourceLimits(): ResourceLimits {
    return this.worker.resourceLimits ?? {};
  }

  /** Stops the broker (its segments and offsets closed) and ends the thread. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      this.worker.once('exit', () => resolve());
      this.worker.postMessage('close');
    });
    return this.closing;
  }
}
