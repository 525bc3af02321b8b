import { describeServiceBoot } from '@harmony/testing';

describeServiceBoot('apps/subscription-service/src/main.ts', { service: 'subscription-service', readiness: ['kafka', 'database'] });
