import { CONTACT_CREATED } from '../catalog/contact/contact.events';
import type { EventEnvelope } from '../envelope/envelope.schema';
import type { AttemptRecord } from './attempt-record.schema';
import type { DeliveryJob } from './delivery-job.schema';
import {
  validateAttemptRecord,
  validateDeliveryJob,
  validateRejectedRecord,
  validateSubscriptionRecord,
} from './message-validators';
import type { RejectedRecord } from './rejected-record.schema';
import type { SubscriptionRecord } from './subscription-record.schema';

const ENVELOPE: EventEnvelope = {
  id: 'evt_01JNPQHYR0QF7VAG5EP6RNXA2R',
  type: 'contact.created',
  workspaceId: 'ws_01JNC73BG0DASM3JC3DDJK4SR8',
  occurredAt: '2025-03-12T15:44:10.000Z',
  data: CONTACT_CREATED.example,
  access: { scope: 'workspace' },
};

const SUBSCRIPTION: SubscriptionRecord = {
  id: 'sub_01JNQFK040H9WJZ8BZJ6VY51W0',
  workspaceId: 'ws_01JNC73BG0DASM3JC3DDJK4SR8',
  name: 'CRM sync',
  url: 'https://hooks.northwind.io/harmony/7f3a9c2e5b',
  eventTypes: ['contact.created', 'contact.updated'],
  enabled: true,
  disabledReason: null,
  owner: {
    memberId: 'mem_01JNR7M1G093QKRX9XBA8REZ24',
    userId: 'usr_01JN96Z600Q5CGWQT5XDV1KWX9',
    role: 'admin',
    teamIds: ['team_01JNDQ5E80S8QXPN12HE6FZNP9'],
    active: true,
  },
  rateLimitPerSecond: 20,
  headers: { 'X-Api-Key': 'crm-ingest' },
  secrets: [
    { id: 'sec_01JNRZN2W0X5MHGD8R6PF7J9ED', secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', createdAt: '2025-03-10T08:00:00.000Z', expiresAt: null },
    { id: 'sec_01JNSQP480B78X11VP0GPW917P', secret: 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD', createdAt: '2025-02-01T08:00:00.000Z', expiresAt: '2025-03-11T08:00:00.000Z' },
  ],
  version: 4,
  updatedAt: '2025-03-10T08:00:00.000Z',
};

const JOB: DeliveryJob = {
  jobId: 'job_01JNTFQ5M0J1VFXGT5R0KKK375',
  subscriptionId: SUBSCRIPTION.id,
  workspaceId: SUBSCRIPTION.workspaceId,
  event: ENVELOPE,
  attempt: 3,
  firstAttemptAt: '2025-03-12T15:44:10.210Z',
  notBefore: '2025-03-12T15:49:16.000Z',
  reason: 'retry',
  enqueuedAt: '2025-03-12T15:44:16.000Z',
};

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
