import { Inject, Injectable } from '@nestjs/common';
import { ADMIN_ACCESS, type EventEnvelope, newId, type WebhookRef } from '@harmony/contracts';
import { LOGGER, type Logger, MetricsService } from '@harmony/platform-observability';
import { type Notice, noticesForAttempt, type ObservedForNotice, ownerLostAccessNotice } from '@harmony/subscriptions/domain';
import type { EntityManager } from 'typeorm';
import type { MemberEntity, SubscriptionEntity } from '../entities';
import { OperationalRepository } from './operational.repository';

/** An attempt endpoint health just applied to its webhook (the row as it is now, locked). */
export interface ObservedAttempt extends ObservedForNotice {
  subscription: SubscriptionEntity;
}

/**
 * Operational notifications (decision 0115): the `webhook.*` events about a
 * workspace's webhooks, queued in the same transaction as the change they are
 * about (the outbox), so a crash loses none and a replayed attempt record, which
 * changes nothing, announces nothing again. Only workspaces with an operational
 * endpoint get them, and never about that endpoint itself: its own failures would
 * otherwise announce themselves to it forever.
 */
@Injectable()
export class OperationalNoticesService {
  private readonly emitted;

  constructor(
    private readonly repository: OperationalRepository,
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: MetricsService,
  ) {
    this.emitted = metrics.counter({ name: 'webhook_operational_events_total', help: 'Operational events queued (webhook.*).', labelNames: ['type'] });
  }

  /** After endpoint health applied a batch of attempts (in log order): their notices. True when any was queued. */
  async afterAttempts(manager: EntityManager, observed: ObservedAttempt[]): Promise<boolean> {
    const candidates = observed.filter((entry) => !entry.subscription.operational);
    // Most batches are successes of healthy webhooks: no notice possible, so no query for who listens.
    if (!candidates.some(mayNotify)) return false;
    const listening = await this.repository.workspacesWithEndpoint(manager, [...new Set(candidates.map((entry) => entry.subscription.workspaceId))]);
    const now = new Date();
    const changed = new Set<SubscriptionEntity>();
    let queued = false;
    for (const entry of candidates) {
      const subscription = entry.subscription;
      if (!listening.has(subscription.workspaceId)) continue;
      const { notices, state } = noticesForAttempt(subscription, entry, now);
      if (state.failureNotifiedAt !== subscription.failureNotifiedAt || state.urlRefusalNotified !== subscription.urlRefusalNotified) changed.add(subscription);
      Object.assign(subscription, state);
      for (const notice of notices) queued = (await this.queue(manager, subscription, notice, now)) || queued;
    }
    for (const subscription of changed) await this.repository.saveNoticeState(manager, subscription.id, subscription);
    return queued;
  }

  /** A member was removed or deactivated: each enabled webhook they own now delivers nothing. */
  async ownerLostAccess(manager: EntityManager, member: MemberEntity): Promise<boolean> {
    if (member.status === 'active') return false;
    if (!(await this.repository.findEndpoint(manager, member.workspaceId))) return false;
    const now = new Date();
    let queued = false;
    for (const subscription of await this.repository.ownedBy(manager, member.id)) {
      if (subscription.operational || !subscription.enabled) continue;
      await this.queue(manager, subscription, ownerLostAccessNotice(member.displayName, member.status, subscription.failingSince), now);
      await this.repository.saveNoticeState(manager, subscription.id, { failureNotifiedAt: now, urlRefusalNotified: subscription.urlRefusalNotified });
      queued = true;
    }
    return queued;
  }

  private async queue(manager: EntityManager, subscription: SubscriptionEntity, notice: Notice, now: Date): Promise<true> {
    const webhook: WebhookRef = { id: subscription.id, name: subscription.name, url: subscription.url };
    const envelope: EventEnvelope = {
      id: newId('event'),
      type: notice.type,
      workspaceId: subscription.workspaceId,
      occurredAt: now.toISOString(),
      data: { webhook, ...notice.data },
      access: ADMIN_ACCESS,
    };
    await this.repository.enqueue(manager, envelope);
    this.emitted.inc({ type: notice.type });
    this.logger.info({ subscriptionId: subscription.id, eventId: envelope.id, type: notice.type }, 'operational event queued');
    return true;
  }
}

/**
 * Whether an attempt can produce a notice or change notice state (the branches
 * of noticesForAttempt): a disable, a failure or exhaustion, or a success while
 * a failure notice is outstanding. Only such batches look up who listens.
 */
function mayNotify(entry: ObservedAttempt): boolean {
  const { outcome } = entry.record;
  return entry.disabled !== null || outcome === 'failure' || outcome === 'exhausted' || (outcome === 'success' && entry.subscription.failureNotifiedAt !== null);
}
