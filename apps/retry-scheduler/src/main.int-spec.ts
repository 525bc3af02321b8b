import { describeServiceBoot } from '@harmony/testing';

// Ready once the broker answers and its view of webhooks.subscriptions has caught up (every tier then consumed).
describeServiceBoot('apps/retry-scheduler/src/main.ts', { service: 'retry-scheduler', readiness: ['kafka', 'retry-scheduler.subscriptions'] });
