import { RunningBroker } from '../src';
import { kafkaFor, startTestBroker, waitFor } from './test-broker';

jest.setTimeout(30_000);

// The embedded broker's own counters (broker.stats()): internals, so embedded only. What clients
// see of the same traffic is in kafkajs.int-spec.ts, which runs on Apache Kafka too.
describe('embedded broker stats', () => {
  let broker: RunningBroker;

  beforeAll(async () => {
    broker = await startTestBroker();
  });
  afterAll(() => broker.close());

  it('counts connections, requests, bytes, offsets and groups; an idle consumer costs about one fetch per maxWait', async () => {
    const producer = kafkaFor(broker).producer();
    await producer.connect();
    await producer.send({ topic: 'acks', acks: -1, messages: [{ value: 'a' }, { value: 'b' }, { value: 'c' }] });
    await producer.disconnect();

    const consumer = kafkaFor(broker).consumer({ groupId: 'stats-group', sessionTimeout: 3000, heartbeatInterval: 1000, maxWaitTimeInMs: 500 });
    await consumer.connect();
    let received = 0;
    await consumer.subscribe({ topic: 'acks', fromBeginning: true });
    await consumer.run({ eachMessage: async () => void received++ });
    await waitFor(() => received === 3, 10_000, 'three messages');
    await new Promise((r) => setTimeout(r, 500));
    const before = broker.stats().requestsByApi.Fetch ?? 0;
    await new Promise((r) => setTimeout(r, 3000));
    const fetches = (broker.stats().requestsByApi.Fetch ?? 0) - before;
    expect(fetches).toBeGreaterThanOrEqual(3);
    expect(fetches).toBeLessThanOrEqual(10);

    const stats = broker.stats();
    expect(stats.connections.total).toBeGreaterThan(0);
    expect(stats.requestsByApi.Produce).toBeGreaterThan(0);
    expect(stats.bytesIn).toBeGreaterThan(0);
    expect(stats.bytesOut).toBeGreaterThan(0);
    expect(stats.partitions['acks/0'].logEndOffset).toBe(3);
    expect(stats.groups.groups).toBeGreaterThan(0);
    await consumer.disconnect();
  });
});
