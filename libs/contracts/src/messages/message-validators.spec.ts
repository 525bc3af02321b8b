import type { AttemptRecord } from './attempt-record.schema';
import {
  validateAttemptRecord,
  validateDeliveryJob,
  validateRejectedRecord,
  validateSubscriptionRecord,
} from './message-validators';
import type { RejectedRecord } from './rejected-record.schema';
import { ENVELOPE, JOB, SUBSCRIPTION } from './messages.fixture';

const ATTEMPT: AttemptRecord = {
  attemptId: 'att_01JNV7R700GQBSC0FSC7E9GGBJ',
  jobId: JOB.jobId,
  eventId: ENVELOPE.id,
  eventType: ENVELOPE.type,
  subscriptionId: SUBSCRIPTION.id,
  workspaceId: SUBSCRIPTION.workspaceId,
  attempt: 2,
  outcome: 'failure',
  url: SUBSCRIPTION.url,
  httpStatus: 503,
  durationMs: 812.4,
  responseBody: '<html><body>Service Unavailable</body></html>',
  responseBodyTruncated: false,
  error: { code: 'http_status', message: 'Endpoint responded 503' },
  requestHeaders: { 'webhook-id': ENVELOPE.id, 'webhook-timestamp': '1741794256', 'content-type': 'application/json' },
  startedAt: '2025-03-12T15:44:15.100Z',
  finishedAt: '2025-03-12T15:44:15.912Z',
  nextAttemptAt: '2025-03-12T15:49:16.000Z',
};

const REJECTED: RejectedRecord = {
  reason: "/type: unknown event type 'contact.exploded'",
  errors: [{ path: '/type', reason: "unknown event type 'contact.exploded'" }],
  source: { kind: 'kafka', topic: 'harmony.contact.events', partition: 2, offset: '1048577', key: 'ws_01JNC73BG0DASM3JC3DDJK4SR8' },
  originalBase64: Buffer.from('{"type":"contact.exploded"}').toString('base64'),
  eventId: null,
  eventType: 'contact.exploded',
  workspaceId: null,
  rejectedAt: '2025-03-12T15:44:10.500Z',
};

describe('message validators', () => {
  it('accept plausible messages', () => {
    expect(validateSubscriptionRecord(SUBSCRIPTION)).toEqual({ ok: true, value: SUBSCRIPTION });
    expect(validateSubscriptionRecord({ ...SUBSCRIPTION, eventTypes: '*' }).ok).toBe(true);
    expect(validateDeliveryJob(JOB)).toEqual({ ok: true, value: JOB });
    expect(validateAttemptRecord(ATTEMPT)).toEqual({ ok: true, value: ATTEMPT });
    expect(validateRejectedRecord(REJECTED)).toEqual({ ok: true, value: REJECTED });
    expect(validateRejectedRecord({ ...REJECTED, source: { kind: 'http', requestId: 'req_7d1c' } }).ok).toBe(true);
  });

  it('reject a signing secret that is not whsec_ + base64 of 24+ bytes', () => {
    const record = { ...SUBSCRIPTION, secrets: [{ ...SUBSCRIPTION.secrets[0]!, secret: 'hunter2' }] };
    expect(validateSubscriptionRecord(record)).toEqual({
      ok: false,
      errors: [{ path: '/secrets/0/secret', reason: 'must match pattern "^whsec_[A-Za-z0-9+/]{32,}={0,2}$"' }],
    });
  });

  it('reject an attempt number past the last attempt and an unknown outcome', () => {
    expect(validateAttemptRecord({ ...ATTEMPT, attempt: 9, outcome: 'maybe' })).toEqual({
      ok: false,
      errors: [
        { path: '/attempt', reason: 'must be <= 8' },
        { path: '/outcome', reason: "must be one of 'sending', 'success', 'failure', 'exhausted', 'dropped', 'deferred'" },
      ],
    });
  });

  it('reject a response body over 16 KiB', () => {
    const result = validateAttemptRecord({ ...ATTEMPT, responseBody: 'x'.repeat(16 * 1024 + 1) });
    expect(!result.ok && result.errors).toEqual([
      { path: '/responseBody', reason: 'must NOT have more than 16384 characters' },
    ]);
  });

  it('check the embedded envelope of a delivery job', () => {
    const result = validateDeliveryJob({ ...JOB, event: { ...ENVELOPE, access: undefined } });
    expect(!result.ok && result.errors).toEqual([{ path: '/event', reason: "must have required property 'access'" }]);
  });
});
