import { Injectable } from '@nestjs/common';
import { type EventEnvelope, OPERATIONAL_CATEGORY, TOPICS } from '@harmony/contracts';
import type { NoticeState } from '@harmony/subscriptions/domain';
import { type EntityManager, In } from 'typeorm';
import { SubscriptionEntity } from '../entities';
import { OutboxRepository } from '../outbox/outbox.repository';

/** The queries of operational notifications; every one inside the caller's transaction. */
@Injectable()
export class OperationalRepository {
  constructor(private readonly outbox: OutboxRepository) {}

  /** Which of these workspaces have an operational endpoint registered. */
  async workspacesWithEndpoint(manager: EntityManager, workspaceIds: string[]): Promise<Set<string>> {
    if (workspaceIds.length === 0) return new Set();
    const rows = await manager.find(SubscriptionEntity, { where: { workspaceId: In(workspaceIds), operational: true }, select: { workspaceId: true } });
    return new Set(rows.map((row) => row.workspaceId));
  }

  /** The workspace's operational endpoint, if any. */
  findEndpoint(manager: EntityManager, workspaceId: string): Promise<SubscriptionEntity | null> {
    return manager.findOneBy(SubscriptionEntity, { workspaceId, operational: true });
  }

  /** A member's webhooks, locked: their notice state changes with the event about them. */
  ownedBy(manager: EntityManager, memberId: string): Promise<SubscriptionEntity[]> {
    return manager.find(SubscriptionEntity, { where: { ownerMemberId: memberId }, order: { id: 'ASC' }, lock: { mode: 'pessimistic_write' } });
  }

  async saveNoticeState(manager: EntityManager, subscriptionId: string, state: NoticeState): Promise<void> {
    await manager.update(SubscriptionEntity, { id: subscriptionId }, { failureNotifiedAt: state.failureNotifiedAt, urlRefusalNotified: state.urlRefusalNotified });
  }

  /** Queues an operational event for fan-out, committed with the change it is about (key: workspace, like every event topic). */
  async enqueue(manager: EntityManager, envelope: EventEnvelope): Promise<void> {
    await this.outbox.enqueue(manager, TOPICS.events(OPERATIONAL_CATEGORY), envelope.workspaceId, envelope);
  }
}
