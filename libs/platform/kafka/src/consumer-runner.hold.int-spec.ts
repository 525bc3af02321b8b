import type { ConsumedMessage } from './consumed-message';
import { ConsumerRunner, type ConsumerSpec } from './consumer-runner';
import { holdUntil } from './modes/hold-until.mode';

import type { KafkaConnection } from './kafka-connection';
import { type KafkaFixture, startKafkaFixture, TEST_LOGGER } from './kafka-test.fixture';
import { KafkaProducer } from './kafka-producer';
import { TopicAdmin } from './topic-admin';

const logger = TEST_LOGGER;

/** `holdUntil`: a partition waits at a message that is not due, without blocking the group. */
describe('ConsumerRunner holding messages until due', () => {
  let kafka: KafkaFixture;
  let connection: KafkaConnection;
  let producer: KafkaProducer;
  let admin: TopicAdmin;

  beforeAll(async () => {
    kafka = await startKafkaFixture({ partitions: 1, replicationFactor: 1 });
    ({ connection, producer, admin } = kafka);
  }, 30_000);

  afterAll(() => kafka.close());

  async function freshTopic(): Promise<string> {
    const topic = kafka.unique('hold-test');
    await admin.ensureTopics([{ topic, partitions: 1 }]);
    return topic;
  }

  async function publish(topic: string, items: { name: string; dueAt: number }[]): Promise<void> {
    await producer.send(topic, items.map((item) => ({ key: item.name, value: JSON.stringify(item) })));
  }

  const dueAtOf = (message: ConsumedMessage): number => (JSON.parse(message.value!.toString()) as { dueAt: number }).dueAt;
  const nameOf = (message: ConsumedMessage): string => (JSON.parse(message.value!.toString()) as { name: string }).name;

  function runner(groupId: string, spec: Partial<ConsumerSpec> & Pick<ConsumerSpec, 'topics' | 'handle'>): ConsumerRunner {
    return new ConsumerRunner(
      connection,
      {
        groupId,
        onFailure: async () => undefined,
        mode: holdUntil(dueAtOf),
        maxWaitTimeMs: 100,
        sessionTimeoutMs: 6_000,
        heartbeatIntervalMs: 500,
        ...spec,
      },
      logger,
    );
  }

  async function committed(groupId: string, topic: string): Promise<string | undefined> {
    const [result] = await (await admin.connect()).fetchOffsets({ groupId, topics: [topic] });
    return result.partitions.find((p) => p.partition === 0)?.offset;
  }

  async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  it('handles a held message when it is due, not before; messages behind it follow; other partitions are not blocked', async () => {
    const slow = await freshTopic();
    const fast = await freshTopic();
    const handledAt = new Map<string, number>();
    const consumer = runner(`group-${slow}`, {
      topics: [slow, fast],
      handle: async (message) => {
        handledAt.set(nameOf(message), Date.now());
      },
    });
    await consumer.start();
    const t0 = Date.now();
    await publish(slow, [
      { name: 'due-now', dueAt: t0 - 1 },
      { name: 'later', dueAt: t0 + 2_000 },
      // Due before the one ahead of it, yet a partition is consumed in order: it waits.
      { name: 'behind', dueAt: t0 + 500 },
    ]);
    await waitFor(() => handledAt.has('due-now'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await publish(fast, [{ name: 'other-partition', dueAt: Date.now() }]);
    await waitFor(() => handledAt.has('other-partition'));
    expect(handledAt.has('later')).toBe(false);
    expect(consumer.holds()).toEqual([expect.objectContaining({ topic: slow, partition: 0, offset: '1', dueAt: t0 + 2_000, waiting: 2 })]);
    // Committed up to the held message only.
    expect(await committed(`group-${slow}`, slow)).toBe('1');
    await waitFor(() => handledAt.has('later'));
    expect(handledAt.get('later')!).toBeGreaterThanOrEqual(t0 + 2_000);
    expect(handledAt.get('later')!).toBeLessThan(t0 + 2_000 + 1_000);
    await waitFor(() => handledAt.has('behind'));
    expect(handledAt.get('behind')!).toBeGreaterThanOrEqual(handledAt.get('later')!);
    expect(handledAt.get('other-partition')!).toBeLessThan(t0 + 2_000);
    expect(consumer.holds()).toEqual([]);
    await consumer.stop();
    expect(await committed(`group-${slow}`, slow)).toBe('3');
  }, 30_000);

  it('long-polls and still hands over each message on time: soon-due ones waited for in the batch, later ones resumed a fetch wait early', async () => {
    const topic = await freshTopic();
    const handledAt = new Map<string, number>();
    const consumer = runner(`group-${topic}`, {
      topics: [topic],
      maxWaitTimeMs: 2_000,
      handle: async (message) => void handledAt.set(nameOf(message), Date.now()),
    });
    await consumer.start();
    const t0 = Date.now();
    await publish(topic, [
      { name: 'soon', dueAt: t0 + 1_000 },
      { name: 'later', dueAt: t0 + 4_000 },
    ]);
    // Held (paused, not in memory) while it is more than one fetch wait away.
    await waitFor(() => handledAt.has('soon') && consumer.holds().length === 1);
    expect(consumer.holds()).toEqual([expect.objectContaining({ offset: '1', dueAt: t0 + 4_000 })]);
    await waitFor(() => handledAt.has('later'));
    await consumer.stop();
    // Resuming only when due would leave it up to a whole fetch wait (2 s) late.
    expect(handledAt.get('soon')! - (t0 + 1_000)).toBeGreaterThanOrEqual(0);
    expect(handledAt.get('soon')! - (t0 + 1_000)).toBeLessThan(400);
    expect(handledAt.get('later')! - (t0 + 4_000)).toBeGreaterThanOrEqual(0);
    expect(handledAt.get('later')! - (t0 + 4_000)).toBeLessThan(400);
    expect(await committed(`group-${topic}`, topic)).toBe('2');
  }, 30_000);

  it('holds partitions of several topics in one long-polling consumer, each handed over on time (the retry tiers’ one group)', async () => {
    const topics = [await freshTopic(), await freshTopic(), await freshTopic()];
    const handledAt = new Map<string, number>();
    const consumer = runner(`group-${topics[0]}`, {
      topics,
      maxWaitTimeMs: 2_000,
      handle: async (message) => void handledAt.set(nameOf(message), Date.now()),
    });
    await consumer.start();
    const t0 = Date.now();
    const due = { now: t0, soon: t0 + 1_000, later: t0 + 3_500, latest: t0 + 5_000 };
    await publish(topics[0], [{ name: 'latest', dueAt: due.latest }]);
    await publish(topics[1], [{ name: 'later', dueAt: due.later }]);
    await publish(topics[2], [
      { name: 'now', dueAt: due.now },
      { name: 'soon', dueAt: due.soon },
    ]);
    await waitFor(() => handledAt.has('soon') && consumer.holds().length === 2);
    expect(consumer.holds().map((hold) => hold.topic).sort()).toEqual([topics[0], topics[1]].sort());
    await waitFor(() => handledAt.has('latest'));
    await consumer.stop();
    for (const [name, dueAt] of Object.entries(due)) {
      expect(handledAt.get(name)! - dueAt).toBeGreaterThanOrEqual(0);
      expect(handledAt.get(name)! - dueAt).toBeLessThan(400);
    }
    for (const topic of topics) expect(await committed(`group-${topics[0]}`, topic)).toBe(topic === topics[2] ? '2' : '1');
  }, 30_000);

  it('never commits a held message: after a restart it is held again and handled when due', async () => {
    const topic = await freshTopic();
    const handled: string[] = [];
    const first = runner(`group-${topic}`, { topics: [topic], handle: async (message) => void handled.push(nameOf(message)) });
    await first.start();
    const dueAt = Date.now() + 2_500;
    await publish(topic, [
      { name: 'a', dueAt: 0 },
      { name: 'b', dueAt },
    ]);
    await waitFor(() => handled.includes('a') && first.holds().length === 1);
    await first.stop();
    expect(await committed(`group-${topic}`, topic)).toBe('1');

    const second = runner(`group-${topic}`, { topics: [topic], handle: async (message) => void handled.push(nameOf(message)) });
    await second.start();
    await waitFor(() => handled.includes('b'));
    expect(Date.now()).toBeGreaterThanOrEqual(dueAt);
    expect(handled).toEqual(['a', 'b']);
    await second.stop();
    expect(await committed(`group-${topic}`, topic)).toBe('2');
  }, 30_000);

  it('keeps its membership while every partition is held past the session timeout', async () => {
    const topic = await freshTopic();
    const handled: string[] = [];
    const consumer = runner(`group-${topic}`, {
      topics: [topic],
      sessionTimeoutMs: 1_500,
      heartbeatIntervalMs: 300,
      handle: async (message) => void handled.push(nameOf(message)),
    });
    await consumer.start();
    await publish(topic, [{ name: 'held', dueAt: Date.now() + 4_000 }]);
    await waitFor(() => handled.includes('held'), 10_000);
    await consumer.stop();
    expect(consumer.joins).toBe(1);
  }, 30_000);

  it('treats a message whose due time cannot be read as due now', async () => {
    const topic = await freshTopic();
    const handled: string[] = [];
    const consumer = runner(`group-${topic}`, { topics: [topic], handle: async (message) => void handled.push(message.value!.toString()) });
    await consumer.start();
    await producer.send(topic, [{ key: null, value: 'not json' }]);
    await waitFor(() => handled.length === 1);
    await consumer.stop();
    expect(handled).toEqual(['not json']);
  }, 30_000);
});
