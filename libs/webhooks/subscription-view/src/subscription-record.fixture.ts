import type { SubscriptionOwner, SubscriptionRecord } from '@harmony/contracts';

let sequence = 0;

/** A valid SubscriptionRecord for tests; override what the test is about. */
export function subscriptionRecord(overrides: Partial<Omit<SubscriptionRecord, 'owner'>> & { owner?: Partial<SubscriptionOwner> } = {}): SubscriptionRecord {
  sequence += 1;
  const { owner, ...rest } = overrides;
  return {
    id: `sub_${String(sequence).padStart(26, '0')}`,
    workspaceId: 'ws_1',
    name: `hook ${sequence}`,
    url: 'https://hooks.example.com/h',
    eventTypes: ['contact.created'],
    enabled: true,
    disabledReason: null,
    owner: { memberId: 'mem_1', userId: 'usr_member', role: 'member', teamIds: [], active: true, ...owner },
    rateLimitPerSecond: null,
    headers: {},
    secrets: [{ id: 'sec_1', secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', createdAt: '2026-11-27T00:00:00Z', expiresAt: null }],
    version: 1,
    updatedAt: '2026-11-27T00:00:00Z',
    ...rest,
  };
}
