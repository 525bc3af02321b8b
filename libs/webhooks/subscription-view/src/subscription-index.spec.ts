import type { Access } from '@harmony/contracts';
import { SubscriptionIndex } from './subscription-index';
import { subscriptionRecord } from './subscription-record.fixture';

const WORKSPACE: Access = { scope: 'workspace' };
const event = (overrides: { workspaceId?: string; type?: string; access?: Access } = {}) => ({
  workspaceId: 'ws_1',
  type: 'contact.created',
  access: WORKSPACE,
  ...overrides,
});
const ids = (index: SubscriptionIndex, e = event()) => index.match(e).subscriptions.map((s) => s.id).sort();

describe('SubscriptionIndex', () => {
  it('matches enabled subscriptions of the workspace that selected the type or all types', () => {
    const index = new SubscriptionIndex();
    const created = subscriptionRecord({ eventTypes: ['contact.created', 'contact.updated'] });
    const all = subscriptionRecord({ eventTypes: '*' });
    const otherType = subscriptionRecord({ eventTypes: ['account.created'] });
    const otherWorkspace = subscriptionRecord({ workspaceId: 'ws_2', eventTypes: '*' });
    const disabled = subscriptionRecord({ enabled: false, disabledReason: 'paused by a user' });
    for (const record of [created, all, otherType, otherWorkspace, disabled]) index.upsert(record);

    expect(ids(index)).toEqual([created.id, all.id].sort());
    expect(ids(index, event({ type: 'contact.updated' }))).toEqual([created.id, all.id].sort());
    expect(ids(index, event({ type: 'account.created' }))).toEqual([otherType.id, all.id].sort());
    expect(ids(index, event({ workspaceId: 'ws_2' }))).toEqual([otherWorkspace.id]);
    expect(ids(index, event({ workspaceId: 'ws_3' }))).toEqual([]);
  });

  it("sends operational events only to the endpoint that selected them, not to '*'", () => {
    const index = new SubscriptionIndex();
    const admin = { role: 'admin' as const, userId: 'usr_admin' };
    const all = subscriptionRecord({ eventTypes: '*', owner: admin });
    const operational = subscriptionRecord({ eventTypes: ['webhook.disabled', 'webhook.recovered'], owner: admin });
    for (const record of [all, operational]) index.upsert(record);

    expect(ids(index, event({ type: 'webhook.disabled', access: { scope: 'admin' } }))).toEqual([operational.id]);
    expect(ids(index, event({ type: 'webhook.delivery_exhausted', access: { scope: 'admin' } }))).toEqual([]);
    expect(ids(index, event({ type: 'contact.created' }))).toEqual([all.id]);
  });

  it('keeps the permitted ones and counts the dropped', () => {
    const index = new SubscriptionIndex();
    const member = subscriptionRecord({ eventTypes: '*', owner: { role: 'member', userId: 'usr_m' } });
    const admin = subscriptionRecord({ eventTypes: '*', owner: { role: 'admin', userId: 'usr_a' } });
    const listed = subscriptionRecord({ eventTypes: '*', owner: { role: 'member', userId: 'usr_l' } });
    const gone = subscriptionRecord({ eventTypes: '*', owner: { role: 'admin', active: false } });
    for (const record of [member, admin, listed, gone]) index.upsert(record);

    const restricted = index.match(event({ access: { scope: 'restricted', userIds: ['usr_l'], teamIds: [] } }));
    expect(restricted.subscriptions.map((s) => s.id).sort()).toEqual([admin.id, listed.id].sort());
    expect(restricted.droppedForPermission).toBe(2);

    const adminOnly = index.match(event({ type: 'user.role_changed', access: { scope: 'admin' } }));
    expect(adminOnly.subscriptions.map((s) => s.id)).toEqual([admin.id]);
    expect(adminOnly.droppedForPermission).toBe(3);

    const everyone = index.match(event());
    expect(everyone.subscriptions).toHaveLength(3);
    expect(everyone.droppedForPermission).toBe(1);
  });

  it('reflects updates: type changes, disabling, re-enabling, moving to all types', () => {
    const index = new SubscriptionIndex();
    const record = subscriptionRecord({ eventTypes: ['contact.created'] });
    expect(index.upsert(record)).toBe('added');

    expect(index.upsert({ ...record, eventTypes: ['contact.deleted'], version: 2 })).toBe('updated');
    expect(ids(index)).toEqual([]);
    expect(ids(index, event({ type: 'contact.deleted' }))).toEqual([record.id]);

    index.upsert({ ...record, eventTypes: ['contact.deleted'], enabled: false, version: 3 });
    expect(ids(index, event({ type: 'contact.deleted' }))).toEqual([]);
    expect(index.get(record.id)?.enabled).toBe(false);

    index.upsert({ ...record, eventTypes: '*', enabled: true, version: 4 });
    expect(ids(index)).toEqual([record.id]);
    expect(ids(index, event({ type: 'contact.deleted' }))).toEqual([record.id]);
  });

  it('ignores a record older than the one it holds', () => {
    const index = new SubscriptionIndex();
    const record = subscriptionRecord({ version: 5 });
    index.upsert(record);
    expect(index.upsert({ ...record, enabled: false, version: 4 })).toBe('stale');
    expect(ids(index)).toEqual([record.id]);
  });

  it('removes on a tombstone', () => {
    const index = new SubscriptionIndex();
    const record = subscriptionRecord({ eventTypes: '*' });
    expect(index.apply(record.id, record)).toBe('added');
    expect(index.apply(record.id, null)).toBe('removed');
    expect(index.apply(record.id, null)).toBe('absent');
    expect(index.size).toBe(0);
    expect(index.match(event())).toEqual({ subscriptions: [], droppedForPermission: 0, candidatesChecked: 0 });
  });

  it('checks only the workspace candidates for the type, however many subscriptions exist elsewhere', () => {
    const index = new SubscriptionIndex();
    index.upsert(subscriptionRecord({ workspaceId: 'ws_target', eventTypes: ['contact.created'] }));
    index.upsert(subscriptionRecord({ workspaceId: 'ws_target', eventTypes: '*' }));
    const before = index.match(event({ workspaceId: 'ws_target' })).candidatesChecked;
    expect(before).toBe(2);

    // 20,000 subscriptions in other workspaces (some to all types) and 2,000 in the same workspace for other types, some disabled.
    for (let i = 0; i < 20_000; i++) {
      index.upsert(subscriptionRecord({ workspaceId: `ws_${i % 500}`, eventTypes: i % 3 === 0 ? '*' : ['contact.created'] }));
    }
    for (let i = 0; i < 2_000; i++) {
      index.upsert(subscriptionRecord({ workspaceId: 'ws_target', eventTypes: ['account.updated', 'project.created'] }));
      index.upsert(subscriptionRecord({ workspaceId: 'ws_target', eventTypes: ['contact.created'], enabled: false }));
    }

    const after = index.match(event({ workspaceId: 'ws_target' }));
    expect(after.candidatesChecked).toBe(before);
    expect(after.subscriptions).toHaveLength(2);
  });
});
