import type { Consumer } from 'kafkajs';
import type { Logger, MetricsService } from '@harmony/platform-observability';
import type { ConsumedMessage } from './consumed-message';
import { carryOverOffsets, type FormerGroup } from './group-offsets-carry-over';
import type { KafkaConnection } from './kafka-connection';
import { batches } from './modes/batches.mode';
import type { ConsumeMode, ConsumeModeFactory, HeldPartition } from './modes/consume-mode';
import { Semaphore } from './semaphore';
import { SupervisedConsumer } from './supervised-consumer';

export interface ConsumerSpec {
  groupId: string;
  topics: string[];
  /**
   * How fetched messages are worked through and committed: `batches()` (the
   * default), `holdUntil(dueAt)` (retry tiers) or `pipelined()` (delivery).
   */
  mode?: ConsumeModeFactory;
  /** Where a new group starts: the earliest message (default) or only new ones. */
  fromBeginning?: boolean;
  /** Handlers running at once across every partition (default 16). */
  concurrency?: number;
  /** Partitions whose batches are processed at once (default: concurrency). */
  partitionsConsumedConcurrently?: number;
  /** Default: the connection's (KAFKA_SESSION_TIMEOUT_MS, KAFKA_HEARTBEAT_INTERVAL_MS). */
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  /** Longest a fetch waits for new messages (default IDLE_FETCH_WAIT_MS); also how long before a held message is due its partition resumes. */
  maxWaitTimeMs?: number;
  /**
   * Groups this one replaces (merged into it, renamed): before it first joins,
   * their committed offsets are copied to it for each partition it has none
   * for, so it goes on where they stopped (see carryOverOffsets).
   */
  replaces?: FormerGroup[];
  /** Thin: parse → validate → use case. Throwing sends the message to `onFailure`. */
  handle(message: ConsumedMessage): Promise<void>;
  /**
   * Moves a message the handler could not process aside (a dead-letter or
   * retry topic) with the reason. If this also fails, the partition is
   * retried from that message: nothing is skipped silently.
   */
  onFailure(message: ConsumedMessage, error: unknown): Promise<void>;
}

/**
 * How long an idle consumer's fetch waits at the broker. A new message answers
 * a waiting fetch at once (Apache Kafka and the embedded broker wake on
 * append), so this sets what idling costs (one round trip per consumer per
 * wait) and how long a stop may wait for the fetch in flight — not latency.
 */
export const IDLE_FETCH_WAIT_MS = 2_000;

/**
 * Runs a kafkajs consumer group with manual commits, its mode deciding how
 * fetched messages are worked through (concurrently, bounded) and what is
 * committed — never past an unfinished message. The group is heartbeated
 * while handlers work; on stop, no new message starts, in-flight ones finish,
 * progress is committed and the member leaves the group. A consumer that
 * fails to start, crashes or goes silent is replaced with backoff
 * (SupervisedConsumer); the new one resumes from the last commit.
 */
export class ConsumerRunner {
  private readonly supervised: SupervisedConsumer;
  private readonly mode: ConsumeMode;
  private running = false;
  private carriedOver: boolean;
  /** Completed group joins of this member: more than one means it was rebalanced. */
  joins = 0;

  constructor(
    private readonly connection: KafkaConnection,
    private readonly spec: ConsumerSpec,
    private readonly logger: Logger,
    metrics?: MetricsService,
  ) {
    this.carriedOver = !spec.replaces?.length;
    const semaphore = new Semaphore(spec.concurrency ?? 16);
    const heartbeatIntervalMs = spec.heartbeatIntervalMs ?? connection.consumerSettings.heartbeatIntervalMs;
    const fetchWaitMs = spec.maxWaitTimeMs ?? IDLE_FETCH_WAIT_MS;
    this.mode = (spec.mode ?? batches())({
      semaphore,
      heartbeatIntervalMs,
      fetchWaitMs,
      logger,
      running: () => this.running,
      consumer: () => this.supervised.consumer,
      process: (message) => this.process(message),
    });
    const lag = metrics?.gauge({
      name: 'kafka_consumer_lag',
      help: 'Messages between the last one processed and the partition end, per consumer group and topic.',
      labelNames: ['group', 'topic', 'partition'],
    });
    const create = (): Consumer => {
      this.mode.newConsumer?.();
      const consumer = connection.kafka.consumer({
        groupId: spec.groupId,
        sessionTimeout: spec.sessionTimeoutMs ?? connection.consumerSettings.sessionTimeoutMs,
        heartbeatInterval: heartbeatIntervalMs,
        allowAutoTopicCreation: false,
        maxWaitTimeInMs: fetchWaitMs,
        retry: { retries: 5, ...SupervisedConsumer.RETRY },
      });
      consumer.on(consumer.events.GROUP_JOIN, () => {
        this.joins++;
        this.mode.joined?.();
      });
      if (lag) {
        consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
          lag.set({ group: spec.groupId, topic: payload.topic, partition: String(payload.partition) }, Number(payload.offsetLagLow));
        });
      }
      return consumer;
    };
    this.supervised = connection.supervise(spec.groupId, create, async (consumer) => {
      await consumer.connect();
      await consumer.subscribe({ topics: spec.topics, fromBeginning: spec.fromBeginning ?? true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: spec.partitionsConsumedConcurrently ?? semaphore.limit,
        eachBatch: (payload) => this.mode.eachBatch(payload),
      });
    });
  }

  get groupId(): string {
    return this.spec.groupId;
  }

  /** True while a consumer runs (false while it is being restarted). */
  get consuming(): boolean {
    return this.supervised.running;
  }

  /** Consumers started again after a failure or crash. */
  get restarts(): number {
    return this.supervised.restarts;
  }

  /** Resolves once the consumer runs; keeps retrying until then; rejects only if it stays down past its bound. */
  async start(): Promise<void> {
    this.running = true;
    await this.carryOver();
    if (!this.running) return;
    this.mode.start?.();
    await this.supervised.start();
  }

  /** Finish in-flight work, commit it, leave the group. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    await this.mode.stop?.();
    await this.supervised.stop();
  }

  /** Partitions paused at a message that is not due yet (`holdUntil` mode). */
  holds(): HeldPartition[] {
    return this.mode.holds?.() ?? [];
  }

  /**
   * Before the first join, the committed offsets of the groups this one
   * replaces (`spec.replaces`): a member that consumed first would start their
   * partitions from the beginning. Retried with backoff while the broker is
   * unreachable, bounded like a consumer that cannot start (KAFKA_CONSUMER_MAX_DOWN_MS).
   */
  private async carryOver(): Promise<void> {
    const since = Date.now();
    let backoff = 250;
    while (!this.carriedOver && this.running) {
      const admin = this.connection.kafka.admin({ retry: { retries: 2, initialRetryTime: 100 } });
      try {
        await admin.connect();
        await carryOverOffsets(admin, this.spec.groupId, this.spec.replaces ?? [], this.logger);
        this.carriedOver = true;
      } catch (error) {
        if (Date.now() - since >= this.connection.consumerSettings.maxDownMs) {
          // Down past the bound, as a consumer that cannot start: reported dead, so the process exits.
          const dead = new Error(`${this.spec.groupId}: could not carry over the replaced groups' offsets for ${Date.now() - since} ms: ${(error as Error).message ?? String(error)}`);
          this.connection.reportDead(this.spec.groupId, dead);
          throw dead;
        }
        this.logger.warn({ err: error, groupId: this.spec.groupId, retryInMs: backoff }, 'carrying over the replaced groups’ offsets failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, backoff));
        backoff = Math.min(backoff * 2, 5_000);
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
    }
  }

  private async process(message: ConsumedMessage): Promise<void> {
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
