import { Injectable } from '@nestjs/common';
import { TOPICS } from '@harmony/contracts';
import { DataSource, type EntityManager, type FindOptionsWhere, IsNull } from 'typeorm';
import { ApiKeyEntity, MemberEntity, WorkspaceEntity } from '../entities';
import { OutboxRepository } from '../outbox/outbox.repository';
import { toApiKeyRecord } from './api-key-record.builder';

/** Workspaces, members and API keys; writes join the caller's transaction. */
@Injectable()
export class TenancyRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxRepository,
  ) {}

  /** One transaction (API key records are relayed by the outbox's own tick). */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async hasAnyWorkspace(): Promise<boolean> {
    return (await this.dataSource.getRepository(WorkspaceEntity).count({ take: 1 })) > 0;
  }

  async insertWorkspace(manager: EntityManager, workspace: WorkspaceEntity): Promise<void> {
    await manager.insert(WorkspaceEntity, workspace);
  }

  /** A workspace known only from its events: created, named by its id, on first sight. */
  async ensureWorkspace(manager: EntityManager, workspaceId: string): Promise<void> {
    await manager.query('INSERT INTO workspaces (id, name) VALUES ($1, $1) ON CONFLICT (id) DO NOTHING', [workspaceId]);
  }

  /** The member of a workspace behind a user, locked for update. */
  findMemberByUserForUpdate(manager: EntityManager, workspaceId: string, userId: string): Promise<MemberEntity | null> {
    return manager.findOne(MemberEntity, { where: { workspaceId, userId }, lock: { mode: 'pessimistic_write' } });
  }

  async insertMember(manager: EntityManager, member: MemberEntity): Promise<void> {
    await manager.insert(MemberEntity, member);
  }

  async saveMember(manager: EntityManager, member: MemberEntity): Promise<void> {
    await manager.save(MemberEntity, member);
  }

  findMember(manager: EntityManager | null, id: string, workspaceId?: string): Promise<MemberEntity | null> {
    return (manager ?? this.dataSource.manager).findOneBy(MemberEntity, workspaceId === undefined ? { id } : { id, workspaceId });
  }

  listMembers(workspaceId: string): Promise<MemberEntity[]> {
    return this.dataSource.getRepository(MemberEntity).find({ where: { workspaceId }, order: { createdAt: 'ASC' } });
  }

  findActiveKeyByHash(keyHash: string): Promise<ApiKeyEntity | null> {
    return this.dataSource.getRepository(ApiKeyEntity).findOneBy({ keyHash, revokedAt: IsNull() });
  }

  async touchApiKey(id: string, at: Date): Promise<void> {
    await this.dataSource.getRepository(ApiKeyEntity).update({ id }, { lastUsedAt: at });
  }

  async insertApiKey(manager: EntityManager, apiKey: ApiKeyEntity): Promise<void> {
    await manager.insert(ApiKeyEntity, apiKey);
  }

  listApiKeys(workspaceId: string): Promise<ApiKeyEntity[]> {
    return this.dataSource.getRepository(ApiKeyEntity).find({ where: { workspaceId }, order: { createdAt: 'DESC', id: 'DESC' } });
  }

  /** Revokes an active key of the workspace; false when there is none. */
  async revokeApiKey(manager: EntityManager, workspaceId: string, id: string, at: Date): Promise<boolean> {
    const result = await manager.update(ApiKeyEntity, { id, workspaceId, revokedAt: IsNull() }, { revokedAt: at });
    return Boolean(result.affected);
  }

  /** Queues the key's record for webhooks.api-keys (key = its sha256), in the caller's transaction. */
  async publishApiKey(manager: EntityManager, id: string): Promise<void> {
    const apiKey = await manager.findOneByOrFail(ApiKeyEntity, { id });
    const member = await manager.findOneBy(MemberEntity, { id: apiKey.memberId });
    await this.outbox.enqueue(manager, TOPICS.apiKeys, apiKey.keyHash, toApiKeyRecord(apiKey, member));
  }

  /** Queues the records of every key of a member whose status changed. */
  async publishMemberApiKeys(manager: EntityManager, memberId: string): Promise<void> {
    await this.publishApiKeys(manager, { memberId });
  }

  /** Queues every key's record again (resync after the topic was lost); answers how many. */
  republishApiKeys(manager: EntityManager): Promise<number> {
    return this.publishApiKeys(manager, {});
  }

  private async publishApiKeys(manager: EntityManager, where: FindOptionsWhere<ApiKeyEntity>): Promise<number> {
    const keys = await manager.find(ApiKeyEntity, { where, select: { id: true } });
    for (const key of keys) await this.publishApiKey(manager, key.id);
    return keys.length;
  }
}
