import { Module } from '@nestjs/common';

/** The retry-scheduler service: imported by apps/retry-scheduler and by apps/all-in-one. Its consumers arrive with the pipeline issue. */
@Module({})
export class RetrySchedulerModule {}
