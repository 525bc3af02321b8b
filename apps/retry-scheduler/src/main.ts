import { RetrySchedulerModule } from '@harmony/retry/feature';
import { runService } from '@harmony/platform-runtime';

void runService({ name: 'retry-scheduler', modules: [RetrySchedulerModule] });
