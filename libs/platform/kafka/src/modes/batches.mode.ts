import type { EachBatchPayload } from 'kafkajs';
import { toConsumedMessage, type ConsumedMessage } from '../consumed-message';
import { OffsetTracker } from '../offset-tracker';
import { type ConsumeContext, type ConsumeMode, type ConsumeModeFactory, type HeldPartition, heartbeatTickMs } from './consume-mode';

/**
 * The default mode: the messages of a batch run concurrently (bounded), the
 * finished prefix is committed on a timer while slow ones run, and the next
 * batch of the partition is fetched once this one is done. A message that
 * could neither be handled nor moved aside stops the batch: kafkajs fetches
 * the partition again from it.
 */
export class BatchesMode implements ConsumeMode {
  constructor(protected readonly context: ConsumeContext) {}

  /**
   * Before starting a message: `0` starts it now; a number of milliseconds waits
   * that long first (holding modes, a short wait); a hold stops the batch before it.
   */
  protected before(_message: ConsumedMessage, _highWatermark: string): number | HeldPartition {
    return 0;
  }

  /** After a batch that stopped before a message. */
  protected stoppedBefore(_hold: HeldPartition): void {
    // Batches never stop before a message.
  }

  async eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, isRunning, isStale, commitOffsetsIfNecessary, uncommittedOffsets } = payload;
    const { semaphore, logger } = this.context;
    const tracker = new OffsetTracker(batch.messages.map((message) => message.offset));
    const inFlight = new Set<Promise<void>>();
    let failure: unknown = null;
    let hold: HeldPartition | null = null;
    let committing: Promise<void> | null = null;

    const commit = (): Promise<void> => {
      committing ??= commitOffsetsIfNecessary(uncommittedOffsets())
        .catch((error: unknown) => {
          // A rebalance took the partition: the next owner re-processes from the last commit (at-least-once).
          logger.warn({ err: error, topic: batch.topic, partition: batch.partition }, 'offset commit failed');
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
    }, heartbeatTickMs(this.context));

    try {
      for (const message of batch.messages) {
        if (!isRunning() || isStale() || failure !== null) break;
        const consumed = toConsumedMessage(batch.topic, batch.partition, message);
        const before = this.before(consumed, batch.highWatermark);
        if (typeof before !== 'number') {
          hold = before;
          break;
        }
        if (before > 0 && !(await waitWhile(before, () => isRunning() && !isStale() && failure === null))) break;
        await semaphore.acquire();
        if (!isRunning() || isStale() || failure !== null) {
          semaphore.release();
          break;
        }
        const work = this.context
          .process(consumed)
          .then(
            () => tracker.finish(message.offset),
            (error: unknown) => {
              failure ??= error;
            },
          )
          .finally(() => {
            semaphore.release();
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
    if (hold !== null && isRunning() && !isStale()) this.stoppedBefore(hold);
  }
}

/** Sleeps `ms` in short steps while `go()` holds; false if it stopped holding first. */
async function waitWhile(ms: number, go: () => boolean): Promise<boolean> {
  const until = Date.now() + ms;
  for (let left = ms; left > 0; left = until - Date.now()) {
    if (!go()) return false;
    await new Promise((resolve) => setTimeout(resolve, Math.min(left, WAIT_STEP_MS)));
  }
  return go();
}

/** How often a wait before a message checks that the batch should go on (stop, rebalance). */
const WAIT_STEP_MS = 100;

/** The default: batch after batch, the messages of each concurrently. */
export const batches = (): ConsumeModeFactory => (context) => new BatchesMode(context);
