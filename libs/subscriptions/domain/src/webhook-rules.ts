import { isKnownEventType, isOperationalEventType } from '@harmony/contracts';
import { HEADER_NAME_PATTERN, isReservedHeader } from '@harmony/webhooks/domain';
import type { FieldError } from './field-error';

export const NAME_MAX_LENGTH = 120;
export const DESCRIPTION_MAX_LENGTH = 1_000;
export const MAX_CUSTOM_HEADERS = 20;
export const HEADER_VALUE_MAX_LENGTH = 1_000;
export const RATE_LIMIT_MAX_PER_SECOND = 1_000;

export function checkName(name: unknown, field = 'name'): FieldError[] {
  if (typeof name !== 'string' || name.trim() === '') return [{ field, reason: 'is required' }];
  if (name.trim().length > NAME_MAX_LENGTH) return [{ field, reason: `must be at most ${NAME_MAX_LENGTH} characters` }];
  if (hasControlCharacter(name)) return [{ field, reason: 'must not contain control characters' }];
  return [];
}

export function checkDescription(description: unknown): FieldError[] {
  if (description === null || description === undefined) return [];
  if (typeof description !== 'string') return [{ field: 'description', reason: 'must be a string or null' }];
  if (description.length > DESCRIPTION_MAX_LENGTH) {
    return [{ field: 'description', reason: `must be at most ${DESCRIPTION_MAX_LENGTH} characters` }];
  }
  return [];
}

/**
 * That a URL was given. What it may be (scheme, host, where it points) is one rule,
 * the delivery worker's SSRF policy, checked with DNS by the feature layer.
 */
export function checkUrlPresent(url: unknown, field = 'url'): FieldError[] {
  if (typeof url !== 'string' || url.trim() === '') return [{ field, reason: 'is required' }];
  return [];
}

/** `'*'` (every type, including future ones) or a non-empty list of catalog types. */
export function checkEventTypes(eventTypes: unknown, field = 'events'): FieldError[] {
  if (eventTypes === '*') return [];
  if (!Array.isArray(eventTypes)) return [{ field, reason: "must be '*' or a list of event types" }];
  if (eventTypes.length === 0) return [{ field, reason: 'must select at least one event type' }];
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  eventTypes.forEach((type, index) => {
    if (!isKnownEventType(type)) errors.push({ field: `${field}[${index}]`, reason: `unknown event type ${JSON.stringify(type)}` });
    else if (seen.has(type)) errors.push({ field: `${field}[${index}]`, reason: `duplicate event type '${type}'` });
    else seen.add(type);
  });
  if (errors.length === 0 && eventTypes.some(isOperationalEventType) && !eventTypes.every(isOperationalEventType)) {
    errors.push({ field, reason: "operational events (webhook.*) go to the workspace's operational endpoint only: select them without other events" });
  }
  return errors;
}

/** A selection of operational events only: the workspace's operational endpoint (one per workspace, admins register it). */
export function isOperationalSelection(eventTypes: '*' | string[]): boolean {
  return eventTypes !== '*' && eventTypes.length > 0 && eventTypes.every(isOperationalEventType);
}

export function checkHeaders(headers: unknown): FieldError[] {
  if (headers === null || headers === undefined) return [];
  if (typeof headers !== 'object' || Array.isArray(headers)) return [{ field: 'headers', reason: 'must be an object of header names to values' }];
  const entries = Object.entries(headers as Record<string, unknown>);
  if (entries.length > MAX_CUSTOM_HEADERS) return [{ field: 'headers', reason: `must have at most ${MAX_CUSTOM_HEADERS} headers` }];
  const errors: FieldError[] = [];
  for (const [name, value] of entries) {
    const field = `headers.${name}`;
    if (!HEADER_NAME_PATTERN.test(name)) errors.push({ field, reason: 'is not a valid header name' });
    else if (isReservedHeader(name)) errors.push({ field, reason: 'is set by the platform and cannot be overridden' });
    else if (typeof value !== 'string') errors.push({ field, reason: 'must be a string' });
    else if (value.length > HEADER_VALUE_MAX_LENGTH || hasControlCharacter(value)) {
      errors.push({ field, reason: `must be one line of at most ${HEADER_VALUE_MAX_LENGTH} characters` });
    }
  }
  return errors;
}

export function checkRateLimit(rate: unknown): FieldError[] {
  if (rate === null || rate === undefined) return [];
  if (typeof rate !== 'number' || !Number.isInteger(rate) || rate < 1 || rate > RATE_LIMIT_MAX_PER_SECOND) {
    return [{ field: 'rateLimitPerSecond', reason: `must be an integer 1–${RATE_LIMIT_MAX_PER_SECOND}, or null for the default` }];
  }
  return [];
}

/** Case-insensitive, trimmed: "Orders" and " orders" are the same webhook name in one workspace. */
export function normalizeName(name: string): string {
  return name.trim().toLowerCase();
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
