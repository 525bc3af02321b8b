import type { FieldError } from '@harmony/subscriptions/domain';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/** A query parameter as one string (the first when repeated); undefined when absent or empty. */
export function optionalString(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return Array.isArray(value) ? String(value[0]) : String(value);
}

export function optionalTime(value: unknown, field: string, errors: FieldError[]): Date | undefined {
  const text = optionalString(value);
  if (text === undefined) return undefined;
  const time = Date.parse(text);
  if (Number.isNaN(time)) {
    errors.push({ field, reason: 'must be an ISO 8601 time' });
    return undefined;
  }
  return new Date(time);
}

/** `limit` of a keyset page: 1–MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE when absent. */
export function pageLimit(value: unknown, errors: FieldError[]): number {
  const text = optionalString(value);
  const limit = text === undefined ? DEFAULT_PAGE_SIZE : Number(text);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) errors.push({ field: 'limit', reason: `must be an integer 1–${MAX_PAGE_SIZE}` });
  return limit;
}
