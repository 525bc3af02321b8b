import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { API_ERROR, apiShapeRef, DELIVERY_PAGE, type DeliveryPage, VALIDATION_ERROR } from '@harmony/contracts';
import type { Actor } from '@harmony/subscriptions/domain';
import { DeliveryLogService } from '../delivery-log/delivery-log.service';
import { ApiKeyGuard, CurrentActor, RequireScope } from './api-key.guard';
import { eventDeliveriesPage } from './delivery-log.query';

/** "Did you send it?": one event's deliveries across the workspace's webhooks. */
@ApiTags('webhooks')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ schema: apiShapeRef(API_ERROR), description: 'Missing or invalid API key.' })
@Controller('v1/events')
@UseGuards(ApiKeyGuard)
export class EventDeliveriesController {
  constructor(private readonly deliveries: DeliveryLogService) {}

  @Get(':id/deliveries')
  @RequireScope('webhooks:read')
  @ApiOperation({
    summary:
      "Every attempt of one event, to every webhook it went to, newest first (`webhookId` says which): an admin's key sees the workspace's, a member's key those to its own webhooks. Empty when it went nowhere (or is past retention).",
  })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false, description: '1–200, default 50.' })
  @ApiOkResponse({ schema: apiShapeRef(DELIVERY_PAGE) })
  @ApiBadRequestResponse({ schema: apiShapeRef(VALIDATION_ERROR) })
  list(@CurrentActor() actor: Actor, @Param('id') id: string, @Query() query: Record<string, unknown>): Promise<DeliveryPage> {
    return this.deliveries.listForEvent(actor, id, eventDeliveriesPage(id, query));
  }
}
