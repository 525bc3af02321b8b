import * as net from 'node:net';
import type { Worker } from 'node:worker_threads';
import { Kafka, logLevel } from 'kafkajs';
import type { LogLevel } from '../broker/broker-logger';
import { tempDir } from '../../test/test-broker';
import { BrokerThread } from './broker-thread';

jest.setTimeout(60_000);

describe('BrokerThread: the embedded broker on a worker thread', () => {
  const dataDir = tempDir('broker-thread-');
  const lines: { level: LogLevel; msg: string; fields?: Record<string, unknown> }[] = [];
  const logger = { log: (level: LogLevel, msg: string, fields?: Record<string, unknown>) => void lines.push({ level, msg, fields }) };
  const crashes: Error[] = [];
  const start = () => BrokerThread.start({ port: 0, dataDir, groups: { initialRebalanceDelayMs: 0 } }, logger, (error) => crashes.push(error));

  async function readAll(address: string, topic: string, count: number): Promise<string[]> {
    const kafka = new Kafka({ brokers: [address], logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: `reader-${Date.now()}`, maxWaitTimeInMs: 100 });
    const seen: string[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void seen.push(String(message.value)) });
    const deadline = Date.now() + 20_000;
    while (seen.length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    await consumer.disconnect();
    return seen;
  }

  it('serves kafkajs over loopback, posts its log lines, and keeps what was produced across a close and a restart', async () => {
    const first = await start();
    expect(first.port).toBeGreaterThan(0);
    const producer = new Kafka({ brokers: [first.address], logLevel: logLevel.NOTHING }).producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic: 'thread-topic', acks: -1, messages: [{ key: 'k', value: 'one' }, { key: 'k', value: 'two' }] });
    await producer.disconnect();
    expect(await readAll(first.address, 'thread-topic', 2)).toEqual(['one', 'two']);

    await first.close();
    // Closed means the thread let go of its port.
    await expect(new Promise((resolve, reject) => net.connect(first.port, '127.0.0.1').once('connect', resolve).once('error', reject))).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    // The broker's own lines reached the parent's logger, fields included.
    expect(lines).toContainEqual(expect.objectContaining({ level: 'info', msg: 'broker closed', fields: expect.objectContaining({ port: first.port }) }));

    const second = await start();
    try {
      expect(await readAll(second.address, 'thread-topic', 2)).toEqual(['one', 'two']);
    } finally {
      await second.close();
    }
    expect(crashes).toEqual([]);
  });

  it('reports a thread that ends while serving to onCrash (the app then exits, as an in-process broker exception ended it)', async () => {
    const died: Error[] = [];
    const thread = await BrokerThread.start({ port: 0, dataDir: tempDir('broker-thread-'), groups: { initialRebalanceDelayMs: 0 } }, logger, (error) => died.push(error));
    // Not through close(): the thread ends under the broker (as a fatal error in it would end it).
    await (thread as unknown as { worker: Worker }).worker.terminate();
    const deadline = Date.now() + 5_000;
    while (died.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(died.map((error) => error.message)).toEqual([expect.stringMatching(/^the broker's thread exited \(\d+\)$/)]);
  });

  it('runs its thread with a young generation of 12 MB, not up to 48 (it stays committed once grown: decision 0104, session 6)', async () => {
    const thread = await start();
    try {
      expect(thread.resourceLimits.maxYoungGenerationSizeMb).toBe(12);
    } finally {
      await thread.close();
    }
  });

  it('refuses to start with the reason when its port is taken', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as net.AddressInfo).port;
    try {
      await expect(BrokerThread.start({ port, dataDir: tempDir('broker-thread-'), host: '127.0.0.1' }, logger, (error) => crashes.push(error))).rejects.toThrow(/EADDRINUSE/);
    } finally {
      taken.close();
    }
    expect(crashes).toEqual([]);
  });
});
