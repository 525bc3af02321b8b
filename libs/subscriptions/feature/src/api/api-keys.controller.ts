import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@harmony/subscriptions/domain';
import type { ApiKeyEntity } from '../entities';
import { TenancyService } from '../tenancy/tenancy.service';
import { AdminOnly, ApiKeyGuard, CurrentActor, RequireScope } from './api-key.guard';
import { ApiKeyListDto, CreateApiKeyDto, CreatedApiKeyDto, ErrorDto } from './api.dto';
import { objectBody } from './request-body';

interface ApiKeyView {
  id: string;
  name: string;
  memberId: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

@ApiTags('API keys')
@ApiBearerAuth()
@Controller('v1/api-keys')
@UseGuards(ApiKeyGuard)
@AdminOnly()
@RequireScope('webhooks:write')
export class ApiKeysController {
  constructor(private readonly tenancy: TenancyService) {}

  @Post()
  @ApiOperation({ summary: 'Create an API key (admins). The key is in this answer only.' })
  @ApiBody({ type: CreateApiKeyDto })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  async create(@CurrentActor() actor: Actor, @Body() body: unknown): Promise<ApiKeyView & { key: string }> {
    const input = objectBody(body);
    const { apiKey, key } = await this.tenancy.createApiKey(actor, { name: input['name'], memberId: input['memberId'], scopes: input['scopes'] });
    return { ...toApiKeyView(apiKey), key };
  }

  @Get()
  @ApiOkResponse({ type: ApiKeyListDto })
  async list(@CurrentActor() actor: Actor): Promise<{ data: ApiKeyView[] }> {
    return { data: (await this.tenancy.listApiKeys(actor)).map(toApiKeyView) };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API key: it stops working at once.' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorDto })
  async revoke(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<void> {
    await this.tenancy.revokeApiKey(actor, id);
  }
}

function toApiKeyView(apiKey: ApiKeyEntity): ApiKeyView {
  return {
    id: apiKey.id,
    name: apiKey.name,
    memberId: apiKey.memberId,
    prefix: apiKey.displayPrefix,
    scopes: apiKey.scopes,
    createdAt: apiKey.createdAt.toISOString(),
    lastUsedAt: apiKey.lastUsedAt?.toISOString() ?? null,
    revokedAt: apiKey.revokedAt?.toISOString() ?? null,
  };
}
