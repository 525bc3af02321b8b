import { fork, spawn } from 'node:child_process';
import * as path from 'node:path';

export interface Arrival {
  /** Receiver arrival time (ms, on the clock shared by the bench's processes). */
  at: number;
  /** Arrival minus the producer's send time. */
  latency: number;
}

export interface Receiver {
  origin: string;
  /** Same (event, webhook) arriving again: at-least-once, counted, not timed. */
  readonly duplicates: number;
  expect(eventId: string, sentAt: number): void;
  seenWebhook(index: number): boolean;
  countArrived(expected: Map<string, number[]>): number;
  /** Resolves with the first arrival of every expected (event, webhook) once all arrived or at the timeout (those that did). */
  waitFor(expected: Map<string, number[]>, timeoutMs: number): Promise<Arrival[]>;
  close(): Promise<void>;
}

/** The receiver (./receiver.js) in its own process, so it never shares an event loop with the bench or the app. */
export async function startReceiver(): Promise<Receiver> {
  const child = fork(path.join(__dirname, 'receiver.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] });
  const arrivals = new Map<string, Map<number, number>>();
  const sentAt = new Map<string, number>();
  const seen = new Set<number>();
  let duplicates = 0;
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`receiver exited (${code})`)));
    child.on('message', (message: { port?: number; arrivals?: [number, string, number][] }) => {
      if (message.port) resolve(message.port);
      for (const [index, eventId, at] of message.arrivals ?? []) {
        seen.add(index);
        let byWebhook = arrivals.get(eventId);
        if (!byWebhook) arrivals.set(eventId, (byWebhook = new Map()));
        if (byWebhook.has(index)) duplicates++;
        else byWebhook.set(index, at);
      }
    });
  });
  const countArrived = (expected: Map<string, number[]>): number => {
    let count = 0;
    for (const [eventId, webhooks] of expected) {
      const byWebhook = arrivals.get(eventId);
      if (byWebhook) for (const index of webhooks) if (byWebhook.has(index)) count++;
    }
    return count;
  };
  return {
    origin: `http://127.0.0.1:${port}`,
    get duplicates() {
      return duplicates;
    },
    expect: (eventId, at) => void sentAt.set(eventId, at),
    seenWebhook: (index) => seen.has(index),
    countArrived,
    async waitFor(expected, timeoutMs) {
      const total = [...expected.values()].reduce((sum, list) => sum + list.length, 0);
      const deadline = Date.now() + timeoutMs;
      while (countArrived(expected) < total && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      const result: Arrival[] = [];
      for (const [eventId, webhooks] of expected) {
        const byWebhook = arrivals.get(eventId);
        const sent = sentAt.get(eventId) ?? Number.NaN;
        for (const index of webhooks) {
          const at = byWebhook?.get(index);
          if (at !== undefined) result.push({ at, latency: at - sent });
        }
      }
      return result;
    },
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill();
      await exited;
    },
  };
}

/** Raw undici → receiver from a separate process (./ceiling.js): requests/s. */
export function startCeiling(origin: string, connections: number, inFlight: number, seconds: number): Promise<number> {
  const child = spawn(process.execPath, [path.join(__dirname, 'ceiling.js'), origin, String(connections), String(inFlight), String(seconds)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`ceiling run exited ${code}`));
      resolve((JSON.parse(output) as { requestsPerSecond: number }).requestsPerSecond);
    });
  });
}
