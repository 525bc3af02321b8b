import { type Caller, SubscriptionApp } from '../test/subscription-app.fixture';

/**
 * Who may do what over real HTTP: every /v1 route needs a valid key (401),
 * another workspace's webhook does not exist (404), a member acts only on its
 * own webhooks unless admin (403), and a key needs the route's scope (403).
 */
describe('auth and tenancy matrix', () => {
  let app: SubscriptionApp;
  let adminA: Caller;
  let owner: Caller;
  let ownerReadOnly: Caller;
  let otherMember: Caller;
  let adminB: Caller;
  let revoked: Caller;
  let deactivated: Caller;
  let webhookId: string;

  beforeAll(async () => {
    app = await SubscriptionApp.start();
    adminA = await app.workspace();
    adminB = await app.workspace();
    owner = await app.member(adminA, 'member');
    otherMember = await app.member(adminA, 'member');
    revoked = await app.member(adminA, 'member');
    deactivated = await app.member(adminA, 'member');
    // A second, read-only key of the owner.
    const readOnly = await app.call('POST', '/v1/api-keys', {
      key: adminA.key,
      body: { name: 'owner read-only', memberId: owner.memberId, scopes: ['webhooks:read'] },
    });
    ownerReadOnly = { ...owner, key: readOnly.body.key };
    const revokedKeys = await app.call('GET', '/v1/api-keys', { key: adminA.key });
    const revokedKeyId = revokedKeys.body.data.find((key: { memberId: string }) => key.memberId === revoked.memberId).id;
    expect((await app.call('DELETE', `/v1/api-keys/${revokedKeyId}`, { key: adminA.key })).status).toBe(204);
    await app.dataSource.query(`UPDATE members SET status = 'deactivated' WHERE id = $1`, [deactivated.memberId]);
    const created = await app.call('POST', '/v1/webhooks', {
      key: owner.key,
      body: { name: 'Owned by a member', url: 'https://hooks.example.com/owned', events: ['contact.created'] },
    });
    expect(created.status).toBe(201);
    webhookId = created.body.id;
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  }, 30_000);

  type Who = 'none' | 'malformed' | 'unknown' | 'revoked' | 'deactivated' | 'adminB' | 'otherMember' | 'ownerReadOnly' | 'owner' | 'adminA';
  const keyOf = (who: Who): string | null =>
    ({
      none: null,
      malformed: 'not-a-key',
      unknown: `hwk_${'A'.repeat(43)}`,
      revoked: revoked.key,
      deactivated: deactivated.key,
      adminB: adminB.key,
      otherMember: otherMember.key,
      ownerReadOnly: ownerReadOnly.key,
      owner: owner.key,
      adminA: adminA.key,
    })[who];

  const UNAUTHENTICATED: Who[] = ['none', 'malformed', 'unknown', 'revoked', 'deactivated'];

  const routes: { name: string; method: string; path: () => string; body?: unknown; scope: 'read' | 'write'; ok: number }[] = [
    { name: 'get', method: 'GET', path: () => `/v1/webhooks/${webhookId}`, scope: 'read', ok: 200 },
    { name: 'list deliveries', method: 'GET', path: () => `/v1/webhooks/${webhookId}/deliveries`, scope: 'read', ok: 200 },
    { name: 'update', method: 'PATCH', path: () => `/v1/webhooks/${webhookId}`, body: { description: 'edited' }, scope: 'write', ok: 200 },
    { name: 'secrets', method: 'GET', path: () => `/v1/webhooks/${webhookId}/secrets`, scope: 'write', ok: 200 },
    { name: 'rotate secret', method: 'POST', path: () => `/v1/webhooks/${webhookId}/rotate-secret`, scope: 'write', ok: 200 },
    { name: 're-enable', method: 'POST', path: () => `/v1/webhooks/${webhookId}/enable`, scope: 'write', ok: 200 },
    { name: 'recover', method: 'POST', path: () => `/v1/webhooks/${webhookId}/recover`, body: { since: '2026-01-01T00:00:00Z' }, scope: 'write', ok: 202 },
    { name: 'redeliver', method: 'POST', path: () => `/v1/webhooks/${webhookId}/deliveries/att_missing/redeliver`, scope: 'write', ok: 404 },
  ];

  const expected = (who: Who, route: (typeof routes)[number]): number => {
    if (UNAUTHENTICATED.includes(who)) return 401;
    if (who === 'ownerReadOnly' && route.scope === 'write') return 403;
    if (who === 'adminB') return 404;
    if (who === 'otherMember') return 403;
    return route.ok;
  };

  const WHO: Who[] = ['none', 'malformed', 'unknown', 'revoked', 'deactivated', 'adminB', 'otherMember', 'ownerReadOnly', 'owner', 'adminA'];

  it.each(routes.map((route) => [route.name, route] as const))('%s: 401 / 404 / 403 / ok for each caller', async (_name, route) => {
    const answers: Record<string, number> = {};
    const wanted: Record<string, number> = {};
    for (const who of WHO) {
      answers[who] = (await app.call(route.method, route.path(), { key: keyOf(who), body: route.body })).status;
      wanted[who] = expected(who, route);
    }
    expect(answers).toEqual(wanted);
  });

  it('needs a key for the catalog and webhook lists; a member lists only its own webhooks', async () => {
    expect((await app.call('GET', '/v1/event-types')).status).toBe(401);
    expect((await app.call('GET', '/v1/webhooks')).status).toBe(401);
    const unauthenticated = await app.call('GET', '/v1/webhooks', { key: 'hwk_bogus' });
    expect(unauthenticated.body).toEqual({ error: 'unauthenticated', message: expect.stringContaining('Bearer') });
    await app.call('POST', '/v1/webhooks', { key: adminA.key, body: { name: 'Admin hook', url: 'https://hooks.example.com/a', events: '*' } });
    const mine = await app.call('GET', '/v1/webhooks', { key: owner.key });
    expect(mine.body.data.map((webhook: { id: string }) => webhook.id)).toEqual([webhookId]);
    expect((await app.call('GET', '/v1/webhooks', { key: adminA.key })).body.data).toHaveLength(2);
    expect((await app.call('GET', '/v1/webhooks', { key: adminB.key })).body.data).toHaveLength(0);
    expect((await app.call('GET', '/v1/webhooks', { key: otherMember.key })).body.data).toHaveLength(0);
  });

  it('needs the write scope to create a webhook', async () => {
    const answer = await app.call('POST', '/v1/webhooks', {
      key: ownerReadOnly.key,
      body: { name: 'Read-only tries', url: 'https://hooks.example.com/r', events: '*' },
    });
    expect(answer.status).toBe(403);
    expect(answer.body.message).toContain('webhooks:write');
  });

  it('lists members to admins only', async () => {
    expect((await app.call('GET', '/v1/members', { key: owner.key })).status).toBe(403);
    const members = await app.call('GET', '/v1/members', { key: adminA.key });
    expect(members.status).toBe(200);
    expect(members.body.data).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: owner.memberId, userId: owner.userId, role: 'member', status: 'active' }),
        expect.objectContaining({ id: deactivated.memberId, status: 'deactivated' }),
      ]),
    );
    expect((await app.call('GET', '/v1/members', { key: adminB.key })).body.data.map((m: { id: string }) => m.id)).toEqual([adminB.memberId]);
  });

  it('lets only admins manage API keys, and shows a key once', async () => {
    for (const who of ['owner', 'otherMember'] as Who[]) {
      expect((await app.call('GET', '/v1/api-keys', { key: keyOf(who) })).status).toBe(403);
      expect((await app.call('POST', '/v1/api-keys', { key: keyOf(who), body: { name: 'mine' } })).status).toBe(403);
    }
    expect((await app.call('GET', '/v1/api-keys')).status).toBe(401);
    const created = await app.call('POST', '/v1/api-keys', { key: adminA.key, body: { name: 'CI', scopes: ['webhooks:read'] } });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^hwk_/);
    expect(created.body.prefix).toBe(created.body.key.slice(0, 12));
    const listed = await app.call('GET', '/v1/api-keys', { key: adminA.key });
    const entry = listed.body.data.find((key: { id: string }) => key.id === created.body.id);
    expect(entry).toMatchObject({ name: 'CI', scopes: ['webhooks:read'], revokedAt: null });
    expect(JSON.stringify(listed.body)).not.toContain(created.body.key);
    const [{ key_hash: stored }] = await app.dataSource.query('SELECT key_hash FROM api_keys WHERE id = $1', [created.body.id]);
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    // Another workspace's key id is not found; bad scopes name the field.
    expect((await app.call('DELETE', `/v1/api-keys/${created.body.id}`, { key: adminB.key })).status).toBe(404);
    const bad = await app.call('POST', '/v1/api-keys', { key: adminA.key, body: { name: 'x', scopes: ['webhooks:admin'] } });
    expect(bad.body.errors).toEqual([{ field: 'scopes[0]', reason: expect.stringContaining('unknown scope') }]);
    expect((await app.call('DELETE', `/v1/api-keys/${created.body.id}`, { key: adminA.key })).status).toBe(204);
    expect((await app.call('GET', '/v1/webhooks', { key: created.body.key })).status).toBe(401);
  });

  it('deletes: 401 without a key, 404 for another workspace, 403 for another member, 204 for the owner', async () => {
    const path = `/v1/webhooks/${webhookId}`;
    expect((await app.call('DELETE', path)).status).toBe(401);
    expect((await app.call('DELETE', path, { key: adminB.key })).status).toBe(404);
    expect((await app.call('DELETE', path, { key: otherMember.key })).status).toBe(403);
    expect((await app.call('DELETE', path, { key: ownerReadOnly.key })).status).toBe(403);
    expect((await app.call('DELETE', path, { key: owner.key })).status).toBe(204);
  });

  it('lets an admin hand a webhook to another member; a member may not', async () => {
    const created = await app.call('POST', '/v1/webhooks', {
      key: otherMember.key,
      body: { name: 'Hand over', url: 'https://hooks.example.com/h', events: '*' },
    });
    const path = `/v1/webhooks/${created.body.id}`;
    expect((await app.call('PATCH', path, { key: otherMember.key, body: { ownerMemberId: owner.memberId } })).status).toBe(403);
    const handed = await app.call('PATCH', path, { key: adminA.key, body: { ownerMemberId: owner.memberId } });
    expect(handed.body.ownerMemberId).toBe(owner.memberId);
    const toInactive = await app.call('PATCH', path, { key: adminA.key, body: { ownerMemberId: deactivated.memberId } });
    expect(toInactive.body.errors).toEqual([{ field: 'ownerMemberId', reason: 'member is deactivated' }]);
  });
});
