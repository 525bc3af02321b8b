import { attemptRecord, type AttemptFacts } from './attempt-record.builder';
import { validateAttemptRecord } from './message-validators';
import { JOB, SUBSCRIPTION } from './messages.fixture';

const startedAt = new Date('2025-03-12T15:49:16.100Z');
const finishedAt = new Date('2025-03-12T15:49:16.350Z');
const requestedBy = { apiKeyId: 'key_01JNQFK040H9WJZ8BZJ6VY51W0', apiKeyName: 'ops', memberId: 'mem_01JNR7M1G093QKRX9XBA8REZ24' };

describe('attemptRecord', () => {
  it("records a response under the job's ids, event and attempt number", () => {
    const facts = {
      attemptId: 'att_01JNTFQ5M0J1VFXGT5R0KKK375',
      outcome: 'failure',
      url: SUBSCRIPTION.url,
      httpStatus: 503,
      durationMs: 250,
      responseBody: 'busy',
      responseBodyTruncated: false,
      responseHeaders: { 'retry-after': '30' },
      error: { code: 'http_status', message: 'HTTP 503' },
      requestHeaders: { 'webhook-id': JOB.event.id },
      nextAttemptAt: '2025-03-12T15:54:16.000Z',
    } satisfies AttemptFacts;
    const record = attemptRecord(JOB, { ...facts, startedAt, finishedAt });
    expect(record).toEqual({
      ...facts,
      jobId: JOB.jobId,
      eventId: JOB.event.id,
      eventType: 'contact.created',
      subscriptionId: JOB.subscriptionId,
      workspaceId: JOB.workspaceId,
      attempt: 3,
      startedAt: '2025-03-12T15:49:16.100Z',
      finishedAt: '2025-03-12T15:49:16.350Z',
    });
    expect(validateAttemptRecord(record)).toEqual({ ok: true, value: record });
  });

  it('records a decision not to send: a fresh attempt id, nothing received, no time taken, a gone webhook as about:blank', () => {
    const record = attemptRecord(JOB, { outcome: 'dropped', url: null, error: { code: 'subscription_deleted', message: 'webhook deleted' }, finishedAt });
    expect(record).toMatchObject({
      attemptId: expect.stringMatching(/^att_[0-9A-HJKMNP-TV-Z]{26}$/),
      url: 'about:blank',
      httpStatus: null,
      durationMs: null,
      responseBody: null,
      responseBodyTruncated: false,
      requestHeaders: {},
      startedAt: '2025-03-12T15:49:16.350Z',
      finishedAt: '2025-03-12T15:49:16.350Z',
      nextAttemptAt: null,
    });
    expect(record).not.toHaveProperty('responseHeaders');
    expect(record).not.toHaveProperty('trigger');
    expect(validateAttemptRecord(record).ok).toBe(true);
  });

  it('marks the attempts of a manual redelivery with who asked', () => {
    const record = attemptRecord({ ...JOB, reason: 'recovery', requestedBy }, { outcome: 'success', url: SUBSCRIPTION.url, httpStatus: 204 });
    expect(record).toMatchObject({ trigger: 'manual', requestedBy });
    expect(validateAttemptRecord(record).ok).toBe(true);
  });
});
