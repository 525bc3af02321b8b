import type { KafkaConnection } from './kafka-connection';
import { type KafkaFixture, startKafkaFixture, TEST_LOGGER } from './kafka-test.fixture';
import { KafkaProducer } from './kafka-producer';
import { TopicAdmin } from './topic-admin';
import { TopicFollower } from './topic-follower';

const logger = TEST_LOGGER;

describe('TopicFollower', () => {
  let kafka: KafkaFixture;
  let connection: KafkaConnection;
  let producer: KafkaProducer;
  let admin: TopicAdmin;

  beforeAll(async () => {
    kafka = await startKafkaFixture();
    ({ connection, producer, admin } = kafka);
  });

  afterAll(() => kafka.close());

  it('is ready only once it has read everything present at start, then keeps following', async () => {
    const state = kafka.unique('state');
    await admin.ensureTopics([{ topic: state, partitions: 3 }]);
    await producer.send(state, Array.from({ length: 30 }, (_, i) => ({ key: `k${i % 10}`, value: String(i) })));
    const latest = new Map<string, string>();
    const follower = new TopicFollower(
      connection,
      { name: 'test-state', topics: [state], from: 'earliest', apply: (m) => latest.set(m.key!.toString(), m.value!.toString()) },
      logger,
    );
    await follower.start();
    expect(follower.ready).toBe(true);
    // Each key's last value, whatever partition it is on.
    expect(latest.size).toBe(10);
    expect(latest.get('k3')).toBe('23');
    await producer.send(state, [{ key: 'k3', value: 'new' }]);
    const deadline = Date.now() + 10_000;
    while (latest.get('k3') !== 'new' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(latest.get('k3')).toBe('new');
    await follower.stop();
  }, 30_000);

  it('starts from a point in time, skipping older history', async () => {
    const recent = kafka.unique('recent');
    await admin.ensureTopics([{ topic: recent, partitions: 1 }]);
    await producer.send(recent, [{ key: null, value: 'old' }]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const since = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 10));
    await producer.send(recent, [{ key: null, value: 'fresh' }]);
    const seen: string[] = [];
    const follower = new TopicFollower(connection, { name: 'test-recent', topics: [recent], from: { timestamp: since }, apply: (m) => seen.push(m.value!.toString()) }, logger);
    await follower.start();
    expect(seen).toEqual(['fresh']);
    await follower.stop();
  }, 30_000);

  it('is ready at once on empty topics', async () => {
    const empty = kafka.unique('empty');
    await admin.ensureTopics([{ topic: empty, partitions: 2 }]);
    const follower = new TopicFollower(connection, { name: 'test-empty', topics: [empty], from: 'earliest', apply: () => undefined }, logger);
    await follower.start();
    expect(follower.ready).toBe(true);
    await follower.stop();
  }, 30_000);

  it('serves several users with one read: each start waits for the catch up, it stops with the last user', async () => {
    const shared = kafka.unique('shared');
    await admin.ensureTopics([{ topic: shared, partitions: 2 }]);
    await producer.send(shared, Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, value: String(i) })));
    let applied = 0;
    const follower = new TopicFollower(connection, { name: 'test-shared', topics: [shared], from: 'earliest', apply: () => void applied++ }, logger);
    await Promise.all([follower.start(), follower.start()]);
    expect(follower.ready).toBe(true);
    expect(applied).toBe(10);
    await follower.stop();
    // The other user still follows.
    expect(follower.consuming).toBe(true);
    await producer.send(shared, [{ key: 'k0', value: 'again' }]);
    const deadline = Date.now() + 10_000;
    while (applied < 11 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(applied).toBe(11);
    await follower.stop();
    expect(follower.consuming).toBe(false);
  }, 30_000);
});
