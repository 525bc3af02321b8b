import type { Consumer, EachBatchPayload, KafkaMessage } from 'kafkajs';
import type { Logger, MetricsService } from '@harmony/platform-observability';
import type { KafkaConnection } from './kafka-connection';
import { OffsetTracker } from './offset-tracker';
import { Semaphore } from './semaphore';

export interface ConsumedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
  /** Broker timestamp, ms since epoch. */
  timestamp: number;
}

export interface ConsumerSpec {
  groupId: string;
  topics: string[];
  /** Where a new group starts: the earliest message (default) or only new ones. */
  fromBeginning?: boolean;
  /** Handlers running at once across every partition (default 16). */
  concurrency?: number;
  /** Partitions whose batches are processed at once (default: concurrency). */
  partitionsConsumedConcurrently?: number;
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  /** Thin: parse → validate → use case. Throwing sends the message to `onFailure`. */
  handle(message: ConsumedMessage): Promise<void>;
  /**
   * Moves a message the handler could not process aside (a dead-letter or
   * retry topic) with the reason. If this also fails, the partition is
   * retried from that message: nothing is skipped silently.
   */
  onFailure(message: ConsumedMessage, error: unknown): Promise<void>;
}

const COMMIT_INTERVAL_MS = 1_000;

/**
 * Runs a kafkajs consumer group with manual commits. Messages of a batch run
 * concurrently (bounded); the committed offset only ever moves over a prefix
 * of finished messages; the group is heartbeated while handlers work; on stop,
 * no new message starts, in-flight ones finish, progress is committed and
 * the member leaves the group.
 */
export class ConsumerRunner {
  private readonly consumer: Consumer;
  private readonly semaphore: Semaphore;
  private running = false;
  /** Completed group joins of this member: more than one means it was rebalanced. */
  joins = 0;

  constructor(
    connection: KafkaConnection,
    private readonly spec: ConsumerSpec,
    private readonly logger: Logger,
    metrics?: MetricsService,
  ) {
    const concurrency = spec.concurrency ?? 16;
    this.semaphore = new Semaphore(concurrency);
    this.consumer = connection.kafka.consumer({
      groupId: spec.groupId,
      sessionTimeout: spec.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: spec.heartbeatIntervalMs ?? 3_000,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 500,
    });
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => {
      this.joins++;
    });
    if (metrics) {
      const lag = metrics.gauge({
        name: 'kafka_consumer_lag',
        help: 'Messages between the last one processed and the partition end, per consumer group and topic.',
        labelNames: ['group', 'topic', 'partition'],
      });
      this.consumer.on(this.consumer.events.END_BATCH_PROCESS, ({ payload }) => {
        lag.set({ group: spec.groupId, topic: payload.topic, partition: String(payload.partition) }, Number(payload.offsetLagLow));
      });
    }
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.spec.topics, fromBeginning: this.spec.fromBeginning ?? true });
    this.running = true;
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.spec.partitionsConsumedConcurrently ?? this.semaphore.limit,
      eachBatch: (payload) => this.processBatch(payload),
    });
  }

  /** Finish in-flight work, commit it, leave the group. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    await this.consumer.disconnect();
  }

  private async processBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, isRunning, isStale, commitOffsetsIfNecessary, uncommittedOffsets } = payload;
    const tracker = new OffsetTracker(batch.messages.map((message) => message.offset));
    const inFlight = new Set<Promise<void>>();
    let failure: unknown = null;
    let committing: Promise<void> | null = null;

    const commit = (): Promise<void> => {
      committing ??= commitOffsetsIfNecessary(uncommittedOffsets())
        .catch((error: unknown) => {
          // A rebalance took the partition: the next owner re-processes from the last commit (at-least-once).
          this.logger.warn({ err: error, topic: batch.topic, partition: batch.partition }, 'offset commit failed');
        })
        .finally(() => {
          committing = null;
        });
      return committing;
    };
    const progress = (): void => {
      const offset = tracker.advance();
      if (offset !== null) resolveOffset(offset);
    };
    // Handlers may outlive the session timeout, and one slow message must not hold back the
    // commit of those before it: heartbeat and commit the finished prefix on a timer.
    const ticker = setInterval(() => {
      heartbeat().catch(() => undefined);
      void commit();
    }, Math.min(this.spec.heartbeatIntervalMs ?? 3_000, COMMIT_INTERVAL_MS));

    try {
      for (const message of batch.messages) {
        if (!isRunning() || isStale() || failure !== null) break;
        await this.semaphore.acquire();
        if (!isRunning() || isStale() || failure !== null) {
          this.semaphore.release();
          break;
        }
        const work = this.processMessage(toConsumedMessage(batch.topic, batch.partition, message))
          .then(
            () => tracker.finish(message.offset),
            (error: unknown) => {
              failure ??= error;
            },
          )
          .finally(() => {
            this.semaphore.release();
            inFlight.delete(work);
            progress();
          });
        inFlight.add(work);
      }
      await Promise.all(inFlight);
    } finally {
      clearInterval(ticker);
    }
    progress();
    await committing;
    await commit();
    if (failure !== null) throw failure;
  }

  private async processMessage(message: ConsumedMessage): Promise<void> {
    try {
      await this.spec.handle(message);
    } catch (error) {
      this.logger.warn(
        { err: error, topic: message.topic, partition: message.partition, offset: message.offset },
        'handler failed; moving the message aside',
      );
      // If moving aside fails too, this rejects: the batch stops and kafkajs re-fetches from here.
      await this.spec.onFailure(message, error);
    }
  }
}

export function toConsumedMessage(topic: string, partition: number, message: KafkaMessage): ConsumedMessage {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.map(String).join(',') : value.toString();
  }
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key ?? null,
    value: message.value ?? null,
    headers,
    timestamp: Number(message.timestamp),
  };
}
