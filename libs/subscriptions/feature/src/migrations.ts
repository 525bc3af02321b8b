import { SubscriptionSchema1764230400000 } from './migrations/1764230400000-subscription-schema.migration';
import { WebhookListPages1764460800000 } from './migrations/1764460800000-webhook-list-pages.migration';
import { DeliveryLookups1764460900000 } from './migrations/1764460900000-delivery-lookups.migration';
import { AttemptMarks1764461000000 } from './migrations/1764461000000-attempt-marks.migration';
import { OperationalEndpoint1764461500000 } from './migrations/1764461500000-operational-endpoint.migration';
import { LiveNotifications1764461700000 } from './migrations/1764461700000-live-notifications.migration';
import { EndpointHealth1764461100000 } from './migrations/1764461100000-endpoint-health.migration';
import { EventPayloadsPerWorkspace1764462500000 } from './migrations/1764462500000-event-payloads-per-workspace.migration';

/** Schema migrations in order, applied at start (synchronize stays off). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const SUBSCRIPTION_SERVICE_MIGRATIONS: Function[] = [
  SubscriptionSchema1764230400000,
  WebhookListPages1764460800000,
  DeliveryLookups1764460900000,
  AttemptMarks1764461000000,
  OperationalEndpoint1764461500000,
  LiveNotifications1764461700000,
  EndpointHealth1764461100000,
  EventPayloadsPerWorkspace1764462500000,
];
