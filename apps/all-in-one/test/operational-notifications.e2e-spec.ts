/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are checked by the assertions, not typed here */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { type AttemptRecord, getEventDefinition, newId, TOPICS, USER_UPDATED, validateEventData } from '@harmony/contracts';
import { loadConfig } from '@harmony/platform-config';
import { KafkaConnection, KafkaProducer } from '@harmony/platform-kafka';
import { createLogger } from '@harmony/platform-observability';
import {
  LOOPBACK_RECEIVERS_ENV,
  type LoopbackCertificate,
  loopbackCertificate,
  type SpawnedService,
  spawnService,
  startTestBroker,
  type TestBroker,
  tempDir,
  TopicRecorder,
} from '@harmony/testing';

const DAY = 24 * 60 * 60 * 1000;

interface Operational {
  id: string;
  type: string;
  data: any;
}

/**
 * Operational notifications through the whole product: the all-in-one process, real
 * receivers on loopback, an operational endpoint registered over REST. Each reason a
 * webhook stops (410 Gone, five days failing, its owner removed, its URL no longer
 * allowed), an exhausted event and a recovery reach that endpoint as signed
 * `webhook.*` events — outbox → webhooks.events.webhook → fan-out → worker — each once,
 * verified with the standardwebhooks library, and logged like any delivery.
 */
describe('operational notifications: each reason arrives signed at the operational endpoint (all-in-one)', () => {
  let broker: TestBroker;
  let dataDir: ReturnType<typeof tempDir>;
  let tls: LoopbackCertificate;
  let service: SpawnedService | undefined;
  let producer: KafkaProducer;
  let subscriptions: TopicRecorder;
  let connection: KafkaConnection;
  let apiKey: string;
  let workspaceId: string;
  let hooks: Server;
  let ops: Server;
  let verifier: Webhook | undefined;
  const operational: Operational[] = [];
  const unverified: string[] = [];
  /** Answers of the ordinary receiver, per path. */
  const answers = new Map<string, number>([
    ['/gone', 410],
    ['/exhaust', 500],
    ['/failing', 500],
  ]);

  async function api<T = any>(method: string, route: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(`${service!.url}${route}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (response.status === 204 ? null : await response.json()) as T };
  }

  async function waitFor<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 90_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await check();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; operational events so far: ${JSON.stringify(operational.map((event) => [event.type, event.data.reason, event.data.webhook?.name]))}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function publish(type: string, data: unknown): Promise<string> {
    const id = newId('event');
    const answer = await waitFor(async () => {
      const accepted = await api('POST', '/v1/events', { id, type, workspaceId, occurredAt: new Date().toISOString(), data });
      return accepted.status === 202 && accepted;
    }, `${type} to be accepted`);
    expect(answer.body.accepted).toEqual([id]);
    return id;
  }

  async function webhook(name: string, url: string, events: string[]): Promise<string> {
    const created = await api('POST', '/v1/webhooks', { name, url, events });
    expect(created.status).toBe(201);
    await waitFor(() => subscriptions.values<{ id: string } | null>().some((record) => record?.id === created.body.id), `${name} on webhooks.subscriptions`);
    return created.body.id;
  }

  const about = (name: string, type: string, reason?: string) =>
    operational.filter((event) => event.data.webhook.name === name && event.type === type && (reason === undefined || event.data.reason === reason));

  const boot = (env: Record<string, string>) =>
    spawnService(
      'apps/all-in-one/src/main.ts',
      {
        KAFKA_BROKERS: broker.address,
        DATA_DIR: dataDir.path,
        ...LOOPBACK_RECEIVERS_ENV,
        // The retry schedule (≈ 28 h) in ≈ 10 s: an event is exhausted within the test.
        RETRY_DELAY_SCALE: '0.0001',
        NODE_EXTRA_CA_CERTS: tls.certPath,
        ...env,
      },
      150_000,
    );

  beforeAll(async () => {
    tls = loopbackCertificate();
    hooks = createHttpServer((request: IncomingMessage, response: ServerResponse) => {
      request.resume();
      request.on('end', () => response.writeHead(answers.get(request.url ?? '') ?? 200).end('ok'));
    });
    // The operational endpoint: https, so it stays allowed when plain http is forbidden.
    ops = createHttpsServer({ key: tls.key, cert: tls.cert }, (request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        try {
          const verified = verifier!.verify(body, request.headers as Record<string, string>) as { id: string; type: string; data: unknown };
          if (!operational.some((event) => event.id === verified.id)) operational.push({ id: verified.id, type: verified.type, data: verified.data });
          response.writeHead(204).end();
        } catch (error) {
          unverified.push(`${(error as Error).message}: ${body}`);
          response.writeHead(401).end();
        }
      });
    });
    await Promise.all([hooks, ops].map((server) => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))));
    broker = await startTestBroker();
    dataDir = tempDir();
    connection = await KafkaConnection.open(loadConfig({ KAFKA_BROKERS: broker.address, LOG_LEVEL: 'silent' }), createLogger({ service: 'e2e', level: 'silent' }));
    producer = new KafkaProducer(connection);
    subscriptions = new TopicRecorder(connection, [TOPICS.subscriptions]);
  }, 60_000);

  afterAll(async () => {
    await subscriptions?.stop();
    await producer?.disconnect();
    await service?.stop();
    await broker?.close();
    await Promise.all([hooks, ops].map((server) => new Promise((resolve) => server?.close(resolve))));
    dataDir?.remove();
    tls?.remove();
  }, 60_000);

  it('announces 410 Gone, five days failing, a removed owner, an exhausted event, the recovery and a URL no longer allowed, once each', async () => {
    service = await boot({});
    const firstRun = service.output.filter((line) => line.includes('"firstRunKey"')).map((line) => JSON.parse(line) as { firstRunKey: string; workspaceId: string })[0];
    if (!firstRun) throw new Error(`no first-run key in the output:\n${service.output.join('\n')}`);
    ({ firstRunKey: apiKey, workspaceId } = firstRun);
    await subscriptions.start();

    // The operational endpoint, registered like any webhook with the operational events.
    const opsUrl = `https://127.0.0.1:${(ops.address() as AddressInfo).port}/ops`;
    const registered = await api('POST', '/v1/webhooks', { name: 'Operations', url: opsUrl, events: ['webhook.disabled', 'webhook.delivery_exhausted', 'webhook.recovered'] });
    expect(registered.status).toBe(201);
    expect(registered.body.operational).toBe(true);
    verifier = new Webhook(registered.body.secret.secret);
    const opsId: string = registered.body.id;

    const hooksUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}`;
    // One event type each, so each webhook gets only its own event.
    const gone = await webhook('Gone', `${hooksUrl}/gone`, ['contact.updated']);
    const exhaust = await webhook('Exhausting', `${hooksUrl}/exhaust`, ['contact.created']);
    const failing = await webhook('Failing', `${hooksUrl}/failing`, ['contact.deleted']);
    await webhook('Plain http', `${hooksUrl}/plain`, ['account.created']);
    const owned = await webhook("Mia's", `${hooksUrl}/owned`, ['account.updated']);
    await waitFor(async () => (await fetch(`${service!.url}/ready`)).status === 200, 'the app to be ready');

    // Mia joins (user.added, as Harmony publishes it) and is handed a webhook.
    const userId = newId('user');
    const mia = { ...USER_UPDATED.example.user, id: userId, name: 'Mia Member', email: `${userId.toLowerCase()}@example.com`, role: 'member', status: 'active' };
    await publish('user.added', { user: mia, addedVia: 'invitation', actor: null });
    const member = await waitFor(async () => (await api('GET', '/v1/members')).body.data.find((row: { userId: string }) => row.userId === userId), 'Mia as a member');
    expect((await api('PATCH', `/v1/webhooks/${owned}`, { ownerMemberId: member.id })).status).toBe(200);

    // Five days cannot pass in a test: the run's first failure is recorded as the worker would have, six days ago.
    const sixDaysAgo = new Date(Date.now() - 6 * DAY).toISOString();
    const oldFailure: AttemptRecord = {
      attemptId: newId('attempt'), jobId: newId('job'), eventId: newId('event'), eventType: 'contact.deleted', subscriptionId: failing, workspaceId,
      attempt: 1, outcome: 'failure', url: `${hooksUrl}/failing`, httpStatus: 500, durationMs: 12, responseBody: 'ok', responseBodyTruncated: false,
      error: { code: 'http_status', message: 'HTTP 500' }, requestHeaders: {}, startedAt: sixDaysAgo, finishedAt: sixDaysAgo, nextAttemptAt: null,
    };
    await producer.send(TOPICS.attempts, [{ key: failing, value: JSON.stringify(oldFailure) }]);
    await waitFor(async () => (await api('GET', `/v1/webhooks/${failing}`)).body.health.failingSince === sixDaysAgo, 'the failure run six days old');

    await publish('contact.updated', getEventDefinition('contact.updated').example);
    const exhaustedEvent = await publish('contact.created', getEventDefinition('contact.created').example);
    await publish('contact.deleted', getEventDefinition('contact.deleted').example);
    await publish('user.removed', { user: { ...mia, status: 'deactivated' }, actor: null });

    await waitFor(() => about('Gone', 'webhook.disabled', 'gone').length > 0, 'webhook.disabled (gone)');
    await waitFor(() => about('Failing', 'webhook.disabled', 'failing').length > 0, 'webhook.disabled (failing)');
    await waitFor(() => about("Mia's", 'webhook.disabled', 'owner_access_lost').length > 0, 'webhook.disabled (owner_access_lost)');
    await waitFor(() => about('Exhausting', 'webhook.delivery_exhausted').length > 0, 'webhook.delivery_exhausted');
    expect(about('Gone', 'webhook.disabled')[0]!.data).toMatchObject({ webhook: { id: gone }, enabled: false, message: 'The endpoint answered 410 Gone.' });
    expect(about('Failing', 'webhook.disabled')[0]!.data).toMatchObject({ webhook: { id: failing }, enabled: false, failingSince: sixDaysAgo });
    expect(about("Mia's", 'webhook.disabled')[0]!.data).toMatchObject({ webhook: { id: owned }, enabled: true, message: expect.stringContaining('Mia Member was removed') });
    expect(about('Exhausting', 'webhook.delivery_exhausted')[0]!.data).toMatchObject({ webhook: { id: exhaust }, eventId: exhaustedEvent, eventType: 'contact.created', attempts: expect.any(Number) });
    expect((await api('GET', `/v1/webhooks/${gone}`)).body).toMatchObject({ enabled: false });

    // The endpoint works again: the next delivery announces the recovery.
    answers.set('/exhaust', 200);
    const healedEvent = await publish('contact.created', getEventDefinition('contact.created').example);
    await waitFor(() => about('Exhausting', 'webhook.recovered').length > 0, 'webhook.recovered');
    expect(about('Exhausting', 'webhook.recovered')[0]!.data).toMatchObject({ webhook: { id: exhaust }, eventId: healedEvent });

    // The operator forbids plain http: the next event to the http webhook announces its URL.
    await service.stop();
    service = await boot({ WEBHOOK_ALLOW_HTTP: 'false' });
    await publish('account.created', getEventDefinition('account.created').example);
    await waitFor(() => about('Plain http', 'webhook.disabled', 'url_not_allowed').length > 0, 'webhook.disabled (url_not_allowed)');
    expect(about('Plain http', 'webhook.disabled')[0]!.data).toMatchObject({ enabled: true, message: expect.stringContaining('URL must use https') });

    // Each occurrence once, every event valid against its catalog schema, every request verified.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(unverified).toEqual([]);
    expect(operational.map((event) => [event.type, event.data.webhook.name, event.data.reason ?? null]).sort()).toEqual(
      [
        ['webhook.disabled', 'Gone', 'gone'],
        ['webhook.disabled', 'Failing', 'failing'],
        ['webhook.disabled', "Mia's", 'owner_access_lost'],
        ['webhook.disabled', 'Plain http', 'url_not_allowed'],
        ['webhook.delivery_exhausted', 'Exhausting', null],
        ['webhook.recovered', 'Exhausting', null],
      ].sort(),
    );
    for (const event of operational) expect(validateEventData(event.type, event.data)).toMatchObject({ ok: true });

    // Logged like any delivery, on the operational endpoint's own log.
    const log = await waitFor(async () => {
      const rows = (await api('GET', `/v1/webhooks/${opsId}/deliveries?outcome=success`)).body.data as { eventType: string }[];
      return rows.length === operational.length && rows;
    }, 'the operational deliveries in the log');
    expect(new Set(log.map((row) => row.eventType))).toEqual(new Set(['webhook.disabled', 'webhook.delivery_exhausted', 'webhook.recovered']));
  }, 600_000);
});
