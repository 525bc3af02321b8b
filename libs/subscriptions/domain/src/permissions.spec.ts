import { type Actor, hasScope, webhookAccess } from './permissions';

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
