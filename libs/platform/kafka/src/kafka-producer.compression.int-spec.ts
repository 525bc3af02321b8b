import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startBroker, type RunningBroker } from '@harmony/kafka-embedded';
import { loadConfig } from '@harmony/platform-config';
import { KafkaConnection } from './kafka-connection';
import { KafkaProducer } from './kafka-producer';
import { TopicAdmin } from './topic-admin';
import { TEST_LOGGER } from './kafka-test.fixture';

/** Kafka record batch v2: attributes (int16) follow baseOffset(8) length(4) leaderEpoch(4) magic(1) crc(4); the low 3 bits are the codec. */
const ATTRIBUTES_AT = 21;
const CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

/**
 * KAFKA_COMPRESSION decides how the producer's batches reach the broker:
 * uncompressed by default (a loopback broker gains nothing from gzip and the
 * process pays its CPU), gzip when asked — read back from the broker's log.
 */
describe('KafkaProducer compression', () => {
  let dataDir: string;
  let broker: RunningBroker;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'kafka-compression-'));
    broker = await startBroker({ host: '127.0.0.1', port: 0, dataDir, fsync: 'never', logger: { log: () => undefined } });
  }, 30_000);

  afterAll(async () => {
    await broker?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  async function codecOfProduced(topic: string, env: Record<string, string>): Promise<string> {
    const connection = await KafkaConnection.open(loadConfig({ KAFKA_BROKERS: broker.address, LOG_LEVEL: 'silent', ...env }), TEST_LOGGER);
    const admin = new TopicAdmin(connection, { partitions: 1, replicationFactor: 1 }, TEST_LOGGER);
    await admin.ensureTopics([{ topic }]);
    await admin.close();
    const producer = new KafkaProducer(connection, TEST_LOGGER);
    await producer.send(topic, Array.from({ length: 50 }, (_, i) => ({ key: 'k', value: JSON.stringify({ i, text: 'the same words again and again' }) })));
    await producer.disconnect();
    const dir = path.join(dataDir, 'topics', topic, '0');
    const segment = readdirSync(dir).find((name) => name.endsWith('.log'));
    if (!segment) throw new Error(`no log segment in ${dir}: ${readdirSync(dir).join(', ')}`);
    const bytes = readFileSync(path.join(dir, segment));
    return CODECS[bytes.readInt16BE(ATTRIBUTES_AT) & 0x7] ?? 'unknown';
  }

  it('sends uncompressed batches by default', async () => {
    expect(await codecOfProduced('compression-default', {})).toBe('none');
  }, 30_000);

  it('gzips batches with KAFKA_COMPRESSION=gzip', async () => {
    expect(await codecOfProduced('compression-gzip', { KAFKA_COMPRESSION: 'gzip' })).toBe('gzip');
  }, 30_000);
});
