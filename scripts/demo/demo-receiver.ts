import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';

/** Every this-many-th request is answered 503 on purpose, so the log shows a failure and its retry. */
export const FAIL_EVERY = 7;

/**
 * What a customer's endpoint does: verify the Standard Webhooks signature
 * with the webhook's signing secret(s), then print the event. `secrets()` is
 * asked again when verification fails (the secret may have been rotated on
 * the page meanwhile).
 */
export async function startDemoReceiver(options: { port: number; secrets: () => Promise<string[]>; print: (line: string) => void }): Promise<{ url: string; server: Server }> {
  let secrets: string[] = [];
  let count = 0;
  const verify = (body: string, headers: Record<string, string>): boolean =>
    secrets.some((secret) => {
      try {
        new Webhook(secret).verify(body, headers);
        return true;
      } catch (error) {
        if (error instanceof WebhookVerificationError) return false;
        throw error;
      }
    });
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)]));
        let verified = verify(body, headers);
        if (!verified) {
          secrets = await options.secrets().catch(() => secrets);
          verified = verify(body, headers);
        }
        const event = parse(body);
        const label = `${String(event?.['type'] ?? '?').padEnd(40)} ${headers['webhook-id'] ?? ''}`;
        if (!verified) {
          options.print(`receiver ✗ signature INVALID ${label} → 401`);
          response.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid signature"}');
          return;
        }
        count++;
        if (count % FAIL_EVERY === 0) {
          options.print(`receiver ↻ verified ${label} → 503 on purpose (it is retried in about 5 s)`);
          response.writeHead(503, { 'content-type': 'application/json', 'retry-after': '5' }).end('{"error":"demo: try again"}');
          return;
        }
        options.print(`receiver ✓ verified ${label} → 200`);
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ received: headers['webhook-id'] }));
      })();
    });
  });
  const listen = (port: number): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  // A fixed port lets retries of an earlier run reach this one; any port when it is taken.
  await listen(options.port).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE' || options.port === 0) throw error;
    options.print(`receiver port ${options.port} is taken: using any free port`);
    return listen(0);
  });
  secrets = await options.secrets().catch(() => []);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

function parse(body: string): Record<string, unknown> | null {
  try {
    return JSON.parse(body) as Record<string, unknown>;
  } catch {
    return null;
  }
}
