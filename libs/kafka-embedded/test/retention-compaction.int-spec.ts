import { Admin, CompressionTypes } from 'kafkajs';
import { type BrokerUnderTest, createTopics, kafkaFor, startBrokerUnderTest, unique, waitFor } from './test-broker';
import { buildBatch, produceBatch, WireClient } from './wire-client';

jest.setTimeout(60_000);

/**
 * What a client sees of retention and compaction: the log start offset moves, old records are
 * gone, the latest value per key stays, offsets never change. Runs on the embedded broker
 * (maintenance forced with maintain()) and, in `npm run test:apache-kafka`, on Apache Kafka (its
 * retention check and log cleaner run every second there). Segments roll by time (segment.ms):
 * Apache Kafka 4 refuses segment.bytes under 1 MiB.
 */
/** Everything from the beginning up to the record at `lastOffset`. */
async function readAll(address: string, topic: string, lastOffset: number) {
  const consumer = kafkaFor({ address }).consumer({ groupId: unique('reader'), maxWaitTimeInMs: 100 });
  await consumer.connect();
  const got: { key: string | null; value: string | null; offset: number }[] = [];
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void got.push({ key: message.key?.toString() ?? null, value: message.value?.toString() ?? null, offset: Number(message.offset) }) });
  await waitFor(() => got.some((m) => m.offset >= lastOffset), 10_000, `the record at offset ${lastOffset}`);
  await consumer.disconnect();
  return got;
}

describe('retention and compaction', () => {
  let broker: BrokerUnderTest;
  let admin: Admin;

  beforeAll(async () => {
    broker = await startBrokerUnderTest();
    admin = kafkaFor(broker).admin();
    await admin.connect();
  });
  afterAll(async () => {
    await admin.disconnect();
    await broker.close();
  });

  /** Until the condition holds: the embedded broker's maintenance is run now, Apache Kafka's comes by itself. */
  async function maintainedUntil(condition: () => Promise<boolean>, what: string): Promise<void> {
    await waitFor(
      async () => {
        await broker.embedded?.maintain();
        return condition();
      },
      30_000,
      what,
    );
  }
  const offsets = async (topic: string) => (await admin.fetchTopicOffsets(topic))[0];
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('deletes whole old segments by size and moves the log start offset', async () => {
    const topic = unique('sized');
    await createTopics(admin, [{ topic, configEntries: [{ name: 'segment.ms', value: '100' }, { name: 'retention.bytes', value: '4096' }] }]);
    const wire = await WireClient.connect(broker.port, broker.host);
    // Ten segments of about 1.3 KB (a pause past segment.ms rolls the next append into a new one).
    for (let i = 0; i < 40; i++) {
      if (i % 4 === 0 && i > 0) await pause(150);
      await produceBatch(wire, topic, 0, buildBatch([{ key: null, value: `v${i}-${'z'.repeat(300)}` }]));
    }
    wire.close();
    await maintainedUntil(async () => Number((await offsets(topic)).low) > 0, 'old segments deleted');
    // Apache Kafka may delete more in its next checks (every second): read once the start stays put.
    let low = (await offsets(topic)).low;
    for (let stable = 0; stable < 2; ) {
      await pause(1_200);
      const now = (await offsets(topic)).low;
      stable = now === low ? stable + 1 : 0;
      low = now;
    }
    const { high } = await offsets(topic);
    expect(high).toBe('40');
    // A reader from the beginning starts at the log start and misses nothing after it.
    const got = await readAll(broker.address, topic, 39);
    expect(got.map((m) => m.offset)).toEqual(Array.from({ length: 40 - Number(low) }, (_, i) => Number(low) + i));
  });

  it('deletes segments older than retention.ms', async () => {
    const topic = unique('timed');
    await createTopics(admin, [{ topic, configEntries: [{ name: 'retention.ms', value: '60000' }] }]);
    const wire = await WireClient.connect(broker.port, broker.host);
    const old = Date.now() - 3_600_000;
    for (let i = 0; i < 3; i++) await produceBatch(wire, topic, 0, buildBatch([{ key: null, value: `old${i}` }], undefined, old));
    wire.close();
    await maintainedUntil(async () => (await offsets(topic)).low === '3', 'the expired segment deleted');
    expect(await offsets(topic)).toMatchObject({ low: '3', high: '3' });
  });

  it('compacts: latest value per key, tombstones dropped after delete.retention.ms, gzip and offsets preserved', async () => {
    const topic = unique('compacted');
    await createTopics(admin, [
      {
        topic,
        configEntries: [
          { name: 'cleanup.policy', value: 'compact' },
          { name: 'segment.ms', value: '100' },
          { name: 'delete.retention.ms', value: '0' },
          { name: 'min.cleanable.dirty.ratio', value: '0.01' },
        ],
      },
    ]);
    const producer = kafkaFor(broker).producer();
    await producer.connect();
    for (let round = 0; round < 5; round++) {
      await producer.send({
        topic,
        compression: round % 2 ? CompressionTypes.GZIP : CompressionTypes.None,
        messages: ['a', 'b', 'c'].map((k) => ({ key: k, value: `${k}${round}-${'p'.repeat(100)}` })),
      });
    }
    await producer.send({ topic, messages: [{ key: 'b', value: null }] }); // tombstone
    // Roll past everything so all of it is in closed segments; the last record stays in the active one.
    await pause(150);
    await producer.send({ topic, messages: [{ key: 'tail', value: 'x'.repeat(1100) }] });
    await pause(150);
    await producer.send({ topic, messages: [{ key: 'tail', value: 'active' }] });
    expect((await offsets(topic)).high).toBe('18');

    // Apache Kafka drops a tombstone in a cleaning after the one that first kept it: a later
    // record (key "more", rolled into its own segment) makes the log dirty again when needed.
    let got: Awaited<ReturnType<typeof readAll>> = [];
    await maintainedUntil(async () => {
      const ends = await offsets(topic);
      got = await readAll(broker.address, topic, Number(ends.high) - 1);
      const compacted = got.filter((m) => m.key === 'a').length === 1 && !got.some((m) => m.key === 'b');
      if (!compacted) {
        await pause(150);
        await producer.send({ topic, messages: [{ key: 'more', value: ends.high }] });
      }
      return compacted;
    }, 'compaction');
    await producer.disconnect();
    const byKey = new Map(got.map((m) => [m.key, m]));
    expect(byKey.get('a')?.value).toMatch(/^a4-/);
    expect(byKey.get('c')?.value).toMatch(/^c4-/);
    expect(byKey.has('b')).toBe(false); // tombstone gone after delete.retention.ms=0
    expect(got.find((m) => m.offset === 17)?.value).toBe('active'); // the tail is untouched
    expect(byKey.get('a')?.offset).toBe(12); // offsets never change
    expect(byKey.get('c')?.offset).toBe(14);
  });
});
