import { Injectable } from '@nestjs/common';
import { buildDeliveryRequestBody, type Delivery, type DeliveryPage, type LastDelivery } from '@harmony/contracts';
import { ownerMaySee } from '@harmony/webhooks/domain';
import { type Actor, encodeCursor, isAdmin } from '@harmony/subscriptions/domain';
import { NotFound } from '../common/service-errors';
import { type DeliveryAttemptEntity, parseEnvelope } from '../entities';
import { toSubscriptionOwner } from '../webhooks/subscription-record.builder';
import { WebhooksService } from '../webhooks/webhooks.service';
import { type DeliveryFilters, DeliveryLogRepository } from './delivery-log.repository';
import { describeAccess, toDeliveryView } from './delivery.view';

/** One page of a log: where it starts and how long it is. */
export type PageFilters = Pick<DeliveryFilters, 'cursor' | 'limit'>;

/** Reading the delivery log: a webhook's attempts, one event's across a workspace, one attempt with its bodies. */
@Injectable()
export class DeliveryLogService {
  constructor(
    private readonly log: DeliveryLogRepository,
    private readonly webhooks: WebhooksService,
  ) {}

  async list(actor: Actor, subscriptionId: string, filters: DeliveryFilters): Promise<DeliveryPage> {
    await this.webhooks.get(actor, subscriptionId);
    return this.page(actor, await this.log.findPage({ subscriptionId }, filters), filters.limit);
  }

  /**
   * Every attempt of one event across the workspace's webhooks, newest first: an
   * admin's key sees all of them, a member's key those to its own webhooks.
   */
  async listForEvent(actor: Actor, eventId: string, filters: PageFilters): Promise<DeliveryPage> {
    const scope = { workspaceId: actor.workspaceId, eventId, ownerMemberId: isAdmin(actor.role) ? undefined : actor.memberId };
    return this.page(actor, await this.log.findPage(scope, filters), filters.limit);
  }

  /** One attempt of a webhook's log, with everything it stored. */
  async get(actor: Actor, subscriptionId: string, attemptId: string): Promise<Delivery> {
    await this.webhooks.get(actor, subscriptionId);
    const row = await this.log.findOne(subscriptionId, attemptId);
    if (!row) throw new NotFound(`no delivery ${attemptId} for webhook ${subscriptionId}`);
    const [view] = await this.withBodies(actor, [row]);
    if (!view) throw new NotFound(`no delivery ${attemptId} for webhook ${subscriptionId}`);
    return view;
  }

  /** The newest delivery log entry of each webhook (one query, for the list). */
  lastDeliveries(subscriptionIds: string[]): Promise<Map<string, LastDelivery>> {
    return this.log.lastPerWebhook(subscriptionIds);
  }

  private async page(actor: Actor, rows: DeliveryAttemptEntity[], limit: number): Promise<DeliveryPage> {
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      data: await this.withBodies(actor, page),
      nextCursor: rows.length > limit && last ? encodeCursor({ finishedAt: last.finishedAt.toISOString(), id: last.id }) : null,
    };
  }

  private async withBodies(actor: Actor, rows: DeliveryAttemptEntity[]): Promise<Delivery[]> {
    const bodies = await this.requestBodies(actor, [...new Set(rows.map((row) => row.eventId))]);
    return rows.map((row) => {
      const body = bodies.get(row.eventId);
      return { ...toDeliveryView(row), requestBody: body?.body ?? null, requestBodyWithheld: body?.withheld ?? null };
    });
  }

  /**
   * The body each event was sent with, rebuilt from its stored envelope exactly as the
   * delivery-worker builds it (absent once the payload is past retention). The log keeps
   * its rows, but shows a caller only the payloads of events the caller may see now
   * (the same rule as delivery): otherwise the body is withheld and the reason given.
   */
  private async requestBodies(actor: Actor, eventIds: string[]): Promise<Map<string, { body: string | null; withheld: string | null }>> {
    const payloads = await this.log.payloads(actor.workspaceId, eventIds);
    if (payloads.length === 0) return new Map();
    const viewer = toSubscriptionOwner(await this.log.member(actor.memberId));
    return new Map(
      payloads.map((payload) => {
        const event = parseEnvelope(payload);
        return [
          payload.eventId,
          ownerMaySee(viewer, event)
            ? { body: JSON.stringify(buildDeliveryRequestBody(event)), withheld: null }
            : { body: null, withheld: `withheld: your access does not include this ${event.type} event (${describeAccess(event)})` },
        ];
      }),
    );
  }
}
