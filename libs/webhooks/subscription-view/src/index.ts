/** The process's in-memory view of webhooks.subscriptions, shared by fan-out, delivery-worker and retry-scheduler: the index (pure matching) and the view that feeds it. */
export { SubscriptionIndex, type SubscriptionMatch, type UpsertResult } from './subscription-index';
export { SubscriptionView, SubscriptionViewModule } from './subscription-view';
