import type { Admin } from 'kafkajs';
import type { Logger } from '@harmony/platform-observability';
import type { KafkaConnection } from './kafka-connection';

export interface TopicSpec {
  topic: string;
  partitions?: number;
  replicationFactor?: number;
  /** Kafka topic configs, e.g. { 'cleanup.policy': 'compact' }. */
  config?: Record<string, string>;
}

const TOPIC_READY_TIMEOUT_MS = 30_000;

/** Creates the topics a service needs at start; existing topics are left as they are. */
export class TopicAdmin {
  private admin: Promise<Admin> | null = null;

  constructor(
    private readonly connection: KafkaConnection,
    private readonly defaults: { partitions: number; replicationFactor: number },
    private readonly logger: Logger,
  ) {}

  /**
   * Creates what is missing. Boot must survive a broker that is restarting
   * meanwhile: transient failures are retried with backoff for as long as a
   * consumer may stay down (KAFKA_CONSUMER_MAX_DOWN_MS), then the error stands.
   */
  async ensureTopics(specs: TopicSpec[]): Promise<void> {
    const deadline = Date.now() + this.connection.consumerSettings.maxDownMs;
    for (let backoff = 250; ; backoff = Math.min(backoff * 2, 5_000)) {
      try {
        return await this.ensureTopicsOnce(specs);
      } catch (error) {
        if (!isTransient(error) || Date.now() + backoff > deadline) throw error;
        this.logger.warn({ err: error, retryInMs: backoff }, 'could not ensure Kafka topics; retrying');
        await new Promise((resolve) => setTimeout(resolve, backoff));
      }
    }
  }

  private async ensureTopicsOnce(specs: TopicSpec[]): Promise<void> {
    const admin = await this.connect();
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((spec) => !existing.has(spec.topic));
    if (missing.length === 0) return;
    // Another replica may create the same topics at the same moment: createTopics answers false then, not an error.
    // Not kafkajs's waitForLeaders: on Apache Kafka its metadata poll can get UNKNOWN_TOPIC_OR_PARTITION
    // for a topic just created and throws; untilServed below waits on any retriable error instead.
    await admin.createTopics({
      waitForLeaders: false,
      topics: missing.map((spec) => ({
        topic: spec.topic,
        numPartitions: spec.partitions ?? this.defaults.partitions,
        replicationFactor: spec.replicationFactor ?? this.defaults.replicationFactor,
        configEntries: Object.entries(spec.config ?? {}).map(([name, value]) => ({ name, value })),
      })),
    });
    // Apache Kafka answers CreateTopics before every partition's leader serves requests: until
    // then metadata says UNKNOWN_TOPIC_OR_PARTITION or ListOffsets NOT_LEADER_OR_FOLLOWER, which
    // kafkajs's admin does not retry. Return only once each new topic answers, so a follower that
    // starts next can read its end offsets.
    for (const spec of missing) await this.untilServed(admin, spec.topic);
    this.logger.info({ topics: missing.map((spec) => spec.topic) }, 'kafka topics created');
  }

  private async untilServed(admin: Admin, topic: string): Promise<void> {
    const deadline = Date.now() + TOPIC_READY_TIMEOUT_MS;
    for (;;) {
      try {
        await admin.fetchTopicOffsets(topic);
        return;
      } catch (error) {
        if (!isTransient(error) || Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }

  /** Readiness: the cluster answers metadata within the probe's timeout. */
  async ping(): Promise<void> {
    await (await this.connect()).describeCluster();
  }

  /** One admin client per process, connected on first use (kafkajs reconnects it as needed). */
  connect(): Promise<Admin> {
    if (!this.admin) {
      const admin = this.connection.kafka.admin({ retry: { retries: 2, initialRetryTime: 100 } });
      this.admin = admin.connect().then(() => admin);
      this.admin.catch(() => {
        this.admin = null;
      });
    }
    return this.admin;
  }

  async close(): Promise<void> {
    const admin = await this.admin?.catch(() => null);
    this.admin = null;
    await admin?.disconnect();
  }
}

/** What kafkajs itself would retry: its retries ran out, or the root cause says retriable (connection lost, no leader yet…). */
export function isTransient(error: unknown): boolean {
  if ((error as { name?: unknown } | null)?.name === 'KafkaJSNumberOfRetriesExceeded') return true;
  if (isNoBrokerAnswered(error)) return true;
  let cause = error as { cause?: unknown; retriable?: unknown } | null;
  while (cause?.cause) cause = cause.cause as { cause?: unknown; retriable?: unknown };
  return cause?.retriable === true;
}

/**
 * kafkajs's admin reads cluster metadata without a null check: when no broker
 * answered (the broker restarting, the connection reset mid-request) its
 * `withBroker` yields nothing and `listTopics` throws a TypeError on the
 * destructuring (tulios/kafkajs#549, #461). The broker went away; that is as
 * transient as the reset itself.
 */
function isNoBrokerAnswered(error: unknown): boolean {
  const { name, message, stack } = (error ?? {}) as { name?: unknown; message?: unknown; stack?: unknown };
  return name === 'TypeError' && typeof message === 'string' && / of (null|undefined)|as it is (null|undefined)/.test(message) && typeof stack === 'string' && stack.includes('kafkajs');
}
