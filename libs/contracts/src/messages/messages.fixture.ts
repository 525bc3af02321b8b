// Plausible messages for the contracts' tests.
import { CONTACT_CREATED } from '../catalog/contact/contact.events';
import type { EventEnvelope } from '../envelope/envelope.schema';
import type { DeliveryJob } from './delivery-job.schema';
import type { SubscriptionRecord } from './subscription-record.schema';

export const ENVELOPE: EventEnvelope = {
  id: 'evt_01JNPQHYR0QF7VAG5EP6RNXA2R',
  type: 'contact.created',
  workspaceId: 'ws_01JNC73BG0DASM3JC3DDJK4SR8',
  occurredAt: '2025-03-12T15:44:10.000Z',
  data: CONTACT_CREATED.example,
  access: { scope: 'workspace' },
};

export const SUBSCRIPTION: SubscriptionRecord = {
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

export const JOB: DeliveryJob = {
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
