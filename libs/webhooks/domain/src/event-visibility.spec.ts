import type { Access, SubscriptionOwner } from '@harmony/contracts';
import { ownerMaySee } from './event-visibility';

const owner = (overrides: Partial<SubscriptionOwner>): SubscriptionOwner => ({
  memberId: 'mem_1',
  userId: 'usr_1',
  role: 'member',
  teamIds: [],
  active: true,
  ...overrides,
});

const contact = (access: Access) => ({ type: 'contact.updated', access });
const WORKSPACE = contact({ scope: 'workspace' });
const ADMIN = contact({ scope: 'admin' });
const RESTRICTED = contact({ scope: 'restricted', userIds: ['usr_listed'], teamIds: ['team_sales'] });

describe('ownerMaySee (permission matrix)', () => {
  const owners: Record<string, SubscriptionOwner> = {
    'workspace owner': owner({ role: 'owner' }),
    admin: owner({ role: 'admin' }),
    'plain member': owner({ role: 'member' }),
    'listed member': owner({ role: 'member', userId: 'usr_listed' }),
    'member of a listed team': owner({ role: 'member', teamIds: ['team_support', 'team_sales'] }),
    'inactive admin': owner({ role: 'admin', active: false }),
    'inactive listed member': owner({ role: 'member', userId: 'usr_listed', active: false }),
  };

  // [owner, workspace, restricted, admin]
  const matrix: [string, boolean, boolean, boolean][] = [
    ['workspace owner', true, true, true],
    ['admin', true, true, true],
    ['plain member', true, false, false],
    ['listed member', true, true, false],
    ['member of a listed team', true, true, false],
    ['inactive admin', false, false, false],
    ['inactive listed member', false, false, false],
  ];

  it.each(matrix)('%s: workspace=%s restricted=%s admin=%s', (name, workspace, restricted, admin) => {
    const subject = owners[name]!;
    expect(ownerMaySee(subject, WORKSPACE)).toBe(workspace);
    expect(ownerMaySee(subject, RESTRICTED)).toBe(restricted);
    expect(ownerMaySee(subject, ADMIN)).toBe(admin);
  });

  it('an empty restricted list admits admins only', () => {
    const nobody = contact({ scope: 'restricted', userIds: [], teamIds: [] });
    expect(ownerMaySee(owner({ role: 'member' }), nobody)).toBe(false);
    expect(ownerMaySee(owner({ role: 'admin' }), nobody)).toBe(true);
  });

  it('fails closed on an access scope it does not know', () => {
    expect(ownerMaySee(owner({ role: 'owner' }), contact({ scope: 'everyone' } as unknown as Access))).toBe(false);
  });

  it('keeps an admin-only type admin-only whatever access the envelope claims (the catalog floor)', () => {
    for (const access of [{ scope: 'workspace' }, { scope: 'restricted', userIds: ['usr_listed'], teamIds: [] }] as Access[]) {
      expect(ownerMaySee(owners['listed member']!, { type: 'user.updated', access })).toBe(false);
      expect(ownerMaySee(owners['admin']!, { type: 'user.updated', access })).toBe(true);
    }
  });
});
