import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Actor } from '@harmony/subscriptions/domain';
import { ApiKeyGuard, CurrentActor, RequireScope } from '../api/api-key.guard';
import { ErrorDto } from '../api/api.dto';
import { EndpointHealthDto } from './endpoint-health.dto';
import { type EndpointHealth, EndpointHealthService } from './endpoint-health.service';

@ApiTags('webhooks')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorDto, description: 'Missing or invalid API key.' })
@ApiForbiddenResponse({ type: ErrorDto, description: 'Missing scope, or not the owner of the webhook nor an admin.' })
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
  @ApiOkResponse({ type: EndpointHealthDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  get(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<EndpointHealth> {
    return this.health.forWebhook(actor, id);
  }
}
