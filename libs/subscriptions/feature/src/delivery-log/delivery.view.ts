import { type Delivery, type EventEnvelope, withCatalogFloor } from '@harmony/contracts';
import type { DeliveryAttemptEntity } from '../entities';

/** A log row as the API shows it; the request body is added where the caller may see it. */
export function toDeliveryView(row: DeliveryAttemptEntity): Omit<Delivery, 'requestBody' | 'requestBodyWithheld'> {
  return {
    id: row.id,
    webhookId: row.subscriptionId,
    eventId: row.eventId,
    eventType: row.eventType,
    attempt: row.attempt,
    outcome: row.outcome,
    url: row.url,
    httpStatus: row.httpStatus,
    durationMs: row.durationMs,
    responseHeaders: row.responseHeaders,
    trigger: row.trigger ?? 'event',
    requestedBy: row.requestedBy,
    responseBody: row.responseBody,
    responseBodyTruncated: row.responseBodyTruncated,
    error: row.errorCode ? { code: row.errorCode, message: row.errorMessage ?? '' } : null,
    requestHeaders: row.requestHeaders,
    startedAt: row.startedAt.toISOString(),
    finishedAt: row.finishedAt.toISOString(),
    nextAttemptAt: row.nextAttemptAt?.toISOString() ?? null,
  };
}

/** Who may see an event, in words (after the catalog floor). */
export function describeAccess(event: Pick<EventEnvelope, 'type' | 'access'>): string {
  const access = withCatalogFloor(event.type, event.access);
  if (access.scope === 'admin') return 'admins only';
  if (access.scope === 'restricted') return 'admins and the users and teams it is shared with';
  return 'every active member';
}
