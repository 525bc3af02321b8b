import { type AttemptRecord, type EventEnvelope, getEventDefinition, newId, TOPICS, type WorkspaceUser } from '@harmony/contracts';
import { attemptOf, type Caller, eventually, SubscriptionApp, type TopicCollector } from '../test/subscription-app.fixture';

const DAY = 24 * 60 * 60 * 1000;

/** Records produced to the embedded broker as the pipeline would, read back through the API and the topics. */
describe('subscription-service consumers', () => {
  let app: SubscriptionApp;
  let admin: Caller;
  let snapshots: TopicCollector;
  let deliveries: TopicCollector;

  beforeAll(async () => {
    app = await SubscriptionApp.start();
    admin = await app.workspace();
    snapshots = await app.collect(TOPICS.subscriptions);
    deliveries = await app.collect(TOPICS.deliveries);
  }, 60_000);

  afterAll(async () => {
    await snapshots?.stop();
    await deliveries?.stop();
    await app?.close();
  }, 30_000);

  const webhook = (name: string, key = admin.key): Promise<string> => app.webhook(key, name);

  const attempt = (subscriptionId: string, overrides: Partial<AttemptRecord> = {}): AttemptRecord => attemptOf(admin.workspaceId, subscriptionId, overrides);

  const produceAttempts = (records: AttemptRecord[]) =>
    app.produce(TOPICS.attempts, records.map((record) => ({ key: record.subscriptionId, value: record })));

  const listDeliveries = (id: string, query = '') => app.call('GET', `/v1/webhooks/${id}/deliveries${query}`, { key: admin.key });

  it('writes every attempt to the log once, and lists it with filters and cursor pages', async () => {
    const id = await webhook('Logged');
    const base = Date.parse('2026-03-01T12:00:00Z');
    const records = Array.from({ length: 7 }, (_, i) =>
      attempt(id, {
        startedAt: new Date(base + i * 60_000).toISOString(),
        outcome: i % 3 === 0 ? 'failure' : 'success',
        httpStatus: i % 3 === 0 ? 503 : 200,
        error: i % 3 === 0 ? { code: 'http_status', message: 'HTTP 503' } : null,
        eventType: i < 4 ? 'contact.created' : 'account.created',
        nextAttemptAt: i % 3 === 0 ? new Date(base + i * 60_000 + 5_000).toISOString() : null,
      }),
    );
    // The same record twice (a consumer restart replays it): still one row.
    await produceAttempts([...records, records[2]]);
    // An invalid record is skipped without blocking the partition.
    await app.produce(TOPICS.attempts, [{ key: id, value: { attemptId: 'nope' } }]);
    const marker = attempt(id, { startedAt: new Date(base + 3_600_000).toISOString() });
    await produceAttempts([marker]);

    const all = await eventually(async () => {
      const page = await listDeliveries(id, '?limit=200');
      expect(page.body.data).toHaveLength(8);
      return page.body.data;
    });
    expect(all[0].id).toBe(marker.attemptId);
    expect(all[1]).toMatchObject({
      id: records[6].attemptId,
      eventId: records[6].eventId,
      outcome: 'failure',
      httpStatus: 503,
      durationMs: 42,
      error: { code: 'http_status', message: 'HTTP 503' },
      requestHeaders: { 'webhook-id': 'evt_x', 'content-type': 'application/json' },
      nextAttemptAt: records[6].nextAttemptAt,
    });

    const failures = await listDeliveries(id, '?outcome=failure');
    expect(failures.body.data.map((row: { id: string }) => row.id)).toEqual([records[6], records[3], records[0]].map((r) => r.attemptId));
    const accounts = await listDeliveries(id, '?eventType=account.created');
    expect(accounts.body.data).toHaveLength(3);
    const window = await listDeliveries(id, `?from=${new Date(base + 60_000).toISOString()}&to=${new Date(base + 3 * 60_000).toISOString()}`);
    expect(window.body.data.map((row: { id: string }) => row.id)).toEqual([records[2], records[1]].map((r) => r.attemptId));

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { data: { id: string }[]; nextCursor: string | null } } = await listDeliveries(
        id,
        `?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.body.data.map((row) => row.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.map((row: { id: string }) => row.id));

    const bad = await listDeliveries(id, '?outcome=maybe&eventType=x.y&from=yesterday&cursor=zzz&limit=1000');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(['cursor', 'eventType', 'from', 'limit', 'outcome']);
  });

  it('logs the intent of a request and replaces it with the outcome; one with no outcome stays visible as sending', async () => {
    const id = await webhook('Intent');
    const answered = attempt(id, { outcome: 'sending', httpStatus: null, durationMs: null, responseBody: null, requestHeaders: {} });
    const crashed = attempt(id, { outcome: 'sending', httpStatus: null, durationMs: null, responseBody: null, requestHeaders: {} });
    await produceAttempts([answered, crashed, { ...answered, outcome: 'success', httpStatus: 200 }]);
    // A replayed intent after the outcome changes nothing.
    await produceAttempts([answered]);
    const marker = attempt(id);
    await produceAttempts([marker]);
    const rows = await eventually(async () => {
      const page = await listDeliveries(id, '?limit=200');
      expect(page.body.data.map((row: { id: string }) => row.id)).toContain(marker.attemptId);
      return page.body.data as { id: string; outcome: string; httpStatus: number | null }[];
    });
    expect(rows).toHaveLength(3);
    expect(rows.find((row) => row.id === answered.attemptId)).toMatchObject({ outcome: 'success', httpStatus: 200 });
    expect(rows.find((row) => row.id === crashed.attemptId)).toMatchObject({ outcome: 'sending', httpStatus: null });
    expect((await listDeliveries(id, '?outcome=sending')).body.data.map((row: { id: string }) => row.id)).toEqual([crashed.attemptId]);
  });

  it('disables a webhook after five days of continuous failure, visibly, and re-enables it', async () => {
    const id = await webhook('Failing for days');
    const start = Date.now() - 6 * DAY;
    await produceAttempts([
      attempt(id, { outcome: 'failure', httpStatus: 500, startedAt: new Date(start).toISOString() }),
      attempt(id, { outcome: 'failure', httpStatus: 500, startedAt: new Date(start + 2 * DAY).toISOString() }),
    ]);
    await eventually(async () => expect((await app.call('GET', `/v1/webhooks/${id}`, { key: admin.key })).body.health.failingSince).toBe(new Date(start).toISOString()));
    expect((await app.call('GET', `/v1/webhooks/${id}`, { key: admin.key })).body.enabled).toBe(true);
    await produceAttempts([attempt(id, { outcome: 'exhausted', httpStatus: null, error: { code: 'timeout', message: 'no answer in 15 s' }, startedAt: new Date(start + 5 * DAY).toISOString() })]);
    const disabled = await eventually(async () => {
      const answer = await app.call('GET', `/v1/webhooks/${id}`, { key: admin.key });
      expect(answer.body.enabled).toBe(false);
      return answer.body;
    });
    expect(disabled.disabledReason).toMatch(/failed for 5 days/);
    await eventually(() => expect(snapshots.forKey(id).at(-1)?.value).toMatchObject({ enabled: false, disabledReason: disabled.disabledReason }));

    const enabled = await app.call('PATCH', `/v1/webhooks/${id}`, { key: admin.key, body: { enabled: true } });
    expect(enabled.body).toMatchObject({ enabled: true, disabledReason: null, health: { failingSince: null } });
    // A fresh start: one more failure does not disable it again.
    await produceAttempts([attempt(id, { outcome: 'failure', httpStatus: 500 })]);
    await eventually(async () => expect((await app.call('GET', `/v1/webhooks/${id}`, { key: admin.key })).body.health.failingSince).not.toBeNull());
    expect((await app.call('GET', `/v1/webhooks/${id}`, { key: admin.key })).body.enabled).toBe(true);
  });

  it('disables a webhook whose endpoint answers 410 Gone', async () => {
    const id = await webhook('Gone');
    await produceAttempts([attempt(id, { outcome: 'dropped', httpStatus: 410, error: { code: 'http_status', message: 'HTTP 410' } })]);
    await eventually(async () =>
      expect((await app.call('GET', `/v1/webhooks/${id}`, { key: admin.key })).body).toMatchObject({
        enabled: false,
        disabledReason: 'The endpoint answered 410 Gone.',
      }),
    );
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toMatch(/webhook_endpoints_auto_disabled_total\{reason="gone",service="subscription-service"\} 1/);
    expect(metrics).toMatch(/subscription_delivery_log_rows_total\{outcome="dropped",service="subscription-service"\} 1/);
    const enabled = await app.call('POST', `/v1/webhooks/${id}/enable`, { key: admin.key });
    expect(enabled.body).toMatchObject({ enabled: true, disabledReason: null, disabledAt: null, health: { failingSince: null } });
    await eventually(() => expect(snapshots.forKey(id).at(-1)?.value).toMatchObject({ enabled: true, disabledReason: null }));
  });

  describe('members from user events', () => {
    function userEvent(type: string, user: Partial<WorkspaceUser> & { id: string }, extra: Record<string, unknown> = {}): EventEnvelope {
      const example = getEventDefinition(type)!.example as Record<string, unknown>;
      return {
        id: newId('event'),
        type,
        workspaceId: admin.workspaceId,
        occurredAt: new Date().toISOString(),
        data: { ...example, ...extra, user: { ...(example['user'] as WorkspaceUser), ...user } },
        access: { scope: 'admin' },
      };
    }

    it("republishes an owner's webhooks with their current access when it changes", async () => {
      const userId = newId('user');
      const team = newId('team');
      await app.produce(TOPICS.events('user'), [{ key: admin.workspaceId, value: userEvent('user.added', { id: userId, role: 'member', status: 'active', teamIds: [team] }) }]);
      const member = await eventually(async () => {
        const [row] = await app.dataSource.query('SELECT id, role, team_ids FROM members WHERE user_id = $1', [userId]);
        expect(row).toBeDefined();
        return row as { id: string };
      });
      const apiKey = await app.call('POST', '/v1/api-keys', { key: admin.key, body: { name: 'member key', memberId: member.id } });
      const id = await webhook('Member owned', apiKey.body.key);
      await eventually(() => expect(snapshots.forKey(id).at(-1)?.value.owner).toEqual({ memberId: member.id, userId, role: 'member', teamIds: [team], active: true }));

      await app.produce(TOPICS.events('user'), [
        { key: admin.workspaceId, value: userEvent('user.role_changed', { id: userId, role: 'admin', status: 'active', teamIds: [team] }, { previousRole: 'member', role: 'admin' }) },
      ]);
      await eventually(() => expect(snapshots.forKey(id).at(-1)?.value.owner).toMatchObject({ role: 'admin', active: true }));

      await app.produce(TOPICS.events('user'), [{ key: admin.workspaceId, value: userEvent('user.removed', { id: userId, role: 'admin', status: 'deactivated', teamIds: [team] }) }]);
      await eventually(() => expect(snapshots.forKey(id).at(-1)?.value.owner).toMatchObject({ active: false }));
      // A removed member's key stops working; the webhook waits for an admin to take it over.
      expect((await app.call('GET', '/v1/webhooks', { key: apiKey.body.key })).status).toBe(401);
      const takeover = await app.call('PATCH', `/v1/webhooks/${id}`, { key: admin.key, body: { ownerMemberId: admin.memberId } });
      expect(takeover.status).toBe(200);
      await eventually(() => expect(snapshots.forKey(id).at(-1)?.value.owner).toMatchObject({ memberId: admin.memberId, active: true }));
    });
  });

  describe('redeliver and recover', () => {
    function contactEvent(): EventEnvelope {
      return {
        id: newId('event'),
        type: 'contact.created',
        workspaceId: admin.workspaceId,
        occurredAt: new Date().toISOString(),
        data: getEventDefinition('contact.created')!.example,
        access: { scope: 'workspace' },
      };
    }

    it('re-queues the original event of one delivery, and every failed one since a time', async () => {
      const id = await webhook('Replays');
      const events = [contactEvent(), contactEvent(), contactEvent()];
      await app.produce(TOPICS.events('contact'), events.map((event) => ({ key: admin.workspaceId, value: event })));
      await eventually(async () => expect((await app.dataSource.query('SELECT count(*)::int AS n FROM event_payloads WHERE event_id = ANY($1)', [events.map((e) => e.id)]))[0].n).toBe(3));
      const now = Date.now();
      const records = [
        attempt(id, { eventId: events[0].id, outcome: 'failure', httpStatus: 500, startedAt: new Date(now - 3_000).toISOString() }),
        attempt(id, { eventId: events[1].id, outcome: 'exhausted', httpStatus: 502, startedAt: new Date(now - 2_000).toISOString() }),
        attempt(id, { eventId: events[2].id, outcome: 'failure', httpStatus: 500, startedAt: new Date(now - 1_000).toISOString() }),
        attempt(id, { eventId: events[2].id, outcome: 'success', httpStatus: 200, attempt: 2, startedAt: new Date(now).toISOString() }),
      ];
      await produceAttempts(records);
      await eventually(async () => expect((await listDeliveries(id)).body.data).toHaveLength(4));

      const redelivered = await app.call('POST', `/v1/webhooks/${id}/deliveries/${records[0].attemptId}/redeliver`, { key: admin.key });
      expect(redelivered.status).toBe(202);
      const job = await eventually(() => {
        const found = deliveries.forKey(id).find((message) => message.value.jobId === redelivered.body.jobId);
        expect(found).toBeDefined();
        return found!.value;
      });
      expect(job).toMatchObject({ subscriptionId: id, workspaceId: admin.workspaceId, attempt: 1, reason: 'recovery', event: events[0] });
      // Marked manual with who asked; the worker copies the mark onto the attempt, and the log shows it.
      expect(job.requestedBy).toEqual({ apiKeyId: expect.any(String), apiKeyName: expect.any(String), memberId: admin.memberId });
      const manual = attempt(id, { eventId: events[0].id, jobId: job.jobId, outcome: 'failure', httpStatus: 500, trigger: 'manual', requestedBy: job.requestedBy });
      await produceAttempts([manual]);
      const logged = await eventually(async () => {
        const found = (await listDeliveries(id)).body.data.find((row: { id: string }) => row.id === manual.attemptId);
        expect(found).toBeDefined();
        return found;
      });
      expect(logged).toMatchObject({ trigger: 'manual', requestedBy: job.requestedBy });
      expect((await listDeliveries(id)).body.data.find((row: { id: string }) => row.id === records[0].attemptId)).toMatchObject({ trigger: 'event', requestedBy: null });

      const recovered = await app.call('POST', `/v1/webhooks/${id}/recover`, { key: admin.key, body: { since: new Date(now - 60_000).toISOString() } });
      expect(recovered.body).toEqual({ queued: 2, truncated: false, skippedForPermission: 0 });
      await eventually(() => {
        const replayed = deliveries.forKey(id).filter((message) => message.value.jobId !== redelivered.body.jobId).map((message) => message.value.event.id);
        expect(replayed.sort()).toEqual([events[0].id, events[1].id].sort());
      });
      const invalid = await app.call('POST', `/v1/webhooks/${id}/recover`, { key: admin.key, body: {} });
      expect(invalid.body).toEqual({ errors: [{ field: 'since', reason: 'is required (ISO 8601 time)' }] });

      await app.call('PATCH', `/v1/webhooks/${id}`, { key: admin.key, body: { enabled: false } });
      expect((await app.call('POST', `/v1/webhooks/${id}/recover`, { key: admin.key, body: { since: '2026-01-01T00:00:00Z' } })).status).toBe(409);
    });

    it("keeps each workspace's payload under an event id both used: the log, redeliver and recover show and send only its own", async () => {
      const other = await app.workspace();
      const mine = await webhook('Same id, mine');
      const theirs = await webhook('Same id, theirs', other.key);
      // Producers choose event ids: another workspace publishes one with the same id, and different data, first.
      const event = contactEvent();
      const foreign: EventEnvelope = { ...event, workspaceId: other.workspaceId, data: { ...(event.data as { contact: object }), contact: { ...(event.data as { contact: object }).contact, jobTitle: 'Foreign workspace secret' } } };
      await app.produce(TOPICS.events('contact'), [{ key: other.workspaceId, value: foreign }]);
      await app.produce(TOPICS.events('contact'), [{ key: admin.workspaceId, value: event }]);
      await eventually(async () => expect((await app.dataSource.query('SELECT count(*)::int AS n FROM event_payloads WHERE event_id = $1', [event.id]))[0].n).toBe(2));

      const failed = attempt(mine, { eventId: event.id, outcome: 'failure', httpStatus: 500 });
      await produceAttempts([failed, attempt(theirs, { eventId: event.id, workspaceId: other.workspaceId, outcome: 'failure', httpStatus: 500 })]);
      const logged = await eventually(async () => {
        const rows = (await listDeliveries(mine)).body.data;
        expect(rows).toHaveLength(1);
        return rows[0];
      });
      expect(logged.requestBody).toContain(event.id);
      expect(logged.requestBody).not.toContain('Foreign workspace secret');
      const theirLog = await eventually(async () => {
        const rows = (await app.call('GET', `/v1/webhooks/${theirs}/deliveries`, { key: other.key })).body.data;
        expect(rows).toHaveLength(1);
        return rows[0];
      });
      expect(theirLog.requestBody).toContain('Foreign workspace secret');

      const redelivered = await app.call('POST', `/v1/webhooks/${mine}/deliveries/${failed.attemptId}/redeliver`, { key: admin.key });
      expect(redelivered.status).toBe(202);
      const recovered = await app.call('POST', `/v1/webhooks/${mine}/recover`, { key: admin.key, body: { since: new Date(Date.now() - 60_000).toISOString() } });
      expect(recovered.body).toMatchObject({ queued: 1 });
      await eventually(() => expect(deliveries.forKey(mine)).toHaveLength(2));
      for (const job of deliveries.forKey(mine)) expect(job.value.event).toEqual(event);
    });
  });
});
