import { ACCESS_FRAGMENT, type Access } from '../access/access';
import { DATE_TIME_SCHEMA, objectSchema, schemaDocument, type JsonSchema } from '../schema/json-schema';
import { EVENT_ID_SCHEMA, EVENT_TYPE_PATTERN, WORKSPACE_ID_SCHEMA } from '../schema/ids';

/**
 * The normalized event on `webhooks.events.<category>` (key = workspaceId).
 * `data` has been validated against the catalog schema of `type`.
 */
export interface EventEnvelope<TType extends string = string, TData = unknown> {
  /** `evt_` + ULID or a UUID; becomes the `webhook-id` header, stable across retries. */
  id: string;
  type: TType;
  workspaceId: string;
  /** When it happened upstream (ISO 8601), not when ingest saw it. */
  occurredAt: string;
  data: TData;
  access: Access;
}

/**
 * What event-ingest accepts, from `harmony.<category>.events` or `POST /v1/events`.
 * Like the envelope, but `access` may be omitted: ingest then applies the catalog default.
 */
export interface UpstreamEvent<TType extends string = string, TData = unknown> {
  id: string;
  type: TType;
  workspaceId: string;
  occurredAt: string;
  data: TData;
  access?: Access;
}

const COMMON_PROPERTIES: Record<string, JsonSchema> = {
  id: EVENT_ID_SCHEMA,
  type: { type: 'string', pattern: EVENT_TYPE_PATTERN, description: 'Catalog event type, e.g. contact.created.' },
  workspaceId: WORKSPACE_ID_SCHEMA,
  occurredAt: DATE_TIME_SCHEMA,
  // Checked per type against the catalog schema, after the envelope shape.
  data: { type: 'object', description: 'Event payload; its schema depends on `type`.' },
  access: ACCESS_FRAGMENT,
};

export const EVENT_ENVELOPE_SCHEMA: JsonSchema = schemaDocument(
  'event-envelope.json',
  'EventEnvelope',
  objectSchema(COMMON_PROPERTIES, { description: 'A validated event on webhooks.events.<category>.' }),
);

export const UPSTREAM_EVENT_SCHEMA: JsonSchema = schemaDocument(
  'upstream-event.json',
  'UpstreamEvent',
  objectSchema(COMMON_PROPERTIES, {
    optional: ['access'],
    description: 'An event as produced upstream; access defaults from the catalog.',
  }),
);
