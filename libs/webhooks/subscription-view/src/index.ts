/** A service's in-memory view of webhooks.subscriptions, shared by fan-out, delivery-worker and retry-scheduler: the index (pure matching) and the follower that feeds it. */
export { SubscriptionIndex, type SubscriptionMatch, type UpsertResult } from './subscription-index';
export { SubscriptionIndexFollower } from './subscription-index.follower';
export { SubscriptionGatedConsumers } from './gated-consumers';
