import { type LiveChange, mayWatch, parseLiveChange } from './live-change';
import type { Actor } from './permissions';

const change: LiveChange = { kind: 'delivery', workspaceId: 'ws_a', webhookId: 'sub_1', owners: ['mem_owner'] };
const actor = (role: Actor['role'], memberId: string, workspaceId = 'ws_a'): Actor => ({ workspaceId, memberId, role, scopes: ['webhooks:read'] });

describe('live changes', () => {
  it('reads what the database notifies, and nothing else', () => {
    expect(parseLiveChange('{"kind":"webhook","workspaceId":"ws_a","webhookId":"sub_1","owners":["mem_1",null]}')).toEqual({
      kind: 'webhook',
      workspaceId: 'ws_a',
      webhookId: 'sub_1',
      owners: ['mem_1'],
    });
    expect(parseLiveChange('not json')).toBeNull();
    expect(parseLiveChange('{"kind":"secret","workspaceId":"ws_a","webhookId":"sub_1","owners":[]}')).toBeNull();
    expect(parseLiveChange('{"kind":"delivery","webhookId":"sub_1","owners":[]}')).toBeNull();
    expect(parseLiveChange('null')).toBeNull();
  });

  it("shows an admin its workspace's changes, a member only its own webhooks', nobody another workspace's", () => {
    expect(mayWatch(actor('admin', 'mem_admin'), change)).toBe(true);
    expect(mayWatch(actor('owner', 'mem_boss'), change)).toBe(true);
    expect(mayWatch(actor('member', 'mem_owner'), change)).toBe(true);
    expect(mayWatch(actor('member', 'mem_other'), change)).toBe(false);
    expect(mayWatch(actor('admin', 'mem_admin', 'ws_b'), change)).toBe(false);
    expect(mayWatch(actor('member', 'mem_owner', 'ws_b'), change)).toBe(false);
    // A deleted webhook's last word (no owner known) reaches admins only.
    expect(mayWatch(actor('member', 'mem_owner'), { ...change, owners: [] })).toBe(false);
  });
});
