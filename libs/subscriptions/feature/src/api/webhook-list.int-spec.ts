import { type Caller, SubscriptionApp } from '../test/subscription-app.fixture';

/** GET /v1/webhooks: keyset pages and filters, scoped to the caller's workspace (and, for members, their own). */
describe('webhook list: paging and search', () => {
  let app: SubscriptionApp;
  let admin: Caller;
  let member: Caller;
  let stranger: Caller;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    app = await SubscriptionApp.start();
    admin = await app.workspace();
    member = await app.member(admin, 'member');
    stranger = await app.workspace();
    const create = async (key: string, name: string, url: string, events: '*' | string[], enabled = true): Promise<void> => {
      const { status, body } = await app.call('POST', '/v1/webhooks', { key, body: { name, url, events, enabled } });
      expect(status).toBe(201);
      ids[name] = body.id;
    };
    await create(admin.key, 'CRM sync', 'https://crm.example.com/hooks/1', ['contact.created']);
    await create(admin.key, 'Billing', 'https://billing.example.com/in', ['account.created'], false);
    await create(admin.key, 'Everything', 'https://all.example.com/x', '*');
    await create(admin.key, '50% off promo', 'https://promo.example.com/p', ['contact.deleted']);
    await create(admin.key, 'Analytics', 'https://warehouse.example.com/crm', ['conversation.recorded'], false);
    await create(member.key, 'Member hook', 'https://member.example.com/m', ['contact.created']);
    await create(stranger.key, 'CRM sync elsewhere', 'https://crm.example.com/hooks/2', '*');
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  }, 30_000);

  const list = async (key: string, query = ''): Promise<{ names: string[]; nextCursor: string | null }> => {
    const { status, body } = await app.call('GET', `/v1/webhooks${query}`, { key });
    expect(status).toBe(200);
    return { names: body.data.map((webhook: { name: string }) => webhook.name), nextCursor: body.nextCursor };
  };

  const everyPage = async (key: string, query: string, limit: number): Promise<string[]> => {
    const names: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { names: string[]; nextCursor: string | null } = await list(key, `?limit=${limit}${query}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.names.length).toBeLessThanOrEqual(limit);
      names.push(...page.names);
      cursor = page.nextCursor;
    } while (cursor);
    return names;
  };

  it('pages oldest first with limit and nextCursor, every webhook exactly once', async () => {
    const all = ['CRM sync', 'Billing', 'Everything', '50% off promo', 'Analytics', 'Member hook'];
    expect(await list(admin.key)).toEqual({ names: all, nextCursor: null });
    const first = await list(admin.key, '?limit=1');
    expect(first.names).toEqual(['CRM sync']);
    expect(first.nextCursor).toEqual(expect.any(String));
    expect(await everyPage(admin.key, '', 2)).toEqual(all);
    expect(await everyPage(admin.key, '', 1)).toEqual(all);
  });

  it('filters by name or URL substring (case-insensitive, wildcards literal), enabled and event type', async () => {
    expect((await list(admin.key, '?search=crm')).names).toEqual(['CRM sync', 'Analytics']);
    expect((await list(admin.key, `?search=${encodeURIComponent('50%')}`)).names).toEqual(['50% off promo']);
    expect((await list(admin.key, `?search=${encodeURIComponent('%')}`)).names).toEqual(['50% off promo']);
    expect((await list(admin.key, '?search=_')).names).toEqual([]);
    expect((await list(admin.key, '?enabled=false')).names).toEqual(['Billing', 'Analytics']);
    expect((await list(admin.key, '?enabled=true')).names).toEqual(['CRM sync', 'Everything', '50% off promo', 'Member hook']);
    // '*' receives every type.
    expect((await list(admin.key, '?eventType=contact.created')).names).toEqual(['CRM sync', 'Everything', 'Member hook']);
    expect((await list(admin.key, '?eventType=user.added')).names).toEqual(['Everything']);
    expect(await everyPage(admin.key, '&search=crm&enabled=true', 1)).toEqual(['CRM sync']);
    expect(await everyPage(admin.key, '&eventType=contact.created', 1)).toEqual(['CRM sync', 'Everything', 'Member hook']);
  });

  it("shows each webhook's owner: name and current role", async () => {
    const { body } = await app.call('GET', '/v1/webhooks?search=hook', { key: admin.key });
    const owners = Object.fromEntries(body.data.map((webhook: { name: string; owner: unknown }) => [webhook.name, webhook.owner]));
    expect(owners['Member hook']).toEqual({ memberId: member.memberId, displayName: expect.stringMatching(/^User usr_/), role: 'member' });
    expect(owners['CRM sync']).toEqual({ memberId: admin.memberId, displayName: 'Ada Admin', role: 'admin' });
  });

  it("keeps every page inside the caller's workspace, and a member to its own webhooks", async () => {
    expect(await everyPage(member.key, '', 1)).toEqual(['Member hook']);
    expect((await list(member.key, '?search=crm')).names).toEqual([]);
    expect((await list(stranger.key, '?search=crm')).names).toEqual(['CRM sync elsewhere']);
    // A cursor from another workspace's page leaks nothing: it only says where to start.
    const { nextCursor } = await list(admin.key, '?limit=1');
    expect((await list(stranger.key, `?cursor=${nextCursor}`)).names).toEqual(['CRM sync elsewhere']);
  });

  it('rejects bad parameters with 400 naming each field', async () => {
    const { status, body } = await app.call('GET', '/v1/webhooks?limit=0&cursor=garbage&enabled=maybe&eventType=nope.nothing', { key: admin.key });
    expect(status).toBe(400);
    expect(body.errors.map((error: { field: string }) => error.field).sort()).toEqual(['cursor', 'enabled', 'eventType', 'limit']);
    expect((await app.call('GET', '/v1/webhooks?limit=201', { key: admin.key })).status).toBe(400);
  });
});
