import { describeErrors, safeDecode, TOPICS, validateSubscriptionRecord, type SubscriptionRecord } from '@harmony/contracts';
import { SubscriptionIndex } from './subscription-index';
import { type ConsumedMessage, type KafkaConnection, TopicFollower } from '@harmony/platform-kafka';
import type { Logger, MetricsService } from '@harmony/platform-observability';

/** URLs of deleted subscriptions kept for the records that mention them (a tombstone has none). */
const REMOVED_URLS_KEPT = 10_000;

/**
 * A SubscriptionIndex built from the compacted `webhooks.subscriptions` topic
 * (from its start, every instance its own copy) and kept current. A record
 * that does not validate is logged and skipped; a tombstone removes. `start()`
 * resolves once caught up: nothing should be matched against it before.
 */
export class SubscriptionIndexFollower {
  readonly index = new SubscriptionIndex();
  private readonly follower: TopicFollower;
  private readonly removedUrls = new Map<string, string>();
  private readonly records;

  constructor(
    connection: KafkaConnection,
    /** Who follows, in logs, metrics and the follower's group id: `fan-out`, `retry-scheduler`. */
    private readonly owner: string,
    private readonly logger: Logger,
    metrics: MetricsService,
  ) {
    this.records = metrics.counter({
      name: 'subscriptions_index_records_total',
      help: 'Records read from webhooks.subscriptions by follower and outcome (added, updated, stale, removed, absent, invalid).',
      labelNames: ['follower', 'outcome'],
    });
    const size = metrics.gauge({
      name: 'subscriptions_index_size',
      help: 'Subscriptions held in memory by follower.',
      labelNames: ['follower'],
    });
    this.follower = new TopicFollower(
      connection,
      {
        name: `webhooks.${owner}.subscriptions`,
        topics: [TOPICS.subscriptions],
        from: 'earliest',
        apply: (message) => {
          this.apply(message);
          size.set({ follower: owner }, this.index.size);
        },
      },
      logger,
    );
  }

  get ready(): boolean {
    return this.follower.ready;
  }

  /** False while its consumer is being restarted. */
  get consuming(): boolean {
    return this.follower.consuming;
  }

  start(): Promise<void> {
    return this.follower.start();
  }

  stop(): Promise<void> {
    return this.follower.stop();
  }

  get(id: string): SubscriptionRecord | undefined {
    return this.index.get(id);
  }

  /** The last URL of a subscription deleted while this process followed the topic (or before, if compaction kept it). */
  removedUrl(id: string): string | undefined {
    return this.removedUrls.get(id);
  }

  private apply(message: ConsumedMessage): void {
    const id = message.key?.toString('utf8');
    if (!id) return this.skip(message, 'record without a key');
    if (message.value === null) {
      const previous = this.index.get(id);
      if (previous) this.rememberRemoved(id, previous.url);
      this.records.inc({ follower: this.owner, outcome: this.index.apply(id, null) });
      return;
    }
    const result = safeDecode(validateSubscriptionRecord, message.value);
    if (!result.ok) return this.skip(message, describeErrors(result.errors));
    if (result.value.id !== id) return this.skip(message, `record id ${result.value.id} differs from its key`);
    this.removedUrls.delete(id);
    this.records.inc({ follower: this.owner, outcome: this.index.apply(id, result.value) });
  }

  private skip(message: ConsumedMessage, reason: string): void {
    this.records.inc({ follower: this.owner, outcome: 'invalid' });
    this.logger.error(
      { topic: message.topic, partition: message.partition, offset: message.offset, key: message.key?.toString('utf8') ?? null, reason },
      'subscription record skipped',
    );
  }

  private rememberRemoved(id: string, url: string): void {
    this.removedUrls.set(id, url);
    if (this.removedUrls.size > REMOVED_URLS_KEPT) {
      const oldest = this.removedUrls.keys().next().value;
      if (oldest !== undefined) this.removedUrls.delete(oldest);
    }
  }
}
