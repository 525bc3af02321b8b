import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { CONTACT_CREATED, newId, TOPICS } from '@harmony/contracts';
import { loadConfig } from '@harmony/platform-config';
import { KafkaConnection, KafkaProducer } from '@harmony/platform-kafka';
import { createLogger } from '@harmony/platform-observability';
import { LOOPBACK_RECEIVERS_ENV, type SpawnedService, spawnService, startTestBroker, type TestBroker, tempDir, TopicRecorder } from '@harmony/testing';

interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * The whole product, as a user meets it: the all-in-one process (five
 * services, PGlite), a webhook created through the REST API, an event
 * published by an upstream Harmony service on Kafka, and a real receiver on
 * loopback that answers as the test tells it to.
 */
describe('end to end: upstream event → signed delivery (all-in-one)', () => {
  let broker: TestBroker;
  let service: SpawnedService;
  let apiKey: string;
  let dataDir: ReturnType<typeof tempDir>;
  let server: Server;
  let receiverUrl: string;
  let producer: KafkaProducer;
  let subscriptions: TopicRecorder;
  const received: Received[] = [];
  /** Status codes to answer, per path, in order; then 200. */
  const script = new Map<string, number[]>();
  const workspaceId = { value: '' };

  async function api<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(`${service.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as T };
  }

  /**
   * Webhook changes reach the pipeline asynchronously (outbox → compacted topic →
   * each service's view), typically within milliseconds. Tests publish only once
   * the change is on the topic, plus a margin for the services to apply it.
   */
  async function live(...webhooks: { id: string; version: number }[]): Promise<void> {
    await waitFor(
      () =>
        webhooks.every((webhook) =>
          subscriptions.values<{ id: string; version: number } | null>().some((record) => record?.id === webhook.id && record.version >= webhook.version),
        ),
      'the webhook changes on webhooks.subscriptions',
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
  }

  async function publishUpstream(type: string, data: unknown): Promise<string> {
    const id = newId('event');
    const category = type.split('.')[0] as 'contact';
    await producer.send(TOPICS.upstream(category), [
      { key: workspaceId.value, value: JSON.stringify({ id, type, workspaceId: workspaceId.value, occurredAt: new Date().toISOString(), data }) },
    ]);
    return id;
  }

  /** The worker logs each attempt as 'sending' before its request, then its outcome on the same row. */
  const loggedAttempts = async (webhookId: string) => (await api<{ data: { outcome: string }[] }>('GET', `/v1/webhooks/${webhookId}/deliveries`)).body.data;
  const settled = (rows: { outcome: string }[], count: number) => rows.length === count && rows.every((row) => row.outcome !== 'sending');

  async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  beforeAll(async () => {
    server = createServer((request: IncomingMessage, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const path = request.url ?? '';
        received.push({ path, headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, String(v)])), body });
        response.writeHead(script.get(path)?.shift() ?? 200).end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    broker = await startTestBroker();
    dataDir = tempDir();
    service = await spawnService('apps/all-in-one/src/main.ts', {
      KAFKA_BROKERS: broker.address,
      DATA_DIR: dataDir.path,
      // Retries in milliseconds instead of minutes: 5 s → 5 ms, 5 min → 300 ms.
      RETRY_DELAY_SCALE: '0.001',
      ...LOOPBACK_RECEIVERS_ENV,
      // The app compiles on the fly and, on a fresh broker, waits for the group coordinator:
      // on a loaded 2-core CI machine that has taken more than a minute.
    }, 150_000);
    const firstRun = service.output.map((line) => /"firstRunKey":"([^"]+)"/.exec(line)).find(Boolean);
    const workspace = service.output.map((line) => /"workspaceId":"(ws_[^"]+)"/.exec(line)).find(Boolean);
    if (!firstRun || !workspace) throw new Error(`no first-run key in the output:\n${service.output.join('\n')}`);
    apiKey = firstRun[1];
    workspaceId.value = workspace[1];

    const connection = await KafkaConnection.open(loadConfig({ KAFKA_BROKERS: broker.address, LOG_LEVEL: 'silent' }), createLogger({ service: 'e2e', level: 'silent' }));
    producer = new KafkaProducer(connection);
    subscriptions = new TopicRecorder(connection, [TOPICS.subscriptions]);
    await subscriptions.start();
    await waitFor(async () => (await fetch(`${service.url}/ready`)).status === 200, 'the app to be ready');
  }, 210_000);

  afterAll(async () => {
    await subscriptions?.stop();
    await producer?.disconnect();
    await service?.stop();
    await broker?.close();
    await new Promise((resolve) => server?.close(resolve));
    dataDir?.remove();
  }, 60_000);

  it('delivers a subscribed event, signed with the webhook secret, and logs it', async () => {
    const created = await api<{ id: string; version: number; secret: { secret: string } }>('POST', '/v1/webhooks', {
      name: 'CRM sync',
      url: `${receiverUrl}/crm`,
      events: ['contact.created'],
    });
    expect(created.status).toBe(201);
    await live(created.body);

    const eventId = await publishUpstream('contact.created', CONTACT_CREATED.example);
    await waitFor(() => received.some((r) => r.path === '/crm'), 'the delivery');
    const request = received.find((r) => r.path === '/crm')!;
    expect(request.headers['webhook-id']).toBe(eventId);
    const payload = new Webhook(created.body.secret.secret).verify(request.body, request.headers) as { type: string; workspace_id: string };
    expect(payload).toMatchObject({ id: eventId, type: 'contact.created', workspace_id: workspaceId.value, data: CONTACT_CREATED.example });

    await waitFor(async () => settled(await loggedAttempts(created.body.id), 1), 'the delivery log');
    const log = await api<{ data: { eventId: string; outcome: string; httpStatus: number; attempt: number; requestBody: string | null }[] }>(
      'GET',
      `/v1/webhooks/${created.body.id}/deliveries`,
    );
    expect(log.body.data[0]).toMatchObject({ eventId, outcome: 'success', httpStatus: 200, attempt: 1 });
    // The log shows the very bytes the receiver got (and verified).
    expect(log.body.data[0].requestBody).toBe(request.body);
    const list = await api<{ data: { id: string; lastDelivery: { outcome: string; httpStatus: number } | null }[] }>('GET', '/v1/webhooks');
    expect(list.body.data.find((webhook) => webhook.id === created.body.id)?.lastDelivery).toMatchObject({ outcome: 'success', httpStatus: 200 });
  }, 60_000);

  it('retries a failing endpoint with the same webhook-id until it answers 2xx', async () => {
    const created = await api<{ id: string; version: number }>('POST', '/v1/webhooks', { name: 'Flaky', url: `${receiverUrl}/flaky`, events: '*' });
    expect(created.status).toBe(201);
    script.set('/flaky', [500, 503]);
    await live(created.body);

    const eventId = await publishUpstream('contact.created', CONTACT_CREATED.example);
    await waitFor(() => received.filter((r) => r.path === '/flaky').length === 3, 'three attempts');
    expect(new Set(received.filter((r) => r.path === '/flaky').map((r) => r.headers['webhook-id']))).toEqual(new Set([eventId]));

    await waitFor(async () => settled(await loggedAttempts(created.body.id), 3), 'three log rows');
    const log = await api<{ data: { attempt: number; outcome: string; httpStatus: number }[] }>('GET', `/v1/webhooks/${created.body.id}/deliveries`);
    const byAttempt = [...log.body.data].sort((a, b) => a.attempt - b.attempt).map((row) => [row.attempt, row.outcome, row.httpStatus]);
    expect(byAttempt).toEqual([
      [1, 'failure', 500],
      [2, 'failure', 503],
      [3, 'success', 200],
    ]);
  }, 60_000);

  it('sends nothing to a disabled webhook or for an event type it did not select', async () => {
    const selective = await api<{ id: string; version: number }>('POST', '/v1/webhooks', { name: 'Accounts only', url: `${receiverUrl}/accounts`, events: ['account.created'] });
    const paused = await api<{ id: string; version: number }>('POST', '/v1/webhooks', { name: 'Paused', url: `${receiverUrl}/paused`, events: '*' });
    const disabled = await api<{ id: string; version: number }>('PATCH', `/v1/webhooks/${paused.body.id}`, { enabled: false });
    expect(disabled.status).toBe(200);
    const canary = await api<{ id: string; version: number }>('POST', '/v1/webhooks', { name: 'Canary', url: `${receiverUrl}/canary`, events: ['contact.created'] });
    expect([selective.status, paused.status, canary.status]).toEqual([201, 201, 201]);
    await live(selective.body, disabled.body, canary.body);

    await publishUpstream('contact.created', CONTACT_CREATED.example);
    // The canary proves the event went through the pipeline before we look for what must not have.
    await waitFor(() => received.some((r) => r.path === '/canary'), 'the canary delivery');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(received.some((r) => r.path === '/accounts' || r.path === '/paused')).toBe(false);
  }, 60_000);
});
