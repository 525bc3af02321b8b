import type { AttemptRecord, WebhookDeliveryExhaustedData, WebhookDisabledData, WebhookDisabledReason, WebhookRecoveredData } from '@harmony/contracts';

/** What a webhook's row remembers of what operational events already said about it. */
export interface NoticeState {
  /** When an operational event last said it was failing (cleared by the recovery). */
  failureNotifiedAt: Date | null;
  /** The URL already announced as refused by the URL policy. */
  urlRefusalNotified: string | null;
}

/** One operational event to emit, before the envelope (`webhook` is filled in by the caller). */
export type Notice =
  | { type: 'webhook.disabled'; data: Omit<WebhookDisabledData, 'webhook'> }
  | { type: 'webhook.delivery_exhausted'; data: Omit<WebhookDeliveryExhaustedData, 'webhook'> }
  | { type: 'webhook.recovered'; data: Omit<WebhookRecoveredData, 'webhook'> };

/** One logged attempt and what endpoint health made of it. */
export interface ObservedForNotice {
  record: Pick<AttemptRecord, 'attemptId' | 'eventId' | 'eventType' | 'attempt' | 'outcome' | 'url' | 'httpStatus' | 'error' | 'finishedAt'>;
  /** The failure run before this attempt, and after it. */
  failingSinceBefore: Date | null;
  failingSinceAfter: Date | null;
  /** Endpoint health disabled the webhook on this attempt: its reason in words. */
  disabled: string | null;
}

/** Attempt errors meaning the URL policy refused the URL (as written, or where its name points). */
const URL_REFUSED_CODES: ReadonlySet<string> = new Set(['invalid_url', 'ssrf_blocked']);

/**
 * The operational events one attempt causes, and the state after them: disabled by
 * health (410 → `gone`, five days → `failing`), a URL refused (once per URL), an event
 * exhausted (each time), and a success after any of those (`recovered`, once).
 */
export function noticesForAttempt(state: NoticeState, observed: ObservedForNotice, now: Date): { notices: Notice[]; state: NoticeState } {
  const { record } = observed;
  const notices: Notice[] = [];
  let next = state;
  const failed = (): NoticeState => ({ ...next, failureNotifiedAt: now });
  if (observed.disabled !== null) {
    const reason: WebhookDisabledReason = record.httpStatus === 410 ? 'gone' : 'failing';
    notices.push({ type: 'webhook.disabled', data: { reason, message: observed.disabled, enabled: false, failingSince: iso(observed.failingSinceAfter) } });
    next = failed();
  } else if ((record.outcome === 'failure' || record.outcome === 'exhausted') && record.error && URL_REFUSED_CODES.has(record.error.code) && state.urlRefusalNotified !== record.url) {
    notices.push({
      type: 'webhook.disabled',
      data: {
        reason: 'url_not_allowed',
        message: `${record.error.message}: its deliveries wait on the retry schedule until the URL is changed`,
        enabled: true,
        failingSince: iso(observed.failingSinceAfter),
      },
    });
    next = { ...failed(), urlRefusalNotified: record.url };
  }
  if (record.outcome === 'exhausted') {
    notices.push({
      type: 'webhook.delivery_exhausted',
      data: {
        eventId: record.eventId,
        eventType: record.eventType,
        attempts: record.attempt,
        lastAttempt: { id: record.attemptId, httpStatus: record.httpStatus, error: record.error, finishedAt: record.finishedAt },
      },
    });
    next = failed();
  }
  if (record.outcome === 'success' && state.failureNotifiedAt !== null && observed.failingSinceAfter === null) {
    notices.push({ type: 'webhook.recovered', data: { failingSince: iso(observed.failingSinceBefore), attemptId: record.attemptId, eventId: record.eventId } });
    next = { failureNotifiedAt: null, urlRefusalNotified: null };
  }
  return { notices, state: next };
}

/** The notice when a webhook's owner can no longer see anything (removed or deactivated). */
export function ownerLostAccessNotice(ownerName: string, ownerStatus: 'removed' | 'deactivated', failingSince: Date | null): Notice {
  return {
    type: 'webhook.disabled',
    data: {
      reason: 'owner_access_lost',
      message: `Its owner ${ownerName} was ${ownerStatus}: it receives nothing until an admin hands it to an active member.`,
      enabled: true,
      failingSince: iso(failingSince),
    },
  };
}

function iso(date: Date | null): string | null {
  return date?.toISOString() ?? null;
}
