import {
  arraySchema,
  DATE_TIME_SCHEMA,
  NON_EMPTY_STRING_SCHEMA,
  nullable,
  objectSchema,
  schemaDocument,
  type JsonSchema,
} from '../schema/json-schema';
import type { ValidationError } from '../validation/schema-validator';

export type RejectedSource =
  | { kind: 'kafka'; topic: string; partition: number; offset: string; key: string | null }
  | { kind: 'http'; requestId: string };

/**
 * An upstream event ingest refused, on `webhooks.ingest.rejected`: never
 * dropped silently, and kept byte-for-byte so it can be fixed and replayed.
 */
export interface RejectedRecord {
  /** Summary, e.g. the first error as `<path>: <reason>`. */
  reason: string;
  errors: ValidationError[];
  source: RejectedSource;
  /** The original message value, base64 (it may not even be JSON). */
  originalBase64: string;
  /** What could be read from the message, for search; `null` when unreadable. */
  eventId: string | null;
  eventType: string | null;
  workspaceId: string | null;
  rejectedAt: string;
}

const VALIDATION_ERROR_SCHEMA = objectSchema({ path: { type: 'string' }, reason: NON_EMPTY_STRING_SCHEMA });

export const REJECTED_RECORD_SCHEMA: JsonSchema = schemaDocument(
  'messages/rejected-record.json',
  'RejectedRecord',
  objectSchema({
    reason: NON_EMPTY_STRING_SCHEMA,
    errors: arraySchema(VALIDATION_ERROR_SCHEMA, { minItems: 1 }),
    source: {
      oneOf: [
        objectSchema({
          kind: { const: 'kafka' },
          topic: NON_EMPTY_STRING_SCHEMA,
          partition: { type: 'integer', minimum: 0 },
          // Kafka offsets are int64: a decimal string avoids precision loss.
          offset: { type: 'string', pattern: '^[0-9]+$' },
          key: nullable({ type: 'string' }),
        }),
        objectSchema({ kind: { const: 'http' }, requestId: NON_EMPTY_STRING_SCHEMA }),
      ],
    },
    originalBase64: { type: 'string', contentEncoding: 'base64' },
    eventId: nullable({ type: 'string' }),
    eventType: nullable({ type: 'string' }),
    workspaceId: nullable({ type: 'string' }),
    rejectedAt: DATE_TIME_SCHEMA,
  }),
);
