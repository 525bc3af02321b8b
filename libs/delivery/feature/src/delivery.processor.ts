import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import {
  type AttemptFacts,
  type AttemptRecord,
  attemptRecord,
  buildDeliveryRequestBody,
  type DeliveryJob,
  getEventCategory,
  newId,
  type SubscriptionRecord,
  TOPICS,
} from '@harmony/contracts';
import { boundResponseHeaders, nextStepAfterFailure, RetryPolicy } from '@harmony/webhooks/domain';
import { countsAgainstEndpoint, EndpointBreakers, EndpointRateLimiter, type SendResult, WebhookSender } from '@harmony/delivery/http';
import { APP_CONFIG, type AppConfig } from '@harmony/platform-config';
import { KafkaProducer, type OutgoingMessage } from '@harmony/platform-kafka';
import { LOGGER, type Logger, MetricsService } from '@harmony/platform-observability';
import { SubscriptionView } from '@harmony/webhooks/subscription-view';
import { type DeliveryMetrics, deliveryMetrics } from './delivery-metrics';

/** Waits this short for a rate-limit token in place; longer waits go to a retry tier. */
const MAX_IN_PLACE_WAIT_MS = 1_000;
/** An endpoint's circuit opens for this long at first (× RETRY_DELAY_SCALE), doubling per failed trial up to the cap. */
const BREAKER_RESET_MS = 60_000;
const BREAKER_MAX_RESET_MS = 30 * 60_000;

/**
 * One delivery job, as a pipeline: prepare (subscription still there and
 * enabled? circuit closed? within the endpoint's rate?) → send (signed,
 * SSRF-guarded) → record success, or record the failure and hand the job to
 * its next step (retry tier, dead letter, or drop). Every attempt, and every
 * decision not to attempt, is produced to `webhooks.attempts`.
 */
@Injectable()
export class DeliveryProcessor implements OnApplicationShutdown {
  private readonly sender: WebhookSender;
  private readonly breakers: EndpointBreakers;
  private readonly limiter: EndpointRateLimiter;
  private readonly policy: RetryPolicy;
  private readonly metrics: DeliveryMetrics;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(KafkaProducer) private readonly producer: KafkaProducer,
    @Inject(SubscriptionView) private readonly subscriptions: SubscriptionView,
    @Inject(MetricsService) metricsService: MetricsService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.metrics = deliveryMetrics(metricsService);
    this.sender = new WebhookSender({
      allowHttp: config.webhooks.allowHttp,
      allowPrivateCidrs: config.webhooks.allowPrivateCidrs,
      timeoutMs: config.webhooks.timeoutMs,
    });
    const scale = config.retry.delayScale;
    this.breakers = new EndpointBreakers({
      resetTimeoutMs: Math.round(BREAKER_RESET_MS * scale),
      maxResetTimeoutMs: Math.round(BREAKER_MAX_RESET_MS * scale),
      // A half-open trial lasts at most the sender's timeout: the others wait that long for its outcome.
      trialWaitMs: config.webhooks.timeoutMs,
      onStateChange: (_endpoint, state) => {
        if (state === 'open') this.metrics.breakerOpens.inc();
        for (const [name, count] of Object.entries(this.breakers.counts())) this.metrics.breakers.set({ state: name }, count);
      },
    });
    this.limiter = new EndpointRateLimiter({ defaultPerSecond: config.delivery.endpointRatePerSecond });
    this.policy = new RetryPolicy({ tierDelayMs: (tier) => Math.round(tier.delayMs * scale) });
  }

  /** After the consumers stopped (beforeApplicationShutdown): no delivery is still using the sender. */
  onApplicationShutdown(): void {
    this.breakers.close();
    void this.sender.close();
  }

  async process(job: DeliveryJob): Promise<void> {
    const subscription = this.subscriptions.get(job.subscriptionId);
    if (!subscription || !subscription.enabled) {
      // Deleted or disabled since fan-out: not an attempt, but the log says why nothing was sent.
      await this.record(job, subscription?.url ?? null, { outcome: 'dropped', error: { code: subscription ? 'subscription_disabled' : 'subscription_deleted', message: subscription ? `webhook disabled: ${subscription.disabledReason ?? 'by its owner'}` : 'webhook deleted' } });
      return;
    }
    const endpoint = subscription.id;
    const rate = this.limiter.tryTake(endpoint, subscription.rateLimitPerSecond);
    if (!rate.allowed) {
      if (rate.retryInMs > MAX_IN_PLACE_WAIT_MS) return this.defer(job, subscription, rate.retryInMs, 'rate_limited');
      await new Promise((resolve) => setTimeout(resolve, rate.retryInMs));
    }

    const startedAt = new Date();
    // The intent goes to the log before the request: a crash mid-request leaves a `sending`
    // row (outcome unknown) instead of nothing. Every path below records under the same id.
    // An open circuit sends nothing (the job is deferred below), so it announces nothing either.
    const attemptId = newId('attempt');
    if (this.breakers.state(endpoint) !== 'open') {
      const intent = attemptRecord(job, { attemptId, outcome: 'sending', url: subscription.url, startedAt, finishedAt: startedAt });
      await this.producer.sendBatch([{ topic: TOPICS.attempts, messages: [attemptMessage(intent)] }]);
    }
    this.metrics.inFlight.inc();
    const call = await this.breakers
      .call(endpoint, () => this.send(job, subscription, startedAt), (result) => countsAgainstEndpoint(result))
      .finally(() => this.metrics.inFlight.dec());
    if (call.kind === 'open') return this.defer(job, subscription, call.retryInMs, 'circuit_open', attemptId);
    const result = call.result;
    this.metrics.attemptDuration.observe({ status_class: result.statusClass }, result.durationMs / 1000);

    if (result.outcome === 'success') {
      const category = getEventCategory(job.event.type) ?? 'unknown';
      this.metrics.deliveryLatency.observe({ category }, Math.max(0, Date.now() - Date.parse(job.event.occurredAt)) / 1000);
      await this.record(job, subscription.url, { attemptId, outcome: 'success', result, startedAt });
      return;
    }
    await this.handleFailure(job, subscription, result, startedAt, attemptId);
  }

  private send(job: DeliveryJob, subscription: SubscriptionRecord, startedAt: Date): Promise<SendResult> {
    const now = startedAt.getTime();
    const secrets = subscription.secrets.filter((secret) => secret.expiresAt === null || Date.parse(secret.expiresAt) > now).map((secret) => secret.secret);
    return this.sender.send({
      url: subscription.url,
      eventId: job.event.id,
      body: JSON.stringify(buildDeliveryRequestBody(job.event)),
      secrets,
      headers: subscription.headers,
    });
  }

  private async handleFailure(job: DeliveryJob, subscription: SubscriptionRecord, result: SendResult, startedAt: Date, attemptId: string): Promise<void> {
    if (!result.failure) throw new Error('a failed send carries its failure');
    const step = nextStepAfterFailure(result.failure, job.attempt, this.policy);
    const firstAttemptAt = job.firstAttemptAt ?? startedAt.toISOString();
    if (step.action === 'retry') {
      const notBefore = new Date(Date.now() + step.delayMs).toISOString();
      const next: DeliveryJob = { ...job, attempt: step.nextAttempt, firstAttemptAt, notBefore, reason: 'retry', enqueuedAt: new Date().toISOString() };
      this.metrics.retriesScheduled.inc({ tier: step.tier.name, reason: 'retry' });
      await this.record(job, subscription.url, { attemptId, outcome: 'failure', result, startedAt, nextAttemptAt: notBefore }, [
        { topic: TOPICS.retries(step.tier.name), messages: [jobMessage(next)] },
      ]);
    } else if (step.action === 'exhausted') {
      this.metrics.deadLetters.inc();
      await this.record(job, subscription.url, { attemptId, outcome: 'exhausted', result, startedAt }, [
        { topic: TOPICS.deliveriesDlq, messages: [jobMessage({ ...job, firstAttemptAt })] },
      ]);
    } else {
      // Not retryable (410 Gone, a refused target): subscription-service disables on 410.
      await this.record(job, subscription.url, { attemptId, outcome: 'dropped', result, startedAt });
    }
  }

  /**
   * Puts the job back on a retry tier without spending an attempt: no sooner
   * than that tier's delay (a zero wait would cycle it deliveries → retries →
   * deliveries at once), and only until its deadline — the retry schedule's
   * span from its first attempt (or first deferral) — after which it is
   * exhausted to the dead-letter topic with the reason.
   */
  private async defer(job: DeliveryJob, subscription: SubscriptionRecord, waitMs: number, why: 'circuit_open' | 'rate_limited', attemptId?: string): Promise<void> {
    const now = Date.now();
    const deadline = job.deadline ?? new Date((job.firstAttemptAt ? Date.parse(job.firstAttemptAt) : now) + this.policy.scheduleSpanMs()).toISOString();
    if (now >= Date.parse(deadline)) {
      const message = `not sent: the endpoint was ${why === 'circuit_open' ? 'failing (circuit open)' : 'rate limited'} until past this job's deadline ${deadline}, the retry schedule's span from its first attempt; moved to the dead-letter topic`;
      this.logger.warn({ jobId: job.jobId, eventId: job.event.id, subscriptionId: job.subscriptionId, attempt: job.attempt, deadline, why }, 'deferred job exhausted: deadline passed');
      this.metrics.deadLetters.inc();
      await this.record(job, subscription.url, { attemptId, outcome: 'exhausted', error: { code: 'deferral_deadline_passed', message } }, [
        { topic: TOPICS.deliveriesDlq, messages: [jobMessage({ ...job, deadline })] },
      ]);
      return;
    }
    const tier = this.policy.tierForDelay(waitMs);
    const notBefore = new Date(now + Math.max(waitMs, this.policy.delayOf(tier))).toISOString();
    const deferred: DeliveryJob = { ...job, notBefore, deadline, reason: 'deferred', enqueuedAt: new Date(now).toISOString() };
    this.metrics.retriesScheduled.inc({ tier: tier.name, reason: 'deferred' });
    const retry = [{ topic: TOPICS.retries(tier.name), messages: [jobMessage(deferred)] }];
    if (why === 'rate_limited') {
      // Flow control, not an incident: no delivery log row.
      this.metrics.attempts.inc({ outcome: 'deferred', status_class: 'none' });
      await this.producer.sendBatch(retry);
      return;
    }
    await this.record(job, subscription.url, { attemptId, outcome: 'deferred', error: { code: why, message: 'endpoint circuit open: not sent, no attempt spent' }, nextAttemptAt: notBefore }, retry);
  }

  private async record(
    job: DeliveryJob,
    url: string | null,
    attempt: AttemptFields,
    also: { topic: string; messages: OutgoingMessage[] }[] = [],
  ): Promise<void> {
    // With the breaker as it stands after this attempt: the API's view of it (decision 0113). Never used = closed.
    const record = attemptRecord(job, { ...attemptFacts(url, attempt), breaker: this.breakers.state(job.subscriptionId) ?? 'closed' });
    this.metrics.attempts.inc({ outcome: attempt.outcome, status_class: attempt.result?.statusClass ?? 'none' });
    // The next step and the attempt record go in one request: a crash between them replays the job (at-least-once).
    await this.producer.sendBatch([...also, { topic: TOPICS.attempts, messages: [attemptMessage(record)] }]);
  }
}

interface AttemptFields {
  /** Set once the attempt was announced (`sending`): its outcome replaces that row. */
  attemptId?: string;
  outcome: AttemptRecord['outcome'];
  result?: SendResult;
  startedAt?: Date;
  error?: AttemptRecord['error'];
  nextAttemptAt?: string;
}

/** What the sender saw (nothing without a response), with the decision taken. */
function attemptFacts(url: string | null, attempt: AttemptFields): AttemptFacts {
  const result = attempt.result;
  return {
    attemptId: attempt.attemptId,
    outcome: attempt.outcome,
    url,
    httpStatus: result?.status,
    durationMs: result?.durationMs,
    responseBody: result?.responseBody,
    responseBodyTruncated: result?.responseBodyTruncated,
    responseHeaders: result && boundResponseHeaders(result.responseHeaders),
    error: attempt.error ?? result?.error,
    requestHeaders: result?.requestHeaders,
    startedAt: attempt.startedAt,
    nextAttemptAt: attempt.nextAttemptAt,
  };
}

function attemptMessage(record: AttemptRecord): OutgoingMessage {
  return { key: record.subscriptionId, value: JSON.stringify(record) };
}

function jobMessage(job: DeliveryJob): OutgoingMessage {
  return { key: job.subscriptionId, value: JSON.stringify(job) };
}
