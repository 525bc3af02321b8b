import { EVENT_CATEGORY_NAMES, type EventCategory, HARMONY_CATEGORY_NAMES } from '../catalog/event-definition';
import { RETRY_TIER_NAMES, type RetryTierName } from './retry-tiers';

/** Kafka topic names of the pipeline (DESIGN.md). */
export const TOPICS = {
  /** Upstream Harmony services publish here (default names; configurable per deployment). */
  upstream: (category: EventCategory) => `harmony.${category}.events`,
  /** Validated envelopes, key = workspaceId. */
  events: (category: EventCategory) => `webhooks.events.${category}`,
  /** Compacted: latest SubscriptionRecord per subscription, key = subscriptionId; null = deleted. */
  subscriptions: 'webhooks.subscriptions',
  /** DeliveryJob, key = subscriptionId (one subscription's jobs share a partition). */
  deliveries: 'webhooks.deliveries',
  /** DeliveryJob that exhausted its attempts, key = subscriptionId. */
  deliveriesDlq: 'webhooks.deliveries.dlq',
  /** AttemptRecord, key = subscriptionId. */
  attempts: 'webhooks.attempts',
  /** DeliveryJob waiting for its retry, key = subscriptionId. */
  retries: (tier: RetryTierName) => `webhooks.retries.${tier}`,
  /** Compacted: ApiKeyRecord per key hash, so services without the database can authenticate. */
  apiKeys: 'webhooks.api-keys',
  /** RejectedRecord for upstream events that failed validation. */
  ingestRejected: 'webhooks.ingest.rejected',
} as const;

// Operational events are the platform's own (subscription-service's outbox): no upstream topic.
export const UPSTREAM_TOPICS: readonly string[] = HARMONY_CATEGORY_NAMES.map(TOPICS.upstream);
export const EVENT_TOPICS: readonly string[] = EVENT_CATEGORY_NAMES.map(TOPICS.events);
export const RETRY_TOPICS: readonly string[] = RETRY_TIER_NAMES.map(TOPICS.retries);

export interface TopicDefinition {
  name: string;
  /** `compact` keeps the latest value per key (subscriptions); others expire by retention. */
  cleanupPolicy: 'delete' | 'compact';
  /** What the record key is; partitioning follows it. */
  key: 'workspaceId' | 'subscriptionId' | 'keyHash' | 'none';
}

/** Topics this platform owns and creates (upstream topics belong to Harmony services). */
export const WEBHOOK_TOPICS: readonly TopicDefinition[] = [
  ...EVENT_TOPICS.map((name) => ({ name, cleanupPolicy: 'delete' as const, key: 'workspaceId' as const })),
  { name: TOPICS.subscriptions, cleanupPolicy: 'compact', key: 'subscriptionId' },
  { name: TOPICS.deliveries, cleanupPolicy: 'delete', key: 'subscriptionId' },
  { name: TOPICS.deliveriesDlq, cleanupPolicy: 'delete', key: 'subscriptionId' },
  { name: TOPICS.attempts, cleanupPolicy: 'delete', key: 'subscriptionId' },
  ...RETRY_TOPICS.map((name) => ({ name, cleanupPolicy: 'delete' as const, key: 'subscriptionId' as const })),
  { name: TOPICS.ingestRejected, cleanupPolicy: 'delete', key: 'none' },
  { name: TOPICS.apiKeys, cleanupPolicy: 'compact', key: 'keyHash' },
];
