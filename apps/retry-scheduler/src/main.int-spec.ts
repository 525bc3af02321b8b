import { describeServiceBoot } from '@harmony/testing';

describeServiceBoot('apps/retry-scheduler/src/main.ts', { service: 'retry-scheduler', readiness: ['kafka'] });
