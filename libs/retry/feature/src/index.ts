export { RetrySchedulerModule } from './retry-scheduler.module';
