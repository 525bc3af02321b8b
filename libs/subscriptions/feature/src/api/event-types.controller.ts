import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { EVENT_CATEGORIES } from '@harmony/contracts';
import { requiredRole } from '@harmony/subscriptions/domain';
import { ApiKeyGuard, RequireScope } from './api-key.guard';
import { EventCatalogDto } from './api.dto';

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
      'and the least role a webhook owner needs to receive it (`requiredRole`: member, or admin for admin-only types).',
  })
  @ApiOkResponse({ type: EventCatalogDto })
  list(): { categories: unknown[] } {
    return {
      categories: EVENT_CATEGORIES.map((category) => ({
        name: category.name,
        label: category.label,
        events: category.events.map((event) => ({
          type: event.type,
          description: event.description,
          access: event.access,
          requiredRole: requiredRole(event.type),
          schema: event.schema,
          example: event.example,
        })),
      })),
    };
  }
}
