import { EVENT_TYPES, TOPICS, validateApiKeyRecord, validateSubscriptionRecord } from '@harmony/contracts';
import { hashApiKey } from '@harmony/webhooks/domain';
import { OutboxRelay } from '../outbox/outbox.relay';
import { OutboxRepository } from '../outbox/outbox.repository';
import { TenancyRepository } from '../tenancy/tenancy.repository';
import { type Caller, eventually, SubscriptionApp, type TopicCollector } from '../test/subscription-app.fixture';
import { WebhookRepository } from '../webhooks/webhook.repository';

describe('webhooks REST API', () => {
  let app: SubscriptionApp;
  let admin: Caller;
  let snapshots: TopicCollector;

  beforeAll(async () => {
    app = await SubscriptionApp.start();
    admin = await app.workspace();
    snapshots = await app.collect(TOPICS.subscriptions);
  }, 60_000);

  afterAll(async () => {
    await snapshots?.stop();
    await app?.close();
  }, 30_000);

  const create = (body: Record<string, unknown>, key = admin.key) => app.call('POST', '/v1/webhooks', { key, body });
  const valid = { name: 'CRM sync', url: 'https://hooks.example.com/harmony/7f3a', events: ['contact.created', 'contact.updated'] };

  it('lists the event catalog by category with schema and example', async () => {
    const { status, body } = await app.call('GET', '/v1/event-types', { key: admin.key });
    expect(status).toBe(200);
    expect(body.categories.map((category: { name: string; operational: boolean }) => [category.name, category.operational])).toEqual([
      ['contact', false],
      ['account', false],
      ['conversation', false],
      ['project', false],
      ['user', false],
      ['webhook', true],
    ]);
    const events = body.categories.flatMap((category: { events: { type: string }[] }) => category.events);
    expect(events.map((event: { type: string }) => event.type)).toEqual(EVENT_TYPES);
    expect(events[0]).toMatchObject({ type: 'contact.created', schema: expect.any(Object), example: expect.any(Object) });
  });

  it('creates a webhook, answers its secret and publishes a valid snapshot', async () => {
    const { status, body } = await create({ ...valid, description: 'Pushes contacts to the CRM', headers: { 'X-Team': 'sales' }, rateLimitPerSecond: 20 });
    expect(status).toBe(201);
    expect(body).toMatchObject({
      id: expect.stringMatching(/^sub_/),
      name: 'CRM sync',
      description: 'Pushes contacts to the CRM',
      url: valid.url,
      events: valid.events,
      enabled: true,
      disabledReason: null,
      rateLimitPerSecond: 20,
      headers: { 'X-Team': '****' },
      ownerMemberId: admin.memberId,
      version: 1,
    });
    expect(body.secret.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32,}={0,2}$/);

    const [snapshot] = await eventually(() => {
      const found = snapshots.forKey(body.id);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(validateSubscriptionRecord(snapshot.value)).toMatchObject({ ok: true });
    expect(snapshot.value).toMatchObject({
      id: body.id,
      workspaceId: admin.workspaceId,
      eventTypes: valid.events,
      enabled: true,
      owner: { memberId: admin.memberId, userId: admin.userId, role: 'admin', teamIds: [], active: true },
      secrets: [{ secret: body.secret.secret, expiresAt: null }],
      version: 1,
    });

    const fetched = await app.call('GET', `/v1/webhooks/${body.id}`, { key: admin.key });
    expect(fetched.status).toBe(200);
    expect(fetched.body.secret).toBeUndefined();
    expect((await app.call('GET', '/v1/webhooks', { key: admin.key })).body.data.map((w: { id: string }) => w.id)).toContain(body.id);
  });

  it('rejects bad input with 400 naming each field, and writes nothing', async () => {
    const cases: [Record<string, unknown>, { field: string; reason: RegExp }][] = [
      [{ ...valid, name: '' }, { field: 'name', reason: /required/ }],
      [{ ...valid, name: 'n'.repeat(121) }, { field: 'name', reason: /at most 120/ }],
      [{ ...valid, url: 'https://user:secret@hooks.example.com/' }, { field: 'url', reason: /credentials/ }],
      [{ ...valid, url: 'not a url' }, { field: 'url', reason: /absolute URL/ }],
      [{ ...valid, url: `https://example.com/${'a'.repeat(2100)}` }, { field: 'url', reason: /at most 2048/ }],
      [{ ...valid, events: [] }, { field: 'events', reason: /at least one/ }],
      [{ ...valid, events: ['contact.created', 'contact.exploded'] }, { field: 'events[1]', reason: /unknown event type/ }],
      [{ ...valid, description: 'd'.repeat(1001) }, { field: 'description', reason: /at most 1000/ }],
      [{ ...valid, headers: { 'webhook-signature': 'x' } }, { field: 'headers.webhook-signature', reason: /platform/ }],
      [{ ...valid, rateLimitPerSecond: 0 }, { field: 'rateLimitPerSecond', reason: /integer/ }],
      [{ ...valid, colour: 'blue' }, { field: 'colour', reason: /not a known field/ }],
    ];
    const before = (await app.call('GET', '/v1/webhooks', { key: admin.key })).body.data.length;
    for (const [body, expected] of cases) {
      const answer = await create({ ...body, name: body['name'] === valid.name ? `case ${expected.field}` : body['name'] });
      expect(answer.status).toBe(400);
      expect(answer.body.errors).toEqual(expect.arrayContaining([{ field: expected.field, reason: expect.stringMatching(expected.reason) }]));
    }
    expect((await create([1, 2] as unknown as Record<string, unknown>)).body).toEqual({ errors: [{ field: 'body', reason: expect.any(String) }] });
    const malformed = await app.call('POST', '/v1/webhooks', { key: admin.key, body: '{"name": "half' });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toEqual({ errors: [{ field: 'body', reason: expect.stringContaining('JSON') }] });
    expect((await app.call('GET', '/v1/webhooks', { key: admin.key })).body.data.length).toBe(before);
  });

  it('masks custom header values on every read (REST); only a write replaces them, a masked value sent back keeps the real one', async () => {
    const token = 'Bearer sk_live_51H8xQ2eZvKYlo2C9f3k';
    const reader = await app.member(admin, 'admin', ['webhooks:read']);
    const { body: created } = await create({ ...valid, name: 'Authorised receiver', headers: { Authorization: token, 'X-Team': 'sales' } });
    expect(created.headers).toEqual({ Authorization: '****9f3k', 'X-Team': '****' });
    const got = await app.call('GET', `/v1/webhooks/${created.id}`, { key: reader.key });
    expect(got.body.headers).toEqual({ Authorization: '****9f3k', 'X-Team': '****' });
    const listed = await app.call('GET', '/v1/webhooks', { key: reader.key });
    expect(listed.body.data.find((webhook: { id: string }) => webhook.id === created.id).headers).toEqual({ Authorization: '****9f3k', 'X-Team': '****' });
    expect(JSON.stringify([got.body, listed.body])).not.toContain('sk_live');

    // Read, change the name, send everything back (masked headers included): the real values stay.
    const renamed = await app.call('PATCH', `/v1/webhooks/${created.id}`, { key: admin.key, body: { name: 'Renamed receiver', headers: got.body.headers } });
    expect(renamed.status).toBe(200);
    expect(renamed.body.headers).toEqual({ Authorization: '****9f3k', 'X-Team': '****' });
    await eventually(() => expect(snapshots.forKey(created.id).at(-1)?.value).toMatchObject({ version: renamed.body.version, headers: { Authorization: token, 'X-Team': 'sales' } }));

    // A masked value that is not the stored one is refused, not stored as the value.
    const wrong = await app.call('PATCH', `/v1/webhooks/${created.id}`, { key: admin.key, body: { headers: { Authorization: '****zzzz' } } });
    expect(wrong).toEqual({ status: 400, body: { errors: [{ field: 'headers.Authorization', reason: 'is a masked value that matches no stored value: send the real value' }] } });

    // A real value replaces it.
    const rotated = await app.call('PATCH', `/v1/webhooks/${created.id}`, { key: admin.key, body: { headers: { Authorization: 'Bearer rotated_token_wxyz' } } });
    expect(rotated.body.headers).toEqual({ Authorization: '****wxyz' });
    await eventually(() => expect(snapshots.forKey(created.id).at(-1)?.value).toMatchObject({ version: rotated.body.version, headers: { Authorization: 'Bearer rotated_token_wxyz' } }));
  });

  it('refuses a duplicate name in the workspace (case-insensitive)', async () => {
    expect((await create({ ...valid, name: 'Billing' })).status).toBe(201);
    const duplicate = await create({ ...valid, name: ' billing ' });
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.errors).toEqual([{ field: 'name', reason: 'a webhook with this name already exists in the workspace' }]);
    // Another workspace may use the name.
    const other = await app.workspace();
    expect((await create({ ...valid, name: 'Billing' }, other.key)).status).toBe(201);
  });

  it('updates name, description, URL, events and enabled, republishing each change', async () => {
    const { body: created } = await create({ ...valid, name: 'To edit' });
    const patch = await app.call('PATCH', `/v1/webhooks/${created.id}`, {
      key: admin.key,
      body: { name: 'Edited', description: null, url: 'https://hooks.example.com/v2', events: '*', enabled: false },
    });
    expect(patch.status).toBe(200);
    expect(patch.body).toMatchObject({ name: 'Edited', description: null, url: 'https://hooks.example.com/v2', events: '*', enabled: false, version: 2 });
    expect(patch.body.disabledReason).toBe('Disabled by a user.');
    const latest = await eventually(() => {
      const found = snapshots.forKey(created.id);
      expect(found.at(-1)?.value.version).toBe(2);
      return found.at(-1)!.value;
    });
    expect(latest).toMatchObject({ name: 'Edited', eventTypes: '*', enabled: false, disabledReason: 'Disabled by a user.' });

    const bad = await app.call('PATCH', `/v1/webhooks/${created.id}`, { key: admin.key, body: { events: ['nope.nope'], name: 'Changed' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ field: 'events[0]', reason: 'unknown event type "nope.nope"' }]);
    await create({ ...valid, name: 'Taken name' });
    const clash = await app.call('PATCH', `/v1/webhooks/${created.id}`, { key: admin.key, body: { name: 'TAKEN NAME', url: 'https://hooks.example.com/v3' } });
    expect(clash.body).toEqual({ errors: [{ field: 'name', reason: 'a webhook with this name already exists in the workspace' }] });
    const empty = await app.call('PATCH', `/v1/webhooks/${created.id}`, { key: admin.key, body: { events: [], url: 'ftp://x' } });
    expect(empty.body.errors.map((error: { field: string }) => error.field)).toEqual(['url', 'events']);
    expect((await app.call('PATCH', '/v1/webhooks/sub_unknown', { key: admin.key, body: { name: 'x' } })).status).toBe(404);
    expect((await app.call('GET', `/v1/webhooks/${created.id}`, { key: admin.key })).body).toMatchObject({ name: 'Edited', url: 'https://hooks.example.com/v2', version: 2 });

    const enabled = await app.call('POST', `/v1/webhooks/${created.id}/enable`, { key: admin.key });
    expect(enabled.body).toMatchObject({ enabled: true, disabledReason: null, disabledAt: null });
  });

  it('rotates the secret: the previous one stays valid for 24 h and both are published', async () => {
    const { body: created } = await create({ ...valid, name: 'Rotating' });
    const rotated = await app.call('POST', `/v1/webhooks/${created.id}/rotate-secret`, { key: admin.key });
    expect(rotated.status).toBe(200);
    const [current, previous] = rotated.body.secrets;
    expect(current.expiresAt).toBeNull();
    expect(current.secret).not.toBe(created.secret.secret);
    expect(previous.secret).toBe(created.secret.secret);
    const hours = (Date.parse(previous.expiresAt) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(23.9);
    expect(hours).toBeLessThanOrEqual(24);
    const snapshot = await eventually(() => {
      const found = snapshots.forKey(created.id).at(-1)!;
      expect(found.value.secrets).toHaveLength(2);
      return found.value;
    });
    expect(snapshot.secrets.map((secret: { secret: string }) => secret.secret)).toEqual([current.secret, previous.secret]);
    // A second rotation retires the oldest at once: never more than two signing.
    const again = await app.call('POST', `/v1/webhooks/${created.id}/rotate-secret`, { key: admin.key });
    expect(again.body.secrets.map((secret: { secret: string }) => secret.secret)).toEqual([expect.any(String), current.secret]);
  });

  it('deletes a webhook and publishes a tombstone', async () => {
    const { body: created } = await create({ ...valid, name: 'Short-lived' });
    expect((await app.call('DELETE', `/v1/webhooks/${created.id}`, { key: admin.key })).status).toBe(204);
    expect((await app.call('GET', `/v1/webhooks/${created.id}`, { key: admin.key })).status).toBe(404);
    await eventually(() => expect(snapshots.forKey(created.id).at(-1)?.value).toBeNull());
  });

  it('still publishes a change whose relay stopped between the commit and the Kafka send', async () => {
    const relay = app.get(OutboxRelay);
    await relay.stop();
    const { body: created } = await create({ ...valid, name: 'Relay down' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(snapshots.forKey(created.id)).toHaveLength(0);
    const [{ count }] = await app.dataSource.query('SELECT count(*)::int AS count FROM outbox WHERE message_key = $1', [created.id]);
    expect(count).toBe(1);
    relay.start();
    await eventually(() => expect(snapshots.forKey(created.id)).toHaveLength(1));
    await eventually(async () => expect((await app.dataSource.query('SELECT count(*)::int AS count FROM outbox'))[0].count).toBe(0));
  });

  it('relays a commit that wrote outbox rows at once, whoever wrote them; a rolled-back one never', async () => {
    const key = `outbox-${Date.now()}`;
    // Straight through the DataSource: no service kicks the relay, its 5 s poll is the only other way.
    const outbox = app.get(OutboxRepository);
    const started = Date.now();
    await app.dataSource.transaction((manager) => outbox.enqueue(manager, TOPICS.subscriptions, key, null));
    await eventually(() => expect(snapshots.forKey(key)).toHaveLength(1), 2_000);
    expect(Date.now() - started).toBeLessThan(2_000);
    const rolledBack = `${key}-rolled-back`;
    await expect(
      app.dataSource.transaction(async (manager) => {
        await outbox.enqueue(manager, TOPICS.subscriptions, rolledBack, null);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(snapshots.forKey(rolledBack)).toHaveLength(0);
  });

  it('publishes API keys as hashes to webhooks.api-keys, and their revocation', async () => {
    const keys = await app.collect(TOPICS.apiKeys);
    try {
      const created = await app.call('POST', '/v1/api-keys', { key: admin.key, body: { name: 'publisher', scopes: ['events:publish'] } });
      const hash = hashApiKey(created.body.key);
      const [record] = await eventually(() => {
        const found = keys.forKey(hash);
        expect(found).toHaveLength(1);
        return found;
      });
      expect(validateApiKeyRecord(record.value)).toMatchObject({ ok: true });
      expect(record.value).toMatchObject({ keyId: created.body.id, keyHash: hash, workspaceId: admin.workspaceId, scopes: ['events:publish'], revoked: false });
      expect(JSON.stringify(keys.messages)).not.toContain(created.body.key);
      await app.call('DELETE', `/v1/api-keys/${created.body.id}`, { key: admin.key });
      await eventually(() => expect(keys.forKey(hash).at(-1)?.value.revoked).toBe(true));
    } finally {
      await keys.stop();
    }
  });

  it("republishes every webhook's snapshot at its own version and every key's record (the CLI's republish)", async () => {
    const keys = await app.collect(TOPICS.apiKeys);
    try {
      const { body: created } = await create({ ...valid, name: 'Republished' });
      const [first] = await eventually(() => {
        const found = snapshots.forKey(created.id);
        expect(found).toHaveLength(1);
        return found;
      });
      const adminKeyHash = hashApiKey(admin.key);
      await eventually(() => expect(keys.forKey(adminKeyHash).length).toBeGreaterThan(0));
      const keysBefore = keys.forKey(adminKeyHash).length;
      const queued = await app.dataSource.transaction(async (manager) => ({
        subscriptions: await app.get(WebhookRepository).republishAll(manager),
        apiKeys: await app.get(TenancyRepository).republishApiKeys(manager),
      }));
      const [{ subscriptions, apiKeys }] = await app.dataSource.query('SELECT (SELECT count(*)::int FROM subscriptions) AS subscriptions, (SELECT count(*)::int FROM api_keys) AS "apiKeys"');
      expect(queued).toEqual({ subscriptions, apiKeys });
      const again = await eventually(() => {
        const found = snapshots.forKey(created.id);
        expect(found).toHaveLength(2);
        return found[1];
      });
      expect(again.value).toEqual(first.value);
      await eventually(() => expect(keys.forKey(adminKeyHash)).toHaveLength(keysBefore + 1));
      expect(keys.forKey(adminKeyHash).at(-1)?.value).toMatchObject({ memberId: admin.memberId, revoked: false });
    } finally {
      await keys.stop();
    }
  });

  it('serves the OpenAPI document and Swagger UI', async () => {
    const json = await app.call('GET', '/openapi.json');
    expect(json.status).toBe(200);
    expect(json.body.openapi).toMatch(/^3\./);
    expect(Object.keys(json.body.paths)).toEqual(
      expect.arrayContaining(['/v1/webhooks', '/v1/webhooks/{id}', '/v1/webhooks/{id}/rotate-secret', '/v1/webhooks/{id}/deliveries', '/v1/api-keys', '/v1/event-types']),
    );
    const docs = await fetch(`${app.url}/docs`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger');

    // What generated clients read: the list is { data: [...] }, nullable scalars keep their type,
    // every operation with a body documents the body answers with the limit.
    const { paths, components } = json.body;
    expect(paths['/v1/webhooks'].get.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/WebhookPageDto' });
    expect(components.schemas.WebhookPageDto.properties.data).toEqual({ type: 'array', items: { $ref: '#/components/schemas/WebhookDto' } });
    for (const dto of ['CreateWebhookDto', 'UpdateWebhookDto', 'WebhookDto']) {
      expect(components.schemas[dto].properties.description).toMatchObject({ type: 'string', nullable: true });
      expect(components.schemas[dto].properties.rateLimitPerSecond).toMatchObject({ type: 'number', nullable: true });
    }
    expect(paths['/v1/webhooks'].post.responses['413'].description).toBe('Body larger than 102400 bytes (100 KiB).');
    expect(paths['/v1/webhooks/{id}'].patch.responses['415']).toBeDefined();
    expect(json.body.info.description).toContain('at most 102400 bytes');
  });
});
