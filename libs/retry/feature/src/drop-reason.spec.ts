import type { DeliveryJob, SubscriptionRecord } from '@harmony/contracts';
import { dropReason } from './drop-reason';

const subscription = (overrides: Partial<SubscriptionRecord> = {}): SubscriptionRecord =>
  ({
    id: 'sub_1',
    enabled: true,
    owner: { memberId: 'mem_1', userId: 'usr_1', role: 'member', teamIds: [], active: true },
    ...overrides,
  }) as SubscriptionRecord;
const job = (access: DeliveryJob['event']['access'] = { scope: 'workspace' }) => ({ event: { access } }) as DeliveryJob;

describe('dropReason', () => {
  it('sends a retry to an enabled webhook whose owner still sees the event', () => {
    expect(dropReason(job(), subscription())).toBeNull();
  });

  it('drops it when the webhook was deleted or disabled meanwhile', () => {
    expect(dropReason(job(), undefined)).toBe('subscription_deleted');
    expect(dropReason(job(), subscription({ enabled: false }))).toBe('subscription_disabled');
  });

  it('drops it when the owner may no longer see the event', () => {
    const deactivated = subscription({ owner: { memberId: 'mem_1', userId: 'usr_1', role: 'admin', teamIds: [], active: false } });
    expect(dropReason(job(), deactivated)).toBe('owner_lost_access');
    expect(dropReason(job({ scope: 'admin' }), subscription())).toBe('owner_lost_access');
  });
});
