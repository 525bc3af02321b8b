import type { MetricsService } from '@harmony/platform-observability';

const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1_800, 7_200, 36_000, 86_400];
const ATTEMPT_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15];

/** The delivery-worker's metrics. Labels are bounded: outcomes, status classes, tiers, event categories. */
export function deliveryMetrics(metrics: MetricsService) {
  return {
    attempts: metrics.counter({
      name: 'webhook_attempts_total',
      help: 'Delivery attempts by outcome (success, failure, exhausted, dropped, deferred) and status class (2xx..5xx, timeout, network, refused, none).',
      labelNames: ['outcome', 'status_class'],
    }),
    attemptDuration: metrics.histogram({
      name: 'webhook_attempt_duration_seconds',
      help: 'Duration of one HTTP attempt, request start to response end, by status class.',
      labelNames: ['status_class'],
      buckets: ATTEMPT_BUCKETS,
    }),
    deliveryLatency: metrics.histogram({
      name: 'webhook_delivery_latency_seconds',
      help: 'From the event happening upstream (occurredAt) to a 2xx from the endpoint, retries included, by event category.',
      labelNames: ['category'],
      buckets: LATENCY_BUCKETS,
    }),
    retriesScheduled: metrics.counter({
      name: 'webhook_retries_scheduled_total',
      help: 'Jobs put on a retry tier topic, by tier and reason (retry: an attempt failed; deferred: circuit open or rate limited).',
      labelNames: ['tier', 'reason'],
    }),
    deadLetters: metrics.counter({ name: 'webhook_dead_letters_total', help: 'Jobs moved to webhooks.deliveries.dlq after the last attempt failed.' }),
    breakerOpens: metrics.counter({ name: 'webhook_breaker_opens_total', help: 'Times an endpoint circuit breaker opened.' }),
    breakers: metrics.gauge({ name: 'webhook_breakers', help: 'Endpoint circuit breakers held in memory, by state.', labelNames: ['state'] }),
    inFlight: metrics.gauge({ name: 'webhook_deliveries_in_flight', help: 'Deliveries being sent right now.' }),
  };
}

export type DeliveryMetrics = ReturnType<typeof deliveryMetrics>;
