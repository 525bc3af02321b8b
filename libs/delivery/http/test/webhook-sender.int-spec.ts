import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { generateSigningSecret } from '@harmony/webhooks/domain';
import { type HostResolver, type SendRequest, WebhookSender, type WebhookSenderOptions } from '../src';
import { freePort, type Receiver, startReceiver } from './receiver';

const LOOPBACK = ['127.0.0.0/8'];
const body = JSON.stringify({ id: 'evt_01JDELIVERY', type: 'contact.created', timestamp: '2026-11-27T09:00:00.000Z', workspace_id: 'ws_1', data: { n: 1 } });

describe('WebhookSender against real receivers on loopback', () => {
  const receivers: Receiver[] = [];
  const senders: WebhookSender[] = [];
  const secret = generateSigningSecret();

  async function receiver(...args: Parameters<typeof startReceiver>): Promise<Receiver> {
    const started = await startReceiver(...args);
    receivers.push(started);
    return started;
  }

  function sender(options: Partial<WebhookSenderOptions> = {}): WebhookSender {
    const created = new WebhookSender({ allowPrivateCidrs: LOOPBACK, allowHttp: true, timeoutMs: 2_000, ...options });
    senders.push(created);
    return created;
  }

  const request = (url: string, overrides: Partial<SendRequest> = {}): SendRequest => ({
    url,
    eventId: 'evt_01JDELIVERY',
    body,
    secrets: [secret],
    ...overrides,
  });

  afterEach(async () => {
    await Promise.all(senders.splice(0).map((s) => s.close()));
    await Promise.all(receivers.splice(0).map((r) => r.close()));
  });

  it('delivers a request that the standardwebhooks library verifies, with every valid secret', async () => {
    const target = await receiver((_, res) => {
      res.setHeader('x-receiver', 'yes');
      res.end('{"received":true}');
    });
    const previous = generateSigningSecret();
    const result = await sender().send(
      request(`${target.origin}/hooks/abc?x=1`, {
        secrets: [secret, previous],
        headers: {
          'X-Custom': 'kept',
          Authorization: 'Bearer s3cr3t',
          'webhook-id': 'forged',
          'Webhook-Signature': 'v1,forged',
          'content-type': 'text/plain',
          'user-agent': 'curl/8',
          'x-bad': 'line\r\nbreak',
        },
      }),
    );

    expect(result).toMatchObject({
      outcome: 'success',
      status: 200,
      statusClass: '2xx',
      responseBody: '{"received":true}',
      responseBodyTruncated: false,
      error: null,
      retryAfterMs: null,
      failure: null,
    });
    expect(result.responseHeaders['x-receiver']).toBe('yes');
    expect(result.durationMs).toBeGreaterThan(0);

    expect(target.requests).toHaveLength(1);
    const [received] = target.requests;
    expect(received!.method).toBe('POST');
    expect(received!.url).toBe('/hooks/abc?x=1');
    expect(received!.body).toBe(body);
    expect(received!.headers).toMatchObject({
      'webhook-id': 'evt_01JDELIVERY',
      'content-type': 'application/json',
      'user-agent': 'Harmony-Webhooks/0.1.0',
      'x-custom': 'kept',
      authorization: 'Bearer s3cr3t',
    });
    expect(received!.headers['x-bad']).toBeUndefined();
    const timestamp = Number(received!.headers['webhook-timestamp']);
    expect(Math.abs(timestamp - Date.now() / 1000)).toBeLessThan(5);

    const headers = received!.headers as Record<string, string>;
    expect(new Webhook(secret).verify(received!.body, headers)).toEqual(JSON.parse(body));
    expect(new Webhook(previous).verify(received!.body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(generateSigningSecret()).verify(received!.body, headers)).toThrow();

    // The log gets what was sent, minus credentials, and never the signing secrets.
    expect(result.requestHeaders['webhook-signature']).toBe(headers['webhook-signature']);
    expect(result.requestHeaders.authorization).toBe('[redacted]');
    expect(JSON.stringify(result.requestHeaders)).not.toContain(secret.slice(6));
  });

  it('signs the timestamp it is given and keeps webhook-id across retries', async () => {
    const target = await receiver();
    const send = sender();
    const now = Math.floor(Date.now() / 1000);
    await send.send(request(`${target.origin}/`, { timestamp: now - 60 }));
    await send.send(request(`${target.origin}/`, { timestamp: now }));
    expect(target.requests.map((r) => r.headers['webhook-id'])).toEqual(['evt_01JDELIVERY', 'evt_01JDELIVERY']);
    expect(target.requests.map((r) => Number(r.headers['webhook-timestamp']))).toEqual([now - 60, now]);
    for (const received of target.requests) {
      expect(() => new Webhook(secret).verify(received.body, received.headers as Record<string, string>)).not.toThrow();
    }
  });

  it('does not follow a redirect', async () => {
    const target = await receiver((req, res) => {
      res.writeHead(req.url === '/moved' ? 200 : 307, { location: '/moved' }).end();
    });
    const result = await sender().send(request(`${target.origin}/start`));
    expect(result).toMatchObject({ outcome: 'failure', status: 307, statusClass: '3xx', error: { code: 'http_status' } });
    expect(result.failure?.retryable).toBe(true);
    expect(target.requests.map((r) => r.url)).toEqual(['/start']);
  });

  it('reports 410 Gone as a failure that disables the endpoint', async () => {
    const target = await receiver((_, res) => res.writeHead(410).end('gone'));
    const result = await sender().send(request(`${target.origin}/`));
    expect(result).toMatchObject({ outcome: 'failure', status: 410, statusClass: '4xx', responseBody: 'gone' });
    expect(result.failure).toMatchObject({ retryable: false, disablesEndpoint: true });
  });

  it('reads Retry-After on 429 (seconds) and 503 (HTTP date), not on 500', async () => {
    const inTwoMinutes = new Date(Math.ceil(Date.now() / 1000) * 1000 + 120_000).toUTCString();
    const target = await receiver((req, res) => {
      if (req.url === '/limited') res.writeHead(429, { 'retry-after': '30' }).end();
      else if (req.url === '/down') res.writeHead(503, { 'retry-after': inTwoMinutes }).end();
      else res.writeHead(500, { 'retry-after': '30' }).end();
    });
    const send = sender();
    const limited = await send.send(request(`${target.origin}/limited`));
    const down = await send.send(request(`${target.origin}/down`));
    const broken = await send.send(request(`${target.origin}/broken`));
    expect(limited).toMatchObject({ outcome: 'failure', status: 429, statusClass: '4xx', retryAfterMs: 30_000 });
    expect(down.retryAfterMs).toBeGreaterThan(115_000);
    expect(down.retryAfterMs).toBeLessThanOrEqual(121_000);
    expect(broken).toMatchObject({ status: 500, statusClass: '5xx', retryAfterMs: null });
  });

  it('times out a receiver that never answers, and one that stalls mid-body', async () => {
    const target = await receiver((req, res) => {
      if (req.url === '/stall') {
        res.writeHead(200, { 'content-length': '100' });
        res.write('partial');
      }
      // '/hang': never answer.
    });
    const send = sender({ timeoutMs: 300 });
    for (const path of ['/hang', '/stall']) {
      const started = Date.now();
      const result = await send.send(request(`${target.origin}${path}`));
      expect(result).toMatchObject({ outcome: 'failure', status: null, statusClass: 'timeout', error: { code: 'timeout' } });
      expect(result.failure?.retryable).toBe(true);
      expect(Date.now() - started).toBeGreaterThanOrEqual(280);
      expect(Date.now() - started).toBeLessThan(2_000);
    }
  });

  it('reports a refused connection as a retryable network failure', async () => {
    const port = await freePort();
    const result = await sender().send(request(`http://127.0.0.1:${port}/`));
    expect(result).toMatchObject({ outcome: 'failure', status: null, statusClass: 'network', error: { code: 'connection_refused' } });
    expect(result.failure?.retryable).toBe(true);
  });

  it('refuses a loopback target unless it is allowed, without connecting', async () => {
    const target = await receiver();
    const result = await sender({ allowPrivateCidrs: [] }).send(request(`https://127.0.0.1:${target.port}/`));
    expect(result).toMatchObject({
      outcome: 'failure',
      status: null,
      statusClass: 'refused',
      error: { code: 'ssrf_blocked', message: 'address 127.0.0.1 is loopback' },
    });
    // Refused as written, retried all the same: the webhook's URL or the policy may be fixed meanwhile.
    expect(result.failure?.retryable).toBe(true);
    expect(target.connections).toBe(0);
  });

  it('sends plain http only to allowed ranges: a name resolving to a public address is refused at connect', async () => {
    const target = await receiver();
    const literal = await sender().send(request('http://93.184.216.34/hook'));
    expect(literal.error).toEqual({ code: 'invalid_url', message: 'URL must use https (plain http only to 127.0.0.0/8, allowed for local development)' });
    let answer = '127.0.0.1';
    const resolve: HostResolver = async () => [{ address: answer, family: 4 }];
    const send = sender({ resolve });
    expect((await send.send(request(`http://receiver.harmony.test:${target.port}/`))).outcome).toBe('success');
    answer = '93.184.216.34';
    const rebound = await send.send(request(`http://elsewhere.harmony.test:${target.port}/`));
    expect(rebound.error?.message).toMatch(/^elsewhere.harmony.test resolved to a refused address: address 93.184.216.34 is public: plain http is only for/);
    expect(target.connections).toBe(1);
  });

  it('refuses a host name that resolves to a private address, without connecting', async () => {
    const target = await receiver();
    const resolve: HostResolver = async () => [{ address: '127.0.0.1', family: 4 }];
    const result = await sender({ allowPrivateCidrs: [], resolve }).send(request(`https://loopback.harmony.test:${target.port}/`));
    expect(result).toMatchObject({ outcome: 'failure', statusClass: 'refused', error: { code: 'ssrf_blocked' } });
    expect(result.error!.message).toBe('loopback.harmony.test resolved to a refused address: address 127.0.0.1 is loopback');
    // Found through DNS: the owner may fix the record, so it is retried.
    expect(result.failure?.retryable).toBe(true);
    expect(target.connections).toBe(0);

    // localhost means loopback whatever DNS says: refused by name, before any lookup.
    const named = await sender({ allowPrivateCidrs: [] }).send(request(`https://LocalHost.:${target.port}/`));
    expect(named.error).toEqual({ code: 'ssrf_blocked', message: 'host name localhost. always means 127.0.0.1: address 127.0.0.1 is loopback' });
    expect(target.connections).toBe(0);

    const allowed = await sender({ allowPrivateCidrs: LOOPBACK }).send(request(`http://localhost:${target.port}/`));
    expect(allowed.outcome).toBe('success');
  });

  it('refuses http when only https is allowed', async () => {
    const target = await receiver();
    const result = await sender({ allowHttp: false }).send(request(`${target.origin}/`));
    expect(result).toMatchObject({ statusClass: 'refused', error: { code: 'invalid_url', message: 'URL must use https' } });
    expect(target.connections).toBe(0);
  });

  it('connects to the address it checked, keeping the host name in Host', async () => {
    const target = await receiver();
    const lookups: string[] = [];
    const resolve: HostResolver = async (hostname) => {
      lookups.push(hostname);
      return hostname === 'hooks.harmony.test' ? [{ address: '127.0.0.1', family: 4 }] : [];
    };
    const result = await sender({ resolve }).send(request(`http://hooks.harmony.test:${target.port}/pinned`));
    expect(result.outcome).toBe('success');
    expect(lookups).toEqual(['hooks.harmony.test']);
    expect(target.requests[0]).toMatchObject({ url: '/pinned', remoteAddress: '127.0.0.1', localAddress: '127.0.0.1' });
    expect(target.requests[0]!.headers.host).toBe(`hooks.harmony.test:${target.port}`);
  });

  it('checks again on every new connection: a rebinding DNS answer is refused', async () => {
    // Closing each connection forces a new lookup for the next request.
    const target = await receiver((_, res) => res.writeHead(200, { connection: 'close' }).end());
    const answers = [[{ address: '127.0.0.1', family: 4 as const }], [{ address: '169.254.169.254', family: 4 as const }]];
    const resolve: HostResolver = async () => answers.shift() ?? [];
    const send = sender({ resolve, allowPrivateCidrs: ['127.0.0.0/8', '169.254.0.0/16'] });
    const first = await send.send(request(`http://rebind.harmony.test:${target.port}/`));
    const second = await send.send(request(`http://rebind.harmony.test:${target.port}/`));
    expect(first.outcome).toBe('success');
    expect(second).toMatchObject({ statusClass: 'refused', error: { code: 'ssrf_blocked' } });
    expect(second.error!.message).toContain('169.254.169.254 is a cloud metadata endpoint');
    expect(target.requests).toHaveLength(1);
  });

  it('refuses a name if any of its addresses is refused', async () => {
    const target = await receiver();
    const resolve: HostResolver = async () => [
      { address: '127.0.0.1', family: 4 },
      { address: '10.0.0.7', family: 4 },
    ];
    const result = await sender({ resolve }).send(request(`http://mixed.harmony.test:${target.port}/`));
    expect(result).toMatchObject({ statusClass: 'refused', error: { code: 'ssrf_blocked' } });
    expect(result.error!.message).toContain('10.0.0.7 is private');
    expect(target.connections).toBe(0);
  });

  it('reports a name that does not resolve as a DNS failure', async () => {
    const resolve: HostResolver = async (hostname) => {
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    };
    const result = await sender({ resolve }).send(request('http://nowhere.harmony.test/'));
    expect(result).toMatchObject({ statusClass: 'network', error: { code: 'dns_failure' } });
    expect(result.failure?.retryable).toBe(true);
  });

  it('keeps the first 16 KiB of a large response, without splitting a character', async () => {
    const big = 'é'.repeat(50_000); // 2 bytes each: the 16 KiB boundary falls mid-stream
    const target = await receiver((_, res) => res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end(`x${big}`));
    const result = await sender().send(request(`${target.origin}/`));
    expect(result).toMatchObject({ status: 500, responseBodyTruncated: true });
    expect(Buffer.byteLength(result.responseBody!)).toBe(16_383);
    expect(result.responseBody!.startsWith('xéé')).toBe(true);
    expect(result.responseBody).not.toContain('\ufffd');

    const exact = await startReceiver((_, res) => res.end('a'.repeat(16_384)));
    receivers.push(exact);
    const atLimit = await sender().send(request(`${exact.origin}/`));
    expect(atLimit).toMatchObject({ responseBodyTruncated: false });
    expect(atLimit.responseBody).toHaveLength(16_384);
  });

  it('bounds connections per origin and reuses them', async () => {
    let open = 0;
    let peak = 0;
    const target = await receiver((_, res) => {
      open += 1;
      peak = Math.max(peak, open);
      setTimeout(() => {
        open -= 1;
        res.end('ok');
      }, 20);
    });
    const send = sender({ connectionsPerOrigin: 2 });
    const results = await Promise.all(Array.from({ length: 10 }, () => send.send(request(`${target.origin}/`))));
    expect(results.every((result) => result.outcome === 'success')).toBe(true);
    expect(peak).toBe(2);
    expect(target.connections).toBe(2);
  });

  it('closes idle connections and drops the idle origin pool', async () => {
    const target = await receiver();
    const send = sender({ keepAliveTimeoutMs: 100 });
    await send.send(request(`${target.origin}/`));
    expect(send.openOrigins).toEqual([target.origin]);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(send.openOrigins).toEqual([]);
    // And a later request opens a fresh pool.
    expect((await send.send(request(`${target.origin}/`))).outcome).toBe('success');
    expect(target.connections).toBe(2);
  });

  it('reaches an allowed IPv6 literal', async () => {
    const target = await receiver(undefined, '::1');
    const refused = await sender().send(request(`${target.origin}/`));
    expect(refused).toMatchObject({ statusClass: 'refused', error: { message: 'address ::1 is loopback' } });
    const allowed = await sender({ allowPrivateCidrs: ['::1/128'] }).send(request(`${target.origin}/`));
    expect(allowed.outcome).toBe('success');
    expect(target.requests[0]!.remoteAddress).toBe('::1');
  });

  it('keeps SNI = host name while connecting to the pinned address, and reports a bad certificate as a TLS error', async () => {
    const credentials = selfSignedCertificate('secure.harmony.test');
    const serverNames: string[] = [];
    const server = tls.createServer({
      ...credentials,
      SNICallback: (servername, callback) => {
        serverNames.push(servername);
        callback(null, tls.createSecureContext(credentials));
      },
    });
    server.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const resolve: HostResolver = async () => [{ address: '127.0.0.1', family: 4 }];
      const result = await sender({ resolve }).send(request(`https://secure.harmony.test:${port}/`));
      expect(serverNames).toEqual(['secure.harmony.test']);
      // Self-signed: the certificate is verified against the host name, and refused.
      expect(result).toMatchObject({ outcome: 'failure', status: null, statusClass: 'network', error: { code: 'tls_error' } });
      expect(result.error!.message).toContain('DEPTH_ZERO_SELF_SIGNED_CERT');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

/** A throwaway self-signed certificate for `hostname` (openssl, as on any CI image). */
function selfSignedCertificate(hostname: string): { key: string; cert: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'harmony-tls-'));
  try {
    const key = path.join(dir, 'key.pem');
    const cert = path.join(dir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', `/CN=${hostname}`, '-addext', `subjectAltName=DNS:${hostname}`, '-keyout', key, '-out', cert], { stdio: 'ignore' });
    return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
