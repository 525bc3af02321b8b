import { SubscriptionSchema1764230400000 } from './migrations/1764230400000-subscription-schema.migration';

/** Schema migrations in order, applied at start (synchronize stays off). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const SUBSCRIPTION_SERVICE_MIGRATIONS: Function[] = [SubscriptionSchema1764230400000];
