import { EVENT_TOPICS, RETRY_TOPICS, TOPICS, UPSTREAM_TOPICS, WEBHOOK_TOPICS } from './topics';
import { MAX_DELIVERY_ATTEMPTS, RETRY_TIERS, retryTierForAttempt } from './retry-tiers';

describe('topics', () => {
  it('names the upstream and per-category event topics', () => {
    expect(UPSTREAM_TOPICS).toEqual([
      'harmony.contact.events',
      'harmony.account.events',
      'harmony.conversation.events',
      'harmony.project.events',
      'harmony.user.events',
    ]);
    expect(EVENT_TOPICS).toEqual([
      'webhooks.events.contact',
      'webhooks.events.account',
      'webhooks.events.conversation',
      'webhooks.events.project',
      'webhooks.events.user',
      'webhooks.events.webhook',
    ]);
  });

  it('names the pipeline topics', () => {
    expect(TOPICS.subscriptions).toBe('webhooks.subscriptions');
    expect(TOPICS.deliveries).toBe('webhooks.deliveries');
    expect(TOPICS.deliveriesDlq).toBe('webhooks.deliveries.dlq');
    expect(TOPICS.attempts).toBe('webhooks.attempts');
    expect(TOPICS.ingestRejected).toBe('webhooks.ingest.rejected');
    expect(RETRY_TOPICS).toEqual([
      'webhooks.retries.5s',
      'webhooks.retries.5m',
      'webhooks.retries.30m',
      'webhooks.retries.2h',
      'webhooks.retries.5h',
      'webhooks.retries.10h',
    ]);
  });

  it('lists every owned topic once; the two state topics (subscriptions, API keys) are compacted', () => {
    const names = WEBHOOK_TOPICS.map((topic) => topic.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toHaveLength(6 + 4 + 6 + 1 + 1);
    expect(WEBHOOK_TOPICS.filter((topic) => topic.cleanupPolicy === 'compact').map((topic) => topic.name)).toEqual([
      'webhooks.subscriptions',
      'webhooks.api-keys',
    ]);
  });
});

describe('retry tiers', () => {
  it('waits 5s, 5m, 30m, 2h, 5h, 10h, 10h before attempts 2..8', () => {
    const delays = [2, 3, 4, 5, 6, 7, 8].map((attempt) => retryTierForAttempt(attempt)?.delayMs);
    expect(delays).toEqual([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]);
    expect(MAX_DELIVERY_ATTEMPTS).toBe(8);
  });

  it('has no tier for the first attempt or beyond the last', () => {
    expect(retryTierForAttempt(1)).toBeUndefined();
    expect(retryTierForAttempt(MAX_DELIVERY_ATTEMPTS + 1)).toBeUndefined();
  });

  it('orders tiers by increasing delay', () => {
    const delays = RETRY_TIERS.map((tier) => tier.delayMs);
    expect([...delays].sort((a, b) => a - b)).toEqual(delays);
  });
});
