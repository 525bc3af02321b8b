import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { CompressionTypes, Consumer } from 'kafkajs';
import { type BrokerUnderTest, createTopics, kafkaFor, startBrokerUnderTest, unique, waitFor } from './test-broker';
import { buildBatch, produceBatch, WireClient } from './wire-client';

jest.setTimeout(60_000);

const REPO_ROOT = path.resolve(__dirname, '../../..');

// Client-visible behaviour only: the same file runs on Apache Kafka in `npm run test:apache-kafka`.
describe('kafkajs against the broker under test (embedded, or Apache Kafka with KAFKA_BROKERS)', () => {
  let broker: BrokerUnderTest;
  const cleanups: (() => Promise<unknown> | void)[] = [];

  beforeAll(async () => {
    broker = await startBrokerUnderTest();
  });
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  afterAll(async () => {
    await broker.close();
  });

  async function admin() {
    const a = kafkaFor(broker).admin();
    await a.connect();
    cleanups.push(() => a.disconnect());
    return a;
  }

  async function consumeAll(topic: string, groupId: string, count: number, opts: { fromBeginning?: boolean } = {}) {
    const consumer = kafkaFor(broker).consumer({ groupId, sessionTimeout: 3000, heartbeatInterval: 300, maxWaitTimeInMs: 100 });
    await consumer.connect();
    cleanups.push(() => consumer.disconnect());
    const got: { key: string | null; value: string | null; headers: Record<string, string>; offset: string; partition: number }[] = [];
    await consumer.subscribe({ topic, fromBeginning: opts.fromBeginning ?? true });
    await consumer.run({
      eachMessage: async ({ message, partition }) => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(v);
        got.push({ key: message.key?.toString() ?? null, value: message.value?.toString() ?? null, headers, offset: message.offset, partition });
      },
    });
    await waitFor(() => got.length >= count, 15_000, `${count} messages on ${topic}`);
    return { got, consumer };
  }

  it('creates topics and answers TOPIC_ALREADY_EXISTS for an existing one', async () => {
    const a = await admin();
    const created = unique('created');
    expect(await createTopics(a, [{ topic: created, numPartitions: 3, configEntries: [{ name: 'retention.ms', value: '3600000' }] }])).toBe(true);
    // kafkajs swallows TOPIC_ALREADY_EXISTS and answers false.
    expect(await createTopics(a, [{ topic: created, numPartitions: 3 }])).toBe(false);
    const meta = await a.fetchTopicMetadata({ topics: [created] });
    expect(meta.topics[0].partitions).toHaveLength(3);

    const wire = await WireClient.connect(broker.port, broker.host);
    cleanups.push(() => wire.close());
    const r = await wire.request(19, 3, (w) => {
      w.array([created], (w, name) => w.string(name).int32(1).int16(1).int32(0).int32(0));
      w.int32(1000).bool(false);
    });
    r.int32(); // throttle
    expect(r.int32()).toBe(1);
    expect(r.string()).toBe(created);
    expect(r.int16()).toBe(36);
  });

  it('produces with acks -1, 1 and 0', async () => {
    const a = await admin();
    const acks = unique('acks');
    await createTopics(a, [{ topic: acks, numPartitions: 1 }]);
    const producer = kafkaFor(broker).producer();
    await producer.connect();
    cleanups.push(() => producer.disconnect());
    const all = await producer.send({ topic: acks, acks: -1, messages: [{ value: 'all' }] });
    expect(all[0]).toMatchObject({ errorCode: 0, baseOffset: '0' });
    const leader = await producer.send({ topic: acks, acks: 1, messages: [{ value: 'leader' }] });
    expect(leader[0]).toMatchObject({ errorCode: 0, baseOffset: '1' });
    await producer.send({ topic: acks, acks: 0, messages: [{ value: 'none' }] });
    await waitFor(async () => (await a.fetchTopicOffsets(acks))[0].high === '3', 5000, 'acks=0 write');
    const { got } = await consumeAll(acks, unique('acks-reader'), 3);
    expect(got.map((m) => m.value)).toEqual(['all', 'leader', 'none']);
  });

  it('answers a replayed idempotent batch with its original offset and stores it once; a gap is error 45', async () => {
    const a = await admin();
    const idem = unique('idem');
    await createTopics(a, [{ topic: idem, numPartitions: 1 }]);
    const wire = await WireClient.connect(broker.port, broker.host);
    cleanups.push(() => wire.close());
    // As a client does, retry while the broker is still getting its producer-id block
    // (Apache Kafka answers COORDINATOR_LOAD_IN_PROGRESS, 14, right after it starts).
    let init = await wire.request(22, 1, (w) => w.nullableString(null).int32(60000));
    for (let tries = 0; ; tries++) {
      init.int32(); // throttle
      const errorCode = init.int16();
      if (errorCode !== 14 || tries === 50) {
        expect(errorCode).toBe(0);
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
      init = await wire.request(22, 1, (w) => w.nullableString(null).int32(60000));
    }
    const producerId = Number(init.int64());
    const epoch = init.int16();

    const first = buildBatch([{ key: 'a', value: '1' }, { key: 'b', value: '2' }], { id: producerId, epoch, baseSequence: 0 });
    expect(await produceBatch(wire, idem, 0, Buffer.from(first))).toEqual({ errorCode: 0, baseOffset: 0n });
    const second = buildBatch([{ key: 'c', value: '3' }], { id: producerId, epoch, baseSequence: 2 });
    expect(await produceBatch(wire, idem, 0, Buffer.from(second))).toEqual({ errorCode: 0, baseOffset: 2n });
    // The replay (a retry after a lost response): original offset, nothing appended.
    expect(await produceBatch(wire, idem, 0, Buffer.from(second))).toEqual({ errorCode: 0, baseOffset: 2n });
    expect(await produceBatch(wire, idem, 0, Buffer.from(first))).toEqual({ errorCode: 0, baseOffset: 0n });
    expect((await a.fetchTopicOffsets(idem))[0].high).toBe('3');
    const gap = buildBatch([{ key: 'd', value: '4' }], { id: producerId, epoch, baseSequence: 7 });
    expect((await produceBatch(wire, idem, 0, gap)).errorCode).toBe(45);
    const next = buildBatch([{ key: 'd', value: '4' }], { id: producerId, epoch, baseSequence: 3 });
    expect(await produceBatch(wire, idem, 0, next)).toEqual({ errorCode: 0, baseOffset: 3n });

    // And kafkajs's own idempotent producer works end to end.
    const producer = kafkaFor(broker).producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    cleanups.push(() => producer.disconnect());
    await producer.send({ topic: idem, acks: -1, messages: [{ key: 'e', value: '5' }] });
    await producer.send({ topic: idem, acks: -1, messages: [{ key: 'f', value: '6' }] });
    const { got } = await consumeAll(idem, unique('idem-reader'), 6);
    expect(got.map((m) => m.value)).toEqual(['1', '2', '3', '4', '5', '6']);
  });

  it('round-trips gzip batches with headers', async () => {
    const producer = kafkaFor(broker).producer();
    await producer.connect();
    cleanups.push(() => producer.disconnect());
    const messages = Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: `value-${i}-${'x'.repeat(200)}`, headers: { 'trace-id': `t${i}`, kind: 'gzip' } }));
    const gzipped = unique('gzipped');
    await producer.send({ topic: gzipped, compression: CompressionTypes.GZIP, acks: -1, messages });
    const { got } = await consumeAll(gzipped, unique('gzip-reader'), 50);
    expect(got.map((m) => m.value)).toEqual(messages.map((m) => m.value));
    expect(got[7].headers).toEqual({ 'trace-id': 't7', kind: 'gzip' });
  });

  it('keeps every message through a group going 2 → 3 → 2 members (one killed, evicted by session timeout)', async () => {
    const topic = unique('grouped');
    const groupId = unique('rebalancing');
    const a = await admin();
    await createTopics(a, [{ topic, numPartitions: 6 }]);
    const producer = kafkaFor(broker).producer();
    await producer.connect();
    cleanups.push(() => producer.disconnect());
    const consumed = new Set<string>();
    let next = 0;
    const produce = async (n: number) => {
      const messages = Array.from({ length: n }, () => ({ key: String(next), value: String(next++) }));
      await producer.send({ topic, acks: -1, messages });
    };

    const members: Consumer[] = [];
    for (let i = 0; i < 2; i++) {
      const c = kafkaFor(broker, `member-${i}`).consumer({ groupId, sessionTimeout: 3000, heartbeatInterval: 300, rebalanceTimeout: 6000, maxWaitTimeInMs: 200 });
      await c.connect();
      cleanups.push(() => c.disconnect());
      await c.subscribe({ topic, fromBeginning: true });
      await c.run({ autoCommitInterval: 200, eachMessage: async ({ message }) => void consumed.add(message.value!.toString()) });
      members.push(c);
    }
    await produce(60);
    await waitFor(() => consumed.size === 60, 15_000, 'phase 1');
    const memberCount = async () => {
      const [g] = (await a.describeGroups([groupId])).groups;
      return g.state === 'Stable' ? g.members.length : -1;
    };
    await waitFor(async () => (await memberCount()) === 2, 10_000, '2 members');

    // A third member in a child process.
    const child: ChildProcess = spawn(process.execPath, ['scripts/run-ts.js', 'libs/kafka-embedded/test/fixtures/group-member.ts', broker.address, topic, groupId], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    cleanups.push(() => void child.kill('SIGKILL'));
    let childJoined = false;
    let childMessages = 0;
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) {
        if (line.startsWith('joined')) childJoined = true;
        if (line.startsWith('msg ')) {
          consumed.add(line.slice(4));
          childMessages++;
        }
      }
    });
    await waitFor(async () => childJoined && (await memberCount()) === 3, 20_000, '3 members');
    await produce(60);
    await waitFor(() => consumed.size === 120, 15_000, 'phase 2');
    expect(childMessages).toBeGreaterThan(0);

    // Killed: no LeaveGroup, no heartbeats. The session timeout evicts it.
    child.kill('SIGKILL');
    await produce(60);
    await waitFor(async () => (await memberCount()) === 2, 20_000, 'eviction back to 2 members');
    await waitFor(() => consumed.size === 180, 20_000, 'phase 3');
    for (let i = 0; i < 180; i++) expect(consumed.has(String(i))).toBe(true);
  });

  it('commits, fetches, sets and resets offsets', async () => {
    const topic = unique('offsets');
    const groupId = unique('offset-group');
    const a = await admin();
    await createTopics(a, [{ topic, numPartitions: 2 }]);
    const producer = kafkaFor(broker).producer();
    await producer.connect();
    cleanups.push(() => producer.disconnect());
    for (const partition of [0, 1]) {
      await producer.send({ topic, acks: -1, messages: Array.from({ length: 10 }, (_, i) => ({ partition, value: `p${partition}-${i}` })) });
    }
    const { consumer } = await consumeAll(topic, groupId, 20);
    await waitFor(
      async () => (await a.fetchOffsets({ groupId, topics: [topic] }))[0].partitions.every((p) => p.offset === '10'),
      10_000,
      'committed offsets',
    );
    await consumer.disconnect();
    // (kafkajs's admin setOffsets/resetOffsets each join the group with a paused consumer: ~maxWait apiece.)
    const committed = async () =>
      (await a.fetchOffsets({ groupId, topics: [topic] }))[0].partitions.sort((x, y) => x.partition - y.partition).map((p) => p.offset);

    // kafkajs commits the sentinel -2; a member then starts where its own fromBeginning says (as with Apache Kafka).
    await a.resetOffsets({ groupId, topic, earliest: true });
    expect(await committed()).toEqual(['-2', '-2']);
    const again = await consumeAll(topic, groupId, 20, { fromBeginning: true });
    expect(again.got).toHaveLength(20);
    await again.consumer.disconnect();

    await a.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '8' }, { partition: 1, offset: '9' }] });
    expect(await committed()).toEqual(['8', '9']);
    const { got } = await consumeAll(topic, groupId, 3);
    expect(got.map((m) => m.value).sort()).toEqual(['p0-8', 'p0-9', 'p1-9']);
  });

  it('long-polls: an idle consumer makes about duration / maxWait fetches, and a produce wakes it at once', async () => {
    const topic = unique('idle');
    const groupId = unique('idle-group');
    const a = await admin();
    await createTopics(a, [{ topic, numPartitions: 1 }]);
    const consumer = kafkaFor(broker).consumer({ groupId, sessionTimeout: 3000, heartbeatInterval: 1000, maxWaitTimeInMs: 500 });
    await consumer.connect();
    cleanups.push(() => consumer.disconnect());
    // Counted by the client (kafkajs reports every fetch response), so it holds for any broker.
    let fetches = 0;
    consumer.on(consumer.events.FETCH, () => void fetches++);
    let received = 0;
    await consumer.subscribe({ topic });
    await consumer.run({ eachMessage: async () => void received++ });
    await waitFor(async () => (await a.describeGroups([groupId])).groups[0].state === 'Stable', 10_000, 'stable group');
    await new Promise((r) => setTimeout(r, 500));
    const before = fetches;
    const windowMs = 3000;
    await new Promise((r) => setTimeout(r, windowMs));
    expect(fetches - before).toBeGreaterThanOrEqual(3);
    expect(fetches - before).toBeLessThanOrEqual(10);

    // ...and a produce wakes the waiting fetch at once.
    const producer = kafkaFor(broker).producer();
    await producer.connect();
    cleanups.push(() => producer.disconnect());
    const sent = Date.now();
    await producer.send({ topic, messages: [{ value: 'wake' }] });
    await waitFor(() => received === 1, 5000, 'wake-up');
    expect(Date.now() - sent).toBeLessThan(400);
  });
});
