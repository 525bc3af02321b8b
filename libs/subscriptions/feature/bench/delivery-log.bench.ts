/**
 * Delivery log listing with 1,000,000 rows in one workspace.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test \
 *     node scripts/run-ts.js libs/subscriptions/feature/bench/delivery-log.bench.ts [rows]
 *
 * Creates a throwaway database (dropped at the end), applies the real
 * migrations, fills delivery_attempts server-side (generate_series) for one
 * workspace — one busy webhook with 60 % of the rows, nine others — then times
 * the API's page query (DeliveryLogRepository.findPage) for the filters the page offers,
 * at the first page and deep into the log via cursors, and endpoint health
 * (the rollup the migration fills from the log: one webhook's 24 h + 7 d, a
 * list page's 24 h). Target: p95 < 50 ms. For decision 0113 it also times,
 * once, the alternative not taken: percentiles straight from the log through
 * a covering index.
 */
import 'reflect-metadata';
import { openDataSource } from '@harmony/platform-database';
import { createTestDatabase } from '@harmony/testing';
import { SUBSCRIPTION_SERVICE_ENTITIES } from '../src/entities';
import { type DeliveryFilters, DeliveryLogRepository, type DeliveryScope } from '../src/delivery-log/delivery-log.repository';
import { EndpointHealthRepository, HEALTH_ROLLUP_KEPT_MS, rollUpDeliveryLog } from '../src/health/endpoint-health.repository';
import { SUBSCRIPTION_SERVICE_MIGRATIONS } from '../src/migrations';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const ITERATIONS = 200;
const TARGET_P95_MS = 50;

async function main(): Promise<void> {
  if (!process.env['DATABASE_URL']) process.stderr.write('DATABASE_URL is not set: running on PGlite (the target is for PostgreSQL)\n');
  const db = await createTestDatabase();
  const dataSource = await openDataSource({
    url: db.url,
    pgliteDir: db.pgliteDir,
    entities: SUBSCRIPTION_SERVICE_ENTITIES,
    migrations: SUBSCRIPTION_SERVICE_MIGRATIONS,
  });
  const log = new DeliveryLogRepository(dataSource);
  try {
    const started = Date.now();
    // 10 webhooks; sub_0 is the busy one (60 % of rows). 9 event types, 8 % failures, one row a second back from now.
    await dataSource.query(`
      INSERT INTO delivery_attempts (id, workspace_id, subscription_id, job_id, event_id, event_type, attempt, outcome, url,
                                     http_status, duration_ms, response_body, request_headers, started_at, finished_at)
      SELECT 'att_' || lpad(g::text, 26, '0'), 'ws_bench',
             CASE WHEN g % 10 < 6 THEN 'sub_0' ELSE 'sub_' || (g % 10)::text END,
             'job_' || g, 'evt_' || lpad(g::text, 26, '0'),
             (ARRAY['contact.created','contact.updated','account.created','account.updated','conversation.recorded',
                    'conversation.processed','project.created','user.added','contact.deleted'])[1 + g % 9],
             1, CASE WHEN g % 13 = 0 THEN 'failure' ELSE 'success' END, 'https://hooks.example.com/bench',
             CASE WHEN g % 13 = 0 THEN 503 ELSE 200 END, 40 + g % 200, 'ok', '{"webhook-id":"x"}'::jsonb,
             now() - make_interval(secs => $1 - g), now() - make_interval(secs => $1 - g)
        FROM generate_series(1, $1) AS g`,
      [ROWS],
    );
    await dataSource.query('ANALYZE delivery_attempts');
    process.stdout.write(`filled ${ROWS} rows in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);

    const now = Date.now();
    const busy: DeliveryScope = { subscriptionId: 'sub_0' };
    // An event id from the middle of the log (the lookups: "did you send it?").
    const eventId = 'evt_' + String(Math.floor(ROWS / 2)).padStart(26, '0');
    const scenarios: { name: string; filters: Omit<DeliveryFilters, 'cursor' | 'limit'>; deep: boolean; scope?: DeliveryScope }[] = [
      { name: 'newest page', filters: {}, deep: false },
      { name: 'outcome=failure', filters: { outcome: 'failure' }, deep: false },
      { name: 'eventType=account.created', filters: { eventType: 'account.created' }, deep: false },
      { name: 'last 24 h', filters: { from: new Date(now - 86_400_000) }, deep: false },
      { name: 'failures in a 3-day window', filters: { outcome: 'failure', from: new Date(now - 5 * 86_400_000), to: new Date(now - 2 * 86_400_000) }, deep: false },
      { name: 'page 200 by cursor', filters: {}, deep: true },
      { name: 'failures, page 50 by cursor', filters: { outcome: 'failure' }, deep: true },
      { name: 'eventId= on a webhook', filters: { eventId }, deep: false },
      { name: 'an event across the workspace', filters: {}, deep: false, scope: { workspaceId: 'ws_bench', eventId } },
    ];
    let worst = 0;
    const report = (name: string, timings: number[]): void => {
      timings.sort((a, b) => a - b);
      const p50 = timings[Math.floor(timings.length * 0.5)] as number;
      const p95 = timings[Math.floor(timings.length * 0.95)] as number;
      worst = Math.max(worst, p95);
      process.stdout.write(`${name.padEnd(30)} p50 ${p50.toFixed(2).padStart(7)} ms   p95 ${p95.toFixed(2).padStart(7)} ms\n`);
    };
    for (const scenario of scenarios) {
      let cursor: DeliveryFilters['cursor'] = null;
      if (scenario.deep) {
        const pages = scenario.name.includes('200') ? 200 : 50;
        for (let i = 0; i < pages; i++) {
          const rows = await log.findPage(busy, { ...scenario.filters, cursor, limit: 50 });
          const last = rows[49];
          cursor = { finishedAt: last.finishedAt.toISOString(), id: last.id };
        }
      }
      const timings: number[] = [];
      for (let i = 0; i < ITERATIONS; i++) {
        const t0 = process.hrtime.bigint();
        const rows = await log.findPage(scenario.scope ?? busy, { ...scenario.filters, cursor, limit: 50 });
        timings.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (rows.length === 0) throw new Error(`${scenario.name}: empty page`);
      }
      report(scenario.name, timings);
    }

    // Endpoint health: the rollup as the migration fills it from this log.
    const rolled = Date.now();
    await rollUpDeliveryLog(dataSource, new Date(now - HEALTH_ROLLUP_KEPT_MS));
    await dataSource.query('ANALYZE endpoint_health_hours');
    const hours: { n: number }[] = await dataSource.query('SELECT count(*)::int AS n FROM endpoint_health_hours');
    process.stdout.write(`rolled up into ${hours[0]?.n} rows in ${((Date.now() - rolled) / 1000).toFixed(1)} s\n`);
    const health = new EndpointHealthRepository(dataSource);
    const day = new Date(now - 86_400_000);
    const week = new Date(now - 7 * 86_400_000);
    const webhooks = Array.from({ length: 10 }, (_, i) => `sub_${i}`);
    const healthScenarios: { name: string; ids: string[]; from: Date }[] = [
      { name: 'health: busy webhook 24h+7d', ids: ['sub_0'], from: week },
      { name: 'health: list page, 24h', ids: webhooks, from: day },
    ];
    for (const scenario of healthScenarios) {
      const timings: number[] = [];
      for (let i = 0; i < ITERATIONS; i++) {
        const t0 = process.hrtime.bigint();
        const counts = await health.counts('ws_bench', scenario.ids, scenario.from, day);
        await health.current('ws_bench', scenario.ids);
        timings.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (counts.length === 0) throw new Error(`${scenario.name}: no rollup rows`);
      }
      report(scenario.name, timings);
    }

    // The alternative (not used): the same figures from the log, through a covering index.
    await dataSource.query('CREATE INDEX bench_health_covering ON delivery_attempts (subscription_id, finished_at) INCLUDE (outcome, duration_ms)');
    await dataSource.query('VACUUM ANALYZE delivery_attempts');
    const direct: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t0 = process.hrtime.bigint();
      await dataSource.query(
        `SELECT count(*) FILTER (WHERE outcome = 'success') AS succeeded, count(*) AS attempts,
                percentile_cont(ARRAY[0.5, 0.95]) WITHIN GROUP (ORDER BY duration_ms) AS percentiles
           FROM delivery_attempts WHERE subscription_id = 'sub_0' AND finished_at >= $1 AND outcome <> 'sending' AND duration_ms IS NOT NULL`,
        [week],
      );
      direct.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    direct.sort((a, b) => a - b);
    process.stdout.write(`(not used) 7d from the log, covering index: p50 ${direct[5]?.toFixed(2)} ms, max ${direct[9]?.toFixed(2)} ms\n`);
    process.stdout.write(`worst p95 ${worst.toFixed(2)} ms (target < ${TARGET_P95_MS} ms): ${worst < TARGET_P95_MS ? 'OK' : 'TOO SLOW'}\n`);
    process.exitCode = worst < TARGET_P95_MS ? 0 : 1;
  } finally {
    await dataSource.destroy();
    await db.drop();
  }
}

void main();
