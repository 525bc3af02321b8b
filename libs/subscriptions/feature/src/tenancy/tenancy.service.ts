import { CREATE_API_KEY, newId } from '@harmony/contracts';
import { Injectable } from '@nestjs/common';
import {
  type Actor,
  type ApiKeyScope,
  API_KEY_SCOPES,
  checkName,
  isActiveMember,
  isAdmin,
  type MemberRole,
  type MemberStatus,
} from '@harmony/subscriptions/domain';
import { generateApiKey, hashApiKey, looksLikeApiKey } from '@harmony/webhooks/domain';
import type { EntityManager } from 'typeorm';
import { parseBody } from '../api/request-body';
import { assertValid, NotFound, ValidationFailed } from '../common/service-errors';
import { ApiKeyEntity, MemberEntity, WorkspaceEntity } from '../entities';
import { TenancyRepository } from './tenancy.repository';

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
  constructor(private readonly repository: TenancyRepository) {}

  /** A workspace with an admin member and an all-scopes admin key (first run, CLI). */
  async createWorkspaceWithAdmin(input: { workspaceName: string; adminName: string; userId?: string; workspaceId?: string }): Promise<{
    workspace: WorkspaceEntity;
    member: MemberEntity;
    created: CreatedApiKey;
  }> {
    assertValid([...checkName(input.workspaceName, 'workspaceName'), ...checkName(input.adminName, 'adminName')]);
    return this.repository.transaction(async (manager) => {
      const workspace = Object.assign(new WorkspaceEntity(), {
        id: input.workspaceId ?? newId('workspace'),
        name: input.workspaceName.trim(),
        createdAt: new Date(),
      });
      await this.repository.insertWorkspace(manager, workspace);
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
    return this.repository.hasAnyWorkspace();
  }

  /**
   * Creates or updates a member (from user.* events) and reports whether
   * anything the pipeline checks (role, teams, status) changed.
   */
  async upsertMember(manager: EntityManager, input: MemberInput): Promise<{ member: MemberEntity; accessChanged: boolean; previousStatus: MemberStatus | null }> {
    await this.repository.ensureWorkspace(manager, input.workspaceId);
    const existing = await this.repository.findMemberByUserForUpdate(manager, input.workspaceId, input.userId);
    const now = new Date();
    if (!existing) {
      const member = Object.assign(new MemberEntity(), { id: newId('member'), ...input, createdAt: now, updatedAt: now });
      await this.repository.insertMember(manager, member);
      return { member, accessChanged: true, previousStatus: null };
    }
    const accessChanged =
      existing.role !== input.role ||
      existing.status !== input.status ||
      JSON.stringify([...existing.teamIds].sort()) !== JSON.stringify([...input.teamIds].sort());
    const previousStatus = existing.status;
    const statusChanged = previousStatus !== input.status;
    Object.assign(existing, { displayName: input.displayName, role: input.role, teamIds: input.teamIds, status: input.status, updatedAt: now });
    await this.repository.saveMember(manager, existing);
    if (statusChanged) await this.repository.publishMemberApiKeys(manager, existing.id);
    return { member: existing, accessChanged, previousStatus };
  }

  /** The actor behind a Bearer key, or null for an unknown, revoked or inactive member's key. */
  async authenticate(key: string): Promise<Actor | null> {
    if (!looksLikeApiKey(key)) return null;
    const apiKey = await this.repository.findActiveKeyByHash(hashApiKey(key));
    if (!apiKey) return null;
    const member = await this.repository.findMember(null, apiKey.memberId);
    if (!member || !isActiveMember(member.status)) return null;
    const now = Date.now();
    if (!apiKey.lastUsedAt || now - apiKey.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      await this.repository.touchApiKey(apiKey.id, new Date(now));
    }
    return { workspaceId: apiKey.workspaceId, memberId: member.id, role: member.role, scopes: apiKey.scopes, apiKey: { id: apiKey.id, name: apiKey.name } };
  }

  /** `body`: a create request (REST, the CLI), checked against CREATE_API_KEY. */
  async createApiKey(actor: Actor, body: unknown): Promise<CreatedApiKey> {
    const input = await parseBody(CREATE_API_KEY, body);
    const scopes = input.scopes ?? [...API_KEY_SCOPES];
    return this.repository.transaction(async (manager) => {
      const memberId = input.memberId ?? actor.memberId;
      const member = await this.repository.findMember(manager, memberId, actor.workspaceId);
      if (!member) throw new ValidationFailed([{ field: 'memberId', reason: 'no such member in this workspace' }]);
      if (!isActiveMember(member.status)) throw new ValidationFailed([{ field: 'memberId', reason: `member is ${member.status}` }]);
      return this.insertApiKey(manager, member, input.name.trim(), [...new Set(scopes)]);
    });
  }

  listApiKeys(actor: Actor): Promise<ApiKeyEntity[]> {
    return this.repository.listApiKeys(actor.workspaceId);
  }

  async revokeApiKey(actor: Actor, id: string): Promise<void> {
    await this.repository.transaction(async (manager) => {
      if (!(await this.repository.revokeApiKey(manager, actor.workspaceId, id, new Date()))) throw new NotFound(`no active API key ${id}`);
      await this.repository.publishApiKey(manager, id);
    });
  }

  listMembers(actor: Actor): Promise<MemberEntity[]> {
    return this.repository.listMembers(actor.workspaceId);
  }

  isAdmin(actor: Actor): boolean {
    return isAdmin(actor.role);
  }

  private async insertApiKey(manager: EntityManager, member: MemberEntity, name: string, scopes: ApiKeyScope[]): Promise<CreatedApiKey> {
    const generated = generateApiKey();
    const apiKey = Object.assign(new ApiKeyEntity(), {
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
    await this.repository.insertApiKey(manager, apiKey);
    await this.repository.publishApiKey(manager, apiKey.id);
    return { apiKey, key: generated.key };
  }
}
