import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { apiShapeRef, MEMBER_LIST, type MemberList } from '@harmony/contracts';
import type { Actor } from '@harmony/subscriptions/domain';
import { TenancyService } from '../tenancy/tenancy.service';
import { AdminOnly, ApiKeyGuard, CurrentActor, RequireScope } from './api-key.guard';

@ApiTags('members')
@ApiBearerAuth()
@Controller('v1/members')
@UseGuards(ApiKeyGuard)
export class MembersController {
  constructor(private readonly tenancy: TenancyService) {}

  @Get()
  @AdminOnly()
  @RequireScope('webhooks:read')
  @ApiOperation({ summary: 'Members of the workspace as synced from Harmony user events (admins): for API keys and webhook hand-over.' })
  @ApiOkResponse({ schema: apiShapeRef(MEMBER_LIST) })
  async list(@CurrentActor() actor: Actor): Promise<MemberList> {
    const members = await this.tenancy.listMembers(actor);
    return {
      data: members.map((member) => ({
        id: member.id,
        userId: member.userId,
        displayName: member.displayName,
        role: member.role,
        teamIds: member.teamIds,
        status: member.status,
      })),
    };
  }
}
