import type { EachBatchPayload } from 'kafkajs';
import { toConsumedMessage } from '../consumed-message';
import { OffsetTracker } from '../offset-tracker';
import { COMMIT_INTERVAL_MS, type ConsumeContext, type ConsumeMode, type ConsumeModeFactory, heartbeatTickMs } from './consume-mode';

interface Lane {
  topic: string;
  partition: number;
  /** Offsets in flight across batches. */
  tracker: OffsetTracker;
  /** Last offset of the finished prefix not committed yet. */
  committable: string | null;
}

/**
 * A partition's next batch is fetched while messages of the previous ones are
 * still in flight, so one slow message (a slow endpoint) holds back nothing
 * but the commit point of its partition. Every message is started (within
 * the bound) and resolved at once, so kafkajs fetches on; completion, not the
 * batch, moves each partition's commit point, committed on a timer. The
 * commit never passes an unfinished message.
 */
export class PipelinedMode implements ConsumeMode {
  /** Per partition ("topic/partition"): offsets in flight and what may be committed. */
  private readonly lanes = new Map<string, Lane>();
  private readonly work = new Set<Promise<void>>();
  private commitTimer: NodeJS.Timeout | null = null;

  constructor(private readonly context: ConsumeContext) {}

  start(): void {
    this.commitTimer = setInterval(() => void this.commit(), COMMIT_INTERVAL_MS);
  }

  /** Work outlives its batch: let it finish and commit it while still a member. */
  async stop(): Promise<void> {
    if (this.commitTimer) clearInterval(this.commitTimer);
    await Promise.all(this.work);
    await this.commit();
  }

  /** A new member starts from the last commit: old lanes commit nothing more. */
  newConsumer(): void {
    this.lanes.clear();
  }

  /** Partitions may have moved: their new owner starts from the last commit. */
  joined(): void {
    this.lanes.clear();
  }

  async eachBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const { semaphore, logger } = this.context;
    const key = `${batch.topic}/${batch.partition}`;
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = { topic: batch.topic, partition: batch.partition, tracker: new OffsetTracker([]), committable: null };
      this.lanes.set(key, lane);
    }
    const current = lane;
    const going = (): boolean => this.context.running() && isRunning() && !isStale() && this.lanes.get(key) === current;
    // Waiting for a free slot can take a while when every slot is busy: stay in the group meanwhile.
    const ticker = setInterval(() => heartbeat().catch(() => undefined), heartbeatTickMs(this.context));
    try {
      for (const message of batch.messages) {
        if (!going()) break;
        await semaphore.acquire();
        if (!going()) {
          semaphore.release();
          break;
        }
        current.tracker.add(message.offset);
        const work = this.context
          .process(toConsumedMessage(batch.topic, batch.partition, message))
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
              logger.error({ err: error, topic: batch.topic, partition: batch.partition, offset: message.offset }, 'message neither handled nor moved aside; replaying from it');
              // No consumer running: its replacement replays from the last commit anyway.
              this.context.consumer()?.seek({ topic: batch.topic, partition: batch.partition, offset: message.offset });
            },
          )
          .finally(() => {
            semaphore.release();
            this.work.delete(work);
          });
        this.work.add(work);
        resolveOffset(message.offset);
      }
    } finally {
      clearInterval(ticker);
    }
    await heartbeat().catch(() => undefined);
  }

  /** Commits, per partition, the end of the prefix of finished messages. */
  private async commit(): Promise<void> {
    const offsets: { topic: string; partition: number; offset: string }[] = [];
    for (const lane of this.lanes.values()) {
      if (lane.committable === null) continue;
      offsets.push({ topic: lane.topic, partition: lane.partition, offset: (BigInt(lane.committable) + 1n).toString() });
      lane.committable = null;
    }
    const consumer = this.context.consumer();
    if (offsets.length === 0 || !consumer) return;
    try {
      await consumer.commitOffsets(offsets);
    } catch (error) {
      // Usually a rebalance took the partitions (the next owner re-processes from the last commit);
      // otherwise the next tick tries again with whatever has finished since.
      this.context.logger.warn({ err: error, partitions: offsets.length }, 'offset commit failed');
      for (const { topic, partition, offset } of offsets) {
        const lane = this.lanes.get(`${topic}/${partition}`);
        if (lane && lane.committable === null) lane.committable = (BigInt(offset) - 1n).toString();
      }
    }
  }
}

/** Pipelined consumption (see PipelinedMode). */
export const pipelined = (): ConsumeModeFactory => (context) => new PipelinedMode(context);
