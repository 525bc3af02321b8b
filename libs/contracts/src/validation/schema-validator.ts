import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { JsonSchema } from '../schema/json-schema';
import { EVENT_ID_PATTERN } from '../schema/ids';

/** One readable problem: a JSON pointer into the validated value and why it is wrong. */
export interface ValidationError {
  /** JSON pointer, e.g. `/data/contact/email`; `''` is the whole value. */
  path: string;
  /** e.g. `must be string`, `must have required property 'id'`. */
  reason: string;
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; errors: ValidationError[] };

/**
 * The lib's one Ajv instance. `allErrors` so a producer sees every problem at
 * once; `strict` so a mistake in a schema fails at compile time, not silently.
 */
export const AJV = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats(AJV);

// Compiled once per schema object; schemas are module constants, so this never grows unbounded.
const compiled = new WeakMap<JsonSchema, ValidateFunction>();

export function compileSchema(schema: JsonSchema): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = AJV.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

/** Validates `value` against `schema`; error paths are prefixed with `pathPrefix`. */
export function validateAgainst<T>(schema: JsonSchema, value: unknown, pathPrefix = ''): ValidationResult<T> {
  const validate = compileSchema(schema);
  if (validate(value)) return { ok: true, value: value as T };
  return { ok: false, errors: formatErrors(validate.errors ?? [], pathPrefix) };
}

/** A reusable validator for one schema (messages on topics, envelopes). */
export function createValidator<T>(schema: JsonSchema): (value: unknown) => ValidationResult<T> {
  return (value) => validateAgainst<T>(schema, value);
}

export function formatErrors(errors: readonly ErrorObject[], pathPrefix = ''): ValidationError[] {
  const seen = new Set<string>();
  const result: ValidationError[] = [];
  for (const error of errors) {
    const formatted = formatError(error, pathPrefix);
    if (!formatted) continue;
    const key = `${formatted.path}\u0000${formatted.reason}`;
    if (seen.has(key)) continue;
    seen.add(key);
    result.push(formatted);
  }
  return result;
}

function formatError(error: ErrorObject, pathPrefix: string): ValidationError | undefined {
  const path = pathPrefix + error.instancePath;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    // Summaries of errors already reported by their branch or by the property-name check.
    case 'if':
    case 'propertyNames':
      return undefined;
    case 'additionalProperties':
      return { path, reason: `must NOT have additional property '${String(params['additionalProperty'])}'` };
    case 'enum':
      return withPropertyName(error, path, `must be one of ${listValues(params['allowedValues'])}`);
    case 'const':
      return { path, reason: `must be ${JSON.stringify(params['allowedValue'])}` };
    case 'type':
      return withPropertyName(error, path, `must be ${String(params['type']).split(',').join(' or ')}`);
    case 'pattern':
      return withPropertyName(error, path, describePattern(String(params['pattern'])));
    default:
      return withPropertyName(error, path, error.message ?? `must pass '${error.keyword}'`);
  }
}

// Errors from `propertyNames` point at the object; name the offending key instead.
function withPropertyName(error: ErrorObject, path: string, reason: string): ValidationError {
  const propertyName = (error as ErrorObject & { propertyName?: string }).propertyName;
  if (propertyName === undefined) return { path, reason };
  return { path: `${path}/${escapePointer(propertyName)}`, reason: `is not a known field: name ${reason}` };
}

const PREFIXED_ULID = /^\^([a-z]+)_\[0-9A-HJKMNP-TV-Z\]\{26\}\$$/;

// Id patterns are unreadable as regexes; say what is expected instead.
function describePattern(pattern: string): string {
  if (pattern === EVENT_ID_PATTERN) return 'must be an event id: evt_ followed by a ULID, or a UUID';
  const prefixed = PREFIXED_ULID.exec(pattern);
  if (prefixed) return `must be an id of the form ${prefixed[1]}_<ULID>`;
  return `must match pattern "${pattern}"`;
}

function listValues(values: unknown): string {
  if (!Array.isArray(values)) return 'the allowed values';
  return values.map((value) => (typeof value === 'string' ? `'${value}'` : JSON.stringify(value))).join(', ');
}

export function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
