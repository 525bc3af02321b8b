/**
 * Small builders for the JSON Schemas in this lib (draft 2020-12).
 *
 * Schemas are plain JSON-serializable objects: the API serves them as they are,
 * so sub-schemas are shared by composing JS objects (no `$ref` to resolve).
 */

/** A JSON Schema document or fragment. Kept loose: Ajv checks the keywords. */
export type JsonSchema = { readonly [keyword: string]: unknown };

export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

/** Base of every `$id` in this lib; ids are names, never fetched. */
export const SCHEMA_ID_BASE = 'https://schemas.harmony.app/webhooks';

/** Crockford base32, as used by ULIDs (no I, L, O, U). */
const ULID_BODY = '[0-9A-HJKMNP-TV-Z]{26}';

/** Pattern for a prefixed ULID id such as `ct_01JN8EY4M01Q2JXEXGJAGNSW68`. */
export function prefixedIdPattern(prefix: string): string {
  return `^${prefix}_${ULID_BODY}$`;
}

export function prefixedIdSchema(prefix: string, description?: string): JsonSchema {
  return {
    type: 'string',
    pattern: prefixedIdPattern(prefix),
    ...(description ? { description } : {}),
    examples: [`${prefix}_01JN8EY4M01Q2JXEXGJAGNSW68`],
  };
}

export const DATE_TIME_SCHEMA: JsonSchema = { type: 'string', format: 'date-time' };
export const EMAIL_SCHEMA: JsonSchema = { type: 'string', format: 'email', maxLength: 320 };
export const URI_SCHEMA: JsonSchema = { type: 'string', format: 'uri', maxLength: 2048 };
export const NON_EMPTY_STRING_SCHEMA: JsonSchema = { type: 'string', minLength: 1 };

export function stringEnumSchema(values: readonly string[], description?: string): JsonSchema {
  return { type: 'string', enum: [...values], ...(description ? { description } : {}) };
}

/**
 * A closed object: every listed property is required unless named in `optional`.
 * Payloads keep a stable shape (absent values are `null`, not missing), and
 * nothing undocumented reaches a receiver's endpoint.
 */
export function objectSchema(
  properties: Record<string, JsonSchema>,
  options: { optional?: readonly string[]; description?: string; title?: string } = {},
): JsonSchema {
  const optional = new Set(options.optional ?? []);
  return {
    type: 'object',
    ...(options.title ? { title: options.title } : {}),
    ...(options.description ? { description: options.description } : {}),
    properties,
    required: Object.keys(properties).filter((key) => !optional.has(key)),
    additionalProperties: false,
  };
}

/** Allow `null` besides the schema's own type (and enum values). */
export function nullable(schema: JsonSchema): JsonSchema {
  const type = schema['type'];
  const types = Array.isArray(type) ? type : type === undefined ? [] : [type];
  const result: Record<string, unknown> = { ...schema, type: [...types, 'null'] };
  if (Array.isArray(schema['enum'])) result['enum'] = [...(schema['enum'] as unknown[]), null];
  return result;
}

export function arraySchema(items: JsonSchema, options: { minItems?: number; uniqueItems?: boolean } = {}): JsonSchema {
  return { type: 'array', items, ...options };
}

/** A top-level schema document: dialect, `$id` and title. */
export function schemaDocument(id: string, title: string, schema: JsonSchema): JsonSchema {
  return { $schema: JSON_SCHEMA_DIALECT, $id: `${SCHEMA_ID_BASE}/${id}`, title, ...schema };
}
