import { Inject, Injectable, Module } from '@nestjs/common';
import { decode, TOPICS, validateSubscriptionRecord, type SubscriptionRecord } from '@harmony/contracts';
import { CompactedTopicReader, KafkaConnection } from '@harmony/platform-kafka';
import { LOGGER, type Logger, MetricsService } from '@harmony/platform-observability';
import { SubscriptionIndex } from './subscription-index';

/** URLs of deleted subscriptions kept for the records that mention them (a tombstone has none). */
const REMOVED_URLS_KEPT = 10_000;

/**
 * The process's view of `webhooks.subscriptions`: a SubscriptionIndex read
 * from the compacted topic (from its start) and kept current. One per process
 * (SubscriptionViewModule): fan-out, delivery-worker and retry-scheduler each
 * start their consumers after it (`after: [view]`) and, in the all-in-one,
 * share it. A record that does not validate is logged and skipped; a
 * tombstone removes. Nothing should be matched against it before it caught up.
 */
@Injectable()
export class SubscriptionView extends CompactedTopicReader<SubscriptionRecord> {
  /** How long a service's boot waits for the view before listening anyway (then /ready says "catching up"). */
  static readonly BOOT_WAIT_MS = 10_000;
  readonly index = new SubscriptionIndex();
  private readonly removedUrls = new Map<string, string>();
  private readonly records;
  private readonly size;

  constructor(@Inject(KafkaConnection) connection: KafkaConnection, @Inject(LOGGER) logger: Logger, @Inject(MetricsService) metrics: MetricsService) {
    super(connection, 'webhooks.subscription-view', TOPICS.subscriptions, logger);
    this.records = metrics.counter({
      name: 'subscriptions_index_records_total',
      help: 'Records read from webhooks.subscriptions by outcome (added, updated, stale, removed, absent, invalid).',
      labelNames: ['outcome'],
    });
    this.size = metrics.gauge({ name: 'subscriptions_index_size', help: 'Subscriptions held in memory.' });
  }

  get(id: string): SubscriptionRecord | undefined {
    return this.index.get(id);
  }

  /** The last URL of a subscription deleted while this process followed the topic (or before, if compaction kept it). */
  removedUrl(id: string): string | undefined {
    return this.removedUrls.get(id);
  }

  protected decode(value: Buffer, id: string): SubscriptionRecord {
    const record = decode(validateSubscriptionRecord, value);
    if (record.id !== id) throw new Error(`record id ${record.id} differs from its key`);
    return record;
  }

  protected apply(id: string, record: SubscriptionRecord | null): void {
    if (record === null) {
      const previous = this.index.get(id);
      if (previous) this.rememberRemoved(id, previous.url);
    } else {
      this.removedUrls.delete(id);
    }
    this.records.inc({ outcome: this.index.apply(id, record) });
    this.size.set(this.index.size);
  }

  protected override skipped(): void {
    this.records.inc({ outcome: 'invalid' });
  }

  private rememberRemoved(id: string, url: string): void {
    this.removedUrls.set(id, url);
    if (this.removedUrls.size > REMOVED_URLS_KEPT) {
      const oldest = this.removedUrls.keys().next().value;
      if (oldest !== undefined) this.removedUrls.delete(oldest);
    }
  }
}

/** One SubscriptionView per process: import it in every service module that reads subscriptions. */
@Module({ providers: [SubscriptionView], exports: [SubscriptionView] })
export class SubscriptionViewModule {}
