import { newId } from '@harmony/contracts';
import { Injectable } from '@nestjs/common';
import {
  type Actor,
  type ApiKeyScope,
  API_KEY_SCOPES,
  checkName,
  isActiveMember,
  isAdmin,
  isApiKeyScope,
  type MemberRole,
  type MemberStatus,
} from '@harmony/subscriptions/domain';
import { generateApiKey, hashApiKey, looksLikeApiKey } from '@harmony/webhooks/domain';
import { DataSource, type EntityManager, IsNull } from 'typeorm';
import { assertValid, NotFound, ValidationFailed } from '../common/service-errors';
import { ApiKeyEntity, MemberEntity, WorkspaceEntity } from '../entities';
import { publishApiKey, publishMemberApiKeys } from './api-key-record.publisher';

export interface MemberInput {
  workspaceId: string;
  userId: string;
  displayName: string;
  role: MemberRole;
  teamIds: string[];
  status: MemberStatus;
}

export interface CreatedApiKey {
  apiKey: ApiKeyEntity;
  /** The only time the key exists outside its holder's hands. */
  key: string;
}

/** Only touch last_used_at this often: a write per request would be the hottest row in the database. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** Workspaces, members and API keys: who is calling and what they may do. */
@Injectable()
export class TenancyService {
  constructor(private readonly dataSource: DataSource) {}

  /** A workspace with an admin member and an all-scopes admin key (first run, CLI). */
  async createWorkspaceWithAdmin(input: { workspaceName: string; adminName: string; userId?: string; workspaceId?: string }): Promise<{
    workspace: WorkspaceEntity;
    member: MemberEntity;
    created: CreatedApiKey;
  }> {
    assertValid([...checkName(input.workspaceName, 'workspaceName'), ...checkName(input.adminName, 'adminName')]);
    return this.dataSource.transaction(async (manager) => {
      const workspace = manager.create(WorkspaceEntity, {
        id: input.workspaceId ?? newId('workspace'),
        name: input.workspaceName.trim(),
        createdAt: new Date(),
      });
      await manager.insert(WorkspaceEntity, workspace);
      const { member } = await this.upsertMember(manager, {
        workspaceId: workspace.id,
        userId: input.userId ?? newId('user'),
        displayName: input.adminName.trim(),
        role: 'admin',
        teamIds: [],
        status: 'active',
      });
      const created = await this.insertApiKey(manager, member, `${input.adminName.trim()} (admin)`, [...API_KEY_SCOPES]);
      return { workspace, member, created };
    });
  }

  async hasAnyWorkspace(): Promise<boolean> {
    return (await this.dataSource.getRepository(WorkspaceEntity).count({ take: 1 })) > 0;
  }

  /**
   * Creates or updates a member (from user.* events) and reports whether
   * anything the pipeline checks (role, teams, status) changed.
   */
  async upsertMember(manager: EntityManager, input: MemberInput): Promise<{ member: MemberEntity; accessChanged: boolean }> {
    await manager.query('INSERT INTO workspaces (id, name) VALUES ($1, $1) ON CONFLICT (id) DO NOTHING', [input.workspaceId]);
    const existing = await manager.findOne(MemberEntity, {
      where: { workspaceId: input.workspaceId, userId: input.userId },
      lock: { mode: 'pessimistic_write' },
    });
    const now = new Date();
    if (!existing) {
      const member = manager.create(MemberEntity, { id: newId('member'), ...input, createdAt: now, updatedAt: now });
      await manager.insert(MemberEntity, member);
      return { member, accessChanged: true };
    }
    const accessChanged =
      existing.role !== input.role ||
      existing.status !== input.status ||
      JSON.stringify([...existing.teamIds].sort()) !== JSON.stringify([...input.teamIds].sort());
    const statusChanged = existing.status !== input.status;
    Object.assign(existing, { displayName: input.displayName, role: input.role, teamIds: input.teamIds, status: input.status, updatedAt: now });
    await manager.save(MemberEntity, existing);
    if (statusChanged) await publishMemberApiKeys(manager, existing.id);
    return { member: existing, accessChanged };
  }

  /** The actor behind a Bearer key, or null for an unknown, revoked or inactive member's key. */
  async authenticate(key: string): Promise<Actor | null> {
    if (!looksLikeApiKey(key)) return null;
    const apiKey = await this.dataSource.getRepository(ApiKeyEntity).findOneBy({ keyHash: hashApiKey(key), revokedAt: IsNull() });
    if (!apiKey) return null;
    const member = await this.dataSource.getRepository(MemberEntity).findOneBy({ id: apiKey.memberId });
    if (!member || !isActiveMember(member.status)) return null;
    const now = Date.now();
    if (!apiKey.lastUsedAt || now - apiKey.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      await this.dataSource.getRepository(ApiKeyEntity).update({ id: apiKey.id }, { lastUsedAt: new Date(now) });
    }
    return { workspaceId: apiKey.workspaceId, memberId: member.id, role: member.role, scopes: apiKey.scopes, apiKey: { id: apiKey.id, name: apiKey.name } };
  }

  async createApiKey(actor: Actor, input: { name: unknown; memberId?: unknown; scopes?: unknown }): Promise<CreatedApiKey> {
    const errors = checkName(input.name);
    const scopes = input.scopes ?? [...API_KEY_SCOPES];
    if (!Array.isArray(scopes) || scopes.length === 0) errors.push({ field: 'scopes', reason: 'must list at least one scope' });
    else {
      scopes.forEach((scope, index) => {
        if (!isApiKeyScope(scope)) errors.push({ field: `scopes[${index}]`, reason: `unknown scope; one of ${API_KEY_SCOPES.join(', ')}` });
      });
    }
    if (input.memberId !== undefined && typeof input.memberId !== 'string') errors.push({ field: 'memberId', reason: 'must be a member id' });
    assertValid(errors);
    return this.dataSource.transaction(async (manager) => {
      const memberId = (input.memberId as string | undefined) ?? actor.memberId;
      const member = await manager.findOneBy(MemberEntity, { id: memberId, workspaceId: actor.workspaceId });
      if (!member) throw new ValidationFailed([{ field: 'memberId', reason: 'no such member in this workspace' }]);
      if (!isActiveMember(member.status)) throw new ValidationFailed([{ field: 'memberId', reason: `member is ${member.status}` }]);
      return this.insertApiKey(manager, member, (input.name as string).trim(), [...new Set(scopes as ApiKeyScope[])]);
    });
  }

  listApiKeys(actor: Actor): Promise<ApiKeyEntity[]> {
    return this.dataSource.getRepository(ApiKeyEntity).find({ where: { workspaceId: actor.workspaceId }, order: { createdAt: 'DESC', id: 'DESC' } });
  }

  async revokeApiKey(actor: Actor, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const result = await manager.update(ApiKeyEntity, { id, workspaceId: actor.workspaceId, revokedAt: IsNull() }, { revokedAt: new Date() });
      if (!result.affected) throw new NotFound(`no active API key ${id}`);
      await publishApiKey(manager, id);
    });
  }

  listMembers(actor: Actor): Promise<MemberEntity[]> {
    return this.dataSource.getRepository(MemberEntity).find({ where: { workspaceId: actor.workspaceId }, order: { createdAt: 'ASC' } });
  }

  isAdmin(actor: Actor): boolean {
    return isAdmin(actor.role);
  }

  private async insertApiKey(manager: EntityManager, member: MemberEntity, name: string, scopes: ApiKeyScope[]): Promise<CreatedApiKey> {
    const generated = generateApiKey();
    const apiKey = manager.create(ApiKeyEntity, {
      id: newId('apiKey'),
      workspaceId: member.workspaceId,
      memberId: member.id,
      name,
      displayPrefix: generated.displayPrefix,
      keyHash: generated.hash,
      scopes,
      createdAt: new Date(),
      lastUsedAt: null,
      revokedAt: null,
    });
    await manager.insert(ApiKeyEntity, apiKey);
    await publishApiKey(manager, apiKey.id);
    return { apiKey, key: generated.key };
  }
}
