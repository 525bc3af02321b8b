import { ATTEMPT_OUTCOMES, EVENT_ID_PATTERN, isKnownEventType } from '@harmony/contracts';
import { type DeliveryCursor, decodeCursor, type FieldError } from '@harmony/subscriptions/domain';
import { optionalString, optionalTime, pageLimit } from './query-params';
import { assertValid } from '../common/service-errors';
import type { DeliveryFilters } from '../delivery-log/delivery-log.repository';
import type { PageFilters } from '../delivery-log/delivery-log.service';

/** `GET /v1/webhooks/{id}/deliveries`: the filters of a webhook's log, or a 400 naming each bad parameter. */
export function deliveryFilters(query: Record<string, unknown>): DeliveryFilters {
  const errors: FieldError[] = [];
  const eventId = optionalEventId(query['eventId'], 'eventId', errors);
  const outcome = optionalString(query['outcome']);
  if (outcome !== undefined && !(ATTEMPT_OUTCOMES as readonly string[]).includes(outcome)) {
    errors.push({ field: 'outcome', reason: `must be one of ${ATTEMPT_OUTCOMES.join(', ')}` });
  }
  const eventType = optionalString(query['eventType']);
  if (eventType !== undefined && !isKnownEventType(eventType)) errors.push({ field: 'eventType', reason: `unknown event type '${eventType}'` });
  const from = optionalTime(query['from'], 'from', errors);
  const to = optionalTime(query['to'], 'to', errors);
  const cursor = optionalCursor(query['cursor'], errors);
  const limit = pageLimit(query['limit'], errors);
  assertValid(errors);
  return { eventId, outcome, eventType, from, to, cursor, limit };
}

/** `GET /v1/events/{id}/deliveries`: the event id and the page, or a 400. */
export function eventDeliveriesPage(eventId: string, query: Record<string, unknown>): PageFilters {
  const errors: FieldError[] = [];
  optionalEventId(eventId, 'id', errors);
  const cursor = optionalCursor(query['cursor'], errors);
  const limit = pageLimit(query['limit'], errors);
  assertValid(errors);
  return { cursor, limit };
}

const EVENT_ID = new RegExp(EVENT_ID_PATTERN);

function optionalEventId(value: unknown, field: string, errors: FieldError[]): string | undefined {
  const text = optionalString(value);
  if (text !== undefined && !EVENT_ID.test(text)) errors.push({ field, reason: 'must be an event id (evt_ + ULID, or a UUID)' });
  return text;
}

function optionalCursor(value: unknown, errors: FieldError[]): DeliveryCursor | null {
  const text = optionalString(value);
  const cursor = text === undefined ? null : decodeCursor(text);
  if (text !== undefined && !cursor) errors.push({ field: 'cursor', reason: 'is not a cursor this API returned' });
  return cursor;
}
