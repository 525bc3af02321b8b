import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { APACHE_KAFKA_VERSION, type RunningApacheKafka, startApacheKafka } from './apache-kafka';
import { tempDir } from './temp-dir';

// Starts three JVMs, so it runs in `npm run test:apache-kafka` (which sets HARMONY_APACHE_KAFKA), not in `npm test`.
const RUN = process.env['HARMONY_APACHE_KAFKA'] !== undefined;
if (!RUN) process.stdout.write('apache-kafka.int-spec: skipped outside `npm run test:apache-kafka` (HARMONY_APACHE_KAFKA unset)\n');

(RUN ? describe : describe.skip)('startApacheKafka', () => {
  const dir = tempDir('apache-kafka-spec-');
  let kafka: RunningApacheKafka | undefined;
  afterAll(async () => {
    await kafka?.kill();
    dir.remove();
  });

  const client = (address: string): Kafka => new Kafka({ clientId: 'apache-kafka-spec', brokers: [address], logLevel: logLevel.NOTHING });

  async function readAll(address: string, topic: string, expected: number): Promise<string[]> {
    const consumer = client(address).consumer({ groupId: `g-${Date.now()}-${Math.random()}` });
    const values: string[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const done = new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          values.push(message.value!.toString());
          if (values.length === expected) resolve();
        },
      });
    });
    await done;
    await consumer.disconnect();
    return values;
  }

  it('runs the pinned version, keeps its data across SIGTERM and SIGKILL restarts on the same port and data dir', async () => {
    kafka = await startApacheKafka({ dataDir: dir.path });
    const { port } = kafka;
    expect(kafka.version).toBe(APACHE_KAFKA_VERSION);
    expect(kafka.address).toBe(`127.0.0.1:${port}`);
    expect(existsSync(path.join(dir.path, 'kraft', 'meta.properties'))).toBe(true);

    const producer = client(kafka.address).producer();
    await producer.connect();
    await producer.send({ topic: 'lifecycle', acks: -1, messages: [{ value: 'before stop' }] });
    await producer.disconnect();

    await kafka.stop();
    expect(() => process.kill(kafka!.pid, 0)).toThrow(); // the JVM is gone

    kafka = await startApacheKafka({ port, dataDir: dir.path });
    expect(kafka.address).toBe(`127.0.0.1:${port}`);
    const again = client(kafka.address).producer();
    await again.connect();
    await again.send({ topic: 'lifecycle', acks: -1, messages: [{ value: 'before kill' }] });
    await again.disconnect();
    expect(await readAll(kafka.address, 'lifecycle', 2)).toEqual(['before stop', 'before kill']);

    await kafka.kill();
    expect(() => process.kill(kafka!.pid, 0)).toThrow();

    kafka = await startApacheKafka({ port, dataDir: dir.path });
    expect(await readAll(kafka.address, 'lifecycle', 2)).toEqual(['before stop', 'before kill']);
    await kafka.stop();
    kafka = undefined;
  }, 240_000);
});
