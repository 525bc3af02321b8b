import { Injectable } from '@nestjs/common';
import type { AttemptOutcome, LastDelivery } from '@harmony/contracts';
import type { DeliveryCursor } from '@harmony/subscriptions/domain';
import { DataSource, In } from 'typeorm';
import { DeliveryAttemptEntity, EventPayloadEntity, MemberEntity } from '../entities';

export interface DeliveryFilters {
  eventId?: string;
  outcome?: string;
  eventType?: string;
  from?: Date;
  to?: Date;
  cursor: DeliveryCursor | null;
  limit: number;
}

/** Whose log a page reads: one webhook's, or one event's across a workspace (optionally only one member's webhooks). */
export type DeliveryScope = { subscriptionId: string } | { workspaceId: string; eventId: string; ownerMemberId?: string };

/** Reads of the delivery log (delivery_attempts) and the payloads kept for it (event_payloads). */
@Injectable()
export class DeliveryLogRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * One newest-first keyset page (plus one row, to know whether there is a
   * next page). Served by the (subscription_id[, outcome | event_type],
   * finished_at DESC, id DESC) indexes, or (workspace_id, event_id, finished_at
   * DESC, id DESC) for an event; the row comparison keeps it a range scan at any
   * depth (bench/delivery-log.bench.ts).
   */
  findPage(scope: DeliveryScope, filters: DeliveryFilters): Promise<DeliveryAttemptEntity[]> {
    const builder = this.dataSource.getRepository(DeliveryAttemptEntity).createQueryBuilder('a');
    if ('subscriptionId' in scope) {
      builder.where('a.subscription_id = :subscriptionId', { subscriptionId: scope.subscriptionId });
    } else {
      builder.where('a.workspace_id = :workspaceId AND a.event_id = :scopeEventId', { workspaceId: scope.workspaceId, scopeEventId: scope.eventId });
      if (scope.ownerMemberId) {
        builder.andWhere('a.subscription_id IN (SELECT s.id FROM subscriptions s WHERE s.workspace_id = :workspaceId AND s.owner_member_id = :ownerMemberId)', {
          ownerMemberId: scope.ownerMemberId,
        });
      }
    }
    if (filters.eventId) builder.andWhere('a.event_id = :eventId', { eventId: filters.eventId });
    if (filters.outcome) builder.andWhere('a.outcome = :outcome', { outcome: filters.outcome });
    if (filters.eventType) builder.andWhere('a.event_type = :eventType', { eventType: filters.eventType });
    if (filters.from) builder.andWhere('a.finished_at >= :from', { from: filters.from });
    if (filters.to) builder.andWhere('a.finished_at < :to', { to: filters.to });
    if (filters.cursor) {
      builder.andWhere('(a.finished_at, a.id) < (:cursorTime, :cursorId)', {
        cursorTime: new Date(filters.cursor.finishedAt),
        cursorId: filters.cursor.id,
      });
    }
    return builder.orderBy('a.finished_at', 'DESC').addOrderBy('a.id', 'DESC').limit(filters.limit + 1).getMany();
  }

  findOne(subscriptionId: string, attemptId: string): Promise<DeliveryAttemptEntity | null> {
    return this.dataSource.getRepository(DeliveryAttemptEntity).findOneBy({ id: attemptId, subscriptionId });
  }

  /** The newest log entry of each webhook (one query, for the list). */
  async lastPerWebhook(subscriptionIds: string[]): Promise<Map<string, LastDelivery>> {
    if (subscriptionIds.length === 0) return new Map();
    const placeholders = subscriptionIds.map((_, index) => `$${index + 1}`).join(', ');
    const rows: { subscription_id: string; outcome: AttemptOutcome; http_status: number | null; error_code: string | null; finished_at: Date }[] = await this.dataSource.query(
      `SELECT DISTINCT ON (subscription_id) subscription_id, outcome, http_status, error_code, finished_at
         FROM delivery_attempts WHERE subscription_id IN (${placeholders})
        ORDER BY subscription_id, finished_at DESC, id DESC`,
      subscriptionIds,
    );
    return new Map(
      rows.map((row) => [
        row.subscription_id,
        { outcome: row.outcome, httpStatus: row.http_status, errorCode: row.error_code, finishedAt: new Date(row.finished_at).toISOString() },
      ]),
    );
  }

  /** The kept payloads of these events of the workspace (those past retention are absent). */
  payloads(workspaceId: string, eventIds: string[]): Promise<EventPayloadEntity[]> {
    if (eventIds.length === 0) return Promise.resolve([]);
    return this.dataSource.getRepository(EventPayloadEntity).findBy({ workspaceId, eventId: In(eventIds) });
  }

  /** The member behind a caller, whose current access decides which payloads the log shows. */
  member(memberId: string): Promise<MemberEntity> {
    return this.dataSource.getRepository(MemberEntity).findOneByOrFail({ id: memberId });
  }
}
