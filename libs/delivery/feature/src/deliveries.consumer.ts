import { decode, InvalidMessage, TOPICS, validateDeliveryJob } from '@harmony/contracts';
import { APP_CONFIG, type AppConfig } from '@harmony/platform-config';
import { type ConsumedMessage, KafkaConsumers, KafkaProducer, pipelined } from '@harmony/platform-kafka';
import { SubscriptionView } from '@harmony/webhooks/subscription-view';
import { DeliveryProcessor } from './delivery.processor';

export const DELIVERY_GROUP_ID = 'webhooks.delivery-worker';
export const DELIVERY_READINESS_CHECK = 'delivery-worker.subscriptions';
/** Nest token of the delivery-worker's KafkaConsumers. */
export const DELIVERY_CONSUMERS = 'delivery-worker.consumers';

/**
 * Consumes `webhooks.deliveries` with many jobs in flight across endpoints
 * (DELIVERY_CONCURRENCY), pipelined: a slow endpoint holds only its own jobs
 * (later jobs on its partition are fetched and sent meanwhile), and the
 * committed offset never passes a job still being delivered. Jobs are only
 * worked once the process's view of the subscriptions they name has caught
 * up. A record that is not a valid job is moved to the DLQ with the reason.
 */
export const DELIVERIES_CONSUMER = KafkaConsumers.provide({
  provide: DELIVERY_CONSUMERS,
  inject: [APP_CONFIG, KafkaProducer, DeliveryProcessor, SubscriptionView],
  useFactory: (config: AppConfig, producer: KafkaProducer, processor: DeliveryProcessor, view: SubscriptionView) => ({
    service: 'delivery-worker',
    after: [view],
    readiness: { name: DELIVERY_READINESS_CHECK },
    bootWaitMs: SubscriptionView.BOOT_WAIT_MS,
    consumers: [
      {
        groupId: DELIVERY_GROUP_ID,
        topics: [TOPICS.deliveries],
        concurrency: config.delivery.concurrency,
        mode: pipelined(),
        handle: (message) => processor.process(decode(validateDeliveryJob, message.value)),
        onFailure: (message, error) => moveAside(producer, message, error),
      },
    ],
  }),
});

async function moveAside(producer: KafkaProducer, message: ConsumedMessage, error: unknown): Promise<void> {
  await producer.send(TOPICS.deliveriesDlq, [
    {
      key: message.key?.toString('utf8') ?? null,
      value: message.value,
      headers: {
        'dlq-reason': describeFailure(error).slice(0, 500),
        'dlq-source': `${message.topic}/${message.partition}/${message.offset}`,
      },
    },
  ]);
}

function describeFailure(error: unknown): string {
  if (error instanceof InvalidMessage) return `not a delivery job: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
