import { deliveryJob } from './delivery-job.builder';
import { validateDeliveryJob } from './message-validators';
import { ENVELOPE, SUBSCRIPTION } from './messages.fixture';

const now = new Date('2025-03-12T15:44:10.100Z');
const requestedBy = { apiKeyId: 'key_01JNQFK040H9WJZ8BZJ6VY51W0', apiKeyName: 'ops', memberId: 'mem_01JNR7M1G093QKRX9XBA8REZ24' };

describe('deliveryJob', () => {
  it('is attempt 1 of the event to the subscription, due now, with a fresh job id', () => {
    const job = deliveryJob({ subscription: SUBSCRIPTION, event: ENVELOPE, reason: 'new', now });
    expect(job).toEqual({
      jobId: expect.stringMatching(/^job_[0-9A-HJKMNP-TV-Z]{26}$/),
      subscriptionId: SUBSCRIPTION.id,
      workspaceId: SUBSCRIPTION.workspaceId,
      event: ENVELOPE,
      attempt: 1,
      firstAttemptAt: null,
      notBefore: null,
      reason: 'new',
      enqueuedAt: '2025-03-12T15:44:10.100Z',
    });
    expect(validateDeliveryJob(job)).toEqual({ ok: true, value: job });
    expect(deliveryJob({ subscription: SUBSCRIPTION, event: ENVELOPE, reason: 'new' }).jobId).not.toBe(job.jobId);
  });

  it('carries who asked for a manual recovery', () => {
    const job = deliveryJob({ subscription: SUBSCRIPTION, event: ENVELOPE, reason: 'recovery', requestedBy, now });
    expect(job).toMatchObject({ reason: 'recovery', requestedBy, attempt: 1 });
    expect(validateDeliveryJob(job).ok).toBe(true);
  });
});
