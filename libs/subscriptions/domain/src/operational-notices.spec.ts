import { noticesForAttempt, type NoticeState, type ObservedForNotice, ownerLostAccessNotice } from './operational-notices';

const NOW = new Date('2026-11-30T05:00:00.000Z');
const RUN = new Date('2026-11-25T05:00:00.000Z');
const QUIET: NoticeState = { failureNotifiedAt: null, urlRefusalNotified: null };

function observed(record: Partial<ObservedForNotice['record']>, health: Partial<Omit<ObservedForNotice, 'record'>> = {}): ObservedForNotice {
  return {
    record: {
      attemptId: 'att_01JN9ZK2V3W4X5Y6Z7A8B9C0D1',
      eventId: 'evt_01JN8EY4M01Q2JXEXGJAGNSW68',
      eventType: 'contact.created',
      attempt: 1,
      outcome: 'failure',
      url: 'http://hooks.example.com/a',
      httpStatus: 503,
      error: { code: 'http_status', message: 'HTTP 503' },
      finishedAt: NOW.toISOString(),
      ...record,
    },
    failingSinceBefore: RUN,
    failingSinceAfter: RUN,
    disabled: null,
    ...health,
  };
}

describe('noticesForAttempt', () => {
  it('says nothing of an ordinary failure, or of a success nobody was told was failing', () => {
    expect(noticesForAttempt(QUIET, observed({}), NOW)).toEqual({ notices: [], state: QUIET });
    expect(noticesForAttempt(QUIET, observed({ outcome: 'success', httpStatus: 200, error: null }, { failingSinceAfter: null }), NOW).notices).toEqual([]);
  });

  it('announces a disable by endpoint health: 410 as gone, five days as failing, and remembers it', () => {
    const gone = noticesForAttempt(QUIET, observed({ outcome: 'dropped', httpStatus: 410 }, { disabled: 'The endpoint answered 410 Gone.' }), NOW);
    expect(gone.notices).toEqual([
      { type: 'webhook.disabled', data: { reason: 'gone', message: 'The endpoint answered 410 Gone.', enabled: false, failingSince: RUN.toISOString() } },
    ]);
    expect(gone.state.failureNotifiedAt).toEqual(NOW);
    const failing = noticesForAttempt(QUIET, observed({}, { disabled: 'Every delivery failed for 5 days.' }), NOW);
    expect(failing.notices.map((notice) => notice.type === 'webhook.disabled' && notice.data.reason)).toEqual(['failing']);
  });

  it('announces a refused URL once per URL, the webhook still enabled', () => {
    const refused = observed({ error: { code: 'invalid_url', message: 'URL must use https' }, httpStatus: null });
    const first = noticesForAttempt(QUIET, refused, NOW);
    expect(first.notices).toEqual([
      {
        type: 'webhook.disabled',
        data: { reason: 'url_not_allowed', message: 'URL must use https: its deliveries wait on the retry schedule until the URL is changed', enabled: true, failingSince: RUN.toISOString() },
      },
    ]);
    expect(noticesForAttempt(first.state, refused, NOW).notices).toEqual([]);
    expect(noticesForAttempt(first.state, observed({ ...refused.record, url: 'http://other.example.com/' }), NOW).notices).toHaveLength(1);
  });

  it('announces every exhausted event with its last attempt', () => {
    const result = noticesForAttempt(QUIET, observed({ outcome: 'exhausted', attempt: 8 }), NOW);
    expect(result.notices).toEqual([
      {
        type: 'webhook.delivery_exhausted',
        data: {
          eventId: 'evt_01JN8EY4M01Q2JXEXGJAGNSW68',
          eventType: 'contact.created',
          attempts: 8,
          lastAttempt: { id: 'att_01JN9ZK2V3W4X5Y6Z7A8B9C0D1', httpStatus: 503, error: { code: 'http_status', message: 'HTTP 503' }, finishedAt: NOW.toISOString() },
        },
      },
    ]);
    expect(noticesForAttempt(result.state, observed({ outcome: 'exhausted', attempt: 8 }), NOW).notices).toHaveLength(1);
  });

  it('announces the recovery once, on the success that ends the run after a notice', () => {
    const told: NoticeState = { failureNotifiedAt: NOW, urlRefusalNotified: 'http://hooks.example.com/a' };
    const success = observed({ outcome: 'success', httpStatus: 200, error: null }, { failingSinceAfter: null });
    const recovered = noticesForAttempt(told, success, NOW);
    expect(recovered.notices).toEqual([
      { type: 'webhook.recovered', data: { failingSince: RUN.toISOString(), attemptId: 'att_01JN9ZK2V3W4X5Y6Z7A8B9C0D1', eventId: 'evt_01JN8EY4M01Q2JXEXGJAGNSW68' } },
    ]);
    expect(recovered.state).toEqual(QUIET);
    expect(noticesForAttempt(recovered.state, success, NOW).notices).toEqual([]);
    // A late success older than the run does not end it.
    expect(noticesForAttempt(told, { ...success, failingSinceAfter: RUN }, NOW).notices).toEqual([]);
  });
});

describe('ownerLostAccessNotice', () => {
  it('says who and what to do; the webhook stays enabled', () => {
    expect(ownerLostAccessNotice('Dana Scully', 'removed', null)).toEqual({
      type: 'webhook.disabled',
      data: {
        reason: 'owner_access_lost',
        message: 'Its owner Dana Scully was removed: it receives nothing until an admin hands it to an active member.',
        enabled: true,
        failingSince: null,
      },
    });
  });
});
