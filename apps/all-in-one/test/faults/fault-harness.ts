import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CONTACT_CREATED, newId } from '@harmony/contracts';
import { type BrokerProcess, LOOPBACK_RECEIVERS_ENV, type SpawnedService, spawnService, startEmbeddedBrokerProcess } from '@harmony/testing';

/**
 * What the fault suites share beyond libs/testing (the broker process, waits
 * and the ledger line, shared with the crash suites): the all-in-one app as
 * its own process, a receiver on loopback, and the tally of what arrived.
 */

/** The embedded broker as its own process, three partitions a topic, killable and restartable on the same port and data. */
export function startBrokerProcess(dataDir: string): Promise<BrokerProcess> {
  return startEmbeddedBrokerProcess(dataDir, { partitions: 3 });
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

/** Delivered distinct ids, and extra copies of them, among `published`. */
export function tally(published: readonly string[], received: readonly { webhookId: string }[]): { delivered: number; duplicates: number; lost: number } {
  const wanted = new Set(published);
  const counts = new Map<string, number>();
  for (const { webhookId } of received) if (wanted.has(webhookId)) counts.set(webhookId, (counts.get(webhookId) ?? 0) + 1);
  const delivered = counts.size;
  const duplicates = [...counts.values()].reduce((sum, count) => sum + count - 1, 0);
  return { delivered, duplicates, lost: wanted.size - delivered };
}
