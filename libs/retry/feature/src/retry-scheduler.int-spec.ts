import { randomBytes } from 'node:crypto';
import type { TestingModule } from '@nestjs/testing';
import {
  type AttemptRecord,
  type DeliveryJob,
  getEventDefinition,
  newId,
  type RejectedRecord,
  type RetryTierName,
  type SubscriptionRecord,
  TOPICS,
  validateAttemptRecord,
} from '@harmony/contracts';
import { loadConfig } from '@harmony/platform-config';
import { type ConsumedMessage, KafkaConnection, type KafkaConsumers, KafkaProducer } from '@harmony/platform-kafka';
import { HealthService, MetricsService } from '@harmony/platform-observability';
import { compileServiceModule, eventually, startTestBroker, type TestBroker, TopicRecorder } from '@harmony/testing';
import { RetrySchedulerModule } from './retry-scheduler.module';
import { SubscriptionView } from '@harmony/webhooks/subscription-view';
import { RETRY_CONSUMERS, RETRY_GROUP_ID, RETRY_READINESS_CHECK } from './retry-tiers.consumer';

const WORKSPACE = newId('workspace');

function subscription(overrides: Partial<SubscriptionRecord> = {}): SubscriptionRecord {
  const id = newId('subscription');
  return {
    id,
    workspaceId: WORKSPACE,
    name: `hook ${id}`,
    url: `https://receiver.example.com/hooks/${id}`,
    eventTypes: '*',
    enabled: true,
    disabledReason: null,
    owner: { memberId: newId('member'), userId: newId('user'), role: 'member', teamIds: [], active: true },
    rateLimitPerSecond: null,
    headers: {},
    secrets: [{ id: newId('secret'), secret: `whsec_${randomBytes(24).toString('base64')}`, createdAt: '2026-11-27T08:00:00.000Z', expiresAt: null }],
    version: 1,
    updatedAt: '2026-11-27T08:00:00.000Z',
    ...overrides,
  };
}

function job(subscriptionId: string, notBefore: number | null, attempt = 2): DeliveryJob {
  return {
    jobId: newId('job'),
    subscriptionId,
    workspaceId: WORKSPACE,
    event: {
      id: newId('event'),
      type: 'contact.created',
      workspaceId: WORKSPACE,
      occurredAt: '2026-11-27T08:00:00.000Z',
      data: getEventDefinition('contact.created')!.example,
      access: { scope: 'workspace' },
    },
    attempt,
    firstAttemptAt: '2026-11-27T08:00:01.000Z',
    notBefore: notBefore === null ? null : new Date(notBefore).toISOString(),
    reason: 'retry',
    enqueuedAt: new Date().toISOString(),
  };
}

const enabled = subscription();
const disabledLater = subscription();
const deletedLater = subscription();
const ownerDeactivatedLater = subscription();

describe('retry-scheduler', () => {
  let broker: TestBroker;
  let app: TestingModule;
  let recorder: TopicRecorder;
  let producer: KafkaProducer;

  async function boot(): Promise<TestingModule> {
    const module = await compileServiceModule('retry-scheduler', RetrySchedulerModule, loadConfig({ KAFKA_BROKERS: broker.address, LOG_LEVEL: 'silent' }));
    await module.init();
    await module.get<KafkaConsumers>(RETRY_CONSUMERS).whenReady();
    return module;
  }

  async function schedule(tier: RetryTierName, jobs: DeliveryJob[]): Promise<void> {
    await producer.send(
      TOPICS.retries(tier),
      jobs.map((j) => ({ key: j.subscriptionId, value: JSON.stringify(j), headers: { 'event-type': j.event.type } })),
    );
  }

  const republished = (j: DeliveryJob): ConsumedMessage[] =>
    recorder.messages.filter((m) => m.topic === TOPICS.deliveries && (JSON.parse(m.value!.toString()) as DeliveryJob).jobId === j.jobId);
  const attemptsFor = (j: DeliveryJob): AttemptRecord[] => recorder.values<AttemptRecord>(TOPICS.attempts).filter((a) => a.jobId === j.jobId);

  beforeAll(async () => {
    broker = await startTestBroker();
    app = await boot();
    producer = app.get(KafkaProducer);
    recorder = new TopicRecorder(app.get(KafkaConnection), [TOPICS.deliveries, TOPICS.attempts, TOPICS.ingestRejected]);
    await recorder.start();
    await producer.send(
      TOPICS.subscriptions,
      [enabled, disabledLater, deletedLater, ownerDeactivatedLater].map((s) => ({ key: s.id, value: JSON.stringify(s) })),
    );
    // By id, not by count: a shared broker (KAFKA_BROKERS) may hold other specs' subscriptions.
    await recorder.waitFor(() => [enabled, disabledLater, deletedLater, ownerDeactivatedLater].every((s) => app.get(SubscriptionView).index.get(s.id) !== undefined));
  }, 60_000);

  // Each stop waits for its consumers' fetches in flight (up to the 2 s idle long-poll, the six tiers' included).
  afterAll(async () => {
    await recorder?.stop();
    await app?.close();
    await broker?.close();
  }, 30_000);

  it('is ready once its view of the subscriptions has caught up', async () => {
    const report = await app.get(HealthService).readiness();
    expect(report.checks.find((check) => check.name === RETRY_READINESS_CHECK)).toMatchObject({ ok: true });
  });

  it('re-publishes a job unchanged to webhooks.deliveries no earlier than notBefore, and not much later', async () => {
    const notBefore = Date.now() + 1_500;
    const held = job(enabled.id, notBefore);
    await schedule('5s', [held]);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(republished(held)).toEqual([]);
    await recorder.waitFor(() => republished(held).length === 1, 5_000);
    const [message] = republished(held);
    expect(message.timestamp).toBeGreaterThanOrEqual(notBefore);
    expect(message.timestamp).toBeLessThan(notBefore + 1_000);
    expect(message.key?.toString()).toBe(enabled.id);
    expect(JSON.parse(message.value!.toString())).toEqual(held);
    expect(message.headers['event-type']).toBe('contact.created');
    // Counted right after the produce that the recorder saw.
    await eventually(async () => {
      const metrics = await app.get(MetricsService).text();
      expect(metrics).toContain('retry_jobs_republished_total{tier="5s",service="retry-scheduler"} 1');
      expect(metrics).toContain('retry_hold_lateness_seconds_count{service="retry-scheduler",tier="5s"} 1');
    });
  }, 30_000);

  it('does not let a job that is not due hold back a due one on another tier, or the ones ahead of it', async () => {
    const dueLater = job(enabled.id, Date.now() + 10 * 60_000, 4);
    const alreadyDue = job(enabled.id, Date.now() - 1);
    const noDelay = job(enabled.id, null);
    await schedule('30m', [alreadyDue, dueLater]);
    await schedule('5s', [noDelay]);
    await recorder.waitFor(() => republished(alreadyDue).length === 1 && republished(noDelay).length === 1, 5_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(republished(dueLater)).toEqual([]);
    expect(app.get<KafkaConsumers>(RETRY_CONSUMERS).runner(RETRY_GROUP_ID).holds()).toEqual([expect.objectContaining({ topic: TOPICS.retries('30m'), waiting: 1 })]);
    expect(await app.get(MetricsService).text()).toContain('retry_jobs_held{tier="30m",service="retry-scheduler"} 1');
  }, 30_000);

  it('drops a due job whose webhook was disabled, deleted or whose owner lost access meanwhile, recording why', async () => {
    const notBefore = Date.now() + 1_500;
    const toDisabled = job(disabledLater.id, notBefore);
    const toDeleted = job(deletedLater.id, notBefore);
    const toDeactivated = job(ownerDeactivatedLater.id, notBefore);
    const toEnabled = job(enabled.id, notBefore);
    await schedule('5s', [toDisabled, toDeleted, toDeactivated, toEnabled]);
    // The webhooks change while the jobs wait.
    await producer.send(TOPICS.subscriptions, [
      { key: disabledLater.id, value: JSON.stringify({ ...disabledLater, enabled: false, disabledReason: 'paused by a user', version: 2 }) },
      { key: deletedLater.id, value: null },
      { key: ownerDeactivatedLater.id, value: JSON.stringify({ ...ownerDeactivatedLater, owner: { ...ownerDeactivatedLater.owner, active: false }, version: 2 }) },
    ]);
    await recorder.waitFor(() => republished(toEnabled).length === 1 && [toDisabled, toDeleted, toDeactivated].every((j) => attemptsFor(j).length === 1), 5_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const dropped of [toDisabled, toDeleted, toDeactivated]) expect(republished(dropped)).toEqual([]);

    const codes = [toDisabled, toDeleted, toDeactivated].map((j) => attemptsFor(j)[0].error?.code);
    expect(codes).toEqual(['subscription_disabled', 'subscription_deleted', 'owner_lost_access']);
    const [deletedAttempt] = attemptsFor(toDeleted);
    expect(validateAttemptRecord(deletedAttempt)).toEqual({ ok: true, value: deletedAttempt });
    expect(deletedAttempt).toMatchObject({
      outcome: 'dropped',
      jobId: toDeleted.jobId,
      eventId: toDeleted.event.id,
      subscriptionId: deletedLater.id,
      attempt: 2,
      url: deletedLater.url,
      httpStatus: null,
      nextAttemptAt: null,
    });
    const attemptMessage = recorder.messages.find((m) => m.topic === TOPICS.attempts && JSON.parse(m.value!.toString()).jobId === toDeleted.jobId);
    expect(attemptMessage?.key?.toString()).toBe(deletedLater.id);
    await eventually(async () =>
      expect(await app.get(MetricsService).text()).toContain('retry_jobs_dropped_total{tier="5s",reason="subscription_deleted",service="retry-scheduler"} 1'),
    );
  }, 30_000);

  it('moves a record that is not a delivery job aside and keeps going', async () => {
    const after = job(enabled.id, null);
    await producer.send(TOPICS.retries('5m'), [{ key: enabled.id, value: '{"jobId": 42}' }]);
    await schedule('5m', [after]);
    await recorder.waitFor(() => republished(after).length === 1 && recorder.values(TOPICS.ingestRejected).length === 1);
    const [rejected] = recorder.values<RejectedRecord>(TOPICS.ingestRejected);
    expect(rejected.source).toMatchObject({ kind: 'kafka', topic: TOPICS.retries('5m'), key: enabled.id });
    expect(Buffer.from(rejected.originalBase64, 'base64').toString()).toBe('{"jobId": 42}');
    expect(rejected.reason).toMatch(/^retry-scheduler: /);
  }, 30_000);

  it('loses nothing across a restart: a held job is not committed, and is re-published once when due', async () => {
    const notBefore = Date.now() + 3_000;
    const held = job(enabled.id, notBefore, 3);
    await schedule('5m', [held]);
    await recorder.waitFor(() => app.get<KafkaConsumers>(RETRY_CONSUMERS).runner(RETRY_GROUP_ID).holds().some((hold) => hold.topic === TOPICS.retries('5m')));
    await app.close();
    app = await boot();
    producer = app.get(KafkaProducer);
    await recorder.waitFor(() => republished(held).length === 1, 10_000);
    expect(republished(held)[0].timestamp).toBeGreaterThanOrEqual(notBefore);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(republished(held)).toHaveLength(1);
  }, 30_000);
});
