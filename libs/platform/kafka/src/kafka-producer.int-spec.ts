import type { KafkaConnection } from './kafka-connection';
import { type KafkaFixture, startKafkaFixture, TEST_LOGGER } from './kafka-test.fixture';
import { KafkaProducer } from './kafka-producer';
import { TopicAdmin } from './topic-admin';
import { TopicFollower } from './topic-follower';

const logger = TEST_LOGGER;

describe('KafkaProducer', () => {
  let kafka: KafkaFixture;
  let connection: KafkaConnection;
  let admin: TopicAdmin;
  let coalesced: string;
  let coalescedOther: string;

  beforeAll(async () => {
    kafka = await startKafkaFixture();
    ({ connection, admin } = kafka);
    coalesced = kafka.unique('coalesced');
    coalescedOther = kafka.unique('coalesced-other');
    await admin.ensureTopics([{ topic: coalesced }, { topic: coalescedOther }]);
  }, 30_000);

  afterAll(() => kafka.close());

  async function readAll(topics: string[]): Promise<{ topic: string; key: string; value: string }[]> {
    const seen: { topic: string; key: string; value: string }[] = [];
    const follower = new TopicFollower(
      connection,
      { name: kafka.unique('producer-test'), topics, from: 'earliest', apply: (m) => seen.push({ topic: m.topic, key: m.key!.toString(), value: m.value!.toString() }) },
      logger,
    );
    await follower.start();
    await follower.stop();
    return seen;
  }

  it('coalesces concurrent sends into few requests, keeping every message and each key in order', async () => {
    const producer = new KafkaProducer(connection, logger);
    await producer.connect();
    const sends = Array.from({ length: 200 }, (_, i) =>
      i % 2 === 0
        ? producer.send(coalesced, [{ key: `k${i % 5}`, value: String(i) }])
        : producer.sendBatch([{ topic: coalescedOther, messages: [{ key: `k${i % 5}`, value: String(i) }] }]),
    );
    await Promise.all(sends);
    expect(producer.requests).toBeLessThan(20);
    // A send made right after the queue drained is not stranded.
    await producer.send(coalesced, [{ key: 'k0', value: 'after' }]);
    await producer.disconnect();

    const seen = await readAll([coalesced, coalescedOther]);
    expect(seen).toHaveLength(201);
    for (const topic of [coalesced, coalescedOther]) {
      for (let k = 0; k < 5; k++) {
        const values = seen.filter((m) => m.topic === topic && m.key === `k${k}` && m.value !== 'after').map((m) => Number(m.value));
        expect(values).toEqual([...values].sort((a, b) => a - b));
      }
    }
  }, 30_000);

  it('fails only the send that cannot be produced, not the others that shared its request', async () => {
    const producer = new KafkaProducer(connection, logger);
    await producer.connect();
    const results = await Promise.allSettled([
      producer.send(coalesced, [{ key: 'a', value: 'first' }]),
      producer.send(coalesced, [{ key: 'b', value: 'ok-1' }]),
      producer.send(kafka.unique('no-such-topic'), [{ key: 'c', value: 'lost' }]),
      producer.send(coalesced, [{ key: 'd', value: 'ok-2' }]),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    await producer.disconnect();
  }, 30_000);
});
