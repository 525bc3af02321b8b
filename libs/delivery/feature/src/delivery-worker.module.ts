import { Module } from '@nestjs/common';
import { SubscriptionIndexFollower } from '@harmony/webhooks/subscription-view';
import { KafkaConnection } from '@harmony/platform-kafka';
import { LOGGER, type Logger, MetricsService } from '@harmony/platform-observability';
import { DeliveriesConsumer } from './deliveries.consumer';
import { DeliveryProcessor, SUBSCRIPTION_LOOKUP } from './delivery.processor';

/** The delivery-worker service: imported by apps/delivery-worker and by apps/all-in-one. */
@Module({
  providers: [
    {
      provide: SUBSCRIPTION_LOOKUP,
      inject: [KafkaConnection, LOGGER, MetricsService],
      useFactory: (connection: KafkaConnection, logger: Logger, metrics: MetricsService) =>
        new SubscriptionIndexFollower(connection, 'delivery-worker', logger, metrics),
    },
    DeliveryProcessor,
    DeliveriesConsumer,
  ],
})
export class DeliveryWorkerModule {}
