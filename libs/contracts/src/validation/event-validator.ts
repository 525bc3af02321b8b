import { resolveDefaultAccess, withCatalogFloor } from '../access/default-access';
import { getEventDefinition, isKnownEventType, type EventData, type EventType } from '../catalog/event-catalog';
import { isOperationalEventType } from '../catalog/event-definition';
import { EVENT_ENVELOPE_SCHEMA, UPSTREAM_EVENT_SCHEMA, type EventEnvelope, type UpstreamEvent } from '../envelope/envelope.schema';
import { validateAgainst, type ValidationError, type ValidationResult } from './schema-validator';

export function unknownEventTypeError(type: unknown): ValidationError {
  return { path: '/type', reason: `unknown event type ${typeof type === 'string' ? `'${type}'` : JSON.stringify(type)}` };
}

/**
 * Validates an event's `data` against the catalog schema of `type`.
 * Paths are given as in the envelope (`/data/...`) so they read the same everywhere.
 */
export function validateEventData<T extends EventType>(type: T, data: unknown): ValidationResult<EventData<T>>;
export function validateEventData(type: string, data: unknown): ValidationResult<unknown>;
export function validateEventData(type: string, data: unknown): ValidationResult<unknown> {
  const definition = getEventDefinition(type);
  if (!definition) return { ok: false, errors: [unknownEventTypeError(type)] };
  return validateAgainst(definition.schema, data, '/data');
}

/**
 * Validates what an upstream producer sent and normalizes it to the envelope:
 * shape, known type, `data` against the catalog, and `access` defaulted from
 * the catalog when absent (and never wider than admin-only for admin-only types). Every problem is reported, not only the first.
 */
export function validateUpstreamEvent(raw: unknown): ValidationResult<EventEnvelope> {
  const result = validateEvent<UpstreamEvent>(UPSTREAM_EVENT_SCHEMA, raw);
  if (!result.ok) return result;
  const event = result.value;
  // Known: validateEvent rejected any type outside the catalog.
  const definition = getEventDefinition(event.type);
  if (!definition) return { ok: false, errors: [unknownEventTypeError(event.type)] };
  if (isOperationalEventType(event.type)) {
    return { ok: false, errors: [{ path: '/type', reason: `'${event.type}' is an operational event: only the platform emits it` }] };
  }
  return {
    ok: true,
    value: {
      id: event.id,
      type: event.type,
      workspaceId: event.workspaceId,
      occurredAt: event.occurredAt,
      data: event.data,
      access: withCatalogFloor(event.type, event.access ?? resolveDefaultAccess(definition.access, event.data)),
    },
  };
}

/**
 * Decodes an envelope read from `webhooks.events.<category>` (access
 * required): its shape and a catalog type. Its `data` was validated against
 * the catalog once, at ingest, which alone writes these topics; re-running the
 * catalog schema at every hop cost CPU and caught nothing (decision 0100).
 */
export function validateEnvelope(raw: unknown): ValidationResult<EventEnvelope> {
  const shape = validateAgainst<EventEnvelope>(EVENT_ENVELOPE_SCHEMA, raw);
  const errors: ValidationError[] = shape.ok ? [] : [...shape.errors];
  const type = (raw as Partial<EventEnvelope> | null)?.type;
  if (typeof raw === 'object' && raw !== null && 'type' in raw && !isKnownEventType(type) && !errors.some((error) => error.path === '/type')) {
    errors.push(unknownEventTypeError(type));
  }
  return errors.length === 0 ? { ok: true, value: raw as EventEnvelope } : { ok: false, errors };
}

function validateEvent<T extends UpstreamEvent>(schema: typeof UPSTREAM_EVENT_SCHEMA, raw: unknown): ValidationResult<T> {
  const shape = validateAgainst<T>(schema, raw);
  const errors: ValidationError[] = shape.ok ? [] : [...shape.errors];
  const candidate = raw as Partial<UpstreamEvent> | null;
  if (typeof candidate === 'object' && candidate !== null && 'type' in candidate) {
    const type = candidate.type;
    if (!isKnownEventType(type)) {
      // A malformed type is already reported by the shape check; an unknown one is reported here.
      if (!errors.some((error) => error.path === '/type')) errors.push(unknownEventTypeError(type));
    } else if (typeof candidate.data === 'object' && candidate.data !== null && !Array.isArray(candidate.data)) {
      const data = validateEventData(type, candidate.data);
      if (!data.ok) errors.push(...data.errors);
    }
  }
  return errors.length === 0 ? { ok: true, value: raw as T } : { ok: false, errors };
}
