import type { z } from 'zod';
import type { FieldError } from './errors.api';

type Issue = z.core.$ZodIssue;
type PathKey = PropertyKey;

/**
 * zod's issues as the API's 400 entries (`{ field, reason }`): the field as a
 * path (`events[1]`, `headers.X-Team`), one entry per unknown field, and in the
 * order of `fields` (unknown fields first), whichever check finished first (an
 * async one, such as the URL policy, finishes last).
 */
export function fieldErrors(issues: readonly Issue[], fields: readonly string[] = []): FieldError[] {
  const errors = issues.flatMap((issue) => fromIssue(issue, []));
  const rank = (error: FieldError): number => fields.indexOf(error.field.split(/[.[]/)[0] ?? '');
  return errors.map((error, index) => ({ error, index })).sort((a, b) => rank(a.error) - rank(b.error) || a.index - b.index).map(({ error }) => error);
}

/** One value checked by `schema`, its errors named `field` (e.g. a name outside a request body). */
export function checkValue(schema: z.ZodType, value: unknown, field: string): FieldError[] {
  const result = schema.safeParse(value);
  return result.success ? [] : result.error.issues.flatMap((issue) => fromIssue(issue, [field]));
}

function fromIssue(issue: Issue, prefix: readonly PathKey[]): FieldError[] {
  const path = [...prefix, ...issue.path];
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({ field: fieldName([...path, key]), reason: 'is not a known field' }));
    case 'invalid_key':
      // A record's key (e.g. a header name): its own reason, named by the key.
      return issue.issues.map((inner) => ({ field: fieldName(path), reason: inner.message }));
    case 'invalid_union': {
      // The option the value's type chose (an array for `'*' | string[]`) says what is wrong with it.
      const [chosen, ...others] = issue.errors.filter((option) => !option.every(isTypeMismatch));
      if (chosen && others.length === 0) return chosen.flatMap((inner) => fromIssue(inner, path));
      return [{ field: fieldName(path), reason: issue.message }];
    }
    default:
      return [{ field: fieldName(path), reason: issue.message }];
  }
}

function isTypeMismatch(issue: Issue): boolean {
  return issue.path.length === 0 && (issue.code === 'invalid_type' || issue.code === 'invalid_value');
}

function fieldName(path: readonly PathKey[]): string {
  if (path.length === 0) return 'body';
  return path.map((key, index) => (typeof key === 'number' ? `[${key}]` : index === 0 ? String(key) : `.${String(key)}`)).join('');
}
