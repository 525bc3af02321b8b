import { describeServiceBoot } from '@harmony/testing';

describeServiceBoot('apps/all-in-one/src/main.ts', { service: 'all-in-one', readiness: ['kafka', 'database', 'fan-out.subscriptions', 'delivery-worker.subscriptions', 'retry-scheduler.subscriptions', 'event-ingest'] });

// The `npm start` path: no KAFKA_BROKERS, so the broker runs inside the process.
describeServiceBoot('apps/all-in-one/src/main.ts', { service: 'all-in-one', readiness: ['kafka', 'database', 'fan-out.subscriptions', 'delivery-worker.subscriptions', 'retry-scheduler.subscriptions', 'event-ingest'], kafka: 'embedded' });
