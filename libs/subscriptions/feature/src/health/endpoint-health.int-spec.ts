import { type AttemptRecord, TOPICS } from '@harmony/contracts';
import { type Caller, eventually, SubscriptionApp, workerAttempt } from '../test/subscription-app.fixture';
import { rollUpDeliveryLog } from './endpoint-health.repository';

const HOUR_MS = 60 * 60 * 1000;

/**
 * Endpoint health over real HTTP: attempt records go to the embedded broker as
 * the delivery worker produces them; the consumer logs them and rolls them up;
 * the API answers from the rollup.
 */
describe('endpoint health', () => {
  let app: SubscriptionApp;
  let admin: Caller;
  let member: Caller;
  let stranger: Caller;
  let crm: string;
  let mine: string;
  const now = Date.now();
  const sent: AttemptRecord[] = [];

  const attempt = (subscriptionId: string, at: number, overrides: Partial<AttemptRecord> = {}): AttemptRecord => workerAttempt(subscriptionId, admin.workspaceId, at, overrides);

  async function deliver(records: AttemptRecord[]): Promise<void> {
    sent.push(...records);
    await app.produce(TOPICS.attempts, records.map((record) => ({ key: record.subscriptionId, value: record })));
    const ids = [...new Set(sent.map((record) => record.attemptId))];
    await eventually(async () => expect((await app.dataSource.query('SELECT count(*)::int AS n FROM delivery_attempts WHERE id = ANY($1)', [ids]))[0].n).toBe(ids.length));
  }

  const failed = (at: number, status: number, durationMs: number): Partial<AttemptRecord> => ({
    outcome: 'failure',
    httpStatus: status,
    durationMs,
    error: { code: 'http_status', message: `HTTP ${status}` },
    nextAttemptAt: new Date(at + 60_000).toISOString(),
  });

  beforeAll(async () => {
    app = await SubscriptionApp.start();
    admin = await app.workspace();
    member = await app.member(admin, 'member');
    stranger = await app.workspace();
    crm = await app.webhook(admin.key, 'CRM');
    mine = await app.webhook(member.key, 'Mine');
    const recent = now - HOUR_MS;
    await deliver([
      // Last 24 h: 18 successes of 100–270 ms, two failures (the newer is the last error), then the circuit opens and a delivery is deferred.
      ...Array.from({ length: 18 }, (_, i) => attempt(crm, recent + i * 1000, { durationMs: 100 + i * 10 })),
      attempt(crm, recent + 20_000, failed(recent + 20_000, 502, 900)),
      attempt(crm, recent + 21_000, { ...failed(recent + 21_000, 503, 1000), breaker: 'open' }),
      attempt(crm, recent + 22_000, {
        outcome: 'deferred',
        httpStatus: null,
        durationMs: null,
        breaker: 'open',
        error: { code: 'circuit_open', message: 'endpoint circuit open: not sent, no attempt spent' },
        nextAttemptAt: new Date(recent + 82_000).toISOString(),
      }),
      // Three days ago: only in the 7-day window. Ten days ago: in neither.
      ...Array.from({ length: 10 }, (_, i) => attempt(crm, now - 3 * 24 * HOUR_MS + i * 1000, { durationMs: 50 })),
      attempt(crm, now - 10 * 24 * HOUR_MS, { durationMs: 50 }),
      // A member's webhook: one success.
      attempt(mine, recent, { durationMs: 40 }),
    ]);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  }, 30_000);

  it("answers a webhook's success rate, attempts and response times over 24 h and 7 d, its breaker state and last error", async () => {
    const { status, body } = await app.call('GET', `/v1/webhooks/${crm}/health`, { key: admin.key });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      webhookId: crm,
      last24h: { attempts: 20, succeeded: 18, failed: 2, deferred: 1, successRate: 0.9 },
      last7d: { attempts: 30, succeeded: 28, failed: 2, deferred: 1 },
      breaker: { state: 'open', asOf: new Date(now - HOUR_MS + 22_000).toISOString() },
      lastError: { attemptId: sent[19]!.attemptId, eventId: sent[19]!.eventId, outcome: 'failure', httpStatus: 503, code: 'http_status', message: 'HTTP 503' },
    });
    const hour = (time: number): string => new Date(Math.floor(time / HOUR_MS) * HOUR_MS).toISOString();
    expect(body.last24h.from).toBe(hour(now - 24 * HOUR_MS));
    expect(body.last7d.from).toBe(hour(now - 7 * 24 * HOUR_MS));
    // Exact: p50 of the 20 attempts is 190–200 ms, p95 900–1000 ms; the histogram answers within a bucket step.
    expect(body.last24h.responseTimeMs.p50).toBeGreaterThanOrEqual(150);
    expect(body.last24h.responseTimeMs.p50).toBeLessThanOrEqual(250);
    expect(body.last24h.responseTimeMs.p95).toBeGreaterThanOrEqual(800);
    expect(body.last24h.responseTimeMs.p95).toBeLessThanOrEqual(1000);
    expect(body.last7d.responseTimeMs.p50).toBeLessThan(body.last24h.responseTimeMs.p50);
  });

  it('shows each listed webhook its last 24 h, breaker and last error; none yet is zeros and nulls', async () => {
    const { body } = await app.call('GET', '/v1/webhooks', { key: admin.key });
    const byId = new Map(body.data.map((webhook: { id: string }) => [webhook.id, webhook]));
    expect(byId.get(crm)).toMatchObject({
      endpointHealth: { last24h: { attempts: 20, succeeded: 18, failed: 2, deferred: 1, successRate: 0.9 }, breaker: { state: 'open' }, lastError: { httpStatus: 503 } },
    });
    expect(byId.get(mine)).toMatchObject({ endpointHealth: { last24h: { attempts: 1, successRate: 1 }, breaker: { state: 'closed' }, lastError: null } });
    const fresh = await app.call('POST', '/v1/webhooks', { key: admin.key, body: { name: 'Fresh', url: 'https://hooks.example.com/fresh', events: '*' } });
    const health = await app.call('GET', `/v1/webhooks/${fresh.body.id}/health`, { key: admin.key });
    expect(health.body).toMatchObject({
      last24h: { attempts: 0, succeeded: 0, failed: 0, deferred: 0, successRate: null, responseTimeMs: { p50: null, p95: null } },
      breaker: { state: null, asOf: null },
      lastError: null,
    });
  });

  it("is member-scoped like the log: a member sees its own webhooks' health, not others', another workspace nothing", async () => {
    expect((await app.call('GET', `/v1/webhooks/${mine}/health`, { key: member.key })).status).toBe(200);
    expect((await app.call('GET', `/v1/webhooks/${crm}/health`, { key: member.key })).status).toBe(403);
    expect((await app.call('GET', `/v1/webhooks/${crm}/health`, { key: stranger.key })).status).toBe(404);
    expect((await app.call('GET', `/v1/webhooks/${crm}/health`, { key: null })).status).toBe(401);
    const listed = await app.call('GET', '/v1/webhooks', { key: member.key });
    expect(listed.body.data.map((webhook: { id: string }) => webhook.id)).toEqual([mine]);
  });

  it('counts a redelivered record once, and keeps the newest breaker state when records arrive out of order', async () => {
    const closes = attempt(crm, now - HOUR_MS + 90_000, { durationMs: 120, breaker: 'closed' });
    // The same attempt again (a consumer restart), then an older record that saw the circuit open.
    await deliver([sent[0]!, closes, attempt(crm, now - HOUR_MS + 30_000, { ...failed(now - HOUR_MS + 30_000, 500, 300), breaker: 'open' })]);
    const { body } = await app.call('GET', `/v1/webhooks/${crm}/health`, { key: admin.key });
    expect(body.last24h).toMatchObject({ attempts: 22, succeeded: 19, failed: 3 });
    expect(body.breaker).toEqual({ state: 'closed', asOf: closes.finishedAt });
    expect(body.lastError).toMatchObject({ httpStatus: 500 });
  });

  it('rolls an existing log up to the same figures (the migration and the bench fill it so)', async () => {
    const copy = await app.call('POST', '/v1/webhooks', { key: admin.key, body: { name: 'Copy', url: 'https://hooks.example.com/copy', events: '*' } });
    // The log of crm, copied under another webhook by SQL, as it stood before the rollup existed.
    await app.dataSource.query(
      `INSERT INTO delivery_attempts (id, workspace_id, subscription_id, job_id, event_id, event_type, attempt, outcome, url, http_status, duration_ms,
                                      response_body, response_body_truncated, error_code, error_message, request_headers, started_at, finished_at, next_attempt_at)
       SELECT 'copy_' || id, workspace_id, $2, job_id, event_id, event_type, attempt, outcome, url, http_status, duration_ms,
              response_body, response_body_truncated, error_code, error_message, request_headers, started_at, finished_at, next_attempt_at
         FROM delivery_attempts WHERE subscription_id = $1`,
      [crm, copy.body.id],
    );
    const original = (await app.call('GET', `/v1/webhooks/${crm}/health`, { key: admin.key })).body;
    // As the migration finds it: the log, no rollup yet.
    await app.dataSource.query('DELETE FROM endpoint_health_hours; DELETE FROM endpoint_health');
    await rollUpDeliveryLog(app.dataSource, new Date(now - 8 * 24 * HOUR_MS));
    const recomputed = (await app.call('GET', `/v1/webhooks/${crm}/health`, { key: admin.key })).body;
    expect({ ...recomputed, breaker: original.breaker }).toEqual(original);
    const rolled = (await app.call('GET', `/v1/webhooks/${copy.body.id}/health`, { key: admin.key })).body;
    expect(rolled.last24h).toEqual(original.last24h);
    expect(rolled.last7d).toEqual(original.last7d);
    expect(rolled.lastError).toEqual({ ...original.lastError, attemptId: `copy_${original.lastError.attemptId}` });
    // The log does not say how the worker's breaker stood: unknown until the next attempt.
    expect(rolled.breaker).toEqual({ state: null, asOf: null });
  });
});
