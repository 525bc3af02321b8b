import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, IsNull } from 'typeorm';
import { ApiKeyEntity, MemberEntity, WorkspaceEntity } from '../entities';
import { publishApiKey, publishMemberApiKeys } from './api-key-record.publisher';

/** Workspaces, members and API keys; writes join the caller's transaction. */
@Injectable()
export class TenancyRepository {
  constructor(private readonly dataSource: DataSource) {}

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

  /** Queues the key's record for webhooks.api-keys. */
  publishApiKey(manager: EntityManager, id: string): Promise<void> {
    return publishApiKey(manager, id);
  }

  /** Queues the records of every key of a member whose status changed. */
  publishMemberApiKeys(manager: EntityManager, memberId: string): Promise<void> {
    return publishMemberApiKeys(manager, memberId);
  }
}
