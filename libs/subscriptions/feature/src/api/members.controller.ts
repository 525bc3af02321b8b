import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@harmony/subscriptions/domain';
import { TenancyService } from '../tenancy/tenancy.service';
import { AdminOnly, ApiKeyGuard, CurrentActor, RequireScope } from './api-key.guard';
import { MemberListDto } from './api.dto';

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
  @ApiOkResponse({ type: MemberListDto })
  async list(@CurrentActor() actor: Actor): Promise<{ data: unknown[] }> {
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
