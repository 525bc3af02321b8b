import { Injectable } from '@nestjs/common';
import { deliveryJob, type EventEnvelope, type RecoverResult, type RequestedBy } from '@harmony/contracts';
import { ownerMaySee } from '@harmony/webhooks/domain';
import type { Actor } from '@harmony/subscriptions/domain';
import type { EntityManager } from 'typeorm';
import { requestedByOf } from '../common/requested-by';
import { Conflict, Forbidden, NotFound } from '../common/service-errors';
import { Transactions } from '../common/transactions';
import { describeAccess } from '../delivery-log/delivery.view';
import { parseEnvelope, type SubscriptionEntity } from '../entities';
import { toSubscriptionOwner } from '../webhooks/subscription-record.builder';
import { WebhooksService } from '../webhooks/webhooks.service';
import { RedeliveryRepository } from './redelivery.repository';

/** Recover re-queues at most this many events per call; the answer says if there were more. */
export const MAX_RECOVER = 10_000;

/**
 * Sending logged events again, as new deliveries (attempt 1, original bytes),
 * marked manual with who asked. The rule of fan-out and retries holds: the
 * owner's current access decides, whoever asks.
 */
@Injectable()
export class RedeliveryService {
  constructor(
    private readonly repository: RedeliveryRepository,
    private readonly webhooks: WebhooksService,
    private readonly transactions: Transactions,
  ) {}

  /** Sends one logged event to the webhook again. */
  redeliver(actor: Actor, subscriptionId: string, deliveryId: string): Promise<{ jobId: string; eventId: string }> {
    return this.transactions.publishing(async (manager) => {
      const subscription = await this.webhooks.load(manager, actor, subscriptionId, false);
      const attempt = await this.repository.findAttempt(manager, subscriptionId, deliveryId);
      if (!attempt) throw new NotFound(`no delivery ${deliveryId} for webhook ${subscriptionId}`);
      assertEnabled(subscription);
      const payload = await this.repository.findPayload(manager, subscription.workspaceId, attempt.eventId);
      if (!payload) throw new Conflict(`the payload of event ${attempt.eventId} is no longer kept (retention)`);
      const event = parseEnvelope(payload);
      if (!ownerMaySee(await this.owner(manager, subscription), event)) {
        throw new Forbidden(`the webhook's owner may no longer see this ${event.type} event (${describeAccess(event)}): it is not sent again`);
      }
      const jobId = await this.queue(manager, subscription, event, requestedByOf(actor));
      return { jobId, eventId: attempt.eventId };
    });
  }

  /**
   * Re-queues every event whose delivery to this webhook failed (never succeeded) since a
   * time, except events its owner may no longer see (counted, with the reason).
   */
  recover(actor: Actor, subscriptionId: string, since: Date): Promise<RecoverResult> {
    return this.transactions.publishing(async (manager) => {
      const subscription = await this.webhooks.load(manager, actor, subscriptionId, false);
      assertEnabled(subscription);
      const failed = await this.repository.failedEventsSince(manager, subscriptionId, since, MAX_RECOVER + 1);
      const envelopes = failed.slice(0, MAX_RECOVER);
      const owner = await this.owner(manager, subscription);
      const permitted = envelopes.filter((envelope) => ownerMaySee(owner, envelope));
      for (const envelope of permitted) await this.queue(manager, subscription, envelope, requestedByOf(actor));
      const skipped = envelopes.length - permitted.length;
      return {
        queued: permitted.length,
        truncated: failed.length > MAX_RECOVER,
        skippedForPermission: skipped,
        ...(skipped > 0 ? { skippedReason: "events the webhook's owner may no longer see are not sent again" } : {}),
      };
    });
  }

  private async owner(manager: EntityManager, subscription: SubscriptionEntity) {
    return toSubscriptionOwner(await this.repository.member(manager, subscription.ownerMemberId));
  }

  private async queue(manager: EntityManager, subscription: SubscriptionEntity, event: EventEnvelope, requestedBy: RequestedBy): Promise<string> {
    const job = deliveryJob({ subscription, event, reason: 'recovery', requestedBy });
    await this.repository.queueDelivery(manager, job);
    return job.jobId;
  }
}

function assertEnabled(subscription: SubscriptionEntity): void {
  if (!subscription.enabled) throw new Conflict('the webhook is disabled: enable it first (POST /v1/webhooks/{id}/enable)');
}
