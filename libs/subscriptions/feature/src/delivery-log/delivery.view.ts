import { type EventEnvelope, type RequestedBy, withCatalogFloor } from '@harmony/contracts';
import type { DeliveryAttemptEntity } from '../entities';

export interface DeliveryView {
  /** The exact JSON body sent (signed), when the event's payload is still kept and the caller may see the event. */
  requestBody?: string | null;
  /** Why `requestBody` is null although the payload is kept: the caller may not see this event (any more). */
  requestBodyWithheld?: string | null;
  id: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  attempt: number;
  outcome: string;
  url: string;
  httpStatus: number | null;
  durationMs: number | null;
  /** `event`: sent by the pipeline; `test`: the Test button; `manual`: a redelivery or recovery someone asked for (`requestedBy`). */
  trigger: 'event' | 'test' | 'manual';
  requestedBy: RequestedBy | null;
  /** The receiver's response headers (bounded); null without a response, or on rows logged before they were kept. */
  responseHeaders: Record<string, string> | null;
  responseBody: string | null;
  responseBodyTruncated: boolean;
  error: { code: string; message: string } | null;
  requestHeaders: Record<string, string>;
  startedAt: string;
  finishedAt: string;
  nextAttemptAt: string | null;
}

export interface DeliveryPage {
  data: DeliveryView[];
  nextCursor: string | null;
}

export function toDeliveryView(row: DeliveryAttemptEntity): DeliveryView {
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
