/**
 * Webhook list pages with 5,000 webhooks in one workspace (and 5,000 in another).
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test \
 *     node scripts/run-ts.js libs/subscriptions/feature/bench/webhook-list.bench.ts [webhooks]
 *
 * Creates a throwaway database (dropped at the end), applies the real migrations,
 * fills subscriptions server-side, then times the API's page query (WebhookRepository.findPage)
 * for the page's filters, first page and last page by cursor. Target: p95 < 50 ms.
 */
import 'reflect-metadata';
import { openDataSource } from '@harmony/platform-database';
import { createTestDatabase } from '@harmony/testing';
import { SUBSCRIPTION_SERVICE_ENTITIES } from '../src/entities';
import { SUBSCRIPTION_SERVICE_MIGRATIONS } from '../src/migrations';
import { OutboxRepository } from '../src/outbox/outbox.repository';
import { type WebhookFilters, WebhookRepository } from '../src/webhooks/webhook.repository';

const WEBHOOKS = Number(process.argv[2] ?? 5_000);
const ITERATIONS = 200;
const TARGET_P95_MS = 50;

async function main(): Promise<void> {
  if (!process.env['DATABASE_URL']) process.stderr.write('DATABASE_URL is not set: running on PGlite (the target is for PostgreSQL)\n');
  const db = await createTestDatabase();
  const dataSource = await openDataSource({ url: db.url, pgliteDir: db.pgliteDir, entities: SUBSCRIPTION_SERVICE_ENTITIES, migrations: SUBSCRIPTION_SERVICE_MIGRATIONS });
  const webhooks = new WebhookRepository(dataSource, new OutboxRepository(dataSource));
  try {
    const started = Date.now();
    for (const workspace of ['ws_bench', 'ws_other']) {
      await dataSource.query(`INSERT INTO workspaces (id, name) VALUES ($1, $1)`, [workspace]);
      await dataSource.query(`INSERT INTO members (id, workspace_id, user_id, display_name, role, status) VALUES ($1, $2, 'usr_a', 'Ada', 'admin', 'active'), ($3, $2, 'usr_m', 'Mo', 'member', 'active')`, [
        `mem_a_${workspace}`,
        workspace,
        `mem_m_${workspace}`,
      ]);
      // Every 10th owned by the member, every 7th disabled, every 5th all events, others one of 9 types.
      await dataSource.query(
        `INSERT INTO subscriptions (id, workspace_id, owner_member_id, name, name_key, url, all_events, event_types, enabled, created_at)
         SELECT $2 || '_sub_' || lpad(g::text, 8, '0'), $2, CASE WHEN g % 10 = 0 THEN 'mem_m_' || $2 ELSE 'mem_a_' || $2 END,
                'Webhook ' || g, 'webhook ' || g, 'https://hooks.example.com/' || $2 || '/' || g, g % 5 = 0,
                CASE WHEN g % 5 = 0 THEN '[]'::jsonb ELSE jsonb_build_array((ARRAY['contact.created','contact.updated','account.created','account.updated',
                  'conversation.recorded','conversation.processed','project.created','user.added','contact.deleted'])[1 + g % 9]) END,
                g % 7 <> 0, now() - make_interval(secs => $1 - g)
           FROM generate_series(1, $1) AS g`,
        [WEBHOOKS, workspace],
      );
    }
    await dataSource.query('ANALYZE subscriptions');
    process.stdout.write(`filled 2 × ${WEBHOOKS} webhooks in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);

    const admin = { workspaceId: 'ws_bench' };
    const member = { workspaceId: 'ws_bench', ownerMemberId: 'mem_m_ws_bench' };
    const scenarios: { name: string; scope: typeof member | typeof admin; filters: Omit<WebhookFilters, 'cursor' | 'limit'>; last?: boolean }[] = [
      { name: 'first page', scope: admin, filters: {} },
      { name: 'last page by cursor', scope: admin, filters: {}, last: true },
      { name: "a member's first page", scope: member, filters: {} },
      { name: 'search one name', scope: admin, filters: { search: 'Webhook 4321' } },
      { name: 'search matching nothing', scope: admin, filters: { search: 'no such webhook' } },
      { name: 'enabled=false', scope: admin, filters: { enabled: false } },
      { name: 'eventType=user.added', scope: admin, filters: { eventType: 'user.added' } },
      { name: 'search + enabled + eventType', scope: admin, filters: { search: 'hooks.example.com/ws_bench/4', enabled: true, eventType: 'contact.created' } },
    ];
    let worst = 0;
    for (const scenario of scenarios) {
      let cursor: WebhookFilters['cursor'] = null;
      if (scenario.last) {
        for (;;) {
          const rows = await webhooks.findPage(scenario.scope, { ...scenario.filters, cursor, limit: 50 });
          if (rows.length <= 50) break;
          const last = rows[49]!;
          cursor = { createdAt: last.createdAt.toISOString(), id: last.id };
        }
      }
      const timings: number[] = [];
      for (let i = 0; i < ITERATIONS; i++) {
        const t0 = process.hrtime.bigint();
        const rows = await webhooks.findPage(scenario.scope, { ...scenario.filters, cursor, limit: 50 });
        timings.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (rows.some((row) => row.workspaceId !== 'ws_bench')) throw new Error(`${scenario.name}: another workspace's webhook`);
      }
      timings.sort((a, b) => a - b);
      const p50 = timings[Math.floor(ITERATIONS * 0.5)]!;
      const p95 = timings[Math.floor(ITERATIONS * 0.95)]!;
      worst = Math.max(worst, p95);
      process.stdout.write(`${scenario.name.padEnd(30)} p50 ${p50.toFixed(2).padStart(7)} ms   p95 ${p95.toFixed(2).padStart(7)} ms\n`);
    }
    process.stdout.write(`worst p95 ${worst.toFixed(2)} ms (target < ${TARGET_P95_MS} ms): ${worst < TARGET_P95_MS ? 'OK' : 'TOO SLOW'}\n`);
    process.exitCode = worst < TARGET_P95_MS ? 0 : 1;
  } finally {
    await dataSource.destroy();
    await db.drop();
  }
}

void main();
