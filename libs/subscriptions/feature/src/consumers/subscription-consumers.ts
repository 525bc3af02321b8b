import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { type AttemptRecord, decode, EVENT_TOPICS, type EventEnvelope, InvalidMessage, TOPICS, validateAttemptRecord, validateEnvelope } from '@harmony/contracts';
import { type ConsumedMessage, ConsumerRunner, KafkaConnection } from '@harmony/platform-kafka';
import { LOGGER, type Logger, MetricsService } from '@harmony/platform-observability';
import { AttemptRecordingService } from '../attempts/attempt-recording.service';
import { MemberSyncService } from '../members/member-sync.service';
import { EventPayloadsService } from '../payloads/event-payloads.service';
import { Batcher } from './batcher';

export const CONSUMER_GROUPS = {
  deliveryLog: 'subscription-service.delivery-log',
  members: 'subscription-service.members',
  eventPayloads: 'subscription-service.event-payloads',
} as const;

/**
 * The service's three Kafka concerns, one consumer group each (a slow one
 * never stalls another): the delivery log from `webhooks.attempts`, members
 * from `webhooks.events.user`, event payloads from `webhooks.events.*`.
 * Handlers are thin: parse → validate → use case. A message that can never be
 * valid is logged and skipped; a failing write is retried (throwing from
 * onFailure keeps the partition on that message).
 */
@Injectable()
export class SubscriptionConsumers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly runners: ConsumerRunner[] = [];
  private readonly attempts: Batcher<AttemptRecord>;
  private readonly payloads: Batcher<{ envelope: EventEnvelope; raw: string }>;
  private readonly skipped;

  constructor(
    @Inject(KafkaConnection) private readonly connection: KafkaConnection,
    private readonly attemptRecording: AttemptRecordingService,
    private readonly eventPayloads: EventPayloadsService,
    private readonly members: MemberSyncService,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly metrics: MetricsService,
  ) {
    this.attempts = new Batcher((records) => this.attemptRecording.record(records), { maxItems: 200, maxWaitMs: 20 });
    this.payloads = new Batcher((events) => this.eventPayloads.store(events), { maxItems: 200, maxWaitMs: 20 });
    this.skipped = metrics.counter({
      name: 'subscription_invalid_messages_total',
      help: 'Messages the subscription-service skipped because they can never be valid.',
      labelNames: ['topic'],
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    const logger = this.logger.child({ component: 'subscription-consumers' });
    const onFailure = async (message: ConsumedMessage, error: unknown): Promise<void> => {
      if (!(error instanceof InvalidMessage)) throw error;
      this.skipped.inc({ topic: message.topic });
      logger.warn({ topic: message.topic, partition: message.partition, offset: message.offset, reason: error.message }, 'skipped an invalid message');
    };
    this.runners.push(
      new ConsumerRunner(
        this.connection,
        {
          groupId: CONSUMER_GROUPS.deliveryLog,
          topics: [TOPICS.attempts],
          concurrency: 256,
          handle: async (message) => {
            await this.attempts.add(decode(validateAttemptRecord, message.value));
          },
          onFailure,
        },
        logger,
        this.metrics,
      ),
      new ConsumerRunner(
        this.connection,
        {
          groupId: CONSUMER_GROUPS.members,
          topics: [TOPICS.events('user')],
          // One at a time: a member's events must apply in order (they share the workspace partition).
          concurrency: 1,
          handle: async (message) => {
            await this.members.apply(decode(validateEnvelope, message.value));
          },
          onFailure,
        },
        logger,
        this.metrics,
      ),
      new ConsumerRunner(
        this.connection,
        {
          groupId: CONSUMER_GROUPS.eventPayloads,
          topics: [...EVENT_TOPICS],
          concurrency: 32,
          handle: async (message) => {
            const envelope = decode(validateEnvelope, message.value);
            await this.payloads.add({ envelope, raw: message.value?.toString('utf8') ?? '' });
          },
          onFailure,
        },
        logger,
        this.metrics,
      ),
    );
    await Promise.all(this.runners.map((runner) => runner.start()));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.runners.map((runner) => runner.stop()));
  }
}
