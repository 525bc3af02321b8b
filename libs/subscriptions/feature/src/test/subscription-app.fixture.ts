/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers and Kafka values are checked by the tests, not typed here */
import { randomUUID } from 'node:crypto';
import { type AttemptRecord, newId } from '@harmony/contracts';
import { type AppConfig, loadConfig } from '@harmony/platform-config';
import { createLogger, type Logger } from '@harmony/platform-observability';
import { PlatformModule, type RunningService, startService } from '@harmony/platform-runtime';
import type { HostResolver } from '@harmony/delivery/http';
import { Test } from '@nestjs/testing';
import type { ApiKeyScope, MemberRole } from '@harmony/subscriptions/domain';
import { createTestDatabase, LOOPBACK_RECEIVERS_ENV, OpenApiResponseValidator, startTestBroker, type TestBroker, type TestDatabase } from '@harmony/testing';
import { type Consumer, Kafka, type Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { SubscriptionServiceModule } from '../subscription-service.module';
import { TenancyService } from '../tenancy/tenancy.service';
import { ssrfTargetCheck, WEBHOOK_TARGET_CHECK } from '../webhooks/webhook-target.check';

export interface Caller {
  key: string;
  workspaceId: string;
  memberId: string;
  userId: string;
}

export interface HttpAnswer<T = any> {
  status: number;
  body: T;
}

/**
 * One booted subscription-service per suite: the real Nest app on a loopback
 * port, the embedded broker, PGlite (or PostgreSQL when DATABASE_URL is set).
 */
export class SubscriptionApp {
  private constructor(
    readonly service: RunningService,
    readonly broker: TestBroker,
    readonly db: TestDatabase,
    readonly kafka: Kafka,
    private readonly producer: Producer,
    /** Every answer of `call` is checked against the service's own /openapi.json. */
    private readonly openApi: OpenApiResponseValidator,
    /** A second replica shares the first one's broker and database, and leaves them to it. */
    private readonly replica = false,
  ) {}

  /**
   * `resolve`: the DNS the URL checks at create/update/Test use (a table of hostile
   * answers, e.g.), instead of the system resolver. `replicaOf`: another replica
   * of that app (same broker, same PostgreSQL database).
   */
  static async start(env: Record<string, string> = {}, options: { resolve?: HostResolver; replicaOf?: SubscriptionApp } = {}): Promise<SubscriptionApp> {
    const broker = options.replicaOf?.broker ?? (await startTestBroker());
    const db = options.replicaOf?.db ?? (await createTestDatabase());
    const config: AppConfig = loadConfig({
      KAFKA_BROKERS: broker.address,
      PORT: '0',
      LOG_LEVEL: 'silent',
      SUBSCRIPTIONS_BOOTSTRAP: 'false',
      KAFKA_TOPIC_PARTITIONS: '1',
      // Receivers on loopback (the Test button's); a suite about the defaults passes WEBHOOK_ALLOW_PRIVATE_CIDRS: ''.
      ...LOOPBACK_RECEIVERS_ENV,
      ...(db.url ? { DATABASE_URL: db.url } : {}),
      ...env,
    });
    config.database.pgliteDir = db.pgliteDir;
    const logger = createLogger({ service: 'subscription-service', level: 'silent' });
    const service = options.resolve
      ? await startWithResolver(config, logger, options.resolve)
      : await startService({ name: 'subscription-service', modules: [SubscriptionServiceModule] }, config, logger);
    const kafka = new Kafka({ clientId: 'test', brokers: [broker.address], logLevel: 0 });
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    return new SubscriptionApp(service, broker, db, kafka, producer, await OpenApiResponseValidator.fetch(service.url), options.replicaOf !== undefined);
  }

  async close(): Promise<void> {
    await this.producer.disconnect();
    await this.service.app.close();
    if (this.replica) return;
    await this.broker.close();
    await this.db.drop();
  }

  get url(): string {
    return this.service.url;
  }

  get<T>(type: new (...args: any[]) => T): T {
    return this.service.app.get(type, { strict: false });
  }

  get dataSource(): DataSource {
    return this.get(DataSource);
  }

  /** A fresh workspace and its admin's all-scopes key. */
  async workspace(): Promise<Caller> {
    const userId = newId('user');
    const { workspace, member, created } = await this.get(TenancyService).createWorkspaceWithAdmin({
      workspaceName: `ws ${userId}`,
      adminName: 'Ada Admin',
      userId,
    });
    return { key: created.key, workspaceId: workspace.id, memberId: member.id, userId };
  }

  /** Another member of a workspace, with a key of the given scopes. */
  async member(admin: Caller, role: MemberRole = 'member', scopes?: ApiKeyScope[], teamIds: string[] = []): Promise<Caller> {
    const tenancy = this.get(TenancyService);
    const userId = newId('user');
    const { member } = await this.dataSource.transaction((manager) =>
      tenancy.upsertMember(manager, { workspaceId: admin.workspaceId, userId, displayName: `User ${userId}`, role, teamIds, status: 'active' }),
    );
    const { key } = await tenancy.createApiKey(
      { workspaceId: admin.workspaceId, memberId: admin.memberId, role: 'admin', scopes: ['webhooks:write'] },
      { name: `key of ${userId}`, memberId: member.id, scopes },
    );
    return { key, workspaceId: admin.workspaceId, memberId: member.id, userId };
  }

  /** A webhook of every event, created over the API with this key; answers its id. */
  async webhook(key: string, name: string): Promise<string> {
    const { status, body } = await this.call('POST', '/v1/webhooks', { key, body: { name, url: 'https://hooks.example.com/in', events: '*' } });
    expect(status).toBe(201);
    return body.id;
  }

  async call<T = any>(method: string, path: string, options: { key?: string | null; body?: unknown; headers?: Record<string, string> } = {}): Promise<HttpAnswer<T>> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.key) headers['authorization'] = `Bearer ${options.key}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    const drift = this.openApi.check(method, path, response.status, body);
    if (drift.length > 0) throw new Error(`the answer disagrees with /openapi.json:\n  ${drift.join('\n  ')}`);
    return { status: response.status, body: body as T };
  }

  async produce(topic: string, messages: { key: string | null; value: unknown }[]): Promise<void> {
    await this.producer.send({
      topic,
      messages: messages.map((message) => ({ key: message.key, value: message.value === null ? null : JSON.stringify(message.value) })),
    });
  }

  /** Reads a topic from the beginning into an array until stopped. */
  async collect(topic: string): Promise<TopicCollector> {
    const consumer = this.kafka.consumer({ groupId: `test-${randomUUID()}`, sessionTimeout: 6_000, heartbeatInterval: 500, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const collector = new TopicCollector(consumer);
    await consumer.run({
      eachMessage: async ({ message }) => {
        collector.messages.push({ key: message.key?.toString() ?? null, value: message.value ? JSON.parse(message.value.toString()) : null });
      },
    });
    return collector;
  }
}

/** The service as startService runs it, with the URL checks' DNS replaced. */
async function startWithResolver(config: AppConfig, logger: Logger, resolve: HostResolver): Promise<RunningService> {
  const module = await Test.createTestingModule({
    imports: [PlatformModule.forRoot({ service: 'subscription-service', config, logger }), SubscriptionServiceModule],
  })
    .overrideProvider(WEBHOOK_TARGET_CHECK)
    .useValue(ssrfTargetCheck(config, resolve))
    .compile();
  const app = module.createNestApplication({ logger: false, bodyParser: false });
  await app.listen(0, '127.0.0.1');
  return { app, config, logger, url: await app.getUrl() };
}

export class TopicCollector {
  readonly messages: { key: string | null; value: any }[] = [];

  constructor(private readonly consumer: Consumer) {}

  forKey(key: string): { key: string | null; value: any }[] {
    return this.messages.filter((message) => message.key === key);
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}

/** An attempt record as the delivery worker produces it (a success unless overridden). */
export function attemptOf(workspaceId: string, subscriptionId: string, overrides: Partial<AttemptRecord> = {}): AttemptRecord {
  const startedAt = overrides.startedAt ?? new Date().toISOString();
  return {
    attemptId: newId('attempt'),
    jobId: newId('job'),
    eventId: newId('event'),
    eventType: 'contact.created',
    subscriptionId,
    workspaceId,
    attempt: 1,
    outcome: 'success',
    url: 'https://hooks.example.com/in',
    httpStatus: 200,
    durationMs: 42,
    responseBody: 'ok',
    responseBodyTruncated: false,
    error: null,
    requestHeaders: { 'webhook-id': 'evt_x', 'content-type': 'application/json' },
    startedAt,
    finishedAt: overrides.finishedAt ?? startedAt,
    nextAttemptAt: null,
    ...overrides,
  };
}

export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw lastError;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** An attempt record as the delivery worker produces it: a 200 in 100 ms with the breaker closed, at `at`, unless `overrides` say otherwise. */
export function workerAttempt(subscriptionId: string, workspaceId: string, at: number, overrides: Partial<AttemptRecord> = {}): AttemptRecord {
  const time = new Date(at).toISOString();
  return attemptOf(workspaceId, subscriptionId, { durationMs: 100, requestHeaders: {}, breaker: 'closed', startedAt: time, finishedAt: time, ...overrides });
}
