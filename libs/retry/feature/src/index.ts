export { RetrySchedulerModule } from './retry-scheduler.module';
export { type ReleaseOutcome, RetrySchedulerService } from './retry-scheduler.service';
export { formerRetryGroupId, RETRY_CONSUMERS, RETRY_GROUP_ID, RETRY_READINESS_CHECK } from './retry-tiers.consumer';
export { DROP_REASONS, type DropReason, dropReason } from './drop-reason';
