/** Schema migrations in order; the entities arrive with the subscription-service issue. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const SUBSCRIPTION_SERVICE_MIGRATIONS: Function[] = [];
