import { DeliveryWorkerModule } from '@harmony/delivery/feature';
import { FanOutModule } from '@harmony/fan-out/feature';
import { EventIngestModule } from '@harmony/ingest/feature';
import { RetrySchedulerModule } from '@harmony/retry/feature';
import { SubscriptionServiceModule } from '@harmony/subscriptions/feature';
import type { ServiceDefinition } from '@harmony/platform-runtime';

/** The single-machine default: all five services in one process, sharing one Kafka client and one database. */
export const ALL_IN_ONE: ServiceDefinition = {
  name: 'all-in-one',
  modules: [SubscriptionServiceModule, EventIngestModule, FanOutModule, DeliveryWorkerModule, RetrySchedulerModule],
};
