import { Inject, Injectable } from '@nestjs/common';
import {
  type DeliveryJob,
  decode,
  deliveryJob,
  kafkaSource,
  rejectedMessage,
  TOPICS,
  validateEnvelope,
  type ValidationError,
} from '@harmony/contracts';
import type { SubscriptionIndex } from '@harmony/webhooks/subscription-view';
import { type ConsumedMessage, KafkaProducer } from '@harmony/platform-kafka';
import { MetricsService } from '@harmony/platform-observability';

export interface FanOutResult {
  eventId: string;
  jobs: DeliveryJob[];
  droppedForPermission: number;
}

/**
 * One event in, one delivery job out per subscription that selected it, is
 * enabled and whose owner may see it (the index decides), all produced in
 * one request to `webhooks.deliveries` keyed by subscription id.
 */
@Injectable()
export class FanOutService {
  private readonly events;
  private readonly matches;
  private readonly permissionDrops;
  private readonly jobsProduced;

  constructor(
    @Inject(KafkaProducer) private readonly producer: KafkaProducer,
    @Inject(MetricsService) metrics: MetricsService,
  ) {
    // Labels: event category and access scope only (bounded); never a subscription id or URL.
    this.events = metrics.counter({
      name: 'fanout_events_total',
      help: 'Events read by fan-out, by category and outcome (fanned_out, no_match, rejected).',
      labelNames: ['category', 'outcome'],
    });
    this.matches = metrics.counter({
      name: 'fanout_matches_total',
      help: 'Enabled subscriptions that selected an event (before the permission check), by category.',
      labelNames: ['category'],
    });
    this.permissionDrops = metrics.counter({
      name: 'fanout_permission_drops_total',
      help: 'Matching subscriptions skipped because their owner may not see the event, by category and access scope.',
      labelNames: ['category', 'scope'],
    });
    this.jobsProduced = metrics.counter({
      name: 'fanout_jobs_produced_total',
      help: 'Delivery jobs produced to webhooks.deliveries, by category.',
      labelNames: ['category'],
    });
  }

  /** Parse → validate → match → produce. Throws InvalidMessage for a record to move aside. */
  async fanOut(message: ConsumedMessage, index: SubscriptionIndex): Promise<FanOutResult> {
    const envelope = decode(validateEnvelope, message.value);
    const category = categoryOf(message.topic);
    const match = index.match(envelope);
    const now = new Date();
    const jobs = match.subscriptions.map((subscription) => deliveryJob({ subscription, event: envelope, reason: 'new', now }));
    await this.producer.send(
      TOPICS.deliveries,
      jobs.map((job) => ({ key: job.subscriptionId, value: JSON.stringify(job), headers: { 'event-type': envelope.type } })),
    );
    this.matches.inc({ category }, match.subscriptions.length + match.droppedForPermission);
    if (match.droppedForPermission > 0) this.permissionDrops.inc({ category, scope: envelope.access.scope }, match.droppedForPermission);
    if (jobs.length > 0) this.jobsProduced.inc({ category }, jobs.length);
    this.events.inc({ category, outcome: jobs.length > 0 ? 'fanned_out' : 'no_match' });
    return { eventId: envelope.id, jobs, droppedForPermission: match.droppedForPermission };
  }

  /**
   * Moves an unreadable envelope to `webhooks.ingest.rejected` with the reason
   * and its bytes: the topic operators already watch for events the pipeline
   * refused, whose RejectedRecord names the source topic and offset.
   */
  async reject(message: ConsumedMessage, errors: ValidationError[]): Promise<void> {
    await this.producer.send(TOPICS.ingestRejected, [rejectedMessage({ bytes: message.value, source: kafkaSource(message), errors, refusedBy: 'fan-out' })]);
    this.events.inc({ category: categoryOf(message.topic), outcome: 'rejected' });
  }
}

const EVENTS_TOPIC_PREFIX = TOPICS.events('contact').replace(/contact$/, '');

/** The category of an events topic (bounded: the topics fan-out subscribes to). */
function categoryOf(topic: string): string {
  return topic.startsWith(EVENTS_TOPIC_PREFIX) ? topic.slice(EVENTS_TOPIC_PREFIX.length) : 'other';
}

