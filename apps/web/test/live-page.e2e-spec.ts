import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { getEventDefinition } from '@harmony/contracts';
import { createTestDatabase, LOOPBACK_RECEIVERS_ENV, spawnService, type SpawnedService, tempDir, type TestDatabase } from '@harmony/testing';
import { browserAvailability, launchChromium } from './support/chromium';
import { logEntries, sleep, waitUntil } from './support/waiting';
import { WebhookReceiver } from './support/webhook-receiver';

const ROOT = path.resolve(__dirname, '../../..');
/** The promise of the live page: a delivery shows within a second of the receiver getting it. */
const WITHIN_MS = 1_000;
/**
 * Other sessions' suites share this 2-core machine: past 1.5 runnable processes per core
 * the page, the pipeline and PGlite all wait for a CPU, and the budget is three times it.
 */
const oversubscribed = (): boolean => loadavg()[0]! / cpus().length > 1.5;
/** Event types of one category, one per timed delivery, so each has its own row. */
const TIMED_TYPES = ['contact.updated', 'contact.deleted', 'contact.restored', 'contact.owner_changed', 'contact.tag_added', 'contact.merged'];

const availability = browserAvailability();
if (!availability.available) console.warn(`Skipping the live page suite: ${availability.reason}. REQUIRE_BROWSER=1 makes this a failure.`);
const describeWithBrowser = availability.available ? describe : describe.skip;

/**
 * The page kept current by GET /v1/live (decision 0117), in a real Chromium against
 * the all-in-one app: the list and the delivery log change as things happen, with no
 * polling while the stream is up, and fall back to polling when it is not.
 */
describeWithBrowser('live page (Chromium, all-in-one app)', () => {
  let db: TestDatabase;
  let dataDir: ReturnType<typeof tempDir>;
  let app: SpawnedService;
  let receiver: WebhookReceiver;
  let browser: Browser;
  let page: Page;
  let apiKey: string;
  let workspaceId: string;

  beforeAll(async () => {
    const build = spawnSync(process.execPath, [path.join(ROOT, 'scripts/web-build.js')], { cwd: ROOT, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`the page did not build:\n${build.stderr}`);
    db = await createTestDatabase();
    dataDir = tempDir();
    receiver = await WebhookReceiver.start();
    app = await spawnService(
      'apps/all-in-one/src/main.ts',
      { KAFKA_EMBEDDED_PORT: '0', DATA_DIR: dataDir.path, ...LOOPBACK_RECEIVERS_ENV, ...(db.url ? { DATABASE_URL: db.url } : {}) },
      90_000,
    );
    const firstRun = logEntries(app.output).find((entry) => typeof entry['firstRunKey'] === 'string');
    if (!firstRun) throw new Error(`no first-run key in the output:\n${app.output.join('\n')}`);
    apiKey = firstRun['firstRunKey'] as string;
    workspaceId = firstRun['workspaceId'] as string;
    await waitUntil(async () => (await fetch(`${app.url}/ready`)).ok, 60_000, 'the app to be ready');
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    page.setDefaultTimeout(30_000);
    await page.goto(app.url);
    await page.getByLabel('API key').fill(apiKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Webhook Subscriptions' }).waitFor();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    if (app && app.process.exitCode === null) await app.stop();
    await receiver?.close();
    await db?.drop();
    dataDir?.remove();
  }, 120_000);

  it('shows a webhook created elsewhere in the list within a second', async () => {
    await page.getByTestId('live-state').filter({ hasText: 'Live' }).waitFor();
    const created = Date.now();
    await api('POST', '/v1/webhooks', { name: 'Live CRM', url: `${receiver.url}/hooks/${randomUUID()}`, events: '*' });
    await page.getByRole('row').filter({ hasText: 'Live CRM' }).waitFor({ timeout: 5_000 });
    console.log(`webhook created → listed: ${Date.now() - created} ms`);
    expect(Date.now() - created).toBeLessThan(oversubscribed() ? 3 * WITHIN_MS : WITHIN_MS);
  }, 30_000);

  it('shows each delivery in the log within a second of the receiver getting it', async () => {
    await page.getByRole('link', { name: 'Live CRM' }).click();
    await page.getByRole('heading', { name: 'Live CRM' }).waitFor();
    await page.getByTestId('live-state').filter({ hasText: 'Live' }).waitFor();
    const log = page.getByRole('region', { name: 'Delivery log' });
    // The pipeline learns of the new webhook through its topic: the first event may need a retry.
    await publishUntilDelivered('contact.created');
    await log.getByRole('row').filter({ hasText: 'contact.created' }).first().waitFor();

    const logReads: number[] = [];
    page.on('request', (request) => {
      if (request.method() === 'GET' && /\/v1\/webhooks\/[^/]+\/deliveries(\?|$)/.test(request.url())) logReads.push(Date.now());
    });
    const latencies: number[] = [];
    for (const type of TIMED_TYPES) {
      const id = await publish(type);
      await waitUntil(() => receiver.withEventId(id).length > 0, 10_000, `${type} at the receiver`, 20);
      const received = receiver.withEventId(id)[0]!.receivedAt;
      await log.getByRole('row').filter({ hasText: type }).filter({ hasText: 'Delivered' }).waitFor({ timeout: 5_000 });
      latencies.push(Date.now() - received);
    }
    const budget = oversubscribed() ? 3 * WITHIN_MS : WITHIN_MS;
    console.log(`receiver got it → row shows Delivered: ${latencies.join(', ')} ms (load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores; budget ${budget} ms)`);
    expect(median(latencies)).toBeLessThan(budget);
    expect(Math.max(...latencies)).toBeLessThan(2 * budget);

    // Nothing happens for 4 s: the log is not read at all (polling would read it every 3 s).
    await sleep(500);
    const quietFrom = Date.now();
    await sleep(4_000);
    expect(logReads.filter((at) => at >= quietFrom)).toEqual([]);
    expect(await page.getByTestId('live-state').textContent()).toBe('Live');
  }, 120_000);

  it('marks a redelivery manual with the API key that asked, and shows it live', async () => {
    const log = page.getByRole('region', { name: 'Delivery log' });
    const before = receiver.requests.length;
    await log.getByRole('row').filter({ hasText: 'contact.merged' }).getByRole('button', { name: /View/ }).click();
    await page.getByRole('region', { name: /Attempt 1 of contact.merged/ }).getByRole('button', { name: 'Redeliver' }).click();
    await waitUntil(() => receiver.requests.length > before, 30_000, 'the redelivered request');
    const received = receiver.requests[before]!.receivedAt;
    const manual = log.locator('tbody tr', { has: page.locator('.badge', { hasText: /^manual$/ }) }).filter({ hasText: 'Delivered' });
    await manual.waitFor({ timeout: 5_000 });
    expect(Date.now() - received).toBeLessThan(oversubscribed() ? 3 * WITHIN_MS : WITHIN_MS);
    await manual.getByRole('button', { name: /View/ }).click();
    const [key] = (await api<{ data: { id: string; name: string }[] }>('GET', '/v1/api-keys')).data;
    expect(await page.getByTestId('requested-by').textContent()).toBe(`API key “${key!.name}” (${key!.id})`);
    expect(await page.getByRole('region', { name: /Attempt 1 of contact.merged/ }).getByText('Sent again by').count()).toBe(1);
  }, 60_000);

  it('falls back to refreshing while the stream is down, and is live again once it is back', async () => {
    await page.route('**/v1/live', (route) => route.abort());
    await page.reload();
    await page.getByRole('heading', { name: 'Live CRM' }).waitFor();
    await page.getByTestId('live-state').filter({ hasText: /Connecting|Offline/ }).waitFor();
    const log = page.getByRole('region', { name: 'Delivery log' });
    const rows = log.getByRole('row').filter({ hasText: 'contact.created' });
    await rows.first().waitFor();
    const before = await rows.count();
    const id = await publish('contact.created');
    await waitUntil(() => receiver.withEventId(id).length > 0, 10_000, 'the event at the receiver');
    // Polled: the log's fallback refresh (every 3 s) finds it.
    await waitUntil(async () => (await rows.count()) > before, 10_000, 'the polled log');
    await page.unroute('**/v1/live');
    await page.getByTestId('live-state').filter({ hasText: 'Live' }).waitFor({ timeout: 10_000 });
  }, 60_000);

  async function api<T = unknown>(method: string, route: string, body?: unknown): Promise<T> {
    const response = await fetch(`${app.url}${route}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  async function publish(type: string): Promise<string> {
    const id = randomUUID();
    await api('POST', '/v1/events', { id, type, workspaceId, occurredAt: new Date().toISOString(), data: getEventDefinition(type)!.example });
    return id;
  }

  async function publishUntilDelivered(type: string): Promise<void> {
    for (let attempt = 1; attempt <= 10; attempt++) {
      const id = await publish(type);
      const deadline = Date.now() + 5_000;
      while (Date.now() < deadline) {
        if (receiver.withEventId(id).length > 0) return;
        await sleep(100);
      }
    }
    throw new Error(`no ${type} event reached the receiver in 10 tries`);
  }
});

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
