import { Inject, Injectable } from '@nestjs/common';
import type { AttemptRecord } from '@harmony/contracts';
import { LOGGER, type Logger, MetricsService } from '@harmony/platform-observability';
import { observeAttempt } from '@harmony/subscriptions/domain';
import type { EntityManager } from 'typeorm';
import { Transactions } from '../common/transactions';
import type { SubscriptionEntity } from '../entities';
import { EndpointHealthRepository } from '../health/endpoint-health.repository';
import { type ObservedAttempt, OperationalNoticesService } from '../operational/operational-notices.service';
import { WebhookRepository } from '../webhooks/webhook.repository';
import { AttemptRecordingRepository, type HealthChange } from './attempt-recording.repository';

/**
 * Records attempts from `webhooks.attempts` in the delivery log and moves each
 * endpoint's health with them; a webhook whose endpoint is gone (410) or has
 * failed for too long is disabled, with its snapshot republished.
 */
@Injectable()
export class AttemptRecordingService {
  private readonly logged;
  private readonly disabledByHealth;

  constructor(
    private readonly repository: AttemptRecordingRepository,
    private readonly webhooks: WebhookRepository,
    private readonly transactions: Transactions,
    private readonly health: EndpointHealthRepository,
    private readonly operational: OperationalNoticesService,
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: MetricsService,
  ) {
    this.logged = metrics.counter({
      name: 'subscription_delivery_log_rows_total',
      help: 'Attempts written to the delivery log (replayed records not counted).',
      labelNames: ['outcome'],
    });
    this.disabledByHealth = metrics.counter({
      name: 'webhook_endpoints_auto_disabled_total',
      help: 'Webhooks disabled by endpoint health: gone (410) or failing (5 days of failures).',
      labelNames: ['reason'],
    });
  }

  /**
   * Writes attempts to the log (idempotent on attemptId; an outcome replaces
   * the `sending` intent of the same attempt) and updates each endpoint's
   * health, in one transaction per batch: one multi-row upsert, the health
   * rollup (decision 0113), one locking read of the subscriptions concerned,
   * one update of their health.
   */
  async record(records: AttemptRecord[]): Promise<void> {
    if (records.length === 0) return;
    // One row per attempt id: an intent and its outcome in the same batch write the outcome only.
    const latest = new Map<string, AttemptRecord>();
    for (const record of records) {
      const seen = latest.get(record.attemptId);
      if (!seen || (seen.outcome === 'sending' && record.outcome !== 'sending')) latest.set(record.attemptId, record);
    }
    const rows = [...latest.values()];
    const published = await this.transactions.run(async (manager) => {
      const written = await this.repository.upsert(manager, rows);
      // A redelivered record (consumer restart) changes nothing: health moves once per attempt.
      const fresh = rows.filter((record) => written.has(record.attemptId));
      for (const record of fresh) this.logged.inc({ outcome: record.outcome });
      const outcomes = fresh.filter((record) => record.outcome !== 'sending');
      await this.health.record(manager, outcomes);
      return this.observe(manager, outcomes);
    });
    if (published) this.transactions.relayNow();
  }

  /** Applies new attempts to their endpoints' health, each endpoint's in log order; true when it queued outbox messages. */
  private async observe(manager: EntityManager, records: AttemptRecord[]): Promise<boolean> {
    if (records.length === 0) return false;
    const subscriptions = await this.repository.lockWebhooks(
      manager,
      records.map((record) => record.subscriptionId),
    );
    const byId = new Map(subscriptions.map((subscription) => [subscription.id, subscription]));
    const changed = new Map<string, HealthChange>();
    const toDisable: { subscription: SubscriptionEntity; reason: string; record: AttemptRecord }[] = [];
    const observed: ObservedAttempt[] = [];
    for (const record of records) {
      const subscription = byId.get(record.subscriptionId);
      if (!subscription) continue;
      const failingSinceBefore = subscription.failingSince;
      const decision = observeAttempt(
        { failingSince: subscription.failingSince },
        { outcome: record.outcome, httpStatus: record.httpStatus, startedAt: new Date(record.startedAt), finishedAt: new Date(record.finishedAt) },
      );
      const finishedAt = new Date(record.finishedAt);
      subscription.failingSince = decision.failingSince;
      subscription.lastAttemptAt = subscription.lastAttemptAt && subscription.lastAttemptAt > finishedAt ? subscription.lastAttemptAt : finishedAt;
      changed.set(subscription.id, { failingSince: subscription.failingSince, lastAttemptAt: subscription.lastAttemptAt });
      const disabledNow = subscription.enabled ? decision.disable : null;
      if (disabledNow !== null) {
        subscription.enabled = false;
        toDisable.push({ subscription, reason: disabledNow, record });
      }
      observed.push({ subscription, record, failingSinceBefore, failingSinceAfter: decision.failingSince, disabled: disabledNow });
    }
    await this.repository.saveHealth(manager, changed);
    for (const { subscription, reason, record } of toDisable) {
      await this.repository.disable(manager, subscription.id, reason, new Date());
      await this.webhooks.publish(manager, subscription.id);
      this.disabledByHealth.inc({ reason: record.httpStatus === 410 ? 'gone' : 'failing' });
      this.logger.warn({ subscriptionId: subscription.id, reason }, 'webhook disabled by endpoint health');
    }
    const notified = await this.operational.afterAttempts(manager, observed);
    return toDisable.length > 0 || notified;
  }
}
