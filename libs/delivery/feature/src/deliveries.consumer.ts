import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { decode, InvalidMessage, TOPICS, validateDeliveryJob } from '@harmony/contracts';
import { APP_CONFIG, type AppConfig } from '@harmony/platform-config';
import { type ConsumedMessage, ConsumerRunner, KafkaConnection, KafkaProducer, pipelined } from '@harmony/platform-kafka';
import { HealthService, LOGGER, type Logger, MetricsService } from '@harmony/platform-observability';
import { SubscriptionGatedConsumers, type SubscriptionIndexFollower } from '@harmony/webhooks/subscription-view';
import { DeliveryProcessor, SUBSCRIPTION_LOOKUP } from './delivery.processor';

export const DELIVERY_GROUP_ID = 'webhooks.delivery-worker';
export const DELIVERY_READINESS_CHECK = 'delivery-worker.subscriptions';

/**
 * Consumes `webhooks.deliveries` with many jobs in flight across endpoints
 * (DELIVERY_CONCURRENCY), pipelined: a slow endpoint holds only its own jobs
 * (later jobs on its partition are fetched and sent meanwhile), and the
 * committed offset never passes a job still being delivered. A record that
 * is not a valid job is moved to the DLQ with the reason.
 */
@Injectable()
export class DeliveriesConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly lifecycle: SubscriptionGatedConsumers;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(KafkaConnection) connection: KafkaConnection,
    @Inject(KafkaProducer) private readonly producer: KafkaProducer,
    @Inject(DeliveryProcessor) private readonly processor: DeliveryProcessor,
    @Inject(SUBSCRIPTION_LOOKUP) subscriptions: SubscriptionIndexFollower,
    @Inject(HealthService) health: HealthService,
    @Inject(LOGGER) logger: Logger,
    @Inject(MetricsService) metrics: MetricsService,
  ) {
    const runner = new ConsumerRunner(
      connection,
      {
        groupId: DELIVERY_GROUP_ID,
        topics: [TOPICS.deliveries],
        concurrency: config.delivery.concurrency,
        // A slow endpoint holds only its own jobs: its partition's later jobs are fetched and sent meanwhile.
        mode: pipelined(),
        handle: (message) => this.processor.process(decode(validateDeliveryJob, message.value)),
        onFailure: (message, error) => this.moveAside(message, error),
      },
      logger,
      metrics,
    );
    // Jobs are only worked once the subscriptions they name are known.
    this.lifecycle = new SubscriptionGatedConsumers(subscriptions, [runner], { service: 'delivery-worker', readinessCheck: DELIVERY_READINESS_CHECK, health, logger });
  }

  onApplicationBootstrap(): Promise<void> {
    return this.lifecycle.bootstrap();
  }

  /** Resolves once jobs are being consumed. */
  whenReady(): Promise<void> {
    return this.lifecycle.whenReady();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.lifecycle.shutdown();
  }

  private async moveAside(message: ConsumedMessage, error: unknown): Promise<void> {
    await this.producer.send(TOPICS.deliveriesDlq, [
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
}

function describeFailure(error: unknown): string {
  if (error instanceof InvalidMessage) return `not a delivery job: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
