import { z } from 'zod';
import { apiShape } from './api-schema';

const JSON_OBJECT = z.record(z.string(), z.unknown());

export const EVENT_TYPE_INFO = apiShape(
  'EventTypeDto',
  z.object({
    type: z.string().meta({ example: 'contact.created' }),
    description: z.string(),
    access: z.enum(['workspace', 'admin', 'participants']).describe('Who may see it when the producer says nothing.'),
    requiredRole: z.enum(['member', 'admin']).describe('The least role a webhook owner needs to receive it.'),
    schema: JSON_OBJECT.describe('JSON Schema of the event data.'),
    example: JSON_OBJECT.describe('A realistic example of the event data.'),
  }),
);
export type EventTypeInfo = z.infer<typeof EVENT_TYPE_INFO>;

export const EVENT_TYPE_CATEGORY = apiShape(
  'EventCategoryDto',
  z.object({
    name: z.string().meta({ example: 'contact' }),
    label: z.string().meta({ example: 'Contacts' }),
    operational: z
      .boolean()
      .describe("The operational events (webhook.*), about the workspace's own webhooks: only its operational endpoint receives them, '*' does not select them."),
    events: z.array(EVENT_TYPE_INFO),
  }),
);
export type EventTypeCategory = z.infer<typeof EVENT_TYPE_CATEGORY>;

/** `GET /v1/event-types`: the catalog, by category. */
export const EVENT_TYPE_CATALOG = apiShape('EventCatalogDto', z.object({ categories: z.array(EVENT_TYPE_CATEGORY) }));
export type EventTypeCatalog = z.infer<typeof EVENT_TYPE_CATALOG>;
