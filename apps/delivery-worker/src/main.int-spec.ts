import { describeServiceBoot } from '@harmony/testing';

describeServiceBoot('apps/delivery-worker/src/main.ts', { service: 'delivery-worker', readiness: ['kafka', 'delivery-worker.subscriptions'] });
