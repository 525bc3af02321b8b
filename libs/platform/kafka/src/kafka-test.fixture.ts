import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { startEphemeralBroker } from '@harmony/kafka-embedded';
import { loadConfig } from '@harmony/platform-config';
import { createLogger } from '@harmony/platform-observability';
import { KafkaConnection } from './kafka-connection';
import { KafkaProducer } from './kafka-producer';
import { TopicAdmin } from './topic-admin';

export const TEST_LOGGER = createLogger({ service: 'test', level: 'silent' });

const ROOT = path.resolve(__dirname, '../../../..');
/** Unique per test process, so topics and groups never meet those of another run on a shared broker. */
const RUN_ID = randomBytes(4).toString('hex');
let names = 0;

export interface KafkaFixture {
  /** `host:port` of the broker under test. */
  address: string;
  connection: KafkaConnection;
  producer: KafkaProducer;
  admin: TopicAdmin;
  /** A topic or group name that no other test uses, on this broker or a shared one. */
  unique(prefix: string): string;
  close(): Promise<void>;
}

export interface DisposableBroker {
  address: string;
  /** The configs set on a topic (not the broker's defaults): DescribeConfigs on Apache Kafka, the embedded broker's own record (it serves no DescribeConfigs). */
  topicConfigs(topic: string): Promise<Record<string, string>>;
  close(): Promise<void>;
}

/**
 * The broker the platform-kafka integration specs run on: `KAFKA_BROKERS` when set
 * (`npm run test:apache-kafka` points it at Apache Kafka), else a throwaway embedded broker;
 * plus this lib's clients on it.
 */
export async function startKafkaFixture(topicDefaults = { partitions: 3, replicationFactor: 1 }): Promise<KafkaFixture> {
  const external = process.env['KAFKA_BROKERS'];
  const embedded = external ? undefined : await startEphemeralBroker();
  const address = external ?? embedded!.address;
  return fixtureOn(address, topicDefaults, async () => {
    await embedded?.close();
  });
}

/**
 * A broker of the same kind as the one under test that a spec may have for itself and stop:
 * Apache Kafka (`npm run kafka:apache` as a child process) when `KAFKA_BROKERS` is set, else an
 * embedded one.
 */
export async function startDisposableBroker(): Promise<DisposableBroker> {
  if (!process.env['KAFKA_BROKERS']) {
    const broker = await startEphemeralBroker();
    return { address: broker.address, topicConfigs: async (topic) => ({ ...broker.topicConfigs(topic) }), close: () => broker.close() };
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), 'apache-kafka-disposable-'));
  const child = spawn(process.execPath, [path.join(ROOT, 'scripts/run-ts.js'), path.join(ROOT, 'tools/apache-kafka/cli.ts'), '--port', '0', '--data-dir', dataDir], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  const address = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /\{"listening":"([^"]+)"/.exec(output);
      if (match) resolve(match[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then(() => reject(new Error(`kafka:apache exited before listening:\n${output}`)));
  });
  return {
    address,
    topicConfigs: async (topic) => {
      const kafka = new Kafka({ brokers: [address], logLevel: logLevel.NOTHING });
      const admin = kafka.admin();
      await admin.connect();
      try {
        const { resources } = await admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }], includeSynonyms: false });
        return Object.fromEntries(resources[0].configEntries.filter((entry) => !entry.isDefault).map((entry) => [entry.configName, entry.configValue]));
      } finally {
        await admin.disconnect();
      }
    },
    close: async () => {
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function fixtureOn(address: string, topicDefaults: { partitions: number; replicationFactor: number }, closeBroker: () => Promise<void>): Promise<KafkaFixture> {
  const connection = await KafkaConnection.open(loadConfig({ KAFKA_BROKERS: address, LOG_LEVEL: 'silent' }), TEST_LOGGER);
  const producer = new KafkaProducer(connection);
  const admin = new TopicAdmin(connection, topicDefaults, TEST_LOGGER);
  return {
    address,
    connection,
    producer,
    admin,
    unique: (prefix) => `${prefix}-${RUN_ID}-${++names}`,
    close: async () => {
      await producer.disconnect();
      await admin.close();
      await closeBroker();
    },
  };
}
