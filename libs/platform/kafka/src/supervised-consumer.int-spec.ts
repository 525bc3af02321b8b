import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type RunningBroker, SILENT_LOGGER, startBroker } from '@harmony/kafka-embedded';
import { loadConfig } from '@harmony/platform-config';
import { ConsumerRunner } from './consumer-runner';
import { KafkaConnection } from './kafka-connection';
import { KafkaProducer } from './kafka-producer';
import { TEST_LOGGER } from './kafka-test.fixture';
import { TopicAdmin } from './topic-admin';
import { TopicFollower } from './topic-follower';

const ROOT = path.resolve(__dirname, '../../../..');

async function until(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * Consumers and followers outlive their broker: when it goes away and comes
 * back they are replaced (kafkajs alone gives up on some errors, and a
 * follower used to lose its position), and when it does not come back within
 * KAFKA_CONSUMER_MAX_DOWN_MS they are reported dead. Members that leave or
 * die hand their partitions over within the session timeout.
 */
describe('supervised consumers', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'supervised-'));
  let broker: RunningBroker;
  let port = 0;
  const start = async (): Promise<void> => {
    broker = await startBroker({ host: '127.0.0.1', port, dataDir, logger: SILENT_LOGGER, groups: { initialRebalanceDelayMs: 0, minSessionTimeoutMs: 500 } });
    port = broker.port;
  };

  beforeAll(start, 30_000);
  afterAll(async () => {
    await broker.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('a runner and a follower consume again after the broker restarts, the follower from where it was', async () => {
    const connection = await KafkaConnection.open(loadConfig({ KAFKA_BROKERS: `127.0.0.1:${port}`, LOG_LEVEL: 'silent' }), TEST_LOGGER);
    const admin = new TopicAdmin(connection, { partitions: 2, replicationFactor: 1 }, TEST_LOGGER);
    await admin.ensureTopics([{ topic: 'bounce-work' }, { topic: 'bounce-state' }]);
    const producer = new KafkaProducer(connection);
    const handled = new Set<string>();
    const applied: string[] = [];
    const runner = new ConsumerRunner(
      connection,
      { groupId: 'bounce-group', topics: ['bounce-work'], handle: async (m) => void handled.add(m.value!.toString()), onFailure: async () => undefined },
      TEST_LOGGER,
    );
    const follower = new TopicFollower(connection, { name: 'bounce-follower', topics: ['bounce-state'], from: 'earliest', apply: (m) => void applied.push(m.value!.toString()) }, TEST_LOGGER);
    try {
      await producer.send('bounce-state', [{ key: 'a', value: 's0' }]);
      await follower.start();
      await runner.start();
      await producer.send('bounce-work', [{ key: 'x', value: 'w0' }]);
      await until(() => handled.has('w0'), 'the first message');

      await broker.close();
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      await start();

      await until(() => runner.consuming && follower.consuming, 'both to run again');
      await producer.send('bounce-work', [{ key: 'x', value: 'w1' }]);
      await producer.send('bounce-state', [{ key: 'a', value: 's1' }]);
      await until(() => handled.has('w1') && applied.includes('s1'), 'messages produced after the restart');
      // Replaced, not rewound: the follower applied each record once.
      expect(applied).toEqual(['s0', 's1']);
    } finally {
      await runner.stop();
      await follower.stop();
      await producer.disconnect();
      await admin.close();
    }
  }, 90_000);

  it('a consumer that cannot reach its broker past KAFKA_CONSUMER_MAX_DOWN_MS is reported dead', async () => {
    const connection = await KafkaConnection.open(loadConfig({ KAFKA_BROKERS: '127.0.0.1:1', LOG_LEVEL: 'silent', KAFKA_CONSUMER_MAX_DOWN_MS: '1500' }), TEST_LOGGER);
    const dead: string[] = [];
    connection.onConsumerDead((name) => dead.push(name));
    const runner = new ConsumerRunner(connection, { groupId: 'nowhere', topics: ['t'], handle: async () => undefined, onFailure: async () => undefined }, TEST_LOGGER);
    await expect(runner.start()).rejects.toThrow(/nowhere: consumer down for \d+ ms \(limit 1500 ms\)/);
    expect(dead).toEqual(['nowhere']);
    await runner.stop();
  }, 90_000);

  describe('failover', () => {
    // On Apache Kafka (KAFKA_BROKERS, npm run test:apache-kafka) the broker's minimum session is 6 s.
    const external = process.env['KAFKA_BROKERS'];
    const SESSION_MS = external ? 6_000 : 3_000;
    const unique = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
    const brokers = (): string => external ?? `127.0.0.1:${port}`;
    let connection: KafkaConnection;
    let admin: TopicAdmin;
    let producer: KafkaProducer;

    beforeAll(async () => {
      // Only the session timeout is shortened (to keep the test quick); every runner takes it from the connection.
      connection = await KafkaConnection.open(
        loadConfig({ KAFKA_BROKERS: brokers(), LOG_LEVEL: 'silent', KAFKA_SESSION_TIMEOUT_MS: String(SESSION_MS), KAFKA_HEARTBEAT_INTERVAL_MS: '500' }),
        TEST_LOGGER,
      );
      admin = new TopicAdmin(connection, { partitions: 4, replicationFactor: 1 }, TEST_LOGGER);
      producer = new KafkaProducer(connection);
    });
    afterAll(async () => {
      await producer.disconnect();
      await admin.close();
    });

    function member(topic: string, partitions: Set<number>, sessionTimeoutMs?: number): ConsumerRunner {
      return new ConsumerRunner(
        connection,
        { groupId: `failover-${topic}-${unique}`, topics: [topic], sessionTimeoutMs, handle: async (m) => void partitions.add(m.partition), onFailure: async () => undefined },
        TEST_LOGGER,
      );
    }

    it('a member that stops leaves its group at once: the other takes every partition well inside the session timeout', async () => {
      const topic = `leave-${unique}`;
      await admin.ensureTopics([{ topic }]);
      // A long session here: without a clean leave, B would wait for A's session to expire.
      const seenByB = new Set<number>();
      const a = member(topic, new Set(), 12_000);
      const b = member(topic, seenByB, 12_000);
      await a.start();
      await b.start();
      await until(() => b.joins >= 1 && a.joins >= 2, 'both members in the group');
      const stoppedAt = Date.now();
      await a.stop();
      await producer.send(topic, Array.from({ length: 4 }, (_, partition) => ({ key: null, value: 'x', partition })));
      await until(() => seenByB.size === 4, 'b owning every partition', 30_000);
      expect(Date.now() - stoppedAt).toBeLessThan(8_000);
      await b.stop();
    }, 60_000);

    it('a member killed -9 loses its partitions once its session times out (KAFKA_SESSION_TIMEOUT_MS)', async () => {
      const topic = `killed-${unique}`;
      await admin.ensureTopics([{ topic }]);
      // The member to kill runs in its own process, on the same ConsumerRunner and settings.
      const child = spawn(process.execPath, ['scripts/run-ts.js', 'libs/platform/kafka/test/group-member.fixture.ts'], {
        cwd: ROOT,
        env: { PATH: process.env['PATH'] ?? '', KAFKA_BROKERS: brokers(), KAFKA_SESSION_TIMEOUT_MS: String(SESSION_MS), KAFKA_HEARTBEAT_INTERVAL_MS: '500', LOG_LEVEL: 'silent', GROUP: `failover-${topic}-${unique}`, TOPIC: topic },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      try {
        await new Promise<void>((resolve, reject) => {
          child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('consuming') && resolve());
          child.once('exit', (code) => reject(new Error(`member exited (${code})`)));
        });
        const seen = new Set<number>();
        const survivor = member(topic, seen);
        await survivor.start();
        await until(() => survivor.joins >= 1, 'the survivor in the group');
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        child.kill('SIGKILL');
        const killedAt = Date.now();
        await producer.send(topic, Array.from({ length: 4 }, (_, partition) => ({ key: null, value: 'x', partition })));
        await until(() => seen.size === 4, 'the survivor owning every partition', SESSION_MS * 5);
        const takeoverMs = Date.now() - killedAt;
        process.stdout.write(`failover after kill -9: ${takeoverMs} ms (session timeout ${SESSION_MS} ms)\n`);
        expect(takeoverMs).toBeLessThan(SESSION_MS + 3_000);
        await survivor.stop();
      } finally {
        child.kill('SIGKILL');
        await exited;
      }
    }, 60_000);
  });
});
