import { type Actor, eventSelectionWarnings, hasScope, requiredRole, webhookAccess } from './permissions';

const member: Actor = { workspaceId: 'ws_A', memberId: 'mem_1', role: 'member', scopes: ['webhooks:read'] };
const admin: Actor = { ...member, memberId: 'mem_2', role: 'admin' };

describe('webhookAccess', () => {
  it("hides another workspace's webhook", () => {
    expect(webhookAccess(admin, { workspaceId: 'ws_B', ownerMemberId: 'mem_2' })).toBe('not_found');
    expect(webhookAccess(member, null)).toBe('not_found');
  });

  it('lets members act on their own webhooks only, admins and owners on all', () => {
    expect(webhookAccess(member, { workspaceId: 'ws_A', ownerMemberId: 'mem_1' })).toBe('allowed');
    expect(webhookAccess(member, { workspaceId: 'ws_A', ownerMemberId: 'mem_9' })).toBe('forbidden');
    expect(webhookAccess(admin, { workspaceId: 'ws_A', ownerMemberId: 'mem_9' })).toBe('allowed');
    expect(webhookAccess({ ...member, role: 'owner' }, { workspaceId: 'ws_A', ownerMemberId: 'mem_9' })).toBe('allowed');
  });

  it('checks scopes', () => {
    expect(hasScope(member, 'webhooks:read')).toBe(true);
    expect(hasScope(member, 'webhooks:write')).toBe(false);
  });
});

describe('admin-only event types', () => {
  it('marks the catalog types that need an admin owner', () => {
    expect(requiredRole('user.updated')).toBe('admin');
    expect(requiredRole('contact.created')).toBe('member');
    expect(requiredRole('conversation.recorded')).toBe('member');
  });

  it("warns a member's webhook that selected admin-only types, by name or with '*'", () => {
    expect(eventSelectionWarnings(['contact.created', 'user.updated'], 'member')).toEqual([
      { field: 'events', reason: 'user.updated is admin-only: this webhook will not receive it while its owner is a member' },
    ]);
    expect(eventSelectionWarnings('*', 'member')[0]!.reason).toBe(
      'user.added, user.updated, user.role_changed, user.deactivated, user.removed are admin-only: this webhook will not receive them while its owner is a member',
    );
  });

  it('has nothing to say to admins or about member-visible selections', () => {
    expect(eventSelectionWarnings('*', 'admin')).toEqual([]);
    expect(eventSelectionWarnings('*', 'owner')).toEqual([]);
    expect(eventSelectionWarnings(['contact.created'], 'member')).toEqual([]);
  });
});
