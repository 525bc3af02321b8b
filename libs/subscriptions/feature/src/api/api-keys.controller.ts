import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { API_ERROR, API_KEY_LIST, apiShapeRef, type ApiKey, type ApiKeyList, CREATE_API_KEY, CREATED_API_KEY, type CreatedApiKey } from '@harmony/contracts';
import type { Actor } from '@harmony/subscriptions/domain';
import type { ApiKeyEntity } from '../entities';
import { TenancyService } from '../tenancy/tenancy.service';
import { AdminOnly, ApiKeyGuard, CurrentActor, RequireScope } from './api-key.guard';

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
  @ApiBody({ schema: apiShapeRef(CREATE_API_KEY) })
  @ApiCreatedResponse({ schema: apiShapeRef(CREATED_API_KEY) })
  async create(@CurrentActor() actor: Actor, @Body() body: unknown): Promise<CreatedApiKey> {
    const { apiKey, key } = await this.tenancy.createApiKey(actor, body);
    return { ...toApiKeyView(apiKey), key };
  }

  @Get()
  @ApiOkResponse({ schema: apiShapeRef(API_KEY_LIST) })
  async list(@CurrentActor() actor: Actor): Promise<ApiKeyList> {
    return { data: (await this.tenancy.listApiKeys(actor)).map(toApiKeyView) };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API key: it stops working at once.' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ schema: apiShapeRef(API_ERROR) })
  async revoke(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<void> {
    await this.tenancy.revokeApiKey(actor, id);
  }
}

function toApiKeyView(apiKey: ApiKeyEntity): ApiKey {
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
