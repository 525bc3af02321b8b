import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { apiShapeRef, EVENT_CATEGORIES, EVENT_TYPE_CATALOG, OPERATIONAL_CATEGORY, type EventTypeCatalog, type EventTypeInfo } from '@harmony/contracts';
import { requiredRole } from '@harmony/subscriptions/domain';
import { ApiKeyGuard, RequireScope } from './api-key.guard';

@ApiTags('event types')
@ApiBearerAuth()
@Controller('v1/event-types')
@UseGuards(ApiKeyGuard)
export class EventTypesController {
  @Get()
  @RequireScope('webhooks:read')
  @ApiOperation({
    summary:
      'Every event type by category, with its JSON Schema, an example payload, who may see it by default (`access`: workspace, participants, admin) ' +
      'and the least role a webhook owner needs to receive it (`requiredRole`: member, or admin for admin-only types). ' +
      "The last category holds the operational events (webhook.*) about the workspace's own webhooks.",
  })
  @ApiOkResponse({ schema: apiShapeRef(EVENT_TYPE_CATALOG) })
  list(): EventTypeCatalog {
    return {
      categories: EVENT_CATEGORIES.map((category) => ({
        name: category.name,
        label: category.label,
        operational: category.name === OPERATIONAL_CATEGORY,
        events: category.events.map((event) => ({
          type: event.type,
          description: event.description,
          access: event.access,
          requiredRole: requiredRole(event.type),
          schema: event.schema,
          // Every event's data is an object (its schema says so).
          example: event.example as EventTypeInfo['example'],
        })),
      })),
    };
  }
}
