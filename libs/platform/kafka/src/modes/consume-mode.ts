import type { Consumer, EachBatchPayload } from 'kafkajs';
import type { Logger } from '@harmony/platform-observability';
import type { ConsumedMessage } from '../consumed-message';
import type { Semaphore } from '../semaphore';

/** What a mode gets from its ConsumerRunner. */
export interface ConsumeContext {
  /** Bounds the handlers running at once across every partition. */
  readonly semaphore: Semaphore;
  readonly heartbeatIntervalMs: number;
  /** Longest a fetch waits at the broker: also how late a resumed partition's messages may arrive. */
  readonly fetchWaitMs: number;
  readonly logger: Logger;
  /** False once the runner is stopping: start nothing new. */
  running(): boolean;
  /** The running kafkajs consumer; `null` while it is being replaced. */
  consumer(): Consumer | null;
  /** The handler, and on failure the move aside; rejects only when both failed (the message must be consumed again). */
  process(message: ConsumedMessage): Promise<void>;
}

/** A partition paused at a message that is not due yet (see `holdUntil`). */
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
 * How a ConsumerRunner works through what it fetches and decides what to
 * commit. Every mode keeps the same promise: the committed offset never passes
 * a message that is not finished, so a restart re-processes (at-least-once)
 * and never skips.
 */
export interface ConsumeMode {
  eachBatch(payload: EachBatchPayload): Promise<void>;
  /** A new kafkajs consumer (the first, or one replacing a crashed one): it starts from the last commit. */
  newConsumer?(): void;
  /** The member (re)joined its group: partitions may have moved. */
  joined?(): void;
  /** The runner is starting. */
  start?(): void;
  /** The runner is stopping: finish and commit what is in flight while still a member. */
  stop?(): Promise<void>;
  /** Partitions paused at a message not due yet (holding modes only). */
  holds?(): HeldPartition[];
}

/** Builds a mode for one runner. */
export type ConsumeModeFactory = (context: ConsumeContext) => ConsumeMode;

export const COMMIT_INTERVAL_MS = 1_000;

/**
 * How often a mode's in-batch ticker asks kafkajs for a heartbeat: every second at most.
 * kafkajs sends one only once the heartbeat interval has passed, so a gap is at most one
 * interval plus a tick, never two intervals.
 */
export function heartbeatTickMs(context: ConsumeContext): number {
  return Math.min(context.heartbeatIntervalMs, COMMIT_INTERVAL_MS);
}
