export { RetrySchedulerModule } from './retry-scheduler.module';
export { type ReleaseOutcome, RetrySchedulerService } from './retry-scheduler.service';
export { RETRY_CONSUMERS, RETRY_READINESS_CHECK, retryGroupId } from './retry-tiers.consumer';
export { DROP_REASONS, type DropReason, dropReason } from './drop-reason';
