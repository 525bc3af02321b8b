import { Injectable } from '@nestjs/common';
import { isOperationalEventType, type SubscriptionRecord, TOPICS } from '@harmony/contracts';
import { containsPattern, normalizeName, type WebhookCursor } from '@harmony/subscriptions/domain';
import { DataSource, type EntityManager, In } from 'typeorm';
import { MemberEntity, SigningSecretEntity, SubscriptionEntity } from '../entities';
import { OutboxRepository } from '../outbox/outbox.repository';
import { stillSigning, toSubscriptionRecord } from './subscription-record.builder';

export interface WebhookFilters {
  search?: string;
  enabled?: boolean;
  eventType?: string;
  /** Only the operational endpoint (true), or only the other webhooks (false). */
  operational?: boolean;
  cursor: WebhookCursor | null;
  limit: number;
}

/** Webhooks (subscriptions), their signing secrets and owners; writes join the caller's transaction. */
@Injectable()
export class WebhookRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxRepository,
  ) {}

  /**
   * One oldest-first keyset page of a workspace's webhooks (or one member's), plus one
   * row to know whether there is a next page. Served by the (workspace_id[,
   * owner_member_id], created_at, id) indexes (bench/webhook-list.bench.ts).
   */
  findPage(scope: { workspaceId: string; ownerMemberId?: string }, filters: WebhookFilters): Promise<SubscriptionEntity[]> {
    const builder = this.dataSource.getRepository(SubscriptionEntity).createQueryBuilder('s').where('s.workspace_id = :workspaceId', { workspaceId: scope.workspaceId });
    if (scope.ownerMemberId) builder.andWhere('s.owner_member_id = :memberId', { memberId: scope.ownerMemberId });
    if (filters.search !== undefined) builder.andWhere('(s.name ILIKE :pattern OR s.url ILIKE :pattern)', { pattern: containsPattern(filters.search) });
    if (filters.enabled !== undefined) builder.andWhere('s.enabled = :enabled', { enabled: filters.enabled });
    if (filters.eventType !== undefined) {
      // '*' selects every Harmony event, not the operational ones.
      const allEvents = isOperationalEventType(filters.eventType) ? '' : 's.all_events OR ';
      builder.andWhere(`(${allEvents}s.event_types @> jsonb_build_array(CAST(:eventType AS text)))`, { eventType: filters.eventType });
    }
    if (filters.operational !== undefined) builder.andWhere('s.operational = :operational', { operational: filters.operational });
    if (filters.cursor) builder.andWhere('(s.created_at, s.id) > (:cursorTime, :cursorId)', { cursorTime: new Date(filters.cursor.createdAt), cursorId: filters.cursor.id });
    return builder.orderBy('s.created_at', 'ASC').addOrderBy('s.id', 'ASC').limit(filters.limit + 1).getMany();
  }

  /** One webhook, optionally locked for update; the caller checks access. */
  find(manager: EntityManager | null, id: string, forUpdate: boolean): Promise<SubscriptionEntity | null> {
    return (manager ?? this.dataSource.manager).findOne(SubscriptionEntity, {
      where: { id },
      ...(forUpdate ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
  }

  reload(manager: EntityManager, id: string): Promise<SubscriptionEntity> {
    return manager.findOneByOrFail(SubscriptionEntity, { id });
  }

  /** The webhook of a workspace with this name, compared as the unique index does. */
  findByName(manager: EntityManager, workspaceId: string, name: string): Promise<SubscriptionEntity | null> {
    return manager.findOneBy(SubscriptionEntity, { workspaceId, nameKey: normalizeName(name) });
  }

  async insert(manager: EntityManager, subscription: SubscriptionEntity, secret: SigningSecretEntity): Promise<void> {
    await manager.insert(SubscriptionEntity, subscription);
    await manager.insert(SigningSecretEntity, secret);
  }

  async save(manager: EntityManager, subscription: SubscriptionEntity): Promise<void> {
    await manager.save(SubscriptionEntity, subscription);
  }

  async delete(manager: EntityManager, id: string): Promise<void> {
    await manager.delete(SubscriptionEntity, { id });
  }

  /** The ids of the webhooks a member owns. */
  async idsOwnedBy(manager: EntityManager, memberId: string): Promise<string[]> {
    const owned = await manager.find(SubscriptionEntity, { where: { ownerMemberId: memberId }, select: { id: true } });
    return owned.map((subscription) => subscription.id);
  }

  /**
   * Bumps the version and queues the webhook's new snapshot (a tombstone once
   * deleted) for webhooks.subscriptions, in the caller's transaction.
   */
  async publish(manager: EntityManager, id: string): Promise<void> {
    await manager.query('UPDATE subscriptions SET version = version + 1, updated_at = now() WHERE id = $1', [id]);
    const record = await this.record(manager, id);
    await this.outbox.enqueue(manager, TOPICS.subscriptions, id, record);
  }

  /** Queues every webhook's current snapshot again without a new version (resync after a topic was lost); answers how many. */
  async republishAll(manager: EntityManager): Promise<number> {
    const subscriptions = await manager.find(SubscriptionEntity, { select: { id: true } });
    for (const { id } of subscriptions) {
      const record = await this.record(manager, id);
      if (record) await this.outbox.enqueue(manager, TOPICS.subscriptions, id, record);
    }
    return subscriptions.length;
  }

  /** The snapshot fan-out and the delivery worker follow, or null once the webhook is gone. */
  private async record(manager: EntityManager, id: string): Promise<SubscriptionRecord | null> {
    const subscription = await manager.findOneBy(SubscriptionEntity, { id });
    if (!subscription) return null;
    const owner = await manager.findOneByOrFail(MemberEntity, { id: subscription.ownerMemberId });
    return toSubscriptionRecord(subscription, owner, await this.validSecrets(manager, id));
  }

  /**
   * A new current secret: the previous current one keeps signing until `overlapUntil`,
   * older rotated-out ones stop now (at most two sign at once).
   */
  async rotateSecret(manager: EntityManager, id: string, secret: SigningSecretEntity, overlapUntil: Date): Promise<void> {
    await manager.query('UPDATE signing_secrets SET expires_at = $2 WHERE subscription_id = $1 AND (expires_at IS NULL OR expires_at > $2)', [id, overlapUntil]);
    await manager.query(
      'DELETE FROM signing_secrets WHERE subscription_id = $1 AND expires_at IS NOT NULL AND created_at < (SELECT max(created_at) FROM signing_secrets WHERE subscription_id = $1)',
      [id],
    );
    await manager.insert(SigningSecretEntity, secret);
  }

  /** Secrets that still sign, current first. */
  async validSecrets(manager: EntityManager | null, id: string): Promise<SigningSecretEntity[]> {
    const secrets = await (manager ?? this.dataSource.manager).find(SigningSecretEntity, { where: { subscriptionId: id }, order: { createdAt: 'DESC', id: 'DESC' } });
    return stillSigning(secrets);
  }

  /** Members by id (webhook owners), one query. */
  members(ids: string[]): Promise<MemberEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.dataSource.getRepository(MemberEntity).findBy({ id: In(ids) });
  }

  /** A member of the workspace (a new owner), or null. */
  memberOf(manager: EntityManager, workspaceId: string, id: string): Promise<MemberEntity | null> {
    return manager.findOneBy(MemberEntity, { id, workspaceId });
  }
}
