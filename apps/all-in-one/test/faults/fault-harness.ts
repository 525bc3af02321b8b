import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import * as path from 'node:path';
import { CONTACT_CREATED, newId } from '@harmony/contracts';
import { LOOPBACK_RECEIVERS_ENV, type SpawnedService, spawnService } from '@harmony/testing';

const ROOT = path.resolve(__dirname, '../../../..');

/**
 * Shared parts of the fault suites: a broker process that can be killed and
 * restarted on the same port and data, the all-in-one app as its own process,
 * a receiver on loopback, and the ledger line each suite prints.
 */

export interface BrokerProcess {
  address: string;
  port: number;
  /** kill -9, as a crash would. */
  kill(): Promise<void>;
  /** Starts it again on the same port and data directory. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The embedded broker as a separate process (`npm run broker`) on a fixed free port. */
export async function startBrokerProcess(dataDir: string): Promise<BrokerProcess> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const launch = async (): Promise<void> => {
    for (let tries = 0; ; tries++) {
      const started = spawn(
        process.execPath,
        ['scripts/run-ts.js', 'libs/kafka-embedded/src/cli.ts', '--port', String(port), '--data-dir', dataDir, '--partitions', '3', '--initial-rebalance-delay-ms', '0', '--log-level', 'error'],
        { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const listening = await new Promise<boolean>((resolve) => {
        let out = '';
        started.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
          out += chunk;
          if (out.includes('{"listening"')) resolve(true);
        });
        started.stderr!.resume();
        started.once('exit', () => resolve(false));
      });
      if (listening) {
        child = started;
        return;
      }
      // The port may still be held for a moment by the killed process.
      if (tries >= 20) throw new Error(`broker did not start on port ${port}`);
      await sleep(100);
    }
  };
  const kill = async (): Promise<void> => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  };
  await launch();
  return { address: `127.0.0.1:${port}`, port, kill, restart: launch, stop: kill };
}

export interface ReceivedRequest {
  path: string;
  webhookId: string;
  at: number;
}

export interface Receiver {
  url: string;
  received: ReceivedRequest[];
  close(): Promise<void>;
}

/** A webhook receiver on loopback; `answer` decides each response (default 200). */
export async function startReceiver(answer?: (request: IncomingMessage, response: ServerResponse, seq: number) => void): Promise<Receiver> {
  const received: ReceivedRequest[] = [];
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      received.push({ path: request.url ?? '', webhookId: String(request.headers['webhook-id']), at: Date.now() });
      if (answer) answer(request, response, received.length);
      else response.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface App {
  service: SpawnedService;
  apiKey: string;
  workspaceId: string;
  api<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
}

/** The all-in-one app on an external broker; the first run of a data directory logs its API key. */
export async function spawnApp(env: Record<string, string>, known?: { apiKey: string; workspaceId: string }): Promise<App> {
  // Receivers are on loopback: allowed explicitly (the platform allows no private range by default).
  const service = await spawnService('apps/all-in-one/src/main.ts', { LOG_LEVEL: 'info', ...LOOPBACK_RECEIVERS_ENV, ...env }, 120_000);
  let credentials = known;
  if (!credentials) {
    const key = service.output.map((line) => /"firstRunKey":"([^"]+)"/.exec(line)).find(Boolean);
    const workspace = service.output.map((line) => /"workspaceId":"(ws_[^"]+)"/.exec(line)).find(Boolean);
    if (!key || !workspace) throw new Error(`no first-run key in the output:\n${service.output.join('\n')}`);
    credentials = { apiKey: key[1], workspaceId: workspace[1] };
  }
  const { apiKey, workspaceId } = credentials;
  return {
    service,
    apiKey,
    workspaceId,
    api: async <T>(method: string, route: string, body?: unknown) => {
      const response = await fetch(`${service.url}${route}`, {
        method,
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
    },
  };
}

/** A valid contact.created event for the app's workspace. */
export function contactCreated(workspaceId: string): { id: string; type: string; workspaceId: string; occurredAt: string; data: unknown } {
  return { id: newId('event'), type: 'contact.created', workspaceId, occurredAt: new Date().toISOString(), data: CONTACT_CREATED.example };
}

export async function waitUntil(condition: () => boolean | Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await Promise.resolve().then(condition).catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface Ledger {
  suite: string;
  published: number;
  delivered: number;
  duplicates: number;
  lost: number;
  seconds: number;
  [extra: string]: string | number;
}

/** One line per suite, on stdout, in CI's log: `ledger suite=… published=… delivered=… duplicates=… lost=… seconds=…`. */
export function printLedger(ledger: Ledger): void {
  const fields = Object.entries(ledger).map(([name, value]) => `${name}=${typeof value === 'number' && !Number.isInteger(value) ? value.toFixed(1) : value}`);
  process.stdout.write(`ledger ${fields.join(' ')}\n`);
}

/** Delivered distinct ids, and extra copies of them, among `published`. */
export function tally(published: readonly string[], received: readonly { webhookId: string }[]): { delivered: number; duplicates: number; lost: number } {
  const wanted = new Set(published);
  const counts = new Map<string, number>();
  for (const { webhookId } of received) if (wanted.has(webhookId)) counts.set(webhookId, (counts.get(webhookId) ?? 0) + 1);
  const delivered = counts.size;
  const duplicates = [...counts.values()].reduce((sum, count) => sum + count - 1, 0);
  return { delivered, duplicates, lost: wanted.size - delivered };
}
