import { Module } from '@nestjs/common';
import { SubscriptionViewModule } from '@harmony/webhooks/subscription-view';
import { RetrySchedulerService } from './retry-scheduler.service';
import { HeldRetriesGauge, RETRY_TIERS_CONSUMER } from './retry-tiers.consumer';

/** The retry-scheduler service: imported by apps/retry-scheduler and by apps/all-in-one. */
@Module({
  imports: [SubscriptionViewModule],
  providers: [RetrySchedulerService, RETRY_TIERS_CONSUMER, HeldRetriesGauge],
  exports: [RetrySchedulerService],
})
export class RetrySchedulerModule {}
