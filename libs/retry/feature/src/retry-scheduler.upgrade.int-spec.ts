import type { TestingModule } from '@nestjs/testing';
import { type DeliveryJob, deliveryJob, getEventDefinition, newId, RETRY_TIERS, type RetryTierName, type SubscriptionRecord, TOPICS } from '@harmony/contracts';
import { loadConfig } from '@harmony/platform-config';
import { KafkaConnection, type KafkaConsumers, KafkaProducer, PIPELINE_TOPIC_SPECS, TopicAdmin } from '@harmony/platform-kafka';
import { createLogger } from '@harmony/platform-observability';
import { compileServiceModule, startTestBroker, type TestBroker, TopicRecorder } from '@harmony/testing';
import { SubscriptionView } from '@harmony/webhooks/subscription-view';
import { RetrySchedulerModule } from './retry-scheduler.module';
import { formerRetryGroupId, RETRY_CONSUMERS, RETRY_GROUP_ID } from './retry-tiers.consumer';

const WORKSPACE = newId('workspace');
const SUBSCRIPTION: SubscriptionRecord = {
  id: newId('subscription'),
  workspaceId: WORKSPACE,
  name: 'hook',
  url: 'https://receiver.example.com/hooks/upgrade',
  eventTypes: '*',
  enabled: true,
  disabledReason: null,
  owner: { memberId: newId('member'), userId: newId('user'), role: 'member', teamIds: [], active: true },
  rateLimitPerSecond: null,
  headers: {},
  secrets: [{ id: newId('secret'), secret: `whsec_${Buffer.alloc(24, 7).toString('base64')}`, createdAt: '2026-11-27T08:00:00.000Z', expiresAt: null }],
  version: 1,
  updatedAt: '2026-11-27T08:00:00.000Z',
};

/** A retry of attempt `attempt`, built by the contracts' constructor and made a due retry. */
function job(attempt: number): DeliveryJob {
  const event = { id: newId('event'), type: 'contact.created', workspaceId: WORKSPACE, occurredAt: '2026-11-27T08:00:00.000Z', data: getEventDefinition('contact.created')!.example, access: { scope: 'workspace' as const } };
  return {
    ...deliveryJob({ subscription: SUBSCRIPTION, event, reason: 'new' }),
    attempt,
    firstAttemptAt: '2026-11-27T08:00:01.000Z',
    // Due already: only the committed offsets decide whether it is released (again).
    notBefore: new Date(Date.now() - 1_000).toISOString(),
    reason: 'retry',
  };
}

/**
 * Upgrading from one consumer group per tier (`webhooks.retry-scheduler.<tier>`)
 * to one for all tiers: the new group starts where each tier's group stopped,
 * so a retry the old version released is not released again, and one it had
 * not is released.
 */
describe('retry-scheduler after the upgrade to one consumer group', () => {
  let broker: TestBroker;
  let connection: KafkaConnection;
  let producer: KafkaProducer;
  let admin: TopicAdmin;
  let app: TestingModule | undefined;
  let recorder: TopicRecorder | undefined;

  beforeAll(async () => {
    broker = await startTestBroker();
    connection = await KafkaConnection.open(loadConfig({ KAFKA_BROKERS: broker.address, LOG_LEVEL: 'silent' }), createLogger({ service: 'test', level: 'silent' }));
    producer = new KafkaProducer(connection);
    admin = new TopicAdmin(connection, { partitions: 3, replicationFactor: 1 }, createLogger({ service: 'test', level: 'silent' }));
    await admin.ensureTopics([...PIPELINE_TOPIC_SPECS]);
    if (process.env['KAFKA_BROKERS']) {
      // A shared broker may know the groups from an earlier run: start as a first upgrade does.
      await (await admin.connect()).deleteGroups([RETRY_GROUP_ID, ...RETRY_TIERS.map(({ name }) => formerRetryGroupId(name))]).catch(() => undefined);
    }
  }, 60_000);

  afterAll(async () => {
    await recorder?.stop();
    await app?.close();
    await producer?.disconnect();
    await admin?.close();
    await broker?.close();
  }, 30_000);

  async function schedule(tier: RetryTierName, jobs: DeliveryJob[]): Promise<void> {
    await producer.send(
      TOPICS.retries(tier),
      jobs.map((j) => ({ key: j.subscriptionId, value: JSON.stringify(j), headers: { 'event-type': j.event.type } })),
    );
  }

  /** What the old version committed: these tiers' groups at the end of their topics (5m's group never committed). */
  async function oldVersionCommitted(tiers: RetryTierName[]): Promise<void> {
    const kafka = await admin.connect();
    await Promise.all(
      tiers.map(async (tier) => {
        const topic = TOPICS.retries(tier);
        const partitions = (await kafka.fetchTopicOffsets(topic)).map(({ partition, high }) => ({ partition, offset: high }));
        await kafka.setOffsets({ groupId: formerRetryGroupId(tier), topic, partitions });
      }),
    );
  }

  it('releases the retries the per-tier groups had not committed, and none they had', async () => {
    await producer.send(TOPICS.subscriptions, [{ key: SUBSCRIPTION.id, value: JSON.stringify(SUBSCRIPTION) }]);
    const releasedBefore = { '5s': job(2), '30m': job(4), '10h': job(7) };
    await schedule('5s', [releasedBefore['5s']]);
    await schedule('30m', [releasedBefore['30m']]);
    await schedule('10h', [releasedBefore['10h']]);
    await oldVersionCommitted(['5s', '30m', '10h']);
    // Scheduled while the old version was down (or after its last commit).
    const pending = { '5s': job(2), '5m': job(3), '10h': job(8) };
    await schedule('5s', [pending['5s']]);
    await schedule('5m', [pending['5m']]);
    await schedule('10h', [pending['10h']]);

    app = await compileServiceModule('retry-scheduler', RetrySchedulerModule, loadConfig({ KAFKA_BROKERS: broker.address, LOG_LEVEL: 'silent' }));
    await app.init();
    await app.get<KafkaConsumers>(RETRY_CONSUMERS).whenReady();
    expect(app.get(SubscriptionView).index.size).toBeGreaterThanOrEqual(1);

    recorder = new TopicRecorder(connection, [TOPICS.deliveries]);
    await recorder.start();
    const released = (j: DeliveryJob): number => recorder!.values<DeliveryJob>(TOPICS.deliveries).filter((d) => d.jobId === j.jobId).length;
    await recorder.waitFor(() => Object.values(pending).every((j) => released(j) === 1), 15_000);
    // Long enough for a re-release from the beginning of a tier (the new group's first fetch returns them all at once).
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    // Without the carry-over the new group reads every tier from the beginning: each of these would go out again.
    expect(Object.values(releasedBefore).map(released)).toEqual([0, 0, 0]);
    expect(Object.values(pending).map(released)).toEqual([1, 1, 1]);
  }, 90_000);
});
