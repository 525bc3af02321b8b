import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer as createNetServer } from 'node:net';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { Webhook } from 'standardwebhooks';
import { PostgreSqlContainer, type StartedPostgreSqlContainer } from '@testcontainers/postgresql';
import { GenericContainer, getContainerRuntimeClient, type StartedTestContainer, Wait } from 'testcontainers';
import { CONTACT_CREATED, TOPICS } from '@harmony/contracts';
import { spawnService, type SpawnedService, tempDir } from '@harmony/testing';
import { dockerEngine } from './docker-engine';

/**
 * The production shape, minus the images: Apache Kafka (KRaft, the official
 * image) and PostgreSQL in containers, the five services each its own process
 * with NODE_ENV=production, and a webhook delivered end to end to a real
 * receiver on loopback.
 *
 * Without a Docker engine the suite is skipped and says so. To try it without
 * Docker, point it at a running broker and server instead of containers:
 * PIPELINE_KAFKA_BROKERS=host:port PIPELINE_DATABASE_URL=postgres://... npm run test:containers
 */
const KAFKA_IMAGE = process.env['KAFKA_IMAGE'] ?? 'apache/kafka:4.4.0';
const POSTGRES_IMAGE = process.env['POSTGRES_IMAGE'] ?? 'postgres:16-alpine';
const SERVICES = ['subscription-service', 'event-ingest', 'fan-out', 'delivery-worker', 'retry-scheduler'] as const;

const external = process.env['PIPELINE_KAFKA_BROKERS'] && process.env['PIPELINE_DATABASE_URL'];
const engine = external ? { available: true, reason: '' } : dockerEngine();
if (!engine.available) {
  console.warn(
    `SKIPPED: the container suite did not run: no Docker engine (${engine.reason}).\n` +
      'It runs the pipeline on Apache Kafka and PostgreSQL containers where a Docker engine exists.',
  );
}
const describeWithEngine = engine.available ? describe : describe.skip;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Apache Kafka in KRaft mode (one node, broker + controller), reachable from the host on a fixed mapped port. */
async function startKafka(): Promise<{ container: StartedTestContainer; brokers: string }> {
  const host = (await getContainerRuntimeClient()).info.containerRuntime.host;
  const port = await freePort();
  const container = await new GenericContainer(KAFKA_IMAGE)
    .withExposedPorts({ container: 9092, host: port })
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_LISTENERS: 'HOST://:9092,CONTROLLER://:9093,BROKER://:9094',
      KAFKA_ADVERTISED_LISTENERS: `HOST://${host}:${port},BROKER://localhost:9094`,
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'HOST:PLAINTEXT,CONTROLLER:PLAINTEXT,BROKER:PLAINTEXT',
      KAFKA_INTER_BROKER_LISTENER_NAME: 'BROKER',
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
    })
    .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
    .withStartupTimeout(180_000)
    .start();
  return { container, brokers: `${host}:${port}` };
}

async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describeWithEngine(`pipeline on ${external ? 'the given Kafka and PostgreSQL' : `${KAFKA_IMAGE} and ${POSTGRES_IMAGE} containers`}`, () => {
  let kafka: StartedTestContainer | undefined;
  let postgres: StartedPostgreSqlContainer | undefined;
  let brokers: string;
  let databaseUrl: string;
  let dataDir: ReturnType<typeof tempDir>;
  const services = new Map<string, SpawnedService>();
  let producer: Producer;
  let receiver: Server;
  let receiverUrl: string;
  let apiKey: string;
  let workspaceId: string;
  const received: { path: string; headers: Record<string, string>; body: string }[] = [];

  async function api<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(`${services.get('subscription-service')!.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as T };
  }

  beforeAll(async () => {
    if (external) {
      brokers = process.env['PIPELINE_KAFKA_BROKERS']!;
      databaseUrl = process.env['PIPELINE_DATABASE_URL']!;
    } else {
      const started = await Promise.all([startKafka(), new PostgreSqlContainer(POSTGRES_IMAGE).start()]);
      kafka = started[0].container;
      brokers = started[0].brokers;
      postgres = started[1];
      databaseUrl = postgres.getConnectionUri();
    }
    console.log(`pipeline suite: KAFKA_BROKERS=${brokers}, PostgreSQL ${new URL(databaseUrl).host}`);

    receiver = createServer((request: IncomingMessage, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        received.push({ path: request.url ?? '', headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, String(v)])), body });
        response.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

    dataDir = tempDir('harmony-containers-');
    const env = {
      NODE_ENV: 'production',
      KAFKA_BROKERS: brokers,
      DATABASE_URL: databaseUrl,
      KAFKA_REPLICATION_FACTOR: '1',
      DATA_DIR: dataDir.path,
      // The receiver is on loopback over http: allowed by explicit configuration only.
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOW_PRIVATE_CIDRS: '127.0.0.0/8',
      RETRY_DELAY_SCALE: '0.001',
    };
    // subscription-service first: it owns the schema (migrations) and the first-run key.
    services.set('subscription-service', await spawnService('apps/subscription-service/src/main.ts', { ...env, SUBSCRIPTIONS_BOOTSTRAP: 'true' }, 180_000));
    const started = await Promise.all(SERVICES.slice(1).map((name) => spawnService(`apps/${name}/src/main.ts`, env, 180_000)));
    SERVICES.slice(1).forEach((name, index) => services.set(name, started[index]));

    const output = services.get('subscription-service')!.output;
    const key = output.map((line) => /"firstRunKey":"([^"]+)"/.exec(line)).find(Boolean);
    const workspace = output.map((line) => /"workspaceId":"(ws_[^"]+)"/.exec(line)).find(Boolean);
    if (!key || !workspace) throw new Error(`no first-run key in the subscription-service output:\n${output.join('\n')}`);
    apiKey = key[1];
    workspaceId = workspace[1];

    producer = new Kafka({ clientId: 'containers-suite', brokers: [brokers], logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
  }, 600_000);

  afterAll(async () => {
    await producer?.disconnect();
    await Promise.all([...services.values()].map((service) => (service.process.exitCode === null ? service.stop() : null)));
    await new Promise((resolve) => receiver?.close(resolve));
    await kafka?.stop();
    await postgres?.stop();
    dataDir?.remove();
  }, 120_000);

  it.each(SERVICES)('%s is ready on real Kafka and PostgreSQL (NODE_ENV=production)', async (name) => {
    const service = services.get(name)!;
    await waitFor(async () => (await fetch(`${service.url}/ready`)).status === 200, `${name} to be ready`);
    expect(await (await fetch(`${service.url}/metrics`)).text()).toContain(`service="${name}"`);
  }, 90_000);

  it('delivers an upstream event to a subscribed webhook, signed, and logs it', async () => {
    const created = await api<{ id: string; secret: { secret: string } }>('POST', '/v1/webhooks', {
      name: 'CRM sync',
      url: `${receiverUrl}/crm`,
      events: ['contact.created'],
    });
    expect(created.status).toBe(201);

    // fan-out learns the new subscription from the compacted topic, a moment
    // later in another process: publish a fresh event every few seconds until one arrives.
    const published: string[] = [];
    const publish = async (): Promise<void> => {
      const id = randomUUID();
      published.push(id);
      await producer.send({
        topic: TOPICS.upstream('contact'),
        messages: [{ key: workspaceId, value: JSON.stringify({ id, type: 'contact.created', workspaceId, occurredAt: new Date().toISOString(), data: CONTACT_CREATED.example }) }],
      });
    };
    await publish();
    const republish = setInterval(() => void publish(), 5_000);
    try {
      await waitFor(() => received.some((request) => request.path === '/crm'), 'the delivery', 120_000);
    } finally {
      clearInterval(republish);
    }

    const request = received.find((candidate) => candidate.path === '/crm')!;
    const eventId = request.headers['webhook-id'];
    expect(published).toContain(eventId);
    const payload = new Webhook(created.body.secret.secret).verify(request.body, request.headers);
    expect(payload).toMatchObject({ id: eventId, type: 'contact.created', workspace_id: workspaceId, data: CONTACT_CREATED.example });

    await waitFor(async () => (await api<{ data: unknown[] }>('GET', `/v1/webhooks/${created.body.id}/deliveries`)).body.data.length > 0, 'the delivery log', 60_000);
    const log = await api<{ data: { eventId: string; outcome: string; httpStatus: number }[] }>('GET', `/v1/webhooks/${created.body.id}/deliveries`);
    expect(log.body.data.find((row) => row.eventId === eventId)).toMatchObject({ outcome: 'success', httpStatus: 200 });
  }, 240_000);

  it('stops every service cleanly on SIGTERM', async () => {
    for (const [name, service] of services) {
      expect([name, await service.stop()]).toEqual([name, 0]);
    }
  }, 120_000);
});
