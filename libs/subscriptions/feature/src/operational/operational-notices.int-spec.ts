import { type AttemptRecord, type EventEnvelope, getEventDefinition, newId, OPERATIONAL_CATEGORY, TOPICS, validateEventData, type WorkspaceUser } from '@harmony/contracts';
import { OutboxRelay } from '../outbox/outbox.relay';
import { attemptOf, type Caller, eventually, SubscriptionApp, type TopicCollector } from '../test/subscription-app.fixture';

const DAY = 24 * 60 * 60 * 1000;
const OPERATIONAL_EVENTS = ['webhook.disabled', 'webhook.delivery_exhausted', 'webhook.recovered'];

/**
 * Operational notifications over the real API, the embedded broker and the database:
 * attempt records and user events in, `webhooks.events.webhook` out, one event per occurrence.
 */
describe('operational notifications', () => {
  let app: SubscriptionApp;
  let admin: Caller;
  let operational: TopicCollector;

  beforeAll(async () => {
    app = await SubscriptionApp.start();
    admin = await app.workspace();
    operational = await app.collect(TOPICS.events(OPERATIONAL_CATEGORY));
  }, 60_000);

  afterAll(async () => {
    await operational?.stop();
    await app?.close();
  }, 30_000);

  async function webhook(caller: Caller, name: string, events: '*' | string[] = '*'): Promise<string> {
    const created = await app.call('POST', '/v1/webhooks', { key: caller.key, body: { name, url: 'https://hooks.example.com/in', events } });
    expect(created.status).toBe(201);
    return created.body.id;
  }

  /** A failed attempt unless overridden. */
  const attempt = (caller: Caller, subscriptionId: string, overrides: Partial<AttemptRecord> = {}): AttemptRecord =>
    attemptOf(caller.workspaceId, subscriptionId, { outcome: 'failure', httpStatus: 503, responseBody: 'busy', error: { code: 'http_status', message: 'HTTP 503' }, ...overrides });

  const produceAttempts = (records: AttemptRecord[]) => app.produce(TOPICS.attempts, records.map((record) => ({ key: record.subscriptionId, value: record })));
  /** The operational events about one webhook, in order. */
  const about = (id: string): EventEnvelope[] => operational.messages.map((message) => message.value as EventEnvelope).filter((event) => (event.data as { webhook: { id: string } }).webhook.id === id);
  /** A marker attempt on a separate webhook: once its event is out, everything produced before it was handled. */
  async function settled(caller: Caller, markerId: string): Promise<void> {
    const before = about(markerId).length;
    await produceAttempts([attempt(caller, markerId, { outcome: 'exhausted', attempt: 8 })]);
    await eventually(() => expect(about(markerId).length).toBe(before + 1));
  }

  describe('registering the operational endpoint', () => {
    it('is a webhook of operational events only: admins register one per workspace, and it says so', async () => {
      const workspace = await app.workspace();
      const created = await app.call('POST', '/v1/webhooks', { key: workspace.key, body: { name: 'Ops', url: 'https://ops.example.com/hook', events: OPERATIONAL_EVENTS } });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ operational: true, events: OPERATIONAL_EVENTS, secret: { secret: expect.stringMatching(/^whsec_/) } });
      expect((await app.call('GET', `/v1/webhooks/${created.body.id}`, { key: workspace.key })).body.operational).toBe(true);

      const second = await app.call('POST', '/v1/webhooks', { key: workspace.key, body: { name: 'Ops 2', url: 'https://ops.example.com/2', events: ['webhook.disabled'] } });
      expect(second.status).toBe(400);
      expect(second.body.errors).toEqual([{ field: 'events', reason: `the workspace already has an operational endpoint (${created.body.id}): change that one` }]);

      const mixed = await app.call('POST', '/v1/webhooks', { key: workspace.key, body: { name: 'Mixed', url: 'https://ops.example.com/3', events: ['contact.created', 'webhook.disabled'] } });
      expect(mixed.status).toBe(400);
      expect(mixed.body.errors[0]).toMatchObject({ field: 'events', reason: expect.stringContaining("workspace's operational endpoint only") });

      const member = await app.member(workspace);
      const byMember = await app.call('POST', '/v1/webhooks', { key: member.key, body: { name: 'Mine', url: 'https://ops.example.com/4', events: ['webhook.recovered'] } });
      expect(byMember.status).toBe(403);

      const plain = await webhook(workspace, 'Plain');
      const switched = await app.call('PATCH', `/v1/webhooks/${plain}`, { key: workspace.key, body: { events: ['webhook.disabled'] } });
      expect(switched.status).toBe(400);
      expect(switched.body.errors[0].field).toBe('events');
      const narrowed = await app.call('PATCH', `/v1/webhooks/${created.body.id}`, { key: workspace.key, body: { events: ['webhook.disabled'] } });
      expect(narrowed.status).toBe(200);
      expect(narrowed.body.events).toEqual(['webhook.disabled']);
    });
  });

  describe('with an operational endpoint', () => {
    let ops: string;
    let marker: string;

    beforeAll(async () => {
      ops = await webhook(admin, 'Operations', OPERATIONAL_EVENTS);
      marker = await webhook(admin, 'Marker');
    });

    it('announces 410 Gone once (a replayed record announces nothing), committed with the disable even while the relay is down', async () => {
      const id = await webhook(admin, 'Gone');
      const relay = app.get(OutboxRelay);
      await relay.stop();
      const gone = attempt(admin, id, { outcome: 'dropped', httpStatus: 410, error: { code: 'http_status', message: 'HTTP 410 Gone' } });
      await produceAttempts([gone]);
      await eventually(async () => expect((await app.call('GET', `/v1/webhooks/${id}`, { key: admin.key })).body.enabled).toBe(false));
      // Disabled and not yet sent: the event waits in the outbox with the change, not in memory.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(about(id)).toEqual([]);
      relay.start();
      await produceAttempts([gone]);
      await settled(admin, marker);
      const events = about(id);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        type: 'webhook.disabled',
        workspaceId: admin.workspaceId,
        access: { scope: 'admin' },
        data: { webhook: { id, name: 'Gone', url: 'https://hooks.example.com/in' }, reason: 'gone', message: 'The endpoint answered 410 Gone.', enabled: false },
      });
      expect(validateEventData('webhook.disabled', events[0]!.data).ok).toBe(true);
    });

    it('announces five days of failures, then the recovery once the webhook works again', async () => {
      const id = await webhook(admin, 'Failing');
      const start = Date.now() - 6 * DAY;
      await produceAttempts([attempt(admin, id, { startedAt: new Date(start).toISOString() }), attempt(admin, id, { startedAt: new Date(start + 5 * DAY + 1).toISOString() })]);
      await eventually(() => expect(about(id).map((event) => event.type)).toEqual(['webhook.disabled']));
      expect(about(id)[0]!.data).toMatchObject({ reason: 'failing', enabled: false, failingSince: new Date(start).toISOString(), message: expect.stringContaining('5 days') });

      expect((await app.call('POST', `/v1/webhooks/${id}/enable`, { key: admin.key })).status).toBe(200);
      const success = attempt(admin, id, { outcome: 'success', httpStatus: 200, error: null });
      await produceAttempts([success, attempt(admin, id, { outcome: 'success', httpStatus: 200, error: null })]);
      await settled(admin, marker);
      expect(about(id).map((event) => event.type)).toEqual(['webhook.disabled', 'webhook.recovered']);
      expect(about(id)[1]!.data).toMatchObject({ attemptId: success.attemptId, eventId: success.eventId });
      expect(validateEventData('webhook.recovered', about(id)[1]!.data).ok).toBe(true);
    });

    it('announces every exhausted event, a refused URL once, and no recovery without a failure notice', async () => {
      const id = await webhook(admin, 'Exhausting');
      await produceAttempts([attempt(admin, id, { outcome: 'success', httpStatus: 200, error: null })]);
      const exhausted = attempt(admin, id, { outcome: 'exhausted', attempt: 8 });
      const refused = { outcome: 'failure' as const, httpStatus: null, error: { code: 'invalid_url', message: 'URL must use https' } };
      await produceAttempts([exhausted, attempt(admin, id, refused), attempt(admin, id, refused)]);
      await settled(admin, marker);
      expect(about(id).map((event) => [event.type, (event.data as { reason?: string }).reason])).toEqual([
        ['webhook.delivery_exhausted', undefined],
        ['webhook.disabled', 'url_not_allowed'],
      ]);
      expect(about(id)[0]!.data).toMatchObject({ eventId: exhausted.eventId, eventType: 'contact.created', attempts: 8, lastAttempt: { id: exhausted.attemptId, httpStatus: 503 } });
      expect(about(id)[1]!.data).toMatchObject({ enabled: true, message: expect.stringContaining('URL must use https') });
      for (const event of about(id)) expect(validateEventData(event.type, event.data).ok).toBe(true);
    });

    it("announces a removed owner's webhooks, and never the operational endpoint's own failures", async () => {
      const userId = newId('user');
      const example = getEventDefinition('user.added').example;
      const user = { ...example.user, id: userId, name: 'Mo Member', role: 'member' as const, status: 'active' as const, teamIds: [] };
      const userEvent = (type: string, data: Partial<WorkspaceUser>): { key: string; value: EventEnvelope } => ({
        key: admin.workspaceId,
        value: { id: newId('event'), type, workspaceId: admin.workspaceId, occurredAt: new Date().toISOString(), data: { ...example, user: { ...user, ...data } }, access: { scope: 'admin' } },
      });
      await app.produce(TOPICS.events('user'), [userEvent('user.added', {})]);
      const memberId = await eventually(async () => {
        const [row] = (await app.dataSource.query('SELECT id FROM members WHERE user_id = $1', [userId])) as { id: string }[];
        expect(row).toBeDefined();
        return row!.id;
      });
      const owned = await webhook(admin, "Mo's");
      expect((await app.call('PATCH', `/v1/webhooks/${owned}`, { key: admin.key, body: { ownerMemberId: memberId } })).status).toBe(200);

      await app.produce(TOPICS.events('user'), [userEvent('user.removed', { status: 'deactivated' })]);
      // The operational endpoint itself fails for good: nothing about it, to it.
      await produceAttempts([attempt(admin, ops, { outcome: 'exhausted', attempt: 8 }), attempt(admin, ops, { outcome: 'dropped', httpStatus: 410 })]);
      await eventually(() => expect(about(owned).map((event) => event.type)).toEqual(['webhook.disabled']));
      expect(about(owned)[0]!.data).toMatchObject({ reason: 'owner_access_lost', enabled: true, message: 'Its owner Mo Member was removed: it receives nothing until an admin hands it to an active member.' });
      await settled(admin, marker);
      expect(about(ops)).toEqual([]);
      expect((await app.call('GET', `/v1/webhooks/${ops}`, { key: admin.key })).body.enabled).toBe(false);
    });

    it('tells a workspace without an operational endpoint nothing', async () => {
      const other = await app.workspace();
      const id = await webhook(other, 'Elsewhere');
      await produceAttempts([attempt(other, id, { outcome: 'dropped', httpStatus: 410 }), attempt(other, id, { outcome: 'exhausted', attempt: 8 })]);
      await eventually(async () => expect((await app.call('GET', `/v1/webhooks/${id}`, { key: other.key })).body.enabled).toBe(false));
      await settled(admin, marker);
      expect(about(id)).toEqual([]);
    });
  });
});
