import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  remoteAddress: string;
  localAddress: string;
}

export interface Receiver {
  port: number;
  /** `http://127.0.0.1:<port>` (or the host given). */
  origin: string;
  requests: ReceivedRequest[];
  connections: number;
  close(): Promise<void>;
}

/** A real HTTP receiver on loopback, port 0; `handler` answers after the request body is read. */
export async function startReceiver(
  handler: (request: ReceivedRequest, response: http.ServerResponse) => void = (_, response) => response.end('ok'),
  host = '127.0.0.1',
): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const received: ReceivedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        remoteAddress: req.socket.remoteAddress ?? '',
        localAddress: req.socket.localAddress ?? '',
      };
      requests.push(received);
      handler(received, res);
    });
  });
  const receiver = { requests, connections: 0 } as Receiver;
  server.on('connection', () => {
    receiver.connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  receiver.port = port;
  receiver.origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}

/** A port nothing listens on (bound, then released). */
export async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
