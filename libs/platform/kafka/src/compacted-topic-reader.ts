import type { Logger } from '@harmony/platform-observability';
import type { ConsumedMessage } from './consumed-message';
import type { KafkaConnection } from './kafka-connection';
import type { Prerequisite } from './prerequisite';
import { TopicFollower } from './topic-follower';

/**
 * Key → latest value, read from a compacted topic from its start (every
 * instance its own copy, nothing committed) and kept current: a record
 * without a key or that does not decode is logged with the reason and
 * skipped, a tombstone deletes. `start()` resolves once caught up with the
 * topic as it was at start — the moment a service built on it may call
 * itself ready.
 */
export abstract class CompactedTopicReader<T> implements Prerequisite {
  private readonly follower: TopicFollower;

  constructor(
    connection: KafkaConnection,
    /** Names the reader in logs and in its (per-instance) consumer group id. */
    private readonly name: string,
    readonly reads: string,
    protected readonly logger: Logger,
  ) {
    this.follower = new TopicFollower(connection, { name, topics: [reads], from: 'earliest', apply: (message) => this.read(message) }, logger);
  }

  /** Decodes a record of `key`; throws, with the reason, for one that can never be valid. */
  protected abstract decode(value: Buffer, key: string): T;

  /** A record, or `null` for a tombstone (the key was deleted), in topic order. */
  protected abstract apply(key: string, value: T | null): void;

  /** Told of a record that was skipped (after it was logged with the reason). */
  protected skipped(_message: ConsumedMessage, _reason: string): void {
    // Logging it is enough unless a reader counts them.
  }

  get ready(): boolean {
    return this.follower.ready;
  }

  get consuming(): boolean {
    return this.follower.consuming;
  }

  get restarts(): number {
    return this.follower.restarts;
  }

  /** Resolves once caught up; several users of one reader share its start. */
  start(): Promise<void> {
    return this.follower.start();
  }

  /** Stops with its last user. */
  stop(): Promise<void> {
    return this.follower.stop();
  }

  private read(message: ConsumedMessage): void {
    const key = message.key?.toString('utf8');
    if (!key) return this.skip(message, 'record without a key');
    if (message.value === null) return this.apply(key, null);
    let value: T;
    try {
      value = this.decode(message.value, key);
    } catch (error) {
      return this.skip(message, error instanceof Error ? error.message : String(error));
    }
    this.apply(key, value);
  }

  private skip(message: ConsumedMessage, reason: string): void {
    this.logger.error(
      { topic: message.topic, partition: message.partition, offset: message.offset, key: message.key?.toString('utf8') ?? null, reason },
      `${this.name}: record skipped`,
    );
    this.skipped(message, reason);
  }
}
