import { isKnownEventType } from '@harmony/contracts';
import { decodeWebhookCursor, type FieldError } from '@harmony/subscriptions/domain';
import { optionalString, pageLimit } from './query-params';
import { assertValid } from '../common/service-errors';
import type { WebhookFilters } from '../webhooks/webhook.repository';

/** The webhook list's filters (REST query string or gRPC request), or a 400 naming each bad one. */
export function webhookFilters(query: Record<string, unknown>): WebhookFilters {
  const errors: FieldError[] = [];
  const search = optionalString(query['search']);
  if (search !== undefined && search.length > 200) errors.push({ field: 'search', reason: 'must be at most 200 characters' });
  const enabledText = optionalString(query['enabled']);
  if (enabledText !== undefined && enabledText !== 'true' && enabledText !== 'false') errors.push({ field: 'enabled', reason: 'must be true or false' });
  const eventType = optionalString(query['eventType']);
  if (eventType !== undefined && !isKnownEventType(eventType)) errors.push({ field: 'eventType', reason: `unknown event type '${eventType}'` });
  const operationalText = optionalString(query['operational']);
  if (operationalText !== undefined && operationalText !== 'true' && operationalText !== 'false') errors.push({ field: 'operational', reason: 'must be true or false' });
  const cursorText = optionalString(query['cursor']);
  const cursor = cursorText === undefined ? null : decodeWebhookCursor(cursorText);
  if (cursorText !== undefined && !cursor) errors.push({ field: 'cursor', reason: 'is not a cursor this API returned' });
  const limit = pageLimit(query['limit'], errors);
  assertValid(errors);
  return {
    search,
    enabled: enabledText === undefined ? undefined : enabledText === 'true',
    eventType,
    operational: operationalText === undefined ? undefined : operationalText === 'true',
    cursor,
    limit,
  };
}
