import { Inject, Injectable } from '@nestjs/common';
import {
  attemptRecord,
  type DeliveryJob,
  decode,
  kafkaSource,
  rejectedMessage,
  type RetryTierName,
  TOPICS,
  validateDeliveryJob,
  type ValidationError,
} from '@harmony/contracts';
import type { SubscriptionView } from '@harmony/webhooks/subscription-view';
import { type ConsumedMessage, KafkaProducer } from '@harmony/platform-kafka';
import { MetricsService } from '@harmony/platform-observability';
import { describeDropReason, type DropReason, dropReason } from './drop-reason';

/** Stands in for the URL of a subscription deleted before this process saw its last record. */
const UNKNOWN_URL = 'urn:harmony:webhook:deleted';

export type ReleaseOutcome = { outcome: 'republished'; job: DeliveryJob } | { outcome: 'dropped'; job: DeliveryJob; reason: DropReason };

/**
 * What happens to a retry once it is due: back to `webhooks.deliveries`
 * unchanged (same job id, attempt and event, so the receiver sees the same
 * `webhook-id`), or — when its webhook was deleted or disabled meanwhile, or
 * its owner lost access — dropped with an AttemptRecord saying why.
 */
@Injectable()
export class RetrySchedulerService {
  private readonly republished;
  private readonly dropped;
  private readonly rejected;
  private readonly lateness;

  constructor(
    @Inject(KafkaProducer) private readonly producer: KafkaProducer,
    @Inject(MetricsService) metrics: MetricsService,
  ) {
    this.republished = metrics.counter({
      name: 'retry_jobs_republished_total',
      help: 'Retries re-published to webhooks.deliveries once due, by tier.',
      labelNames: ['tier'],
    });
    this.dropped = metrics.counter({
      name: 'retry_jobs_dropped_total',
      help: 'Retries not sent once due, by tier and reason (subscription_deleted, subscription_disabled, owner_lost_access).',
      labelNames: ['tier', 'reason'],
    });
    this.rejected = metrics.counter({
      name: 'retry_jobs_rejected_total',
      help: 'Records on a retry topic that are not delivery jobs, moved to webhooks.ingest.rejected, by tier.',
      labelNames: ['tier'],
    });
    this.lateness = metrics.histogram({
      name: 'retry_hold_lateness_seconds',
      help: 'How long after its notBefore a retry was re-published, by tier.',
      labelNames: ['tier'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60, 300, 1800, 7200],
    });
  }

  /** When the job on this record is due (ms since epoch), or `null` for now (including unreadable records). */
  dueAt(message: ConsumedMessage): number | null {
    if (message.value === null) return null;
    const notBefore = (JSON.parse(message.value.toString('utf8')) as { notBefore?: unknown } | null)?.notBefore;
    if (typeof notBefore !== 'string') return null;
    const at = Date.parse(notBefore);
    return Number.isNaN(at) ? null : at;
  }

  /** Called once the job is due. Throws InvalidMessage for a record to move aside. */
  async release(message: ConsumedMessage, tier: RetryTierName, subscriptions: SubscriptionView): Promise<ReleaseOutcome> {
    const job = decode(validateDeliveryJob, message.value);
    const subscription = subscriptions.get(job.subscriptionId);
    const reason = dropReason(job, subscription);
    if (reason !== null) {
      const url = subscription?.url ?? subscriptions.removedUrl(job.subscriptionId) ?? UNKNOWN_URL;
      const dropped = attemptRecord(job, { outcome: 'dropped', url, error: { code: reason, message: describeDropReason(reason) } });
      await this.producer.send(TOPICS.attempts, [{ key: job.subscriptionId, value: JSON.stringify(dropped) }]);
      this.dropped.inc({ tier, reason });
      return { outcome: 'dropped', job, reason };
    }
    // The bytes as they came: same job id, attempt, event and enqueue time.
    await this.producer.send(TOPICS.deliveries, [{ key: job.subscriptionId, value: message.value, headers: message.headers }]);
    this.republished.inc({ tier });
    if (job.notBefore !== null) this.lateness.observe({ tier }, Math.max(0, Date.now() - Date.parse(job.notBefore)) / 1000);
    return { outcome: 'republished', job };
  }

  /** Moves a record that is not a delivery job to `webhooks.ingest.rejected` with the reason and its bytes. */
  async reject(message: ConsumedMessage, tier: RetryTierName, errors: ValidationError[]): Promise<void> {
    await this.producer.send(TOPICS.ingestRejected, [rejectedMessage({ bytes: message.value, source: kafkaSource(message), errors, refusedBy: 'retry-scheduler' })]);
    this.rejected.inc({ tier });
  }
}
