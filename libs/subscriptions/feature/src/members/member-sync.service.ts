import { Injectable } from '@nestjs/common';
import type { EventEnvelope, WorkspaceUser } from '@harmony/contracts';
import type { MemberStatus } from '@harmony/subscriptions/domain';
import { Transactions } from '../common/transactions';
import { OperationalNoticesService } from '../operational/operational-notices.service';
import { TenancyService } from '../tenancy/tenancy.service';
import { WebhookRepository } from '../webhooks/webhook.repository';

const USER_EVENT_TYPES = new Set(['user.added', 'user.updated', 'user.role_changed', 'user.deactivated', 'user.removed']);

/**
 * Keeps members in step with Harmony's user.* events. When a member's access
 * (role, teams, active) changes, every webhook they own is republished so
 * fan-out checks events against what the owner may see now; a removed
 * owner's webhooks receive nothing until an admin hands them to someone else.
 */
@Injectable()
export class MemberSyncService {
  constructor(
    private readonly tenancy: TenancyService,
    private readonly transactions: Transactions,
    private readonly webhooks: WebhookRepository,
    private readonly operational: OperationalNoticesService,
  ) {}

  async apply(event: EventEnvelope): Promise<{ republished: number }> {
    if (!USER_EVENT_TYPES.has(event.type)) return { republished: 0 };
    const user = (event.data as { user: WorkspaceUser }).user;
    const status: MemberStatus = event.type === 'user.removed' ? 'removed' : user.status === 'active' ? 'active' : 'deactivated';
    return this.transactions.publishing(async (manager) => {
      const { member, accessChanged, previousStatus } = await this.tenancy.upsertMember(manager, {
        workspaceId: event.workspaceId,
        userId: user.id,
        displayName: user.name,
        role: user.role,
        teamIds: user.teamIds,
        status,
      });
      if (!accessChanged) return { republished: 0 };
      const owned = await this.webhooks.idsOwnedBy(manager, member.id);
      for (const id of owned) await this.webhooks.publish(manager, id);
      if (previousStatus === 'active') await this.operational.ownerLostAccess(manager, member);
      return { republished: owned.length };
    });
  }
}
