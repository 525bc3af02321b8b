import { describeServiceBoot } from '@harmony/testing';

// Ready once the broker answers and the subscription index has caught up with webhooks.subscriptions.
describeServiceBoot('apps/fan-out/src/main.ts', { service: 'fan-out', readiness: ['kafka', 'fan-out.subscriptions'] });
