/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are checked by the assertions, not typed here */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CONTACT_CREATED, newId, type SubscriptionRecord, TOPICS, USER_ROLE_CHANGED, USER_UPDATED } from '@harmony/contracts';
import { loadConfig } from '@harmony/platform-config';
import { KafkaConnection } from '@harmony/platform-kafka';
import { createLogger } from '@harmony/platform-observability';
import { type RunningService, startService } from '@harmony/platform-runtime';
import { TenancyService } from '@harmony/subscriptions/feature';
import { createTestDatabase, eventually, LOOPBACK_RECEIVERS_ENV, startTestBroker, type TestBroker, type TestDatabase, TopicRecorder } from '@harmony/testing';
import { ALL_IN_ONE } from '../src/all-in-one';

interface Received {
  path: string;
  eventId: string;
  headers: Record<string, string>;
  body: string;
}

interface Admin {
  key: string;
  workspaceId: string;
}

/**
 * Tenant isolation over real HTTP, as a hostile review tried it (issue #12): the
 * all-in-one app (five services, embedded broker, PGlite or PostgreSQL), two
 * workspaces, a member promoted and demoted by Harmony's user.* events, and a
 * receiver on loopback.
 */
describe('tenant isolation (all-in-one, two workspaces, changing roles)', () => {
  let broker: TestBroker;
  let db: TestDatabase;
  let service: RunningService;
  let receiver: Server;
  let receiverUrl: string;
  let snapshots: TopicRecorder;
  let adminA: Admin;
  let adminB: Admin;
  const received: Received[] = [];
  /** Event ids the receiver answers 500. */
  const failing = new Set<string>();

  async function call(method: string, path: string, key: string, body?: unknown): Promise<{ status: number; body: any }> {
    const response = await fetch(`${service.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }

  async function publish(admin: Admin, type: string, data: unknown, extra: Record<string, unknown> = {}): Promise<string> {
    const id = (extra['id'] as string | undefined) ?? randomUUID();
    const answer = await call('POST', '/v1/events', admin.key, { id, type, workspaceId: admin.workspaceId, occurredAt: new Date().toISOString(), data, ...extra });
    expect(answer).toEqual({ status: 202, body: { accepted: [id], duplicates: [] } });
    return id;
  }

  const at = (path: string, eventId: string): Received[] => received.filter((request) => request.path === path && request.eventId === eventId);

  /** Waits until the pipeline has a webhook's snapshot matching `check` (changes reach it asynchronously), plus a margin to apply it. */
  async function live(id: string, check: (record: SubscriptionRecord) => boolean = () => true): Promise<void> {
    await snapshots.waitFor(() => {
      const latest = snapshots.values<SubscriptionRecord | null>(TOPICS.subscriptions).filter((record) => record?.id === id).at(-1);
      return latest !== undefined && latest !== null && check(latest);
    }, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }

  async function createWebhook(key: string, body: Record<string, unknown>): Promise<any> {
    const created = await call('POST', '/v1/webhooks', key, body);
    expect(created.status).toBe(201);
    await live(created.body.id);
    return created.body;
  }

  function workspaceUser(userId: string, role: string): Record<string, unknown> {
    return { ...USER_UPDATED.example.user, id: userId, name: 'Mia Member', email: `${userId.toLowerCase()}@example.com`, role, status: 'active' };
  }

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const eventId = String(request.headers['webhook-id']);
        received.push({ path: request.url ?? '', eventId, headers: request.headers as Record<string, string>, body });
        response.writeHead(failing.has(eventId) ? 500 : 200).end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

    broker = await startTestBroker();
    db = await createTestDatabase();
    const config = loadConfig({
      KAFKA_BROKERS: broker.address,
      PORT: '0',
      LOG_LEVEL: 'silent',
      SUBSCRIPTIONS_BOOTSTRAP: 'false',
      KAFKA_TOPIC_PARTITIONS: '1',
      ...LOOPBACK_RECEIVERS_ENV,
      ...(db.url ? { DATABASE_URL: db.url } : {}),
    });
    config.database.pgliteDir = db.pgliteDir;
    service = await startService(ALL_IN_ONE, config, createLogger({ service: 'all-in-one', level: 'silent' }));
    await eventually(async () => expect((await fetch(`${service.url}/ready`)).status).toBe(200), 60_000);
    snapshots = new TopicRecorder(service.app.get(KafkaConnection), [TOPICS.subscriptions]);
    await snapshots.start();

    const tenancy = service.app.get(TenancyService);
    for (const name of ['A', 'B']) {
      const { workspace, created } = await tenancy.createWorkspaceWithAdmin({ workspaceName: `Workspace ${name}`, adminName: `Admin ${name}`, userId: newId('user') });
      const admin = { key: created.key, workspaceId: workspace.id };
      if (name === 'A') adminA = admin;
      else adminB = admin;
      // Keys reach event-ingest through webhooks.api-keys: publish once it knows this one.
      await eventually(async () => expect((await call('POST', '/v1/events', admin.key, [])).status).toBe(400), 30_000);
    }
  }, 120_000);

  afterAll(async () => {
    await snapshots?.stop();
    await service?.app.close();
    await broker?.close();
    await db?.drop();
    await new Promise((resolve) => receiver?.close(resolve));
  }, 60_000);

  it("delivers another workspace's event that reuses an event id: dedupe is per workspace", async () => {
    const hookA = await createWebhook(adminA.key, { name: 'A contacts', url: `${receiverUrl}/a`, events: ['contact.created'] });
    const hookB = await createWebhook(adminB.key, { name: 'B contacts', url: `${receiverUrl}/b`, events: ['contact.created'] });
    expect(hookA.id).not.toBe(hookB.id);
    const id = await publish(adminA, 'contact.created', CONTACT_CREATED.example);
    // Workspace B happens (or tries) to use the same id: its event is its own, not a duplicate of A's.
    await publish(adminB, 'contact.created', CONTACT_CREATED.example, { id });
    await eventually(() => {
      expect(at('/a', id)).toHaveLength(1);
      expect(at('/b', id)).toHaveLength(1);
    }, 30_000);
    expect(JSON.parse(at('/b', id)[0]!.body).workspace_id).toBe(adminB.workspaceId);
    // Within one workspace a re-sent id is still a duplicate.
    expect((await call('POST', '/v1/events', adminB.key, { id, type: 'contact.created', workspaceId: adminB.workspaceId, occurredAt: new Date().toISOString(), data: CONTACT_CREATED.example })).body).toEqual({
      accepted: [],
      duplicates: [id],
    });
  }, 60_000);

  describe('a member of workspace A, promoted and demoted by Harmony\'s user.role_changed', () => {
    const userId = newId('user');
    const token = 'Bearer mia-receiver-token-7f3a';
    let memberKey: string;
    let mine: any;
    let adminHook: any;

    beforeAll(async () => {
      // Synced from Harmony's user.added, with a key of its own.
      await publish(adminA, 'user.added', { user: workspaceUser(userId, 'member'), addedVia: 'invitation', actor: null });
      let memberId = '';
      await eventually(async () => {
        const members = await call('GET', '/v1/members', adminA.key);
        memberId = members.body.data.find((member: { userId: string }) => member.userId === userId)?.id;
        expect(memberId).toMatch(/^mem_/);
      }, 30_000);
      memberKey = (await call('POST', '/v1/api-keys', adminA.key, { name: 'Mia', memberId, scopes: ['webhooks:read', 'webhooks:write'] })).body.key;
      mine = await createWebhook(memberKey, { name: 'Mia users', url: `${receiverUrl}/m`, events: ['user.updated'], headers: { Authorization: token } });
      adminHook = await createWebhook(adminA.key, { name: 'Admin users', url: `${receiverUrl}/admin`, events: ['user.updated'] });
    }, 60_000);

    it('marks admin-only types in the catalog and tells a member who subscribes to one that it will not be delivered', async () => {
      const catalog = await call('GET', '/v1/event-types', memberKey);
      const types = catalog.body.categories.flatMap((category: { events: unknown[] }) => category.events);
      expect(types.find((event: { type: string }) => event.type === 'user.updated')).toMatchObject({ access: 'admin', requiredRole: 'admin' });
      expect(types.find((event: { type: string }) => event.type === 'contact.created')).toMatchObject({ access: 'workspace', requiredRole: 'member' });
      expect(mine.warnings).toEqual([{ field: 'events', reason: 'user.updated is admin-only: this webhook will not receive it while its owner is a member' }]);
      expect((await call('GET', `/v1/webhooks/${mine.id}`, memberKey)).body.warnings).toEqual(mine.warnings);
      expect(adminHook.warnings).toEqual([]);
      // Custom header values are masked on read, like secrets.
      expect(mine.headers).toEqual({ Authorization: '****7f3a' });
    });

    it("never lets a producer's access widen an admin-only type: the admin's webhook gets it, the member's does not", async () => {
      const widened = await publish(adminA, 'user.updated', USER_UPDATED.example, { access: { scope: 'workspace' } });
      await eventually(() => expect(at('/admin', widened)).toHaveLength(1), 30_000);
      // Fan-out considered the member's webhook for this very event and dropped it for permission (the same batch as the admin's).
      await eventually(async () =>
        expect((await fetch(`${service.url}/metrics`).then((r) => r.text())).match(/fanout_permission_drops_total\{category="user",scope="admin"[^}]*\} (\d+)/)?.[1]).toBe('1'),
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(at('/m', widened)).toHaveLength(0);
    }, 60_000);

    it("applies the owner's current access to redeliver and recover, and withholds payloads in the log from a caller who lost sight of them", async () => {
      // Promoted to admin: the member's webhook receives user.updated, with the real header value.
      const promotedAt = new Date().toISOString();
      await publish(adminA, 'user.role_changed', { ...USER_ROLE_CHANGED.example, user: workspaceUser(userId, 'admin'), previousRole: 'member', role: 'admin' });
      await live(mine.id, (record) => record.owner.role === 'admin');
      const delivered = await publish(adminA, 'user.updated', USER_UPDATED.example);
      const failed = randomUUID();
      failing.add(failed);
      await publish(adminA, 'user.updated', USER_UPDATED.example, { id: failed });
      await eventually(() => {
        expect(at('/m', delivered)).toHaveLength(1);
        expect(at('/m', failed).length).toBeGreaterThanOrEqual(1);
      }, 30_000);
      expect(at('/m', delivered)[0]!.headers['authorization']).toBe(token);
      let logged: { id: string; eventId: string; requestBody: string | null }[] = [];
      await eventually(async () => {
        logged = (await call('GET', `/v1/webhooks/${mine.id}/deliveries`, memberKey)).body.data;
        expect(logged.map((row) => row.eventId)).toEqual(expect.arrayContaining([delivered, failed]));
      }, 30_000);
      const deliveredRow = logged.find((row) => row.eventId === delivered)!;
      expect(deliveredRow.requestBody).toContain(delivered);

      // Demoted again: the rule is the owner's current access, wherever an event could reach or be shown to them.
      await publish(adminA, 'user.role_changed', { ...USER_ROLE_CHANGED.example, user: workspaceUser(userId, 'member'), previousRole: 'admin', role: 'member' });
      await live(mine.id, (record) => record.owner.role === 'member');

      const redeliver = await call('POST', `/v1/webhooks/${mine.id}/deliveries/${deliveredRow.id}/redeliver`, memberKey);
      expect(redeliver.status).toBe(403);
      expect(redeliver.body.message).toMatch(/owner may no longer see this user\.updated event \(admins only\)/);
      // The owner's access decides, whoever asks.
      expect((await call('POST', `/v1/webhooks/${mine.id}/deliveries/${deliveredRow.id}/redeliver`, adminA.key)).status).toBe(403);
      const recovered = await call('POST', `/v1/webhooks/${mine.id}/recover`, memberKey, { since: promotedAt });
      expect(recovered).toEqual({
        status: 202,
        body: { queued: 0, truncated: false, skippedForPermission: 1, skippedReason: "events the webhook's owner may no longer see are not sent again" },
      });

      // The log keeps the rows but no longer shows the demoted member the payloads; an admin still sees them.
      const memberView = await call('GET', `/v1/webhooks/${mine.id}/deliveries`, memberKey);
      const rows = memberView.body.data.filter((row: { eventId: string }) => [delivered, failed].includes(row.eventId));
      expect(rows.length).toBeGreaterThanOrEqual(2);
      for (const row of rows) {
        expect(row.requestBody).toBeNull();
        expect(row.requestBodyWithheld).toBe('withheld: your access does not include this user.updated event (admins only)');
      }
      const adminView = await call('GET', `/v1/webhooks/${mine.id}/deliveries`, adminA.key);
      expect(adminView.body.data.find((row: { eventId: string }) => row.eventId === delivered).requestBody).toContain(delivered);

      // Nothing was sent again.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(at('/m', delivered)).toHaveLength(1);
    }, 120_000);
  });
});
