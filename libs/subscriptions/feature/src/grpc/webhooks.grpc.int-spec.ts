/* eslint-disable @typescript-eslint/no-explicit-any -- gRPC answers are plain objects checked by the tests */
import { createServer } from 'node:net';
import { credentials, loadPackageDefinition, Metadata, type ServiceError, status } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { type AttemptRecord, TOPICS } from '@harmony/contracts';
import { type Caller, eventually, SubscriptionApp, type TopicCollector, workerAttempt } from '../test/subscription-app.fixture';
import { PROTO_LOADER_OPTIONS, WEBHOOKS_PROTO_PATH } from './grpc-server';

type Call = (request: object, metadata: Metadata, callback: (error: ServiceError | null, response: any) => void) => void;
type WebhookClient = Record<'CreateWebhook' | 'GetWebhook' | 'ListWebhooks' | 'UpdateWebhook' | 'DeleteWebhook' | 'GetWebhookHealth', Call> & { close(): void };

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A real gRPC client (grpc-js + the proto) against the booted service. */
describe('gRPC WebhookService', () => {
  let app: SubscriptionApp;
  let client: WebhookClient;
  let admin: Caller;
  let member: Caller;
  let otherWorkspace: Caller;
  let snapshots: TopicCollector;

  beforeAll(async () => {
    const port = await freePort();
    app = await SubscriptionApp.start({ GRPC_PORT: String(port) });
    admin = await app.workspace();
    member = await app.member(admin, 'member');
    otherWorkspace = await app.workspace();
    snapshots = await app.collect(TOPICS.subscriptions);
    const definition = loadPackageDefinition(loadSync(WEBHOOKS_PROTO_PATH, PROTO_LOADER_OPTIONS)) as any;
    client = new definition.harmony.webhooks.v1.WebhookService(`127.0.0.1:${port}`, credentials.createInsecure());
  }, 60_000);

  afterAll(async () => {
    client?.close();
    await snapshots?.stop();
    await app?.close();
  }, 30_000);

  function call(method: keyof Omit<WebhookClient, 'close'>, request: object, key: string | null): Promise<any> {
    const metadata = new Metadata();
    if (key) metadata.set('authorization', `Bearer ${key}`);
    return new Promise((resolve, reject) => client[method](request, metadata, (error, response) => (error ? reject(error) : resolve(response))));
  }

  const failure = (promise: Promise<unknown>): Promise<ServiceError> =>
    promise.then(
      () => {
        throw new Error('expected the call to fail');
      },
      (error: ServiceError) => error,
    );

  it('creates, gets, lists, updates and deletes a webhook, publishing each change', async () => {
    const created = await call(
      'CreateWebhook',
      {
        name: 'Over gRPC',
        url: 'https://hooks.example.com/grpc',
        events: { types: ['contact.created'] },
        headers: { 'X-Source': 'grpc', Authorization: 'Bearer grpc_token_51H8x9f3k' },
      },
      member.key,
    );
    expect(created.signingSecret).toMatch(/^whsec_/);
    expect(created.webhook).toMatchObject({
      name: 'Over gRPC',
      url: 'https://hooks.example.com/grpc',
      events: { types: ['contact.created'] },
      enabled: true,
      // Values masked on read, as in REST; the pipeline's snapshot carries the real ones.
      headers: { 'X-Source': '****', Authorization: '****9f3k' },
      ownerMemberId: member.memberId,
      version: 1,
    });
    expect(created.webhook.warnings ?? []).toEqual([]);
    const id = created.webhook.id;
    await eventually(() => expect(snapshots.forKey(id)).toHaveLength(1));
    expect(snapshots.forKey(id)[0]!.value.headers).toEqual({ 'X-Source': 'grpc', Authorization: 'Bearer grpc_token_51H8x9f3k' });

    expect(await call('GetWebhook', { id }, member.key)).toMatchObject({ id, name: 'Over gRPC', headers: { 'X-Source': '****', Authorization: '****9f3k' } });
    const listed = await call('ListWebhooks', {}, member.key);
    expect(listed.webhooks.map((webhook: { id: string }) => webhook.id)).toEqual([id]);
    expect(JSON.stringify(listed)).not.toContain('grpc_token');

    const updated = await call('UpdateWebhook', { id, name: 'Renamed', events: { all: true }, enabled: false, description: 'via gRPC' }, member.key);
    // Every event, as a member: told which admin-only ones it will not receive, as in REST.
    expect(updated.warnings).toEqual([expect.stringMatching(/^user\.added, .* are admin-only: this webhook will not receive them while its owner is a member$/)]);
    expect(updated).toMatchObject({ name: 'Renamed', events: { all: true }, enabled: false, disabledReason: 'Disabled by a user.', description: 'via gRPC', version: 2 });
    // The REST API sees the same webhook.
    expect((await app.call('GET', `/v1/webhooks/${id}`, { key: admin.key })).body).toMatchObject({ name: 'Renamed', events: '*' });

    expect(await call('DeleteWebhook', { id }, member.key)).toEqual({});
    await eventually(() => expect(snapshots.forKey(id).at(-1)?.value).toBeNull());
    expect((await failure(call('GetWebhook', { id }, member.key))).code).toBe(status.NOT_FOUND);
  });

  it('says who owns a webhook and why the current URL policy refuses its URL, as REST does', async () => {
    const created = await call('CreateWebhook', { name: 'Owned', url: 'https://hooks.example.com/owned', events: { all: true } }, member.key);
    const id = created.webhook.id;
    const rest = (await app.call('GET', `/v1/webhooks/${id}`, { key: admin.key })).body;
    expect(created.webhook.owner).toEqual(rest.owner);
    expect(created.webhook.owner).toMatchObject({ memberId: member.memberId, role: 'member' });
    expect(created.webhook.urlProblem).toBeUndefined();

    // Saved before the operator tightened the policy (here: a private address, which it refuses).
    await app.dataSource.query('UPDATE subscriptions SET url = $1 WHERE id = $2', ['https://10.20.30.40/owned', id]);
    const refused = (await app.call('GET', `/v1/webhooks/${id}`, { key: admin.key })).body;
    expect(refused.urlProblem).toEqual(expect.any(String));
    expect((await call('GetWebhook', { id }, member.key)).urlProblem).toBe(refused.urlProblem);
    const listed = await call('ListWebhooks', { search: 'Owned' }, admin.key);
    expect(listed.webhooks).toEqual([expect.objectContaining({ id, urlProblem: refused.urlProblem, owner: rest.owner })]);
    await call('DeleteWebhook', { id }, member.key);
  });

  it('applies the same input rules, naming the field', async () => {
    const error = await failure(call('CreateWebhook', { name: 'Bad', url: 'https://u:p@hooks.example.com/', events: { types: [] } }, admin.key));
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(JSON.parse(String(error.metadata.get('x-field-errors')[0]))).toEqual([
      { field: 'url', reason: 'URL must not contain credentials (user name or password)' },
      { field: 'events', reason: 'must select at least one event type' },
    ]);
    expect(error.details).toContain('url: URL must not contain credentials');
    await call('CreateWebhook', { name: 'Taken', url: 'https://hooks.example.com/t', events: { all: true } }, admin.key);
    const duplicate = await failure(call('CreateWebhook', { name: 'taken', url: 'https://hooks.example.com/t', events: { all: true } }, admin.key));
    expect(duplicate.code).toBe(status.INVALID_ARGUMENT);
  });

  it('authenticates with the API key in metadata: 401/404/403 as in REST', async () => {
    const { webhook } = await call('CreateWebhook', { name: 'Admin owned', url: 'https://hooks.example.com/a', events: { all: true } }, admin.key);
    expect((await failure(call('ListWebhooks', {}, null))).code).toBe(status.UNAUTHENTICATED);
    expect((await failure(call('ListWebhooks', {}, 'hwk_wrong'))).code).toBe(status.UNAUTHENTICATED);
    expect((await failure(call('GetWebhook', { id: webhook.id }, otherWorkspace.key))).code).toBe(status.NOT_FOUND);
    expect((await failure(call('UpdateWebhook', { id: webhook.id, name: 'Mine now' }, member.key))).code).toBe(status.PERMISSION_DENIED);
    expect((await failure(call('DeleteWebhook', { id: webhook.id }, member.key))).code).toBe(status.PERMISSION_DENIED);
    const readOnly = await app.member(admin, 'admin', ['webhooks:read']);
    expect(await call('GetWebhook', { id: webhook.id }, readOnly.key)).toMatchObject({ id: webhook.id });
    const denied = await failure(call('DeleteWebhook', { id: webhook.id }, readOnly.key));
    expect(denied.code).toBe(status.PERMISSION_DENIED);
    expect(denied.details).toContain('webhooks:write');
  });

  it('lists one keyset page at a time with the REST filters, inside the workspace', async () => {
    const workspace = await app.workspace();
    const names = ['Paged CRM', 'Paged billing', 'Paged all', 'Paged off'];
    for (const [index, name] of names.entries()) {
      await call('CreateWebhook', { name, url: `https://hooks.example.com/paged/${index}`, events: index === 2 ? { all: true } : { types: ['contact.created'] }, enabled: index !== 3 }, workspace.key);
    }
    const seen: string[] = [];
    let cursor = '';
    do {
      const page = await call('ListWebhooks', { limit: 3, cursor }, workspace.key);
      expect(page.webhooks.length).toBeLessThanOrEqual(3);
      seen.push(...page.webhooks.map((webhook: { name: string }) => webhook.name));
      cursor = page.nextCursor ?? '';
    } while (cursor);
    expect(seen).toEqual(names);
    const first = await call('ListWebhooks', { limit: 1 }, workspace.key);
    expect(first.webhooks.map((webhook: { name: string }) => webhook.name)).toEqual(['Paged CRM']);
    expect(first.nextCursor).toEqual(expect.any(String));
    const named = async (request: object): Promise<string[]> => ((await call('ListWebhooks', request, workspace.key)).webhooks ?? []).map((webhook: { name: string }) => webhook.name);
    expect(await named({ search: 'BILL' })).toEqual(['Paged billing']);
    expect(await named({ enabled: false })).toEqual(['Paged off']);
    expect(await named({ enabled: true, eventType: 'user.added' })).toEqual(['Paged all']);
    expect((await call('ListWebhooks', { search: 'Paged' }, otherWorkspace.key)).webhooks ?? []).toEqual([]);
    const bad = await failure(call('ListWebhooks', { limit: 500, cursor: 'garbage' }, workspace.key));
    expect(bad.code).toBe(status.INVALID_ARGUMENT);
    // The reasons keep their non-ASCII characters through the (ASCII-only) metadata.
    expect(JSON.parse(String(bad.metadata.get('x-field-errors')[0]))).toEqual([
      { field: 'cursor', reason: 'is not a cursor this API returned' },
      { field: 'limit', reason: 'must be an integer 1–200' },
    ]);
  });

  it("answers a webhook's endpoint health as REST does, with the same ownership rules", async () => {
    const { webhook } = await call('CreateWebhook', { name: 'Health', url: 'https://hooks.example.com/health', events: { all: true } }, admin.key);
    const at = new Date(Date.now() - 60_000).toISOString();
    const record = (overrides: Partial<AttemptRecord>): AttemptRecord => workerAttempt(webhook.id, admin.workspaceId, Date.parse(at), overrides);
    const failed = record({ outcome: 'failure', httpStatus: 503, durationMs: 300, error: { code: 'http_status', message: 'HTTP 503' }, breaker: 'open', finishedAt: new Date(Date.parse(at) + 1000).toISOString() });
    await app.produce(TOPICS.attempts, [record({}), failed].map((value) => ({ key: webhook.id, value })));
    const health = await eventually(async () => {
      const answer = await call('GetWebhookHealth', { id: webhook.id }, admin.key);
      expect(answer.lastDay).toMatchObject({ attempts: 2 });
      return answer;
    });
    expect(health).toMatchObject({
      webhookId: webhook.id,
      lastDay: { attempts: 2, succeeded: 1, failed: 1, successRate: 0.5 },
      lastWeek: { attempts: 2, succeeded: 1, failed: 1 },
      breaker: { state: 'open', asOf: failed.finishedAt },
      lastError: { attemptId: failed.attemptId, outcome: 'failure', httpStatus: 503, code: 'http_status', message: 'HTTP 503', at: failed.finishedAt },
    });
    // 100 and 300 ms: each percentile lands in its bucket ([100, 120], [300, 400]).
    expect(health.lastDay.p50Ms).toBeGreaterThanOrEqual(100);
    expect(health.lastDay.p50Ms).toBeLessThanOrEqual(120);
    expect(health.lastDay.p95Ms).toBeGreaterThanOrEqual(300);
    expect(health.lastDay.p95Ms).toBeLessThanOrEqual(400);
    const empty = await call('CreateWebhook', { name: 'Quiet', url: 'https://hooks.example.com/quiet', events: { all: true } }, admin.key);
    const quiet = await call('GetWebhookHealth', { id: empty.webhook.id }, admin.key);
    // proto3: a zero count arrives unset; an unknown rate, breaker or error is unset too.
    expect(quiet.lastDay.from).toEqual(expect.any(String));
    expect(quiet.lastDay.attempts ?? 0).toBe(0);
    expect(quiet.lastDay.successRate).toBeUndefined();
    expect(quiet.breaker.state).toBeUndefined();
    expect(quiet.lastError).toBeUndefined();
    expect((await failure(call('GetWebhookHealth', { id: webhook.id }, member.key))).code).toBe(status.PERMISSION_DENIED);
    expect((await failure(call('GetWebhookHealth', { id: webhook.id }, otherWorkspace.key))).code).toBe(status.NOT_FOUND);
  });

  it('registers the operational endpoint (operational events only, admins, one per workspace) and lists it with operational', async () => {
    const workspace = await app.workspace();
    const events = { types: ['webhook.disabled', 'webhook.delivery_exhausted', 'webhook.recovered'] };
    const created = await call('CreateWebhook', { name: 'Operations', url: 'https://ops.example.com/grpc', events }, workspace.key);
    expect(created.webhook).toMatchObject({ name: 'Operations', operational: true, events });
    const plain = await call('CreateWebhook', { name: 'Plain', url: 'https://hooks.example.com/plain', events: { all: true } }, workspace.key);
    expect(plain.webhook.operational).toBe(false);

    const second = await failure(call('CreateWebhook', { name: 'Ops 2', url: 'https://ops.example.com/2', events: { types: ['webhook.disabled'] } }, workspace.key));
    expect(second.code).toBe(status.INVALID_ARGUMENT);
    expect(second.details).toContain('already has an operational endpoint');
    const listed = await call('ListWebhooks', { operational: true }, workspace.key);
    expect(listed.webhooks.map((webhook: { id: string }) => webhook.id)).toEqual([created.webhook.id]);
    const others = await call('ListWebhooks', { operational: false }, workspace.key);
    expect(others.webhooks.map((webhook: { id: string }) => webhook.id)).toEqual([plain.webhook.id]);
    const memberKey = (await app.member(workspace, 'member')).key;
    expect((await failure(call('CreateWebhook', { name: 'Mine', url: 'https://ops.example.com/m', events: { types: ['webhook.recovered'] } }, memberKey))).code).toBe(status.PERMISSION_DENIED);
  });
});
