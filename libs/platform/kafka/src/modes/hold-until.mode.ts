import type { ConsumedMessage } from '../consumed-message';
import { BatchesMode } from './batches.mode';
import type { ConsumeContext, ConsumeModeFactory, HeldPartition } from './consume-mode';

/** A held partition is looked at again at least this often (bounds timers; survives clock jumps). */
const MAX_HOLD_TIMER_MS = 3_600_000;

/**
 * Batches, but a message is held until a time without blocking the group:
 * the partition is paused at that message, its fetch position is sought back
 * to it, and it resumes shortly before the message is due. Messages behind it wait too
 * (one partition is consumed in order); other partitions and the group's
 * heartbeats go on. Nothing at or after the held message is committed, so a
 * restart holds it again.
 */
export class HoldUntilMode extends BatchesMode {
  private readonly held = new Map<string, HeldPartition & { timer: NodeJS.Timeout }>();

  constructor(
    context: ConsumeContext,
    private readonly dueAtOf: (message: ConsumedMessage) => number | null,
  ) {
    super(context);
  }

  holds(): HeldPartition[] {
    return [...this.held.values()].map(({ timer: _timer, ...hold }) => hold);
  }

  /** A new member starts from the last commit: what the old one held is void. */
  newConsumer(): void {
    this.release();
  }

  async stop(): Promise<void> {
    this.release();
  }

  /**
   * A message due within one fetch wait is waited for here, in its batch:
   * exact, and no fetch is needed. Heartbeats and the other partitions of the
   * same fetch go on; the next fetch waits at most that long. One due later
   * holds its partition.
   */
  protected override before(message: ConsumedMessage, highWatermark: string): number | HeldPartition {
    const dueAt = this.dueAt(message);
    if (dueAt === null) return 0;
    const wait = dueAt - Date.now();
    if (wait <= this.context.fetchWaitMs) return Math.max(0, wait);
    // Later messages wait behind it: starting them would let the commit pass over the held one.
    const waiting = Number(BigInt(highWatermark) - BigInt(message.offset));
    return { topic: message.topic, partition: message.partition, offset: message.offset, dueAt, waiting };
  }

  /**
   * Pause fetching the partition, move its fetch position back to the held
   * message, and resume one fetch wait before it is due: the fetch in flight
   * (or the fetcher's idle sleep) ends within that wait, so the message is
   * fetched again in time and waited for in its batch. The fetcher (and with
   * it the group's heartbeats and every other partition) never waits long for
   * a held message, and the consumer can long-poll.
   */
  protected override stoppedBefore(hold: HeldPartition): void {
    const key = `${hold.topic}/${hold.partition}`;
    const partitions = [{ topic: hold.topic, partitions: [hold.partition] }];
    const consumer = this.context.consumer();
    if (!consumer) return;
    clearTimeout(this.held.get(key)?.timer);
    consumer.pause(partitions);
    consumer.seek({ topic: hold.topic, partition: hold.partition, offset: hold.offset });
    const timer = setTimeout(() => {
      this.held.delete(key);
      // A replaced consumer's pauses went with it; its successor holds the message again by itself.
      if (this.context.running() && this.context.consumer() === consumer) consumer.resume(partitions);
    }, Math.min(MAX_HOLD_TIMER_MS, Math.max(0, hold.dueAt - this.context.fetchWaitMs - Date.now())));
    this.held.set(key, { ...hold, timer });
  }

  /** Throwing counts as "now": the handler then decides what a bad message is. */
  private dueAt(message: ConsumedMessage): number | null {
    try {
      return this.dueAtOf(message);
    } catch {
      return null;
    }
  }

  private release(): void {
    for (const hold of this.held.values()) clearTimeout(hold.timer);
    this.held.clear();
  }
}

/** Holds each message until `dueAt(message)` (ms since epoch; `null` or a past time = now). */
export const holdUntil =
  (dueAt: (message: ConsumedMessage) => number | null): ConsumeModeFactory =>
  (context) =>
    new HoldUntilMode(context, dueAt);
