/** A service's in-memory view of webhooks.subscriptions, shared by fan-out, delivery-worker and retry-scheduler. */
export { SubscriptionIndexFollower } from './subscription-index.follower';
export { SubscriptionGatedConsumers } from './gated-consumers';
