import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Admin, ITopicConfig, Kafka, logLevel } from 'kafkajs';
import { BrokerOptions, RunningBroker, SILENT_LOGGER, startBroker } from '../src';

export function tempDir(prefix = 'kafka-embedded-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A broker on port 0 with a temp dataDir and test-friendly group timings. */
export async function startTestBroker(overrides: Partial<BrokerOptions> = {}): Promise<RunningBroker & { dataDir: string }> {
  const dataDir = overrides.dataDir ?? tempDir();
  const broker = await startBroker({
    port: 0,
    dataDir,
    logger: SILENT_LOGGER,
    groups: { initialRebalanceDelayMs: 0, minSessionTimeoutMs: 500 },
    ...overrides,
  });
  return Object.assign(broker, { dataDir });
}

/**
 * The broker the client-level conformance specs run on: `KAFKA_BROKERS` when set
 * (`npm run test:apache-kafka` points it at Apache Kafka; shared, so names must be unique and
 * close() leaves it running), else this package's broker as `startTestBroker` makes it.
 * `embedded` is set only for the embedded broker (its stats and maintenance are internals).
 */
export interface BrokerUnderTest {
  address: string;
  host: string;
  port: number;
  embedded?: RunningBroker;
  close(): Promise<void>;
}

export async function startBrokerUnderTest(overrides: Partial<BrokerOptions> = {}): Promise<BrokerUnderTest> {
  const external = process.env['KAFKA_BROKERS']?.split(',')[0];
  if (external) {
    const [host, port] = [external.slice(0, external.lastIndexOf(':')), Number(external.slice(external.lastIndexOf(':') + 1))];
    return { address: external, host, port, close: async () => undefined };
  }
  const broker = await startTestBroker(overrides);
  return { address: broker.address, host: broker.host, port: broker.port, embedded: broker, close: () => broker.close() };
}

const RUN_ID = Math.random().toString(36).slice(2, 8);
let names = 0;
/** A topic or group name no other test uses, on this broker or a shared one. */
export function unique(prefix: string): string {
  return `${prefix}-${RUN_ID}-${++names}`;
}

export function kafkaFor(broker: { address: string }, clientId = 'test'): Kafka {
  return new Kafka({
    clientId,
    brokers: [broker.address],
    logLevel: logLevel.NOTHING,
    retry: { initialRetryTime: 50, retries: 8 },
  });
}

export async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * admin.createTopics, then wait until every new topic serves offset requests. Not kafkajs's
 * waitForLeaders: on Apache Kafka its metadata poll can get UNKNOWN_TOPIC_OR_PARTITION for a topic
 * just created (the broker has not seen it yet) and throws. Answers as createTopics does.
 */
export async function createTopics(admin: Admin, topics: ITopicConfig[]): Promise<boolean> {
  const created = await admin.createTopics({ waitForLeaders: false, topics });
  for (const { topic } of topics) {
    await waitFor(
      () =>
        admin.fetchTopicOffsets(topic).then(
          () => true,
          () => false,
        ),
      15_000,
      `${topic} to be served`,
    );
  }
  return created;
}
