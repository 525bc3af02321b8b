import { z } from 'zod';
import { API_SHAPES, componentRef } from './api-schema';
// Every file of named shapes, so that each has registered before the document is written.
import './api-keys.api';
import './deliveries.api';
import './endpoint-health.api';
import './errors.api';
import './event-types.api';
import './members.api';
import './test-send.api';
import './webhook-input.api';
import './webhooks.api';

/** Every named API shape as an OpenAPI 3.0 component schema, for the server's document. */
export function apiComponentSchemas(): Record<string, Record<string, unknown>> {
  const { schemas } = z.toJSONSchema(API_SHAPES, { target: 'openapi-3.0', uri: componentRef });
  return Object.fromEntries(Object.entries(schemas).map(([id, { $id: _id, ...schema }]) => [id, schema]));
}
