/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are checked by the assertions, not typed here */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { CONTACT_CREATED, newId } from '@harmony/contracts';
import { LOOPBACK_RECEIVERS_ENV, type LoopbackCertificate, loopbackCertificate, type SpawnedService, spawnService, startTestBroker, type TestBroker, tempDir } from '@harmony/testing';

/**
 * The operator tightens the URL policy (WEBHOOK_ALLOW_HTTP=false) while a webhook
 * still points at plain http: the webhook is flagged on the API (urlProblem) and
 * its events wait — failed attempts on the retry schedule, not dropped — until
 * the owner fixes the URL, then they are delivered.
 */
describe('tightening the URL policy: flagged, and events wait for a fix (all-in-one)', () => {
  let broker: TestBroker;
  let dataDir: ReturnType<typeof tempDir>;
  let tls: LoopbackCertificate;
  let service: SpawnedService | undefined;
  let apiKey: string;
  let workspaceId: string;
  let plain: Server;
  let secure: Server;
  const received: { scheme: string; id: string }[] = [];

  const record = (scheme: string) => (request: IncomingMessage, response: ServerResponse) => {
    request.resume();
    request.on('end', () => {
      received.push({ scheme, id: String(request.headers['webhook-id']) });
      response.writeHead(204).end();
    });
  };

  async function api<T = any>(method: string, route: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(`${service!.url}${route}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (response.status === 204 ? null : await response.json()) as T };
  }

  async function waitFor<T>(check: () => Promise<T | undefined | false>, what: string, timeoutMs = 60_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await check();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  const boot = (env: Record<string, string>) =>
    spawnService(
      'apps/all-in-one/src/main.ts',
      {
        KAFKA_BROKERS: broker.address,
        DATA_DIR: dataDir.path,
        ...LOOPBACK_RECEIVERS_ENV,
        // Retries compressed: 5 min → 0.9 s, 30 min → 5.4 s, 2 h → 21.6 s.
        RETRY_DELAY_SCALE: '0.003',
        // The https receiver's self-signed certificate, trusted by this process only.
        NODE_EXTRA_CA_CERTS: tls.certPath,
        ...env,
      },
      90_000,
    );

  beforeAll(async () => {
    tls = loopbackCertificate();
    plain = createHttpServer(record('http'));
    secure = createHttpsServer({ key: tls.key, cert: tls.cert }, record('https'));
    await Promise.all([plain, secure].map((server) => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))));
    broker = await startTestBroker();
    dataDir = tempDir();
  }, 60_000);

  afterAll(async () => {
    await service?.stop();
    await broker?.close();
    await Promise.all([plain, secure].map((server) => new Promise((resolve) => server?.close(resolve))));
    dataDir?.remove();
    tls?.remove();
  }, 60_000);

  it('flags the http webhook, keeps its events failing on the retry schedule, and delivers them once the URL is fixed', async () => {
    // 1. Created while http to loopback is allowed.
    service = await boot({});
    const firstRun = service.output.filter((line) => line.includes('"firstRunKey"')).map((line) => JSON.parse(line) as { firstRunKey: string; workspaceId: string })[0];
    if (!firstRun) throw new Error(`no first-run key in the output:\n${service.output.join('\n')}`);
    ({ firstRunKey: apiKey, workspaceId } = firstRun);
    const plainUrl = `http://127.0.0.1:${(plain.address() as AddressInfo).port}/hook`;
    const created = await api('POST', '/v1/webhooks', { name: 'Plain http', url: plainUrl, events: ['contact.created'] });
    expect(created.status).toBe(201);
    expect(created.body.urlProblem).toBeNull();
    const id: string = created.body.id;
    await service.stop();

    // 2. The operator forbids plain http.
    service = await boot({ WEBHOOK_ALLOW_HTTP: 'false' });
    const flagged = await api('GET', `/v1/webhooks/${id}`);
    expect(flagged.body).toMatchObject({ enabled: true, urlProblem: 'URL must use https' });
    const listed = await api('GET', '/v1/webhooks');
    expect(listed.body.data.find((webhook: { id: string }) => webhook.id === id)).toMatchObject({ urlProblem: 'URL must use https' });

    const eventId = newId('event');
    const published = await waitFor(async () => {
      const answer = await api('POST', '/v1/events', { id: eventId, type: 'contact.created', workspaceId, occurredAt: new Date().toISOString(), data: CONTACT_CREATED.example });
      return answer.status === 202 && answer;
    }, 'the event to be accepted');
    expect(published.body.accepted).toEqual([eventId]);

    // Its attempts fail with the reason and a next attempt: the event waits, nothing is dropped.
    const failures = await waitFor(async () => {
      const log = await api('GET', `/v1/webhooks/${id}/deliveries`);
      // Settled rows only: the worker logs a 'sending' row before each attempt and replaces it with the outcome.
      const rows = log.body.data.filter((row: { eventId: string; outcome: string }) => row.eventId === eventId && row.outcome !== 'sending');
      return rows.length >= 2 && rows;
    }, 'two failed attempts in the delivery log');
    for (const row of failures) {
      expect(row).toMatchObject({ outcome: 'failure', error: { code: 'invalid_url', message: 'URL must use https' }, nextAttemptAt: expect.any(String) });
    }
    expect(received).toEqual([]);

    // 3. The owner fixes the URL; the waiting event is delivered to it.
    const secureUrl = `https://127.0.0.1:${(secure.address() as AddressInfo).port}/hook`;
    const fixed = await api('PATCH', `/v1/webhooks/${id}`, { url: secureUrl });
    expect(fixed.body).toMatchObject({ url: secureUrl, urlProblem: null, enabled: true });
    await waitFor(async () => received.length > 0, 'the event at the fixed URL', 90_000);
    expect(received).toEqual([{ scheme: 'https', id: eventId }]);
    // The receiver answers before the attempt reaches the log (attempt records travel through Kafka to the
    // subscription-service): wait until the newest row is the attempt at the fixed URL, settled.
    const log = await waitFor(async () => {
      const answer = await api('GET', `/v1/webhooks/${id}/deliveries`);
      const newest = answer.body.data[0];
      return newest?.url === secureUrl && newest.outcome !== 'sending' && answer;
    }, 'the delivery to the fixed URL settled in the log');
    expect(log.body.data.map((row: { outcome: string }) => row.outcome)).not.toContain('dropped');
    expect(log.body.data[0]).toMatchObject({ eventId, outcome: 'success', url: secureUrl });
  }, 300_000);
});
