import { describeServiceBoot } from '@harmony/testing';

describeServiceBoot('apps/fan-out/src/main.ts', { service: 'fan-out', readiness: ['kafka'] });
