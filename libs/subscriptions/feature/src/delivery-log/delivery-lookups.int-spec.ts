import { type AttemptRecord, type EventEnvelope, getEventDefinition, newId, TOPICS } from '@harmony/contracts';
import { attemptOf, type Caller, eventually, SubscriptionApp } from '../test/subscription-app.fixture';

/**
 * "Did you send it?": the log by event id, one event across the workspace's webhooks,
 * one attempt in full. Attempt records and events are produced to the embedded broker
 * as the pipeline would; everything is read back over HTTP.
 */
describe('delivery lookups', () => {
  let app: SubscriptionApp;
  let admin: Caller;
  let member: Caller;
  let stranger: Caller;
  let crm: string;
  let billing: string;
  let mine: string;
  const shared = contactEvent();
  // Shared with another user only: the member may not see its payload.
  const restricted: EventEnvelope = { ...contactEvent(), access: { scope: 'restricted', userIds: ['usr_01JN8EY4M01Q2JXEXGJAGNSW68'], teamIds: [] } };
  let records: AttemptRecord[];

  function contactEvent(): EventEnvelope {
    return { id: newId('event'), type: 'contact.created', workspaceId: '', occurredAt: new Date().toISOString(), data: getEventDefinition('contact.created')!.example, access: { scope: 'workspace' } };
  }

  function attempt(subscriptionId: string, event: EventEnvelope, at: number, overrides: Partial<AttemptRecord> = {}): AttemptRecord {
    const time = new Date(at).toISOString();
    return attemptOf(admin.workspaceId, subscriptionId, {
      eventId: event.id,
      eventType: event.type,
      responseHeaders: { 'content-type': 'text/plain', 'x-request-id': `req-${at}` },
      requestHeaders: { 'webhook-id': event.id, 'content-type': 'application/json' },
      startedAt: time,
      finishedAt: time,
      ...overrides,
    });
  }

  beforeAll(async () => {
    app = await SubscriptionApp.start();
    admin = await app.workspace();
    member = await app.member(admin, 'member');
    stranger = await app.workspace();
    crm = await app.webhook(admin.key, 'CRM');
    billing = await app.webhook(admin.key, 'Billing');
    mine = await app.webhook(member.key, 'Mine');
    for (const event of [shared, restricted]) event.workspaceId = admin.workspaceId;
    await app.produce(TOPICS.events('contact'), [shared, restricted].map((event) => ({ key: admin.workspaceId, value: event })));
    await eventually(async () => expect((await app.dataSource.query('SELECT count(*)::int AS n FROM event_payloads WHERE event_id = ANY($1)', [[shared.id, restricted.id]]))[0].n).toBe(2));
    const base = Date.parse('2026-03-01T12:00:00Z');
    const other = contactEvent();
    records = [
      attempt(crm, shared, base, { outcome: 'failure', httpStatus: 503, responseBody: 'busy', error: { code: 'http_status', message: 'HTTP 503' }, nextAttemptAt: new Date(base + 5_000).toISOString() }),
      attempt(crm, shared, base + 5_000, { attempt: 2 }),
      attempt(billing, shared, base + 1_000),
      attempt(mine, shared, base + 2_000),
      attempt(crm, other, base + 3_000),
      attempt(mine, restricted, base + 4_000),
      // An older worker's record: no response headers.
      attempt(billing, other, base + 6_000, { responseHeaders: undefined }),
    ];
    await app.produce(TOPICS.attempts, records.map((record) => ({ key: record.subscriptionId, value: record })));
    await eventually(async () => expect((await app.dataSource.query('SELECT count(*)::int AS n FROM delivery_attempts WHERE workspace_id = $1', [admin.workspaceId]))[0].n).toBe(records.length));
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  }, 30_000);

  const ids = (body: { data: { id: string }[] }): string[] => body.data.map((row) => row.id);

  it("searches one webhook's log by event id", async () => {
    const { status, body } = await app.call('GET', `/v1/webhooks/${crm}/deliveries?eventId=${shared.id}`, { key: admin.key });
    expect(status).toBe(200);
    expect(ids(body)).toEqual([records[1]!.attemptId, records[0]!.attemptId]);
    expect(body.data[0]).toMatchObject({ webhookId: crm, eventId: shared.id, attempt: 2 });
    expect((await app.call('GET', `/v1/webhooks/${crm}/deliveries?eventId=${shared.id}&limit=1`, { key: admin.key })).body.nextCursor).toEqual(expect.any(String));
    expect((await app.call('GET', `/v1/webhooks/${billing}/deliveries?eventId=${restricted.id}`, { key: admin.key })).body.data).toEqual([]);
    const bad = await app.call('GET', `/v1/webhooks/${crm}/deliveries?eventId=${encodeURIComponent("x' OR 1=1")}`, { key: admin.key });
    expect(bad).toEqual({ status: 400, body: { errors: [{ field: 'eventId', reason: 'must be an event id (evt_ + ULID, or a UUID)' }] } });
  });

  it('lists every attempt of an event across the workspace, newest first, in keyset pages', async () => {
    const expected = [records[1]!, records[3]!, records[2]!, records[0]!].map((record) => record.attemptId);
    const { status, body } = await app.call('GET', `/v1/events/${shared.id}/deliveries`, { key: admin.key });
    expect(status).toBe(200);
    expect(ids(body)).toEqual(expected);
    expect(body.nextCursor).toBeNull();
    expect(body.data.map((row: { webhookId: string }) => row.webhookId)).toEqual([crm, mine, billing, crm]);
    expect(body.data[0].requestBody).toContain(shared.id);

    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { data: { id: string }[]; nextCursor: string | null } } = await app.call('GET', `/v1/events/${shared.id}/deliveries?limit=1${cursor ? `&cursor=${cursor}` : ''}`, { key: admin.key });
      paged.push(...ids(page.body));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(expected);
  });

  it("shows a member only its own webhooks' attempts, and another workspace nothing", async () => {
    expect(ids((await app.call('GET', `/v1/events/${shared.id}/deliveries`, { key: member.key })).body)).toEqual([records[3]!.attemptId]);
    expect((await app.call('GET', `/v1/events/${shared.id}/deliveries`, { key: stranger.key })).body).toEqual({ data: [], nextCursor: null });
    expect((await app.call('GET', `/v1/webhooks/${crm}/deliveries/${records[0]!.attemptId}`, { key: stranger.key })).status).toBe(404);
    expect((await app.call('GET', `/v1/webhooks/${crm}/deliveries/${records[0]!.attemptId}`, { key: member.key })).status).toBe(403);
    const bad = await app.call('GET', '/v1/events/not-an-id/deliveries?cursor=zz', { key: admin.key });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((error: { field: string }) => error.field)).toEqual(['id', 'cursor']);
  });

  it('answers one attempt with request headers and body, response status, headers and body', async () => {
    const { status, body } = await app.call('GET', `/v1/webhooks/${crm}/deliveries/${records[0]!.attemptId}`, { key: admin.key });
    expect(status).toBe(200);
    expect(body).toEqual({
      id: records[0]!.attemptId,
      webhookId: crm,
      eventId: shared.id,
      eventType: 'contact.created',
      trigger: 'event',
      requestedBy: null,
      attempt: 1,
      outcome: 'failure',
      url: 'https://hooks.example.com/in',
      httpStatus: 503,
      durationMs: records[0]!.durationMs,
      requestHeaders: { 'webhook-id': shared.id, 'content-type': 'application/json' },
      requestBody: expect.stringContaining(`"id":"${shared.id}"`),
      requestBodyWithheld: null,
      responseHeaders: { 'content-type': 'text/plain', 'x-request-id': `req-${Date.parse(records[0]!.startedAt)}` },
      responseBody: 'busy',
      responseBodyTruncated: false,
      error: { code: 'http_status', message: 'HTTP 503' },
      startedAt: records[0]!.startedAt,
      finishedAt: records[0]!.finishedAt,
      nextAttemptAt: records[0]!.nextAttemptAt,
    });
    expect((await app.call('GET', `/v1/webhooks/${billing}/deliveries/${records[6]!.attemptId}`, { key: admin.key })).body.responseHeaders).toBeNull();
    // Another webhook's attempt is not found under this one.
    expect((await app.call('GET', `/v1/webhooks/${billing}/deliveries/${records[0]!.attemptId}`, { key: admin.key })).status).toBe(404);
    expect((await app.call('GET', `/v1/webhooks/${crm}/deliveries/att_nothing`, { key: admin.key })).status).toBe(404);
  });

  it('withholds a payload the caller may not see, on the attempt and the event lookup alike', async () => {
    const attemptId = records[5]!.attemptId;
    const forMember = await app.call('GET', `/v1/webhooks/${mine}/deliveries/${attemptId}`, { key: member.key });
    expect(forMember.body).toMatchObject({ requestBody: null, requestBodyWithheld: expect.stringMatching(/^withheld: your access does not include this contact\.created event/) });
    const eventForMember = await app.call('GET', `/v1/events/${restricted.id}/deliveries`, { key: member.key });
    expect(eventForMember.body.data).toEqual([expect.objectContaining({ id: attemptId, requestBody: null, requestBodyWithheld: expect.stringMatching(/^withheld/) })]);
    // An admin sees it.
    expect((await app.call('GET', `/v1/webhooks/${mine}/deliveries/${attemptId}`, { key: admin.key })).body.requestBody).toContain(restricted.id);
  });
});
