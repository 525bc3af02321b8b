import { arraySchema, DATE_TIME_SCHEMA, objectSchema, prefixedIdSchema, schemaDocument, type JsonSchema } from '../schema/json-schema';
import { ID_PREFIXES, MEMBER_ID_SCHEMA, WORKSPACE_ID_SCHEMA } from '../schema/ids';

/**
 * Value on the compacted `webhooks.api-keys` topic (key = the API key's
 * sha256, hex): what services without the database (event-ingest) need to
 * authenticate a request. Only hashes travel; a revoked key stays as a record
 * with `revoked: true` so a late reader still refuses it.
 */
export interface ApiKeyRecord {
  keyId: string;
  /** sha256 of the whole key, hex (the record's Kafka key too). */
  keyHash: string;
  workspaceId: string;
  memberId: string;
  scopes: string[];
  revoked: boolean;
  updatedAt: string;
}

export const API_KEY_RECORD_SCHEMA: JsonSchema = schemaDocument(
  'messages/api-key-record.json',
  'ApiKeyRecord',
  objectSchema({
    keyId: prefixedIdSchema(ID_PREFIXES.apiKey),
    keyHash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    workspaceId: WORKSPACE_ID_SCHEMA,
    memberId: MEMBER_ID_SCHEMA,
    scopes: arraySchema({ type: 'string', pattern: '^[a-z]+:[a-z]+$' }),
    revoked: { type: 'boolean' },
    updatedAt: DATE_TIME_SCHEMA,
  }),
);
