import { describeServiceBoot } from '@harmony/testing';

describeServiceBoot('apps/event-ingest/src/main.ts', { service: 'event-ingest', readiness: ['kafka', 'event-ingest'] });
