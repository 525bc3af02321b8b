import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  receivedAt: number;
}

/** A webhook endpoint on 127.0.0.1 that answers 200 (or `status`) and keeps what it got. */
export class WebhookReceiver {
  readonly requests: ReceivedRequest[] = [];
  /** What it answers from now on. */
  status = 200;
  /** What it answers on a path starting with the key, instead of `status`. */
  readonly statusByPath = new Map<string, number>();
  private readonly server: Server;

  private constructor(server: Server) {
    this.server = server;
  }

  static async start(): Promise<WebhookReceiver> {
    const server = createServer();
    const receiver = new WebhookReceiver(server);
    server.on('request', (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        receiver.requests.push({ path: request.url ?? '/', headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), receivedAt: Date.now() });
        const path = request.url ?? '/';
        const status = [...receiver.statusByPath].find(([prefix]) => path.startsWith(prefix))?.[1] ?? receiver.status;
        response.writeHead(status, { 'content-type': 'application/json' }).end(status < 300 ? '{"received":true}' : '{"error":"gone"}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The requests carrying this event id (webhook-id). */
  withEventId(eventId: string): ReceivedRequest[] {
    return this.requests.filter((request) => request.headers['webhook-id'] === eventId);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
