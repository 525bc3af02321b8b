import { Test } from '@nestjs/testing';
import { EVENT_TOPICS, TOPICS, UPSTREAM_TOPICS, WEBHOOK_TOPICS } from '@harmony/contracts';
import { ConfigModule, loadConfig } from '@harmony/platform-config';
import { createLogger, HealthService, ObservabilityModule } from '@harmony/platform-observability';
import { type DisposableBroker, startDisposableBroker } from './kafka-test.fixture';
import { KafkaModule } from './kafka.module';
import { KafkaProducer } from './kafka-producer';
import { TopicAdmin } from './topic-admin';

// A broker of its own (the pipeline topics have fixed names; a shared broker may hold them with other partition counts), stopped by the last test.
describe('KafkaModule', () => {
  let broker: DisposableBroker;
  let stopped = false;

  beforeAll(async () => {
    broker = await startDisposableBroker();
  }, 120_000);

  afterAll(async () => {
    if (!stopped) await broker.close();
  });

  async function boot(brokers: string) {
    const config = loadConfig({ KAFKA_BROKERS: brokers, KAFKA_TOPIC_PARTITIONS: '2', LOG_LEVEL: 'silent' });
    const module = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot(config),
        ObservabilityModule.forRoot({ service: 'test', logger: createLogger({ service: 'test', level: 'silent' }) }),
        KafkaModule.forRoot(),
      ],
    }).compile();
    return module;
  }

  it('provisions every pipeline topic at start, with the configured partitions', async () => {
    const module = await boot(broker.address);
    await module.init();
    const admin = await module.get(TopicAdmin).connect();
    const topics = await admin.listTopics();
    for (const topic of [...WEBHOOK_TOPICS.map((definition) => definition.name), ...UPSTREAM_TOPICS, ...EVENT_TOPICS]) {
      expect(topics).toContain(topic);
    }
    const metadata = await admin.fetchTopicMetadata({ topics: [TOPICS.deliveries] });
    expect(metadata.topics[0].partitions).toHaveLength(2);
    // The state topics are created compacted on the broker; the others keep the default (delete).
    expect(await broker.topicConfigs(TOPICS.subscriptions)).toMatchObject({ 'cleanup.policy': 'compact' });
    expect(await broker.topicConfigs(TOPICS.apiKeys)).toMatchObject({ 'cleanup.policy': 'compact' });
    expect((await broker.topicConfigs(TOPICS.deliveries))['cleanup.policy']).toBeUndefined();
    await module.close();
  }, 30_000);

  it('is ready with a reachable broker and produces idempotently with acks=all', async () => {
    const module = await boot(broker.address);
    await module.init();
    expect((await module.get(HealthService).readiness()).checks).toEqual([expect.objectContaining({ name: 'kafka', ok: true })]);
    const producer = module.get(KafkaProducer);
    await producer.send(TOPICS.ingestRejected, [{ key: null, value: 'x' }]);
    expect(producer.idempotent).toBe(true);
    await module.close();
  }, 30_000);

  it('reports not ready, with the reason, once the broker goes away', async () => {
    const module = await boot(broker.address);
    await module.init();
    const health = module.get(HealthService);
    expect((await health.readiness()).status).toBe('ready');
    await broker.close();
    stopped = true;
    const report = await health.readiness();
    expect(report.status).toBe('not_ready');
    expect(report.checks[0]).toMatchObject({ name: 'kafka', ok: false });
    await module.close();
  }, 60_000);
});
