import type { ConsumedMessage } from './consumed-message';
import { ConsumerRunner, type ConsumerSpec } from './consumer-runner';
import { pipelined } from './modes/pipelined.mode';

import type { KafkaConnection } from './kafka-connection';
import { type KafkaFixture, startKafkaFixture, TEST_LOGGER } from './kafka-test.fixture';
import { KafkaProducer } from './kafka-producer';
import { TopicAdmin } from './topic-admin';

const logger = TEST_LOGGER;

describe('ConsumerRunner', () => {
  let kafka: KafkaFixture;
  let connection: KafkaConnection;
  let producer: KafkaProducer;
  let admin: TopicAdmin;

  beforeAll(async () => {
    kafka = await startKafkaFixture();
    ({ connection, producer, admin } = kafka);
  }, 30_000);

  afterAll(() => kafka.close());

  async function freshTopic(partitions = 3, count = 0): Promise<string> {
    const topic = kafka.unique('runner-test');
    await admin.ensureTopics([{ topic, partitions }]);
    if (count > 0) {
      await producer.send(
        topic,
        Array.from({ length: count }, (_, i) => ({ key: `k${i % 7}`, value: JSON.stringify({ n: i }) })),
      );
    }
    return topic;
  }

  function runner(spec: Partial<ConsumerSpec> & Pick<ConsumerSpec, 'topics' | 'handle'>): ConsumerRunner {
    return new ConsumerRunner(
      connection,
      {
        groupId: `group-${spec.topics[0]}`,
        onFailure: async () => undefined,
        sessionTimeoutMs: 6_000,
        heartbeatIntervalMs: 500,
        ...spec,
      },
      logger,
    );
  }

  async function committed(groupId: string, topic: string): Promise<Record<number, string>> {
    const admin2 = await admin.connect();
    const [result] = await admin2.fetchOffsets({ groupId, topics: [topic] });
    return Object.fromEntries(result.partitions.map((p) => [p.partition, p.offset]));
  }

  async function endOffsets(topic: string): Promise<Record<number, string>> {
    const offsets = await (await admin.connect()).fetchTopicOffsets(topic);
    return Object.fromEntries(offsets.map((p) => [p.partition, p.high]));
  }

  async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  it('processes every message with bounded concurrency and commits what it finished', async () => {
    const topic = await freshTopic(3, 60);
    const seen = new Set<string>();
    let running = 0;
    let maxRunning = 0;
    const consumer = runner({
      topics: [topic],
      concurrency: 4,
      handle: async (message) => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        seen.add(`${message.partition}:${message.offset}`);
        running--;
      },
    });
    await consumer.start();
    await waitFor(() => seen.size === 60);
    await consumer.stop();
    expect(maxRunning).toBeLessThanOrEqual(4);
    expect(maxRunning).toBeGreaterThan(1);
    expect(await committed(`group-${topic}`, topic)).toEqual(await endOffsets(topic));
  }, 30_000);

  it('never commits past a message that is still in flight', async () => {
    const topic = await freshTopic(1, 10);
    let release!: () => void;
    const blocker = new Promise<void>((resolve) => (release = resolve));
    const done = new Set<string>();
    const consumer = runner({
      topics: [topic],
      concurrency: 10,
      handle: async (message) => {
        if (message.offset === '3') await blocker;
        done.add(message.offset);
      },
    });
    await consumer.start();
    await waitFor(() => done.size === 9);
    // Offsets 0..2 are finished, 3 is in flight, 4..9 finished: only 0..2 may be committed (next = 3).
    await waitFor(async () => (await committed(`group-${topic}`, topic))[0] === '3');
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect((await committed(`group-${topic}`, topic))[0]).toBe('3');
    release();
    await waitFor(async () => (await committed(`group-${topic}`, topic))[0] === '10');
    await consumer.stop();
  }, 30_000);

  it('moves a failing message aside and keeps consuming the partition', async () => {
    const topic = await freshTopic(1, 5);
    const handled: string[] = [];
    const movedAside: { offset: string; reason: string }[] = [];
    const consumer = runner({
      topics: [topic],
      concurrency: 1,
      handle: async (message) => {
        if (message.offset === '1') throw new Error('schema says no');
        handled.push(message.offset);
      },
      onFailure: async (message: ConsumedMessage, error: unknown) => {
        movedAside.push({ offset: message.offset, reason: (error as Error).message });
      },
    });
    await consumer.start();
    await waitFor(() => handled.length === 4);
    await consumer.stop();
    expect(handled).toEqual(['0', '2', '3', '4']);
    expect(movedAside).toEqual([{ offset: '1', reason: 'schema says no' }]);
    expect((await committed(`group-${topic}`, topic))[0]).toBe('5');
  }, 30_000);

  it('does not skip a message it could neither handle nor move aside', async () => {
    const topic = await freshTopic(1, 3);
    const attempts: string[] = [];
    let deadLetterUp = false;
    const handled: string[] = [];
    const consumer = runner({
      topics: [topic],
      concurrency: 1,
      handle: async (message) => {
        attempts.push(message.offset);
        if (message.offset === '1' && !deadLetterUp) throw new Error('poison');
        handled.push(message.offset);
      },
      onFailure: async () => {
        deadLetterUp = true; // the dead-letter topic is down this time; up for the retry
        throw new Error('dead-letter topic unavailable');
      },
    });
    await consumer.start();
    await waitFor(() => handled.includes('2'));
    await consumer.stop();
    expect(attempts.filter((offset) => offset === '1').length).toBeGreaterThanOrEqual(2);
    expect(handled).toContain('1');
  }, 30_000);

  it('keeps its membership while a handler outlives the session timeout', async () => {
    const topic = await freshTopic(1, 1);
    let finished = false;
    const consumer = runner({
      topics: [topic],
      sessionTimeoutMs: 1_500,
      heartbeatIntervalMs: 300,
      handle: async () => {
        await new Promise((resolve) => setTimeout(resolve, 4_000));
        finished = true;
      },
    });
    await consumer.start();
    await waitFor(() => finished, 10_000);
    await consumer.stop();
    // A rebalance (session expired) would have made the member join again.
    expect(consumer.joins).toBe(1);
    expect((await committed(`group-${topic}`, topic))[0]).toBe('1');
  }, 30_000);

  it('finishes in-flight work and commits it when stopped', async () => {
    const topic = await freshTopic(1, 3);
    const finished: string[] = [];
    let started = 0;
    const consumer = runner({
      topics: [topic],
      concurrency: 3,
      handle: async (message) => {
        started++;
        await new Promise((resolve) => setTimeout(resolve, 800));
        finished.push(message.offset);
      },
    });
    await consumer.start();
    await waitFor(() => started === 3);
    await consumer.stop();
    expect(finished.sort()).toEqual(['0', '1', '2']);
    expect((await committed(`group-${topic}`, topic))[0]).toBe('3');
  }, 30_000);

  describe('pipelined', () => {
    it('lets later batches of a partition run while one message is slow, committing only below it', async () => {
      const topic = await freshTopic(1, 1);
      let release!: () => void;
      const blocker = new Promise<void>((resolve) => (release = resolve));
      const done: string[] = [];
      let slowStarted = false;
      const consumer = runner({
        topics: [topic],
        concurrency: 8,
        mode: pipelined(),
        handle: async (message) => {
          if (message.offset === '0') {
            slowStarted = true;
            await blocker;
          }
          done.push(message.offset);
        },
      });
      await consumer.start();
      await waitFor(() => slowStarted);
      // Produced after the slow message's batch was handed out: a later batch of the same partition.
      await producer.send(topic, Array.from({ length: 5 }, (_, i) => ({ key: null, value: String(i) })));
      await waitFor(() => done.length === 5);
      expect(done).toEqual(['1', '2', '3', '4', '5']);
      await new Promise((resolve) => setTimeout(resolve, 1_300));
      // Nothing may be committed past the slow message at offset 0.
      expect((await committed(`group-${topic}`, topic))[0] ?? '-1').toBe('-1');
      release();
      await waitFor(async () => (await committed(`group-${topic}`, topic))[0] === '6');
      await consumer.stop();
    }, 30_000);

    it('keeps its membership while every slot stays busy past the session timeout', async () => {
      const topic = await freshTopic(1, 3);
      const finished: string[] = [];
      const consumer = runner({
        topics: [topic],
        concurrency: 1,
        mode: pipelined(),
        sessionTimeoutMs: 1_500,
        heartbeatIntervalMs: 300,
        // The batch's loop waits ~4 s for the one slot: only its ticker's heartbeats keep the member in the group.
        handle: async (message) => {
          await new Promise((resolve) => setTimeout(resolve, 2_000));
          finished.push(message.offset);
        },
      });
      await consumer.start();
      await waitFor(() => finished.length === 3, 15_000);
      await consumer.stop();
      expect(finished).toEqual(['0', '1', '2']);
      // A rebalance (session expired) would have made the member join again.
      expect(consumer.joins).toBe(1);
    }, 30_000);

    it('finishes work still in flight when stopped, and commits it', async () => {
      const topic = await freshTopic(1, 4);
      const finished: string[] = [];
      let started = 0;
      const consumer = runner({
        topics: [topic],
        concurrency: 4,
        mode: pipelined(),
        handle: async (message) => {
          started++;
          await new Promise((resolve) => setTimeout(resolve, 700));
          finished.push(message.offset);
        },
      });
      await consumer.start();
      await waitFor(() => started === 4);
      await consumer.stop();
      expect(finished.sort()).toEqual(['0', '1', '2', '3']);
      expect((await committed(`group-${topic}`, topic))[0]).toBe('4');
    }, 30_000);

    it('replays from a message it could neither handle nor move aside', async () => {
      const topic = await freshTopic(1, 3);
      const attempts: string[] = [];
      let deadLetterUp = false;
      const handled = new Set<string>();
      const consumer = runner({
        topics: [topic],
        concurrency: 1,
        mode: pipelined(),
        handle: async (message) => {
          attempts.push(message.offset);
          if (message.offset === '1' && !deadLetterUp) throw new Error('poison');
          handled.add(message.offset);
        },
        onFailure: async () => {
          deadLetterUp = true;
          throw new Error('dead-letter topic unavailable');
        },
      });
      await consumer.start();
      await waitFor(() => handled.has('1') && handled.has('2'));
      await consumer.stop();
      expect(attempts.filter((offset) => offset === '1').length).toBeGreaterThanOrEqual(2);
      expect((await committed(`group-${topic}`, topic))[0]).toBe('3');
    }, 30_000);
  });
});
