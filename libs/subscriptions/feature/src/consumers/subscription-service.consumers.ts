import { type AttemptRecord, decode, EVENT_TOPICS, type EventEnvelope, InvalidMessage, TOPICS, validateAttemptRecord, validateEnvelope } from '@harmony/contracts';
import { type ConsumedMessage, KafkaConsumers } from '@harmony/platform-kafka';
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
export const SUBSCRIPTION_SERVICE_CONSUMERS = KafkaConsumers.provide({
  provide: 'subscription-service.consumers',
  inject: [AttemptRecordingService, EventPayloadsService, MemberSyncService, LOGGER, MetricsService],
  useFactory: (attemptRecording: AttemptRecordingService, eventPayloads: EventPayloadsService, members: MemberSyncService, parentLogger: Logger, metrics: MetricsService) => {
    const logger = parentLogger.child({ component: 'subscription-service-consumers' });
    const attempts = new Batcher<AttemptRecord>((records) => attemptRecording.record(records), { maxItems: 200, maxWaitMs: 20 });
    const payloads = new Batcher<{ envelope: EventEnvelope; raw: string }>((events) => eventPayloads.store(events), { maxItems: 200, maxWaitMs: 20 });
    const skipped = metrics.counter({
      name: 'subscription_invalid_messages_total',
      help: 'Messages the subscription-service skipped because they can never be valid.',
      labelNames: ['topic'],
    });
    const onFailure = async (message: ConsumedMessage, error: unknown): Promise<void> => {
      if (!(error instanceof InvalidMessage)) throw error;
      skipped.inc({ topic: message.topic });
      logger.warn({ topic: message.topic, partition: message.partition, offset: message.offset, reason: error.message }, 'skipped an invalid message');
    };
    return {
      service: 'subscription-service',
      consumers: [
        {
          groupId: CONSUMER_GROUPS.deliveryLog,
          topics: [TOPICS.attempts],
          concurrency: 256,
          handle: async (message) => {
            await attempts.add(decode(validateAttemptRecord, message.value));
          },
          onFailure,
        },
        {
          groupId: CONSUMER_GROUPS.members,
          topics: [TOPICS.events('user')],
          // One at a time: a member's events must apply in order (they share the workspace partition).
          concurrency: 1,
          handle: async (message) => {
            await members.apply(decode(validateEnvelope, message.value));
          },
          onFailure,
        },
        {
          groupId: CONSUMER_GROUPS.eventPayloads,
          topics: [...EVENT_TOPICS],
          concurrency: 32,
          handle: async (message) => {
            const envelope = decode(validateEnvelope, message.value);
            await payloads.add({ envelope, raw: message.value?.toString('utf8') ?? '' });
          },
          onFailure,
        },
      ],
    };
  },
});
