import { isKnownEventType } from '@harmony/contracts';
import type { FieldError } from './field-error';

export const NAME_MAX_LENGTH = 120;
export const DESCRIPTION_MAX_LENGTH = 1_000;
export const URL_MAX_LENGTH = 2_048;
export const MAX_CUSTOM_HEADERS = 20;
export const HEADER_VALUE_MAX_LENGTH = 1_000;
export const RATE_LIMIT_MAX_PER_SECOND = 1_000;

/** Headers the platform sets itself: a user may not override them (the signature would lie). */
const RESERVED_HEADERS = new Set([
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
  'content-type',
  'content-length',
  'user-agent',
  'host',
  'transfer-encoding',
  'connection',
]);
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

export interface UrlPolicy {
  /** Plain http accepted (single-machine default; never in production unless configured). */
  allowHttp: boolean;
}

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

/** Syntax rules of a webhook URL; where it points (SSRF) is checked separately, with DNS. */
export function checkWebhookUrl(url: unknown, policy: UrlPolicy, field = 'url'): FieldError[] {
  if (typeof url !== 'string' || url.trim() === '') return [{ field, reason: 'is required' }];
  if (url.length > URL_MAX_LENGTH) return [{ field, reason: `must be at most ${URL_MAX_LENGTH} characters` }];
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [{ field, reason: 'must be an absolute URL' }];
  }
  if (parsed.protocol !== 'https:' && !(policy.allowHttp && parsed.protocol === 'http:')) {
    return [{ field, reason: policy.allowHttp ? 'must use http or https' : 'must use https' }];
  }
  if (parsed.username || parsed.password) return [{ field, reason: 'must not contain credentials (user:password@)' }];
  if (parsed.hash) return [{ field, reason: 'must not contain a #fragment' }];
  if (!parsed.hostname) return [{ field, reason: 'must have a host' }];
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
  return errors;
}

export function checkHeaders(headers: unknown): FieldError[] {
  if (headers === null || headers === undefined) return [];
  if (typeof headers !== 'object' || Array.isArray(headers)) return [{ field: 'headers', reason: 'must be an object of header names to values' }];
  const entries = Object.entries(headers as Record<string, unknown>);
  if (entries.length > MAX_CUSTOM_HEADERS) return [{ field: 'headers', reason: `must have at most ${MAX_CUSTOM_HEADERS} headers` }];
  const errors: FieldError[] = [];
  for (const [name, value] of entries) {
    const field = `headers.${name}`;
    if (!HEADER_NAME.test(name)) errors.push({ field, reason: 'is not a valid header name' });
    else if (RESERVED_HEADERS.has(name.toLowerCase())) errors.push({ field, reason: 'is set by the platform and cannot be overridden' });
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
