import { Injectable } from '@nestjs/common';
import { type DeliveryJob, type EventEnvelope, TOPICS } from '@harmony/contracts';
import type { EntityManager } from 'typeorm';
import { DeliveryAttemptEntity, EventPayloadEntity, MemberEntity } from '../entities';
import { OutboxRepository } from '../outbox/outbox.repository';

/** What redelivery and recovery read from the log and queue to the pipeline, inside the caller's transaction. */
@Injectable()
export class RedeliveryRepository {
  constructor(private readonly outbox: OutboxRepository) {}

  findAttempt(manager: EntityManager, subscriptionId: string, attemptId: string): Promise<DeliveryAttemptEntity | null> {
    return manager.findOneBy(DeliveryAttemptEntity, { id: attemptId, subscriptionId });
  }

  findPayload(manager: EntityManager, workspaceId: string, eventId: string): Promise<EventPayloadEntity | null> {
    return manager.findOneBy(EventPayloadEntity, { workspaceId, eventId });
  }

  member(manager: EntityManager, memberId: string): Promise<MemberEntity> {
    return manager.findOneByOrFail(MemberEntity, { id: memberId });
  }

  /**
   * The kept envelopes of events whose delivery to the webhook failed (never
   * succeeded) since a time, oldest first, at most `limit`. Test sends are not events.
   */
  async failedEventsSince(manager: EntityManager, subscriptionId: string, since: Date, limit: number): Promise<EventEnvelope[]> {
    const rows: { envelope: string }[] = await manager.query(
      `SELECT p.envelope FROM event_payloads p
        WHERE p.workspace_id = (SELECT s.workspace_id FROM subscriptions s WHERE s.id = $1)
          AND p.event_id IN (
          SELECT a.event_id FROM delivery_attempts a
           WHERE a.subscription_id = $1 AND a.finished_at >= $2 AND a.trigger IS DISTINCT FROM 'test'
           GROUP BY a.event_id
          HAVING bool_and(a.outcome <> 'success') AND bool_or(a.outcome IN ('failure', 'exhausted', 'dropped')))
        ORDER BY p.received_at LIMIT $3`,
      [subscriptionId, since, limit],
    );
    return rows.map((row) => JSON.parse(row.envelope) as EventEnvelope);
  }

  /** Queues a delivery job for the worker; sent when the caller's transaction commits. */
  queueDelivery(manager: EntityManager, job: DeliveryJob): Promise<void> {
    return this.outbox.enqueue(manager, TOPICS.deliveries, job.subscriptionId, job);
  }
}
