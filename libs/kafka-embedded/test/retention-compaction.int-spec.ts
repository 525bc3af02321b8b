import { CompressionTypes } from 'kafkajs';
import { kafkaFor, startTestBroker, waitFor } from './test-broker';
import { buildBatch, produceBatch, WireClient } from './wire-client';

jest.setTimeout(30_000);

async function readAll(address: string, topic: string, expected: number) {
  const consumer = kafkaFor({ address }).consumer({ groupId: `r-${Math.random()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  const got: { key: string | null; value: string | null; offset: number }[] = [];
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void got.push({ key: message.key?.toString() ?? null, value: message.value?.toString() ?? null, offset: Number(message.offset) }) });
  await waitFor(() => got.length >= expected, 10_000, `${expected} messages`);
  await new Promise((r) => setTimeout(r, 300));
  await consumer.disconnect();
  return got;
}

describe('retention and compaction', () => {
  it('deletes whole old segments by size and moves the log start offset', async () => {
    const broker = await startTestBroker();
    try {
      const admin = kafkaFor(broker).admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic: 'sized', configEntries: [{ name: 'segment.bytes', value: '2048' }, { name: 'retention.bytes', value: '4096' }] }] });
      const wire = await WireClient.connect(broker.port);
      for (let i = 0; i < 40; i++) await produceBatch(wire, 'sized', 0, buildBatch([{ key: null, value: `v${i}-${'z'.repeat(300)}` }]));
      wire.close();
      await broker.maintain();
      const p = broker.stats().partitions['sized/0'];
      expect(p.logEndOffset).toBe(40);
      expect(p.logStartOffset).toBeGreaterThan(0);
      expect(p.sizeBytes).toBeLessThanOrEqual(4096 + 2048);
      const [offsets] = await admin.fetchTopicOffsets('sized');
      expect(offsets.low).toBe(String(p.logStartOffset));
      const got = await readAll(broker.address, 'sized', 40 - p.logStartOffset);
      expect(got[0].offset).toBe(p.logStartOffset);
      await admin.disconnect();
    } finally {
      await broker.close();
    }
  });

  it('deletes segments older than retention.ms', async () => {
    const broker = await startTestBroker();
    try {
      const admin = kafkaFor(broker).admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic: 'timed', configEntries: [{ name: 'retention.ms', value: '60000' }] }] });
      await admin.disconnect();
      const wire = await WireClient.connect(broker.port);
      const old = Date.now() - 3_600_000;
      for (let i = 0; i < 3; i++) await produceBatch(wire, 'timed', 0, buildBatch([{ key: null, value: `old${i}` }], undefined, old));
      wire.close();
      await broker.maintain();
      const p = broker.stats().partitions['timed/0'];
      expect(p).toMatchObject({ logStartOffset: 3, logEndOffset: 3 });
    } finally {
      await broker.close();
    }
  });

  it('compacts: latest value per key, tombstones dropped after delete.retention.ms, gzip and offsets preserved', async () => {
    const broker = await startTestBroker();
    try {
      const admin = kafkaFor(broker).admin();
      await admin.connect();
      await admin.createTopics({
        topics: [
          {
            topic: 'compacted',
            configEntries: [
              { name: 'cleanup.policy', value: 'compact' },
              { name: 'segment.bytes', value: '1024' },
              { name: 'delete.retention.ms', value: '0' },
            ],
          },
        ],
      });
      await admin.disconnect();
      const producer = kafkaFor(broker).producer();
      await producer.connect();
      for (let round = 0; round < 5; round++) {
        await producer.send({
          topic: 'compacted',
          compression: round % 2 ? CompressionTypes.GZIP : CompressionTypes.None,
          messages: ['a', 'b', 'c'].map((k) => ({ key: k, value: `${k}${round}-${'p'.repeat(100)}` })),
        });
      }
      await producer.send({ topic: 'compacted', messages: [{ key: 'b', value: null }] }); // tombstone
      // Roll past everything so all of it is in closed segments.
      await producer.send({ topic: 'compacted', messages: [{ key: 'tail', value: 'x'.repeat(1100) }] });
      await producer.send({ topic: 'compacted', messages: [{ key: 'tail', value: 'active' }] });
      await producer.disconnect();
      const end = broker.stats().partitions['compacted/0'].logEndOffset;
      expect(end).toBe(18);

      await broker.maintain();
      const got = await readAll(broker.address, 'compacted', 3);
      const byKey = new Map(got.map((m) => [m.key, m]));
      expect(byKey.get('a')?.value).toMatch(/^a4-/);
      expect(byKey.get('c')?.value).toMatch(/^c4-/);
      expect(byKey.has('b')).toBe(false); // tombstone gone after delete.retention.ms=0
      expect(byKey.get('tail')?.value).toBe('active'); // the active segment's tail is untouched
      expect(got.filter((m) => m.key === 'a')).toHaveLength(1);
      expect(byKey.get('a')?.offset).toBe(12); // offsets never change
      expect(broker.stats().partitions['compacted/0'].logEndOffset).toBe(18);
    } finally {
      await broker.close();
    }
  });
});

