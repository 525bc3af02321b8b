import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { API_ERROR, apiShapeRef, ENDPOINT_HEALTH, type EndpointHealth } from '@harmony/contracts';
import type { Actor } from '@harmony/subscriptions/domain';
import { ApiKeyGuard, CurrentActor, RequireScope } from '../api/api-key.guard';
import { EndpointHealthService } from './endpoint-health.service';

@ApiTags('webhooks')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ schema: apiShapeRef(API_ERROR), description: 'Missing or invalid API key.' })
@ApiForbiddenResponse({ schema: apiShapeRef(API_ERROR), description: 'Missing scope, or not the owner of the webhook nor an admin.' })
@Controller('v1/webhooks')
@UseGuards(ApiKeyGuard)
export class EndpointHealthController {
  constructor(private readonly health: EndpointHealthService) {}

  @Get(':id/health')
  @RequireScope('webhooks:read')
  @ApiOperation({
    summary:
      "Endpoint health from the delivery log: attempts, success rate and p50/p95 response time over the last 24 h and 7 d, the worker's circuit breaker state and the last error.",
  })
  @ApiOkResponse({ schema: apiShapeRef(ENDPOINT_HEALTH) })
  @ApiNotFoundResponse({ schema: apiShapeRef(API_ERROR) })
  get(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<EndpointHealth> {
    return this.health.forWebhook(actor, id);
  }
}
