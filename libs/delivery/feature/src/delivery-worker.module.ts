import { Module } from '@nestjs/common';
import { SubscriptionViewModule } from '@harmony/webhooks/subscription-view';
import { DELIVERIES_CONSUMER } from './deliveries.consumer';
import { DeliveryProcessor } from './delivery.processor';

/** The delivery-worker service: imported by apps/delivery-worker and by apps/all-in-one. */
@Module({
  imports: [SubscriptionViewModule],
  providers: [DeliveryProcessor, DELIVERIES_CONSUMER],
})
export class DeliveryWorkerModule {}
