import { randomUUID } from 'node:crypto';
import type { Consumer } from 'kafkajs';
import type { Logger } from '@harmony/platform-observability';
import { type ConsumedMessage, toConsumedMessage } from './consumer-runner';
import type { KafkaConnection } from './kafka-connection';

export interface FollowerSpec {
  /** Names the follower in logs and in its (per-instance) consumer group id. */
  name: string;
  topics: string[];
  /** Read from the log start (compacted state topics) or from a point in time (recent history). */
  from: 'earliest' | { timestamp: number };
  /** Applies one record to in-memory state; must not throw for bad records (skip and log them). */
  apply(message: ConsumedMessage): void;
}

/**
 * Builds in-memory state from topics and keeps it current: every instance
 * reads every partition (its own consumer group, nothing committed), from the
 * start or from a timestamp. `start()` resolves once the state has caught up
 * with the end of each partition as it was at start — the moment a service
 * built on it may call itself ready.
 */
export class TopicFollower {
  private consumer: Consumer | null = null;
  private caughtUp = false;

  constructor(
    private readonly connection: KafkaConnection,
    private readonly spec: FollowerSpec,
    private readonly logger: Logger,
  ) {}

  get ready(): boolean {
    return this.caughtUp;
  }

  async start(): Promise<void> {
    const admin = this.connection.kafka.admin();
    await admin.connect();
    const remaining = new Map<string, bigint>(); // "topic/partition" → last offset to read before caught up
    const seeks: { topic: string; partition: number; offset: string }[] = [];
    try {
      for (const topic of this.spec.topics) {
        const ends = await admin.fetchTopicOffsets(topic);
        const starts =
          this.spec.from === 'earliest'
            ? ends.map(({ partition, low }) => ({ partition, offset: low }))
            : await admin.fetchTopicOffsetsByTimestamp(topic, this.spec.from.timestamp);
        for (const { partition, high } of ends) {
          const start = BigInt(starts.find((entry) => entry.partition === partition)?.offset ?? high);
          const startOffset = start < 0n ? BigInt(high) : start;
          seeks.push({ topic, partition, offset: startOffset.toString() });
          if (startOffset < BigInt(high)) remaining.set(`${topic}/${partition}`, BigInt(high) - 1n);
        }
      }
    } finally {
      await admin.disconnect();
    }

    let markCaughtUp!: () => void;
    const caughtUp = new Promise<void>((resolve) => (markCaughtUp = resolve));
    const check = (): void => {
      if (remaining.size === 0 && !this.caughtUp) {
        this.caughtUp = true;
        markCaughtUp();
      }
    };

    const consumer = this.connection.kafka.consumer({
      groupId: `${this.spec.name}.${randomUUID()}`,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 500,
    });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics: this.spec.topics, fromBeginning: this.spec.from === 'earliest' });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
        for (const message of batch.messages) {
          try {
            this.spec.apply(toConsumedMessage(batch.topic, batch.partition, message));
          } catch (error) {
            this.logger.error({ err: error, topic: batch.topic, partition: batch.partition, offset: message.offset }, `${this.spec.name}: record skipped`);
          }
          resolveOffset(message.offset);
          const key = `${batch.topic}/${batch.partition}`;
          const last = remaining.get(key);
          if (last !== undefined && BigInt(message.offset) >= last) remaining.delete(key);
        }
        await heartbeat();
        check();
      },
    });
    for (const seek of seeks) consumer.seek(seek);
    check();
    await caughtUp;
    this.logger.info({ follower: this.spec.name, topics: this.spec.topics }, 'caught up');
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    this.consumer = null;
  }
}
