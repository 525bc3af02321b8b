import { openDataSource } from '@harmony/platform-database';
import { OutboxRepository, SUBSCRIPTION_SERVICE_ENTITIES, SUBSCRIPTION_SERVICE_MIGRATIONS, TenancyRepository, TenancyService } from '@harmony/subscriptions/feature';
import { EVERY_TYPE, ONE_PER_CATEGORY } from '../demo/example-events';
import type { Database } from './bench-app';
import type { BenchTarget } from './bench';

const C_WEBHOOKS_PER_WORKSPACE = 10;
/** Raised to the maximum a webhook may set, so (a) and (b) measure the pipeline, not the per-endpoint rate. */
const RATE_LIMIT_MAX = 1_000;

export interface Workspace {
  id: string;
  apiKey: string;
}

export interface Tenants {
  a: BenchTarget;
  b: BenchTarget;
  c: BenchTarget;
}

/** Workspaces and admin keys, written straight to the database before the app starts (as the CLI does, without 101 boots). */
export async function createBenchWorkspaces(database: Database, count: number): Promise<Workspace[]> {
  const dataSource = await openDataSource({ url: database.url, pgliteDir: database.pgliteDir, entities: SUBSCRIPTION_SERVICE_ENTITIES, migrations: SUBSCRIPTION_SERVICE_MIGRATIONS, poolSize: 2 });
  try {
    const tenancy = new TenancyService(new TenancyRepository(dataSource, new OutboxRepository(dataSource)));
    const workspaces: Workspace[] = [];
    for (let i = 0; i < count; i++) {
      const { workspace, created } = await tenancy.createWorkspaceWithAdmin({ workspaceName: `Bench ${i}`, adminName: 'Bench admin' });
      workspaces.push({ id: workspace.id, apiKey: created.key });
    }
    return workspaces;
  } finally {
    await dataSource.destroy();
  }
}

/**
 * The webhooks of every case, created through the REST API, each pointing at
 * its own receiver path /h/<index>:
 * (a) one webhook on contact.created, (b) ten on contact.updated (both at the
 * maximum rate limit), both in the first workspace; (c) ten per workspace in
 * every other workspace, the n-th on one event type of category n mod 5, at
 * the default rate.
 */
export async function createBenchWebhooks(apiUrl: string, receiverOrigin: string, workspaces: Workspace[], log: (line: string) => void): Promise<Tenants> {
  let next = 0;
  const jobs: WebhookJob[] = [];
  const add = (workspace: Workspace, type: string, rate: number | null): number => {
    const index = next++;
    jobs.push({ workspace, type, rate, index });
    return index;
  };
  const [first, ...rest] = workspaces;
  const a: BenchTarget = { shapes: [{ workspaceId: first!.id, type: 'contact.created', webhooks: [add(first!, 'contact.created', RATE_LIMIT_MAX)] }], webhooks: [] };
  const bWebhooks = Array.from({ length: 10 }, () => add(first!, 'contact.updated', RATE_LIMIT_MAX));
  const b: BenchTarget = { shapes: [{ workspaceId: first!.id, type: 'contact.updated', webhooks: bWebhooks }], webhooks: [] };
  const c: BenchTarget = { shapes: [], webhooks: [] };
  const types = ONE_PER_CATEGORY;
  const byShape = new Map<string, number[]>();
  for (const workspace of rest) {
    for (let n = 0; n < C_WEBHOOKS_PER_WORKSPACE; n++) {
      const type = types[n % types.length]!;
      const key = `${workspace.id} ${type}`;
      byShape.set(key, [...(byShape.get(key) ?? []), add(workspace, type, null)]);
    }
  }
  // Type-major order: consecutive events alternate workspaces and categories.
  for (const type of types) {
    for (const workspace of rest) c.shapes.push({ workspaceId: workspace.id, type, webhooks: byShape.get(`${workspace.id} ${type}`) ?? [] });
  }
  for (const target of [a, b, c]) target.webhooks = target.shapes.flatMap((shape) => shape.webhooks);

  log(`creating ${jobs.length} webhooks over ${workspaces.length} workspaces`);
  await createViaApi(apiUrl, receiverOrigin, jobs);
  return { a, b, c };
}

/**
 * The memory case: in each workspace one webhook per catalog type (38), so each
 * event reaches exactly one webhook and every webhook gets its share of them.
 * Indexes continue after `firstIndex` (receiver paths must not collide with a, b, c).
 */
export async function createMemoryWebhooks(apiUrl: string, receiverOrigin: string, workspaces: Workspace[], firstIndex: number, log: (line: string) => void): Promise<BenchTarget> {
  const jobs: WebhookJob[] = [];
  const target: BenchTarget = { shapes: [], webhooks: [] };
  for (const type of EVERY_TYPE) {
    for (const workspace of workspaces) {
      const index = firstIndex + jobs.length;
      jobs.push({ workspace, type, rate: null, index });
      target.shapes.push({ workspaceId: workspace.id, type, webhooks: [index] });
      target.webhooks.push(index);
    }
  }
  log(`memory case: creating ${jobs.length} webhooks over ${workspaces.length} workspaces`);
  await createViaApi(apiUrl, receiverOrigin, jobs);
  return target;
}

interface WebhookJob {
  workspace: Workspace;
  type: string;
  rate: number | null;
  index: number;
}

/** POST /v1/webhooks for each job, 8 at a time; the webhook's URL is the receiver's /h/<index>. */
async function createViaApi(apiUrl: string, receiverOrigin: string, jobs: WebhookJob[]): Promise<void> {
  let cursor = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (cursor < jobs.length) {
        const job = jobs[cursor++]!;
        const response = await fetch(`${apiUrl}/v1/webhooks`, {
          method: 'POST',
          headers: { authorization: `Bearer ${job.workspace.apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ name: `Bench ${job.index}`, url: `${receiverOrigin}/h/${job.index}`, events: [job.type], rateLimitPerSecond: job.rate }),
        });
        if (response.status !== 201) throw new Error(`POST /v1/webhooks: ${response.status} ${await response.text()}`);
      }
    }),
  );
}
