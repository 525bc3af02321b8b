import type { Consumer, EachBatchPayload, KafkaMessage } from 'kafkajs';
import type { Logger, MetricsService } from '@harmony/platform-observability';
import type { KafkaConnection } from './kafka-connection';
import { OffsetTracker } from './offset-tracker';
import { Semaphore } from './semaphore';
import { SupervisedConsumer } from './supervised-consumer';

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
  /** Default: the connection's (KAFKA_SESSION_TIMEOUT_MS, KAFKA_HEARTBEAT_INTERVAL_MS). */
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  /** Longest a fetch waits for new messages (default IDLE_FETCH_WAIT_MS); also how late a resumed partition may be fetched. */
  maxWaitTimeMs?: number;
  /**
   * Holds a message until a time (ms since epoch; `null` or a past time = now)
   * without blocking the group: the partition is paused at that message, the
   * fetch position is sought back to it, and the partition resumes when it is
   * due. Messages behind it wait too (one partition is consumed in order);
   * other partitions and the group's heartbeats go on. Nothing at or after the
   * held message is committed, so a restart holds it again. Throwing counts as
   * "now" (the handler then decides what a bad message is).
   */
  holdUntil?(message: ConsumedMessage): number | null;
  /**
   * Pipelined: a partition's next batch is fetched while messages of the
   * previous ones are still in flight, so one slow message (a slow endpoint)
   * holds back nothing but the commit point of its partition. The commit
   * still never passes an unfinished message. Not combinable with `holdUntil`.
   */
  pipelined?: boolean;
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
 * How long an idle consumer's fetch waits at the broker. A new message answers
 * a waiting fetch at once (Apache Kafka and the embedded broker wake on
 * append), so this sets what idling costs (one round trip per consumer per
 * wait) and how long a stop may wait for the fetch in flight — not latency.
 */
export const IDLE_FETCH_WAIT_MS = 2_000;
/** A held partition is looked at again at least this often (bounds timers; survives clock jumps). */
const MAX_HOLD_TIMER_MS = 3_600_000;

/** A partition paused at a message that is not due yet (see `ConsumerSpec.holdUntil`). */
export interface HeldPartition {
  topic: string;
  partition: number;
  /** The held message: the lowest unfinished offset of the partition. */
  offset: string;
  dueAt: number;
  /** Messages from the held one to the partition end when it was held. */
  waiting: number;
}

/**
 * Runs a kafkajs consumer group with manual commits. Messages of a batch run
 * concurrently (bounded); the committed offset only ever moves over a prefix
 * of finished messages; the group is heartbeated while handlers work; on stop,
 * no new message starts, in-flight ones finish, progress is committed and
 * the member leaves the group. A consumer that fails to start or crashes is
 * replaced with backoff (SupervisedConsumer); the new one resumes from the
 * last commit.
 */
export class ConsumerRunner {
  private readonly supervised: SupervisedConsumer;
  private readonly heartbeatIntervalMs: number;
  private readonly semaphore: Semaphore;
  private running = false;
  private readonly held = new Map<string, HeldPartition & { timer: NodeJS.Timeout }>();
  /** Pipelined mode: per partition, offsets in flight across batches, and what may be committed. */
  private readonly lanes = new Map<string, Lane>();
  private readonly pipelineWork = new Set<Promise<void>>();
  private commitTimer: NodeJS.Timeout | null = null;
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
    if (spec.pipelined && spec.holdUntil) throw new Error('a consumer is either pipelined or holds messages, not both');
    this.heartbeatIntervalMs = spec.heartbeatIntervalMs ?? connection.consumerSettings.heartbeatIntervalMs;
    const lag = metrics?.gauge({
      name: 'kafka_consumer_lag',
      help: 'Messages between the last one processed and the partition end, per consumer group and topic.',
      labelNames: ['group', 'topic', 'partition'],
    });
    const create = (): Consumer => {
      // A new member starts from the last commit: what the old one held or had in lanes is void.
      this.releaseHolds();
      this.lanes.clear();
      const consumer = connection.kafka.consumer({
        groupId: spec.groupId,
        sessionTimeout: spec.sessionTimeoutMs ?? connection.consumerSettings.sessionTimeoutMs,
        heartbeatInterval: this.heartbeatIntervalMs,
        allowAutoTopicCreation: false,
        maxWaitTimeInMs: spec.maxWaitTimeMs ?? IDLE_FETCH_WAIT_MS,
        retry: { retries: 5, ...SupervisedConsumer.RETRY },
      });
      consumer.on(consumer.events.GROUP_JOIN, () => {
        this.joins++;
        // Partitions may have moved: the new owner starts from the last commit; old lanes commit nothing more.
        this.lanes.clear();
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
      await consumer.subscribe({ topics: this.spec.topics, fromBeginning: this.spec.fromBeginning ?? true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.spec.partitionsConsumedConcurrently ?? this.semaphore.limit,
        eachBatch: (payload) => (this.spec.pipelined ? this.processPipelined(payload) : this.processBatch(payload)),
      });
    });
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
    if (this.spec.pipelined) this.commitTimer = setInterval(() => void this.commitLanes(), COMMIT_INTERVAL_MS);
    await this.supervised.start();
  }

  /** Finish in-flight work, commit it, leave the group. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.releaseHolds();
    if (this.commitTimer) clearInterval(this.commitTimer);
    // Pipelined work outlives its batch: let it finish and commit it while still a member.
    await Promise.all(this.pipelineWork);
    await this.commitLanes();
    await this.supervised.stop();
  }

  private releaseHolds(): void {
    for (const hold of this.held.values()) clearTimeout(hold.timer);
    this.held.clear();
  }

  /** Partitions paused at a message that is not due yet. */
  holds(): HeldPartition[] {
    return [...this.held.values()].map(({ timer: _timer, ...hold }) => hold);
  }

  private async processBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, isRunning, isStale, commitOffsetsIfNecessary, uncommittedOffsets } = payload;
    const tracker = new OffsetTracker(batch.messages.map((message) => message.offset));
    const inFlight = new Set<Promise<void>>();
    let failure: unknown = null;
    let hold: HeldPartition | null = null;
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
    }, Math.min(this.heartbeatIntervalMs, COMMIT_INTERVAL_MS));

    try {
      for (const message of batch.messages) {
        if (!isRunning() || isStale() || failure !== null) break;
        const consumed = toConsumedMessage(batch.topic, batch.partition, message);
        const dueAt = this.dueAt(consumed);
        if (dueAt !== null && dueAt > Date.now()) {
          // Later messages wait behind it: starting them would let the commit pass over the held one.
          const waiting = Number(BigInt(batch.highWatermark) - BigInt(message.offset));
          hold = { topic: batch.topic, partition: batch.partition, offset: message.offset, dueAt, waiting };
          break;
        }
        await this.semaphore.acquire();
        if (!isRunning() || isStale() || failure !== null) {
          this.semaphore.release();
          break;
        }
        const work = this.processMessage(consumed)
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
    if (hold !== null && isRunning() && !isStale()) this.holdPartition(hold);
  }

  /**
   * Pipelined consumption: every message is started (within the global
   * bound) and resolved at once, so kafkajs fetches on; completion, not the
   * batch, moves the partition's commit point (`commitLanes`).
   */
  private async processPipelined(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, isRunning, isStale } = payload;
    const key = `${batch.topic}/${batch.partition}`;
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = { topic: batch.topic, partition: batch.partition, tracker: new OffsetTracker([]), committable: null };
      this.lanes.set(key, lane);
    }
    const current = lane;
    // Waiting for a free slot can take a while when every slot is busy: stay in the group meanwhile.
    const ticker = setInterval(() => heartbeat().catch(() => undefined), this.heartbeatIntervalMs);
    try {
      for (const message of batch.messages) {
        if (!this.running || !isRunning() || isStale() || this.lanes.get(key) !== current) break;
        await this.semaphore.acquire();
        if (!this.running || !isRunning() || isStale() || this.lanes.get(key) !== current) {
          this.semaphore.release();
          break;
        }
        current.tracker.add(message.offset);
        const work = this.processMessage(toConsumedMessage(batch.topic, batch.partition, message))
          .then(
            () => {
              current.tracker.finish(message.offset);
              const offset = current.tracker.advance();
              if (offset !== null) current.committable = offset;
            },
            (error: unknown) => {
              // Neither handled nor moved aside: consume the partition again from this message.
              if (this.lanes.get(key) !== current) return;
              this.lanes.delete(key);
              this.logger.error({ err: error, topic: batch.topic, partition: batch.partition, offset: message.offset }, 'message neither handled nor moved aside; replaying from it');
              // No consumer running: its replacement replays from the last commit anyway.
              this.supervised.consumer?.seek({ topic: batch.topic, partition: batch.partition, offset: message.offset });
            },
          )
          .finally(() => {
            this.semaphore.release();
            this.pipelineWork.delete(work);
          });
        this.pipelineWork.add(work);
        resolveOffset(message.offset);
      }
    } finally {
      clearInterval(ticker);
    }
    await heartbeat().catch(() => undefined);
  }

  /** Commits, per partition, the end of the prefix of finished messages. */
  private async commitLanes(): Promise<void> {
    const offsets: { topic: string; partition: number; offset: string }[] = [];
    for (const lane of this.lanes.values()) {
      if (lane.committable === null) continue;
      offsets.push({ topic: lane.topic, partition: lane.partition, offset: (BigInt(lane.committable) + 1n).toString() });
      lane.committable = null;
    }
    const consumer = this.supervised.consumer;
    if (offsets.length === 0 || !consumer) return;
    try {
      await consumer.commitOffsets(offsets);
    } catch (error) {
      // Usually a rebalance took the partitions (the next owner re-processes from the last commit);
      // otherwise the next tick tries again with whatever has finished since.
      this.logger.warn({ err: error, partitions: offsets.length }, 'offset commit failed');
      for (const { topic, partition, offset } of offsets) {
        const lane = this.lanes.get(`${topic}/${partition}`);
        if (lane && lane.committable === null) lane.committable = (BigInt(offset) - 1n).toString();
      }
    }
  }

  private dueAt(message: ConsumedMessage): number | null {
    if (!this.spec.holdUntil) return null;
    try {
      return this.spec.holdUntil(message);
    } catch {
      return null;
    }
  }

  /**
   * Pause fetching the partition, move its fetch position back to the held
   * message, and resume when it is due. The fetcher (and with it the group's
   * heartbeats and every other partition) never waits for a held message.
   */
  private holdPartition(hold: HeldPartition): void {
    const key = `${hold.topic}/${hold.partition}`;
    const partitions = [{ topic: hold.topic, partitions: [hold.partition] }];
    const consumer = this.supervised.consumer;
    if (!consumer) return;
    clearTimeout(this.held.get(key)?.timer);
    consumer.pause(partitions);
    consumer.seek({ topic: hold.topic, partition: hold.partition, offset: hold.offset });
    const timer = setTimeout(() => {
      this.held.delete(key);
      // A replaced consumer's pauses went with it; its successor holds the message again by itself.
      if (this.running && this.supervised.consumer === consumer) consumer.resume(partitions);
    }, Math.min(MAX_HOLD_TIMER_MS, Math.max(0, hold.dueAt - Date.now())));
    this.held.set(key, { ...hold, timer });
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

interface Lane {
  topic: string;
  partition: number;
  tracker: OffsetTracker;
  /** Last offset of the finished prefix not committed yet. */
  committable: string | null;
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
