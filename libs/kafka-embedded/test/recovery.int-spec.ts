import * as fs from 'node:fs';
import * as path from 'node:path';
import { startCliBroker } from './cli-broker';
import { kafkaFor, startTestBroker, tempDir, waitFor } from './test-broker';
import { buildBatch, produceBatch, WireClient } from './wire-client';

jest.setTimeout(60_000);

async function readAll(address: string, topic: string, expected: number): Promise<string[]> {
  const consumer = kafkaFor({ address }).consumer({ groupId: `reader-${Date.now()}-${Math.random()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  const values: string[] = [];
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void values.push(message.value!.toString()) });
    await waitFor(() => values.length >= expected, 15_000, `${expected} messages`);
    await new Promise((r) => setTimeout(r, 200)); // nothing beyond
  } finally {
    await consumer.disconnect();
  }
  return values;
}

async function commitOffset(port: number, groupId: string, topic: string, partition: number, offset: bigint): Promise<number> {
  const wire = await WireClient.connect(port);
  try {
    // OffsetCommit v2 from outside the group (generation -1, no member): what admin tools do.
    const r = await wire.request(8, 2, (w) => {
      w.string(groupId).int32(-1).string('').int64(-1);
      w.array([topic], (w, t) => {
        w.string(t);
        w.array([partition], (w, p) => w.int32(p).int64(offset).nullableString('meta'));
      });
    });
    r.int32();
    r.string();
    r.int32();
    r.int32();
    return r.int16();
  } finally {
    wire.close();
  }
}

function lastSegment(dataDir: string, topic: string, partition: number): string {
  const dir = path.join(dataDir, 'topics', topic, String(partition));
  const logs = fs.readdirSync(dir).filter((n) => n.endsWith('.log')).sort();
  return path.join(dir, logs[logs.length - 1]);
}

describe('durability', () => {
  it('loses no acknowledged write (nor committed offset) when the broker process is killed -9', async () => {
    const dataDir = tempDir();
    const first = await startCliBroker(dataDir);
    const acked: string[] = [];
    try {
      const kafka = kafkaFor(first);
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic: 'durable', numPartitions: 2 }] });
      await admin.disconnect();
      expect(await commitOffset(first.port, 'durable-group', 'durable', 1, 42n)).toBe(0);

      const producer = kafka.producer({ retry: { retries: 0 } });
      await producer.connect();
      let i = 0;
      let stop = false;
      // Producers keep sending while the broker is killed; only acknowledged sends count.
      const loops = [0, 1].map(async () => {
        while (!stop) {
          const values = Array.from({ length: 20 }, () => `m${i++}`);
          try {
            await producer.send({ topic: 'durable', acks: -1, messages: values.map((value) => ({ key: value, value })) });
            acked.push(...values);
          } catch {
            return;
          }
        }
      });
      await waitFor(() => acked.length >= 400, 20_000, '400 acknowledged messages');
      first.child.kill('SIGKILL');
      await first.exited;
      stop = true;
      await Promise.all(loops);
      await producer.disconnect().catch(() => undefined);
    } finally {
      first.child.kill('SIGKILL');
    }

    const second = await startCliBroker(dataDir);
    try {
      const values = await readAll(second.address, 'durable', acked.length);
      const stored = new Set(values);
      for (const v of acked) expect(stored.has(v)).toBe(true);
      const admin = kafkaFor(second).admin();
      await admin.connect();
      const [offsets] = await admin.fetchOffsets({ groupId: 'durable-group', topics: ['durable'] });
      await admin.disconnect();
      expect(offsets.partitions.find((p) => p.partition === 1)).toMatchObject({ offset: '42', metadata: 'meta' });
    } finally {
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    }
  });

  it.each([
    ['garbage appended', (file: string) => fs.appendFileSync(file, Buffer.from('this is not a record batch, just noise'))],
    ['truncated mid-batch', (file: string) => fs.truncateSync(file, fs.statSync(file).size - 17)],
    [
      'a flipped byte in the last batch',
      (file: string) => {
        const fd = fs.openSync(file, 'r+');
        const size = fs.fstatSync(fd).size;
        fs.writeSync(fd, Buffer.from([0xff]), 0, 1, size - 3);
        fs.closeSync(fd);
      },
    ],
  ])('truncates a torn tail on recovery (%s)', async (_name, damage) => {
    const broker = await startTestBroker();
    const wire = await WireClient.connect(broker.port);
    const kafka = kafkaFor(broker);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'torn', numPartitions: 1 }] });
    await admin.disconnect();
    for (let b = 0; b < 5; b++) {
      const batch = buildBatch([{ key: `k${b}`, value: `v${b}-a` }, { key: `k${b}`, value: `v${b}-b` }]);
      expect((await produceBatch(wire, 'torn', 0, batch)).errorCode).toBe(0);
    }
    wire.close();
    await broker.close();

    damage(lastSegment(broker.dataDir, 'torn', 0));
    const damagedFlip = _name.startsWith('a flipped');

    const restarted = await startTestBroker({ dataDir: broker.dataDir });
    try {
      // A flipped byte loses the whole last batch; appended garbage loses nothing; truncation loses the torn batch.
      const expectedEnd = _name === 'garbage appended' ? 10 : 8;
      expect(restarted.stats().partitions['torn/0'].logEndOffset).toBe(expectedEnd);
      const producer = kafkaFor(restarted).producer();
      await producer.connect();
      await producer.send({ topic: 'torn', acks: -1, messages: [{ value: 'after-recovery' }] });
      await producer.disconnect();
      const values = await readAll(restarted.address, 'torn', expectedEnd + 1);
      expect(values[values.length - 1]).toBe('after-recovery');
      expect(values).toHaveLength(expectedEnd + 1);
      if (damagedFlip) expect(values).not.toContain('v4-a');
    } finally {
      await restarted.close();
    }
  });

  it('remembers idempotent producer sequences across a restart', async () => {
    const broker = await startTestBroker();
    let wire = await WireClient.connect(broker.port);
    const admin = kafkaFor(broker).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'idem-restart', numPartitions: 1 }] });
    await admin.disconnect();
    const init = await wire.request(22, 1, (w) => w.nullableString(null).int32(60000));
    init.int32();
    init.int16();
    const producer = { id: Number(init.int64()), epoch: init.int16(), baseSequence: 0 };
    const batch = buildBatch([{ key: 'a', value: '1' }], producer);
    expect(await produceBatch(wire, 'idem-restart', 0, Buffer.from(batch))).toEqual({ errorCode: 0, baseOffset: 0n });
    wire.close();
    await broker.close();

    const restarted = await startTestBroker({ dataDir: broker.dataDir });
    try {
      wire = await WireClient.connect(restarted.port);
      expect(await produceBatch(wire, 'idem-restart', 0, Buffer.from(batch))).toEqual({ errorCode: 0, baseOffset: 0n });
      expect(restarted.stats().partitions['idem-restart/0'].logEndOffset).toBe(1);
      // A new producer id is never one handed out before the restart.
      const again = await wire.request(22, 1, (w) => w.nullableString(null).int32(60000));
      again.int32();
      again.int16();
      expect(Number(again.int64())).toBeGreaterThan(producer.id);
      wire.close();
    } finally {
      await restarted.close();
    }
  });
});
