import { Module } from '@nestjs/common';
import { RetrySchedulerService } from './retry-scheduler.service';
import { RetryTiersConsumer } from './retry-tiers.consumer';

/** The retry-scheduler service: imported by apps/retry-scheduler and by apps/all-in-one. */
@Module({
  providers: [RetrySchedulerService, RetryTiersConsumer],
  exports: [RetrySchedulerService, RetryTiersConsumer],
})
export class RetrySchedulerModule {}
