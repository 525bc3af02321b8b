import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { type Ledger, sleep } from '@harmony/testing';

/**
 * A receiver on loopback that verifies every request the Standard Webhooks way
 * (the `standardwebhooks` package, the webhook's own secret) and keeps, per
 * webhook path, how often each `webhook-id` was answered 2xx. One event in ten
 * is answered 503 on its first request, so retries (and the retry-scheduler)
 * are part of every stream.
 */
export class LedgerReceiver {
  url = '';
  /** Requests that failed verification or did not match the webhook they came to, with why. */
  readonly invalid: string[] = [];
  /** When each 2xx answer was given (ms since epoch), in order. */
  readonly deliveryTimes: number[] = [];
  private readonly server: Server;
  private readonly verifiers = new Map<string, Webhook>();
  private readonly delivered = new Map<string, Map<string, number>>();
  private readonly refusedOnce = new Set<string>();

  constructor() {
    this.server = createServer((request, response) => this.receive(request, response));
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  /** Requests to `path` are verified with `secret` (the `whsec_` secret the API answered). */
  expect(path: string, secret: string): void {
    this.verifiers.set(path, new Webhook(secret));
    this.delivered.set(path, new Map());
  }

  /** Event ids answered 2xx at `path`. */
  deliveredIds(path: string): Set<string> {
    return new Set(this.delivered.get(path)?.keys());
  }

  /** Distinct (webhook, event) pairs answered 2xx so far. */
  deliveredCount(): number {
    let count = 0;
    for (const ids of this.delivered.values()) count += ids.size;
    return count;
  }

  /**
   * The ledger of `ids` (published events) at every expected webhook: each
   * (webhook, event) pair answered 2xx at least once, or lost.
   */
  ledger(ids: readonly string[], seconds: number): Ledger {
    let delivered = 0;
    let duplicates = 0;
    for (const counts of this.delivered.values()) {
      for (const id of new Set(ids)) {
        const count = counts.get(id) ?? 0;
        if (count > 0) delivered += 1;
        duplicates += Math.max(0, count - 1);
      }
    }
    const expected = new Set(ids).size * this.delivered.size;
    return { published: expected, delivered, duplicates, lost: expected - delivered, seconds };
  }

  /**
   * What must never happen, whatever crashed: a request that fails
   * verification, and a delivery of an event that was never published (so a
   * duplicate always carries the webhook-id of its event).
   */
  violations(published: readonly string[]): string[] {
    const ids = new Set(published);
    const unexpected: string[] = [];
    for (const [path, counts] of this.delivered) {
      for (const id of counts.keys()) if (!ids.has(id)) unexpected.push(`${path}: delivered ${id}, which was never published`);
    }
    return [...this.invalid, ...unexpected];
  }

  /** Resolves once every (webhook, event) pair of `ids` was answered 2xx, or when `timeoutMs` is up (the ledger then shows what is lost). */
  async allDelivered(ids: readonly string[], timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && this.ledger(ids, 0).lost > 0) await sleep(200);
  }

  private receive(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '';
      const body = Buffer.concat(chunks).toString('utf8');
      const verifier = this.verifiers.get(path);
      const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)]));
      const id = headers['webhook-id'] ?? '';
      if (!verifier) {
        this.invalid.push(`${path}: no webhook expects requests here`);
        response.writeHead(404).end();
        return;
      }
      let payload: { id?: string };
      try {
        payload = verifier.verify(body, headers) as { id?: string };
      } catch (error) {
        this.invalid.push(`${path} ${id}: ${(error as Error).message}`);
        response.writeHead(401).end();
        return;
      }
      if (payload.id !== id) {
        this.invalid.push(`${path}: webhook-id ${id} but body id ${String(payload.id)}`);
        response.writeHead(400).end();
        return;
      }
      const key = `${path} ${id}`;
      if (refusesFirst(id) && !this.refusedOnce.has(key)) {
        this.refusedOnce.add(key);
        response.writeHead(503).end('try again');
        return;
      }
      const counts = this.delivered.get(path)!;
      counts.set(id, (counts.get(id) ?? 0) + 1);
      this.deliveryTimes.push(Date.now());
      response.writeHead(204).end();
    });
  }
}

/** One event in ten, chosen by its id (the same on every retry). */
function refusesFirst(eventId: string): boolean {
  return createHash('sha256').update(eventId).digest()[0] % 10 === 0;
}
