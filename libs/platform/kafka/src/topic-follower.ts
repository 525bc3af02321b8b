import { randomUUID } from 'node:crypto';
import type { Consumer, EachBatchPayload } from 'kafkajs';
import type { Logger } from '@harmony/platform-observability';
import { type ConsumedMessage, toConsumedMessage } from './consumed-message';
import { IDLE_FETCH_WAIT_MS } from './consumer-runner';
import type { KafkaConnection } from './kafka-connection';
import type { Prerequisite } from './prerequisite';
import { SupervisedConsumer } from './supervised-consumer';

export interface FollowerSpec {
  /** Names the follower in logs and in its (per-instance) consumer group id. */
  name: string;
  topics: string[];
  /** Read from the log start (compacted state topics) or from a point in time (recent history). */
  from: 'earliest' | { timestamp: number };
  /** Applies one record to in-memory state; must not throw for bad records (skip and log them). */
  apply(message: ConsumedMessage): void;
}

/** How often a follower that has not caught up reads the partition ends again. */
const RECHECK_ENDS_MS = 5_000;

/**
 * Builds in-memory state from topics and keeps it current: every instance
 * reads every partition (its own consumer group, nothing committed), from the
 * start or from a timestamp. `start()` resolves once the state has caught up
 * with the end of each partition as it was at start — the moment a service
 * built on it may call itself ready.
 *
 * The follower remembers the next offset of every partition itself: each
 * time a consumer joins (the first, or one that replaced a crashed one) it is
 * sought there before its first fetch, so a restart neither re-applies history
 * nor skips records.
 */
export class TopicFollower implements Prerequisite {
  private readonly supervised: SupervisedConsumer;
  /** Callers of `start()` not yet stopped: one follower may serve several services of a process. */
  private users = 0;
  private starting: Promise<void> | null = null;
  /** "topic/partition" → the next offset to apply; filled on the first boot. */
  private positions: Map<string, { topic: string; partition: number; offset: string }> | null = null;
  /** "topic/partition" → last offset to read before caught up. */
  private readonly remaining = new Map<string, bigint>();
  private caughtUp = false;
  private markCaughtUp!: () => void;
  private markDead!: (error: Error) => void;
  private readonly caughtUpOrDead = new Promise<void>((resolve, reject) => {
    this.markCaughtUp = resolve;
    this.markDead = reject;
  });

  constructor(
    private readonly connection: KafkaConnection,
    private readonly spec: FollowerSpec,
    private readonly logger: Logger,
  ) {
    this.caughtUpOrDead.catch(() => undefined);
    const create = (): Consumer => {
      const consumer = connection.kafka.consumer({
        groupId: `${spec.name}.${randomUUID()}`,
        allowAutoTopicCreation: false,
        maxWaitTimeInMs: IDLE_FETCH_WAIT_MS,
        sessionTimeout: connection.consumerSettings.sessionTimeoutMs,
        heartbeatInterval: connection.consumerSettings.heartbeatIntervalMs,
        retry: { retries: 5, ...SupervisedConsumer.RETRY },
      });
      // Emitted after the member joined, before its first fetch: the only moment a seek is sure to apply.
      consumer.on(consumer.events.GROUP_JOIN, () => {
        for (const position of this.positions?.values() ?? []) consumer.seek(position);
      });
      return consumer;
    };
    this.supervised = connection.supervise(`follower ${spec.name}`, create, async (consumer) => {
      this.positions ??= await this.startPositions();
      this.check();
      await consumer.connect();
      await consumer.subscribe({ topics: spec.topics, fromBeginning: spec.from === 'earliest' });
      await consumer.run({ autoCommit: false, eachBatch: (payload) => this.apply(payload) });
    });
  }

  get ready(): boolean {
    return this.caughtUp;
  }

  get reads(): string {
    return this.spec.topics.join(', ');
  }

  /** True while a consumer runs (false while it is being restarted). */
  get consuming(): boolean {
    return this.supervised.running;
  }

  get restarts(): number {
    return this.supervised.restarts;
  }

  /** Resolves once caught up; a second caller shares the first one's start. */
  start(): Promise<void> {
    this.users += 1;
    this.starting ??= this.run();
    return this.starting;
  }

  /** Stops with its last user. */
  async stop(): Promise<void> {
    if (this.users > 0) this.users -= 1;
    if (this.users > 0) return;
    await this.supervised.stop();
  }

  private async run(): Promise<void> {
    try {
      await this.supervised.start();
    } catch (error) {
      this.markDead(error as Error);
    }
    const recheck = setInterval(() => void this.recheckEnds(), RECHECK_ENDS_MS);
    recheck.unref();
    try {
      await this.caughtUpOrDead;
    } finally {
      clearInterval(recheck);
    }
    this.logger.info({ follower: this.spec.name, topics: this.spec.topics }, 'caught up');
  }

  /**
   * A partition end read at start can vanish: a broker killed -9 loses what it
   * had appended but not yet made durable, and those offsets never come. While
   * not caught up, the ends are read again; a partition whose end is now at or
   * below the next offset to apply has nothing more to wait for.
   */
  private async recheckEnds(): Promise<void> {
    if (this.caughtUp || !this.positions || !this.supervised.running) return;
    const admin = this.connection.kafka.admin();
    try {
      await admin.connect();
      for (const topic of this.spec.topics) {
        for (const { partition, high } of await admin.fetchTopicOffsets(topic)) {
          const key = `${topic}/${partition}`;
          const next = this.positions.get(key);
          if (this.remaining.has(key) && next && BigInt(high) <= BigInt(next.offset)) {
            this.logger.warn({ follower: this.spec.name, topic, partition, high, expected: this.remaining.get(key)?.toString() }, 'partition end moved back; caught up with it');
            this.remaining.delete(key);
          }
        }
      }
      this.check();
    } catch {
      // The next tick tries again.
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  private async startPositions(): Promise<Map<string, { topic: string; partition: number; offset: string }>> {
    const admin = this.connection.kafka.admin();
    await admin.connect();
    const positions = new Map<string, { topic: string; partition: number; offset: string }>();
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
          positions.set(`${topic}/${partition}`, { topic, partition, offset: startOffset.toString() });
          if (startOffset < BigInt(high)) this.remaining.set(`${topic}/${partition}`, BigInt(high) - 1n);
        }
      }
    } finally {
      await admin.disconnect();
    }
    return positions;
  }

  private async apply({ batch, heartbeat, resolveOffset }: EachBatchPayload): Promise<void> {
    const key = `${batch.topic}/${batch.partition}`;
    for (const message of batch.messages) {
      try {
        this.spec.apply(toConsumedMessage(batch.topic, batch.partition, message));
      } catch (error) {
        this.logger.error({ err: error, topic: batch.topic, partition: batch.partition, offset: message.offset }, `${this.spec.name}: record skipped`);
      }
      resolveOffset(message.offset);
      this.positions?.set(key, { topic: batch.topic, partition: batch.partition, offset: (BigInt(message.offset) + 1n).toString() });
      const last = this.remaining.get(key);
      if (last !== undefined && BigInt(message.offset) >= last) this.remaining.delete(key);
    }
    await heartbeat();
    this.check();
  }

  private check(): void {
    if (this.remaining.size === 0 && !this.caughtUp) {
      this.caughtUp = true;
      this.markCaughtUp();
    }
  }
}
