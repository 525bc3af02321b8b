import { type JsonSchema } from '../../schema/json-schema';

/** One changed field of an `*.updated` event: its value before and after. */
export interface FieldChange<T = unknown> {
  previous: T;
  current: T;
}

/** Changed fields by name. Only fields that actually changed are present. */
export type Changes<TEntity> = { [K in keyof TEntity]?: FieldChange<TEntity[K]> };

/**
 * `changes` of an `*.updated` event: at least one field, named after a field
 * of the entity (`propertyNames`), each with `previous` and `current` values.
 */
export function changesSchema(fieldNames: readonly string[]): JsonSchema {
  return {
    type: 'object',
    description: 'Changed fields with their previous and current values.',
    minProperties: 1,
    propertyNames: { enum: [...fieldNames] },
    additionalProperties: {
      type: 'object',
      properties: { previous: {}, current: {} },
      required: ['previous', 'current'],
      additionalProperties: false,
    },
  };
}
