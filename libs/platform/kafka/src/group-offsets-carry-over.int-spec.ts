import type { Admin, Producer } from 'kafkajs';
import { ConsumerRunner } from './consumer-runner';
import { carryOverOffsets } from './group-offsets-carry-over';
import { type KafkaFixture, startKafkaFixture, TEST_LOGGER } from './kafka-test.fixture';

/** A group that replaces others (merged, renamed) goes on where they stopped. */
describe('carrying committed offsets over to a group that replaces others', () => {
  let kafka: KafkaFixture;
  let admin: Admin;
  let producer: Producer;

  beforeAll(async () => {
    kafka = await startKafkaFixture({ partitions: 2, replicationFactor: 1 });
    admin = await kafka.admin.connect();
    producer = kafka.connection.kafka.producer();
    await producer.connect();
  }, 30_000);

  afterAll(async () => {
    await producer?.disconnect();
    await kafka?.close();
  });

  /** Two topics of 2 partitions, 5 messages in each partition. */
  async function topicsWithMessages(): Promise<[string, string]> {
    const topics: [string, string] = [kafka.unique('carry-a'), kafka.unique('carry-b')];
    await kafka.admin.ensureTopics(topics.map((topic) => ({ topic, partitions: 2 })));
    for (const topic of topics) {
      for (const partition of [0, 1]) {
        await producer.send({ topic, messages: [1, 2, 3, 4, 5].map((n) => ({ value: `${topic}/${partition}/${n}`, partition })) });
      }
    }
    return topics;
  }

  async function offsets(groupId: string, topics: string[]): Promise<Record<string, string>> {
    const result: Record<string, string> = {};
    for (const { topic, partitions } of await admin.fetchOffsets({ groupId, topics })) {
      for (const { partition, offset } of partitions) result[`${topic}/${partition}`] = offset;
    }
    return result;
  }

  it('copies each former group’s committed offsets before the new group first consumes, so nothing they consumed comes again', async () => {
    const [a, b] = await topicsWithMessages();
    const formerA = kafka.unique('former-a');
    const formerB = kafka.unique('former-b');
    await admin.setOffsets({ groupId: formerA, topic: a, partitions: [{ partition: 0, offset: '3' }, { partition: 1, offset: '5' }] });
    // formerB never committed partition 1: the new group starts it from the beginning, as formerB would have.
    await admin.setOffsets({ groupId: formerB, topic: b, partitions: [{ partition: 0, offset: '2' }] });

    const groupId = kafka.unique('merged');
    const handled: string[] = [];
    const runner = new ConsumerRunner(
      kafka.connection,
      {
        groupId,
        topics: [a, b],
        replaces: [
          { groupId: formerA, topics: [a] },
          { groupId: formerB, topics: [b] },
        ],
        maxWaitTimeMs: 100,
        sessionTimeoutMs: 6_000,
        heartbeatIntervalMs: 500,
        handle: async (message) => void handled.push(message.value!.toString()),
        onFailure: async () => undefined,
      },
      TEST_LOGGER,
    );
    await runner.start();
    const expected = [`${a}/0/4`, `${a}/0/5`, `${b}/0/3`, `${b}/0/4`, `${b}/0/5`, ...[1, 2, 3, 4, 5].map((n) => `${b}/1/${n}`)];
    const deadline = Date.now() + 15_000;
    while (handled.length < expected.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise((resolve) => setTimeout(resolve, 500));
    await runner.stop();
    // Without the carry-over the new group starts every partition from the beginning: 20 messages.
    expect(handled.sort()).toEqual(expected.sort());
    expect(await offsets(groupId, [a, b])).toEqual({ [`${a}/0`]: '5', [`${a}/1`]: '5', [`${b}/0`]: '5', [`${b}/1`]: '5' });
  }, 60_000);

  it('changes nothing the new group has committed, fills in what it has not, and can run in two processes at once', async () => {
    const [a, b] = await topicsWithMessages();
    const former = kafka.unique('former');
    await admin.setOffsets({ groupId: former, topic: a, partitions: [{ partition: 0, offset: '1' }, { partition: 1, offset: '1' }] });
    await admin.setOffsets({ groupId: former, topic: b, partitions: [{ partition: 0, offset: '2' }, { partition: 1, offset: '2' }] });
    const groupId = kafka.unique('merged');
    // The new group already went past the former one on a/0 (a copy interrupted after it, say).
    await admin.setOffsets({ groupId, topic: a, partitions: [{ partition: 0, offset: '4' }] });

    const replaces = [{ groupId: former, topics: [a, b] }];
    // A second process: its own admin client.
    const other = kafka.connection.kafka.admin();
    await other.connect();
    const copied = await Promise.all([carryOverOffsets(admin, groupId, replaces, TEST_LOGGER), carryOverOffsets(other, groupId, replaces, TEST_LOGGER)]).finally(() => other.disconnect());
    expect(copied.some((n) => n === 3)).toBe(true);
    expect(await offsets(groupId, [a, b])).toEqual({ [`${a}/0`]: '4', [`${a}/1`]: '1', [`${b}/0`]: '2', [`${b}/1`]: '2' });

    // Once the new group has its own offsets, a later start copies nothing, even if the former group moved,
    // and asks only for the new group's offsets (every start of the service runs this).
    await admin.setOffsets({ groupId: former, topic: b, partitions: [{ partition: 0, offset: '5' }] });
    const asked: string[] = [];
    const counting = new Proxy(admin, {
      get: (target, key, receiver) =>
        key === 'fetchOffsets'
          ? (request: { groupId: string; topics: string[] }) => {
              asked.push(request.groupId);
              return target.fetchOffsets(request);
            }
          : Reflect.get(target, key, receiver),
    });
    expect(await carryOverOffsets(counting, groupId, replaces, TEST_LOGGER)).toBe(0);
    expect(asked).toEqual([groupId]);
    expect((await offsets(groupId, [b]))[`${b}/0`]).toBe('2');
  }, 60_000);
});
