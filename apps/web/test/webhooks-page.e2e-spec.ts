import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { Webhook } from 'standardwebhooks';
import { getEventCategory, getEventDefinition, TOPICS, USER_ADDED } from '@harmony/contracts';
import { createTestDatabase, LOOPBACK_RECEIVERS_ENV, spawnService, type SpawnedService, tempDir, type TestDatabase } from '@harmony/testing';
import { browserAvailability, launchChromium } from './support/chromium';
import { logEntries, sleep, waitUntil } from './support/waiting';
import { WebhookReceiver } from './support/webhook-receiver';

const ROOT = path.resolve(__dirname, '../../..');
/**
 * Every run takes the screenshots; `npm run screenshots` (SCREENSHOTS_DIR=docs/screenshots)
 * writes them over the README's, other runs into a temp folder so the tree stays clean.
 */
const SCREENSHOTS = process.env['SCREENSHOTS_DIR'] ? path.resolve(ROOT, process.env['SCREENSHOTS_DIR']) : mkdtempSync(path.join(tmpdir(), 'harmony-screenshots-'));
const WEBHOOK_NAME = 'CRM sync';

const availability = browserAvailability();
if (!availability.available) {
  console.warn(`Skipping the browser suite: ${availability.reason}. REQUIRE_BROWSER=1 makes this a failure.`);
}
const describeWithBrowser = availability.available ? describe : describe.skip;

/**
 * The page as a newcomer uses it, against the real all-in-one app (embedded
 * broker, PGlite, every pipeline service) in a real Chromium: sign in with
 * the first-run key → create a webhook to a local receiver → Test → an event
 * published upstream shows in the delivery log → disable → the next event is
 * not delivered → delete. Writes the README screenshots on the way.
 */
describeWithBrowser('Webhook Subscriptions page (Chromium, all-in-one app)', () => {
  let db: TestDatabase;
  let dataDir: ReturnType<typeof tempDir>;
  let app: SpawnedService;
  let receiver: WebhookReceiver;
  let browser: Browser;
  let page: Page;
  let producer: Producer;
  let apiKey: string;
  let workspaceId: string;
  let secret: string;
  let webhookUrl: string;
  const delivered: string[] = [];

  beforeAll(async () => {
    const build = spawnSync(process.execPath, [path.join(ROOT, 'scripts/web-build.js')], { cwd: ROOT, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`the page did not build:\n${build.stderr}`);
    mkdirSync(SCREENSHOTS, { recursive: true });
    db = await createTestDatabase();
    dataDir = tempDir();
    receiver = await WebhookReceiver.start();
    app = await spawnService(
      'apps/all-in-one/src/main.ts',
      { KAFKA_EMBEDDED_PORT: '0', DATA_DIR: dataDir.path, ...LOOPBACK_RECEIVERS_ENV, ...(db.url ? { DATABASE_URL: db.url } : {}) },
      90_000,
    );
    const firstRun = logEntries(app.output).find((entry) => typeof entry['firstRunKey'] === 'string');
    const brokerStarted = logEntries(app.output).find((entry) => Array.isArray(entry['brokers']));
    if (!firstRun || !brokerStarted) throw new Error(`no first-run key or broker address in the output:\n${app.output.join('\n')}`);
    apiKey = firstRun['firstRunKey'] as string;
    workspaceId = firstRun['workspaceId'] as string;
    const kafka = new Kafka({ clientId: 'web-e2e-harmony', brokers: brokerStarted['brokers'] as string[], logLevel: logLevel.NOTHING });
    producer = kafka.producer();
    await producer.connect();
    await waitUntil(async () => (await fetch(`${app.url}/ready`)).ok, 60_000, 'the app to be ready');
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    page.setDefaultTimeout(30_000);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await producer?.disconnect();
    if (app && app.process.exitCode === null) await app.stop();
    await receiver?.close();
    await db?.drop();
    dataDir?.remove();
  }, 120_000);

  it('serves the page at / and signs in with the first-run API key (kept for the tab in sessionStorage)', async () => {
    await page.goto(app.url);
    await page.getByRole('heading', { name: 'Harmony Webhooks' }).waitFor();
    await page.getByLabel('API key').fill('hwk_not-a-real-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#api-key-error').filter({ hasText: 'API key' }).waitFor();

    await page.getByLabel('API key').fill(apiKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Webhook Subscriptions' }).waitFor();
    await page.getByText('No webhooks yet.').waitFor();
    expect(await page.evaluate('Object.values(sessionStorage)')).toEqual([apiKey]);
    await page.reload();
    await page.getByRole('heading', { name: 'Webhook Subscriptions' }).waitFor();
  }, 60_000);

  it('creates a webhook: Test answers 200 from the receiver, API validation shows at the field', async () => {
    await page.getByRole('link', { name: '+ Create Webhook' }).click();
    await page.getByRole('heading', { name: 'Create Webhook' }).waitFor();
    webhookUrl = `${receiver.url}/hooks/${randomUUID()}`;
    await page.getByLabel('Name').fill(WEBHOOK_NAME);
    await page.getByLabel('Description').fill('Keeps the CRM in step with Harmony contacts.');
    await page.getByLabel('Webhook URL').fill(webhookUrl);

    // The Test button is the next stop after the URL field, and works from the keyboard.
    await page.getByLabel('Webhook URL').press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Test');
    await page.keyboard.press('Enter');
    await page.getByTestId('test-result').filter({ hasText: 'HTTP 200' }).waitFor();
    expect(await page.getByTestId('test-result').textContent()).toContain('{"received":true}');
    expect(receiver.requests).toHaveLength(1);
    expect(JSON.parse(receiver.requests[0]!.body)).toMatchObject({ type: 'contact.created', workspace_id: workspaceId });
    delivered.push(receiver.requests[0]!.headers['webhook-id'] as string);

    // Nothing selected: the API's reason appears at the events field.
    await page.getByRole('button', { name: 'Create Webhook' }).click();
    await page.locator('#events-error').filter({ hasText: 'must select at least one event type' }).waitFor();
    expect(await page.getByRole('group', { name: /Events to Subscribe To/ }).getAttribute('aria-invalid')).toBe('true');

    // Admin-only events say so next to them (the catalog API marks them).
    const users = page.getByRole('group', { name: /Users/ });
    expect(await users.getByText('Admins only', { exact: true }).count()).toBe(5);
    expect(await page.getByRole('group', { name: /Contacts/ }).getByText('Admins only', { exact: true }).count()).toBe(0);
    expect(await users.getByTitle('Only webhooks owned by a workspace admin receive this event').count()).toBe(5);

    await page.getByLabel('Select all Contacts').check();
    expect(await page.getByRole('group', { name: /Contacts/ }).getByRole('checkbox', { checked: true }).count()).toBe(11);
    await page.getByLabel('contact.created').focus();
    await screenshot(page, 'create-webhook.png', { fullPage: true });

    await page.getByRole('button', { name: 'Create Webhook' }).click();
    await page.getByRole('heading', { name: WEBHOOK_NAME }).waitFor();
    await page.getByRole('button', { name: 'Reveal' }).click();
    secret = (await page.getByTestId('signing-secret').textContent()) ?? '';
    expect(secret).toMatch(/^whsec_/);
  }, 120_000);

  it('shows published events in the delivery log, signed with the secret the page shows; opens and redelivers one', async () => {
    // The first one also tells that the new webhook has reached fan-out and the worker.
    const created = await publishUntilDelivered('contact.created');
    const updated = await publish('contact.updated');
    await publish('account.created'); // not subscribed: never sent
    await waitUntil(() => receiver.withEventId(updated).length === 1, 60_000, 'contact.updated at the receiver');
    expect(receiver.withEventId(created)).toHaveLength(1);
    for (const request of [...receiver.withEventId(created), ...receiver.withEventId(updated)]) {
      expect(() => new Webhook(secret).verify(request.body, request.headers as Record<string, string>)).not.toThrow();
      expect(request.path).toBe(new URL(webhookUrl).pathname);
    }
    delivered.push(created, updated);

    const log = page.getByRole('region', { name: 'Delivery log' });
    const createdRow = log.getByRole('row').filter({ hasText: 'contact.created' }).filter({ hasText: 'Delivered · 200' });
    await createdRow.first().waitFor();
    await log.getByRole('row').filter({ hasText: 'contact.updated' }).filter({ hasText: 'Delivered · 200' }).waitFor();

    // Filters: by outcome (none failed) and by event type.
    await log.getByLabel('Outcome').selectOption('failure');
    await log.getByText('No deliveries match these filters').waitFor();
    await log.getByLabel('Outcome').selectOption('');
    await log.getByLabel('Event type').selectOption('contact.updated');
    await waitUntil(async () => (await log.getByRole('row').filter({ hasText: 'contact.created' }).count()) === 0, 10_000, 'the event type filter');
    await log.getByLabel('Event type').selectOption('');
    await createdRow.first().waitFor();

    await createdRow.first().getByRole('button', { name: /View/ }).click();
    const detail = page.getByRole('region', { name: /Attempt 1 of contact.created/ });
    await detail.getByTestId('request-headers').filter({ hasText: `webhook-id: ${created}` }).waitFor();
    expect(await detail.getByTestId('response-body').textContent()).toContain('{"received":true}');
    // The request body shown is the one the receiver got.
    const [sent] = receiver.withEventId(created);
    expect(JSON.parse((await detail.getByTestId('request-body').textContent()) ?? '')).toEqual(JSON.parse(sent.body));
    await screenshot(page, 'webhook-detail.png', { fullPage: true });

    await detail.getByRole('button', { name: 'Redeliver' }).click();
    await detail.getByRole('status').filter({ hasText: 'queued' }).waitFor();
    await waitUntil(() => receiver.withEventId(created).length === 2, 60_000, 'the redelivered event');
    expect(receiver.requests.some((request) => JSON.parse(request.body).type === 'account.created')).toBe(false);

    // Endpoint health: every request the pipeline sent to this URL (not the form's Test), all 2xx, the worker's breaker closed.
    const health = page.getByRole('region', { name: 'Endpoint health' });
    const sentByPipeline = (): number => receiver.requests.filter((request) => request.path === new URL(webhookUrl).pathname).length - 1;
    const attemptsCell = health.getByRole('row', { name: /^Attempts/ }).getByRole('cell').first();
    await waitUntil(async () => (await attemptsCell.textContent()) === `${sentByPipeline()} (0 failed)`, 20_000, 'the attempts in the health panel');
    expect(await health.getByRole('row', { name: /^Success rate/ }).textContent()).toBe('Success rate100%100%');
    expect(await health.getByRole('row', { name: /^Response time p95/ }).getByRole('cell').first().textContent()).toMatch(/^\d+ ms$/);
    expect(await health.getByTestId('breaker-state').textContent()).toMatch(/^Closed: deliveries go out as they come · as of its last attempt/);
    expect(await health.getByTestId('last-error').textContent()).toBe('None recorded');
  }, 180_000);

  it('finds an event by id in the log, shows the response headers, and lists every delivery of the event', async () => {
    const created = delivered.at(-2)!;
    const log = page.getByRole('region', { name: 'Delivery log' });
    const search = log.getByRole('search', { name: 'Find an event' });
    await search.getByLabel('Event id').fill('not-an-event');
    await search.getByRole('button', { name: 'Find' }).click();
    await log.getByRole('alert').filter({ hasText: 'eventId must be an event id' }).waitFor();
    await search.getByLabel('Event id').fill(created);
    await search.getByRole('button', { name: 'Find' }).click();
    // The original attempt and the redelivery's; nothing of contact.updated.
    const rows = log.getByRole('row').filter({ hasText: 'contact.created' });
    await waitUntil(async () => (await rows.count()) === 2 && (await log.getByRole('row').filter({ hasText: 'contact.updated' }).count()) === 0, 30_000, 'the event id search');

    await rows.first().getByRole('button', { name: /View/ }).click();
    const detail = page.getByRole('region', { name: /Attempt 1 of contact.created/ });
    expect(await detail.getByTestId('response-headers').textContent()).toContain('content-type: application/json');
    await detail.getByRole('link', { name: 'All deliveries of this event' }).click();
    await page.getByRole('heading', { name: `Deliveries of ${created}` }).waitFor();
    await page.getByText('2 attempts to 1 webhook').waitFor();
    const eventRows = page.locator('table.delivery-table tbody tr');
    expect(await eventRows.count()).toBe(2);
    await eventRows.first().getByRole('link', { name: WEBHOOK_NAME }).waitFor();
    await page.goBack();
    await page.getByRole('heading', { name: WEBHOOK_NAME }).waitFor();
  }, 90_000);

  it("sends a test from the saved webhook's page, logged and marked test with the API key that asked; the list shows the owner", async () => {
    const card = page.getByRole('region', { name: 'Test', exact: true });
    const before = receiver.requests.length;
    await card.getByRole('button', { name: 'Send test' }).click();
    await card.getByTestId('test-result').filter({ hasText: 'HTTP 200' }).waitFor();
    await waitUntil(() => receiver.requests.length === before + 1, 10_000, 'the test request');
    const testId = receiver.requests[before]!.headers['webhook-id'] as string;
    delivered.push(testId);

    const log = page.getByRole('region', { name: 'Delivery log' });
    const search = log.getByRole('search', { name: 'Find an event' });
    await search.getByLabel('Event id').fill(testId);
    await search.getByRole('button', { name: 'Find' }).click();
    const row = log.locator('tbody tr', { has: page.locator('.badge', { hasText: /^test$/ }) });
    await row.waitFor();
    await row.getByRole('button', { name: /View/ }).click();
    expect(await page.getByTestId('requested-by').textContent()).toMatch(/^API key “.+” \(.+\)$/);
    await search.getByRole('button', { name: 'Clear' }).click();

    const [listed] = (await api<{ data: { owner: { displayName: string } }[] }>('GET', `/v1/webhooks?search=${encodeURIComponent(WEBHOOK_NAME)}`)).data;
    await page.getByRole('link', { name: 'Webhooks', exact: true }).click();
    const listRow = page.getByRole('row').filter({ hasText: WEBHOOK_NAME });
    expect(await listRow.getByRole('cell').nth(2).textContent()).toBe(listed!.owner.displayName);
    await listRow.getByRole('link', { name: WEBHOOK_NAME }).click();
    await page.getByRole('heading', { name: WEBHOOK_NAME }).waitFor();
  }, 90_000);

  it('rotates the signing secret: the previous one keeps signing for 24 h', async () => {
    await page.getByRole('button', { name: 'Rotate…' }).click();
    await page.getByRole('dialog', { name: 'Rotate the signing secret?' }).getByRole('button', { name: 'Rotate secret' }).click();
    await page.getByText(/The previous secret .* still signs until/).waitFor();
    const rotated = (await page.getByTestId('signing-secret').textContent()) ?? '';
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);
    secret = rotated;
  }, 60_000);

  it('lists the webhook with its events count, enabled state and last delivery; readable on a narrow window', async () => {
    // A second webhook (made through the API) for a list that looks like a workspace's; it gets no events here.
    const other = await api<{ id: string }>('POST', '/v1/webhooks', {
      name: 'Insight reports',
      description: 'Posts finished Insight projects to the analytics team.',
      url: `${receiver.url}/insights/${randomUUID()}`,
      events: ['project.insight_generation_completed', 'project.insight_generation_failed'],
    });
    await page.getByRole('link', { name: 'All webhooks' }).click();
    const row = page.getByRole('row').filter({ hasText: WEBHOOK_NAME });
    await row.filter({ hasText: 'Delivered · 200' }).waitFor();
    // The compact health bar: all of the last 24 h's attempts succeeded; the new webhook has none yet.
    const bar = row.getByTestId('health-bar');
    expect(await bar.textContent()).toMatch(/^100% of \d+ · p95 \d+ ms$/);
    expect(await bar.getByRole('img').getAttribute('aria-label')).toMatch(/^100% of \d+ attempts succeeded in 24 h$/);
    expect(await page.getByRole('row').filter({ hasText: 'Insight reports' }).getByTestId('health-bar').textContent()).toBe('No attempts in 24 h');
    expect(await row.textContent()).toContain('10 of 38 events');
    expect(await row.textContent()).toContain(webhookUrl);
    expect(await row.getByRole('switch', { name: `${WEBHOOK_NAME} enabled` }).getAttribute('aria-checked')).toBe('true');
    await screenshot(page, 'webhooks-list.png');

    await page.setViewportSize({ width: 390, height: 844 });
    await row.filter({ hasText: 'Delivered · 200' }).waitFor();
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await screenshot(page, 'webhooks-list-narrow.png');
    await page.setViewportSize({ width: 1280, height: 860 });
    await api('DELETE', `/v1/webhooks/${other.id}`);
  }, 60_000);

  it('pages the list 50 at a time (Load more) and finds webhooks by name or URL, status and event type', async () => {
    // 60 more webhooks (two of them disabled): with CRM sync, 61, so two pages.
    const bulk: string[] = [];
    for (let start = 1; start <= 60; start += 10) {
      const created = await Promise.all(
        Array.from({ length: 10 }, (_, offset) => {
          const number = String(start + offset).padStart(3, '0');
          return api<{ id: string }>('POST', '/v1/webhooks', {
            name: `Bulk ${number}`,
            url: `${receiver.url}/bulk/${number}`,
            events: ['account.created'],
            enabled: start + offset > 58 ? false : true,
          });
        }),
      );
      bulk.push(...created.map((webhook) => webhook.id));
    }
    await page.goto(`${app.url}/#/`);
    const rows = page.locator('table.webhook-table tbody tr');
    await page.getByText('Showing 50 webhooks').waitFor();
    expect(await rows.count()).toBe(50);
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.getByText('Showing 61 webhooks (all)').waitFor();
    expect(await rows.count()).toBe(61);
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);

    const filters = page.getByRole('search', { name: 'Find webhooks' });
    await filters.getByLabel('Search').fill('bulk/04');
    await page.getByText('Showing 10 webhooks (all that match)').waitFor();
    // Created ten at a time concurrently: their order among themselves is the order the API committed them.
    expect((await rows.locator('th').allTextContents()).sort()).toEqual(Array.from({ length: 10 }, (_, index) => `Bulk ${String(40 + index).padStart(3, '0')}`));
    await filters.getByLabel('Search').fill('bulk');
    await filters.getByLabel('Status').selectOption('false');
    await page.getByText('Showing 2 webhooks (all that match)').waitFor();
    expect((await rows.locator('th').allTextContents()).sort()).toEqual(['Bulk 059', 'Bulk 060']);
    await filters.getByLabel('Search').fill('');
    await filters.getByLabel('Status').selectOption('');
    await filters.getByLabel('Event type').selectOption('contact.created');
    await page.getByText('Showing 1 webhook (all that match)').waitFor();
    expect(await rows.locator('th').allTextContents()).toEqual([expect.stringContaining(WEBHOOK_NAME)]);
    await filters.getByLabel('Search').fill('no such webhook');
    await page.getByTestId('no-match').waitFor();
    await filters.getByLabel('Search').fill('');
    await filters.getByLabel('Event type').selectOption('');

    for (const id of bulk) await api('DELETE', `/v1/webhooks/${id}`);
    await page.getByText('Showing 1 webhook (all)').waitFor();
  }, 120_000);

  it('disables the webhook with its switch: the next event is not delivered', async () => {
    await page.getByRole('row').filter({ hasText: WEBHOOK_NAME }).getByRole('link', { name: WEBHOOK_NAME }).click();
    await page.getByRole('heading', { name: WEBHOOK_NAME }).waitFor();
    await page.getByRole('switch', { name: `${WEBHOOK_NAME} enabled` }).click();
    await page.getByRole('heading', { name: 'This webhook is disabled' }).waitFor();
    expect(await page.getByRole('switch', { name: `${WEBHOOK_NAME} enabled` }).getAttribute('aria-checked')).toBe('false');

    // Let the change reach fan-out and the worker (outbox → webhooks.subscriptions), then publish.
    await sleep(3_000);
    const whileDisabled = await publish('contact.deleted');
    await sleep(6_000);
    expect(receiver.withEventId(whileDisabled)).toEqual([]);
    // Everything the receiver ever got: the Test request and the two contact events (one redelivered).
    expect(new Set(receiver.requests.map((request) => request.headers['webhook-id']))).toEqual(new Set(delivered));
  }, 60_000);

  it('edits the webhook and re-enables it from the banner', async () => {
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.getByRole('heading', { name: `Edit ${WEBHOOK_NAME}` }).waitFor();
    expect(await page.getByLabel('Webhook URL').inputValue()).toBe(webhookUrl);
    expect(await page.getByLabel('contact.merged').isChecked()).toBe(true);
    await page.getByLabel('Description').fill('Keeps the CRM in step with Harmony contacts and accounts.');
    await page.getByLabel('Select all Accounts').check();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Keeps the CRM in step with Harmony contacts and accounts.').waitFor();
    await page.getByText('17 of 38 events').waitFor();

    await page.getByRole('button', { name: 'Re-enable', exact: true }).click();
    await page.getByRole('heading', { name: 'This webhook is disabled' }).waitFor({ state: 'detached' });
    expect(await page.getByRole('switch', { name: `${WEBHOOK_NAME} enabled` }).getAttribute('aria-checked')).toBe('true');
  }, 60_000);

  it('shows why a webhook was disabled automatically (410 Gone), then re-enables it and recovers what failed', async () => {
    receiver.status = 410;
    // Sent once the re-enabled webhook has reached fan-out and the worker.
    const gone = await publishUntilDelivered('account.updated');
    receiver.status = 200;

    await page.getByRole('heading', { name: 'This webhook was disabled automatically' }).waitFor({ timeout: 20_000 });
    await page.getByText(/410/).first().waitFor();
    expect(await page.getByLabel('Also re-send failed deliveries since').isChecked()).toBe(true);
    await screenshot(page, 'webhook-auto-disabled.png');

    await page.getByRole('button', { name: 'Re-enable and recover' }).click();
    await page.getByRole('status').filter({ hasText: /failed events? queued again/ }).waitFor();
    await waitUntil(() => receiver.withEventId(gone).length === 2, 60_000, 'the recovered event');
    const recovered = receiver.withEventId(gone)[1]!;
    expect(() => new Webhook(secret).verify(recovered.body, recovered.headers as Record<string, string>)).not.toThrow();

    // The 410 is the endpoint's last error, and the 24 h success rate is below 100 % now.
    const health = page.getByRole('region', { name: 'Endpoint health' });
    await health.getByTestId('last-error').filter({ hasText: 'Dropped · 410' }).waitFor({ timeout: 20_000 });
    expect(await health.getByRole('row', { name: /^Attempts/ }).getByRole('cell').first().textContent()).toMatch(/^\d+ \(1 failed\)$/);
  }, 120_000);

  it('deletes the webhook after confirmation', async () => {
    await page.getByRole('button', { name: 'Delete…' }).click();
    const dialog = page.getByRole('dialog', { name: `Delete ${WEBHOOK_NAME}?` });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('heading', { name: WEBHOOK_NAME }).waitFor();
    await page.getByRole('button', { name: 'Delete…' }).click();
    await dialog.getByRole('button', { name: 'Delete webhook' }).click();
    await page.getByRole('heading', { name: 'Webhook Subscriptions' }).waitFor();
    await page.getByText('No webhooks yet.').waitFor();
    expect(await api('GET', '/v1/webhooks')).toEqual({ data: [], nextCursor: null });
  }, 60_000);

  it("shows on a member's webhook that its admin-only events will not reach it", async () => {
    // A member synced from Harmony's user.added event, with a key of its own.
    const userId = `usr_01JN${Array.from({ length: 22 }, () => '0123456789ABCDEFGHJKMNPQRSTVWXYZ'[Math.floor(Math.random() * 32)]).join('')}`;
    await publish('user.added', { ...USER_ADDED.example, user: { ...USER_ADDED.example.user, id: userId, name: 'Mia Member', role: 'member', status: 'active' } });
    let memberId = '';
    await waitUntil(
      async () => {
        const members = await api<{ data: { id: string; userId: string }[] }>('GET', '/v1/members');
        memberId = members.data.find((member) => member.userId === userId)?.id ?? '';
        return memberId !== '';
      },
      30_000,
      'the member to be synced',
    );
    const { key } = await api<{ key: string }>('POST', '/v1/api-keys', { name: 'Mia', memberId, scopes: ['webhooks:read', 'webhooks:write'] });
    const created = await api<{ id: string; warnings: { field: string; reason: string }[] }>(
      'POST',
      '/v1/webhooks',
      { name: 'Everything, as a member', url: `${receiver.url}/member/${randomUUID()}`, events: '*' },
      key,
    );
    expect(created.warnings).toEqual([{ field: 'events', reason: expect.stringMatching(/^user\.added, .* are admin-only: this webhook will not receive them while its owner is a member$/) }]);

    await page.goto(app.url);
    await page.getByRole('link', { name: 'Everything, as a member' }).click();
    await page.getByTestId('webhook-warnings').filter({ hasText: 'admin-only: this webhook will not receive them while its owner is a member' }).waitFor();
    await api('DELETE', `/v1/webhooks/${created.id}`);
  }, 60_000);

  it('registers the operational endpoint, shows a failing webhook\'s banner, and logs the signed webhook.disabled it receives', async () => {
    await page.goto(app.url);
    await page.getByRole('heading', { name: 'Webhook Subscriptions' }).waitFor();
    await page.getByTestId('operational-endpoint').getByRole('link', { name: 'Register operational endpoint' }).click();
    await page.getByRole('heading', { name: 'Register operational endpoint' }).waitFor();
    for (const type of ['webhook.disabled', 'webhook.delivery_exhausted', 'webhook.recovered']) expect(await page.getByLabel(type).isChecked()).toBe(true);
    expect(await page.getByLabel('contact.created').count()).toBe(0);
    await page.getByLabel('Name').fill('Operations');
    await page.getByLabel('Webhook URL').fill(`${receiver.url}/ops`);
    await page.getByRole('button', { name: 'Register endpoint' }).click();
    await page.getByRole('heading', { name: 'Operations' }).waitFor();
    await page.getByText('3 operational events').waitFor();
    const [ops] = (await api<{ data: { id: string; operational: boolean }[] }>('GET', '/v1/webhooks?operational=true')).data;
    expect(ops).toMatchObject({ operational: true });
    const [opsSecret] = (await api<{ secrets: { secret: string }[] }>('GET', `/v1/webhooks/${ops!.id}/secrets`)).secrets;
    await page.goto(app.url);
    await page.getByTestId('operational-endpoint').getByRole('link', { name: 'Operations' }).waitFor();

    // A webhook whose endpoint fails: its page says since when, and when it will be disabled.
    receiver.statusByPath.set('/flaky', 500);
    const flaky = await api<{ id: string }>('POST', '/v1/webhooks', { name: 'Flaky', url: `${receiver.url}/flaky`, events: ['project.created'] });
    await publishUntilDelivered('project.created');
    await page.goto(`${app.url}/#/webhooks/${flaky.id}`);
    const banner = page.getByTestId('failing-banner');
    await banner.waitFor({ timeout: 30_000 });
    const health = (await api<{ health: { failingSince: string; disablesAt: string } }>('GET', `/v1/webhooks/${flaky.id}`)).health;
    expect(Date.parse(health.disablesAt) - Date.parse(health.failingSince)).toBe(5 * 24 * 60 * 60 * 1000);
    expect(await banner.textContent()).toMatch(/This webhook is failing.*Every delivery has failed since .+ Unless one succeeds first, it will be disabled on .+\./);
    await screenshot(page, 'webhook-failing.png');

    // It answers 410 Gone: disabled, and the operational endpoint gets a signed webhook.disabled, shown in its log.
    receiver.statusByPath.set('/flaky', 410);
    await publish('project.created');
    await page.getByRole('heading', { name: 'This webhook was disabled automatically' }).waitFor({ timeout: 30_000 });
    await waitUntil(() => receiver.requests.some((request) => request.path === '/ops'), 60_000, 'the operational event');
    const notice = receiver.requests.find((request) => request.path === '/ops')!;
    const verified = new Webhook(opsSecret!.secret).verify(notice.body, notice.headers as Record<string, string>) as { type: string; data: { reason: string; webhook: { id: string } } };
    expect(verified).toMatchObject({ type: 'webhook.disabled', data: { reason: 'gone', webhook: { id: flaky.id } } });
    await page.goto(`${app.url}/#/webhooks/${ops!.id}`);
    await page.getByRole('cell', { name: 'webhook.disabled' }).first().waitFor({ timeout: 30_000 });
    receiver.statusByPath.clear();
  }, 180_000);

  it('flags a webhook whose URL a tightened policy refuses (restarted with WEBHOOK_ALLOW_HTTP=false), on the list and its page', async () => {
    const kept = await api<{ id: string }>('POST', '/v1/webhooks', { name: 'Plain http receiver', url: `${receiver.url}/plain/${randomUUID()}`, events: ['contact.created'] });
    await app.stop();
    app = await spawnService(
      'apps/all-in-one/src/main.ts',
      { KAFKA_EMBEDDED_PORT: '0', DATA_DIR: dataDir.path, ...LOOPBACK_RECEIVERS_ENV, WEBHOOK_ALLOW_HTTP: 'false', ...(db.url ? { DATABASE_URL: db.url } : {}) },
      90_000,
    );
    await waitUntil(async () => (await fetch(`${app.url}/ready`)).ok, 60_000, 'the app to be ready');
    expect(await api('GET', `/v1/webhooks/${kept.id}`)).toMatchObject({ enabled: true, urlProblem: 'URL must use https' });

    // Another port, another origin: sign in again.
    await page.goto(app.url);
    await page.getByLabel('API key').fill(apiKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Webhook Subscriptions' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: 'Plain http receiver' });
    await row.getByText('URL not allowed: URL must use https').waitFor();
    await row.getByRole('link', { name: 'Plain http receiver' }).click();
    await page.getByRole('heading', { name: "This webhook's URL is no longer allowed" }).waitFor();
    expect(await page.getByTestId('url-problem').textContent()).toContain('URL must use https. Deliveries to it fail and are retried');
  }, 180_000);

  async function api<T = unknown>(method: string, route: string, body?: unknown, key = apiKey): Promise<T> {
    const response = await fetch(`${app.url}${route}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
    return (response.status === 204 ? undefined : await response.json()) as T;
  }

  /** Publishes fresh events of a type until one reaches the receiver (a webhook change takes a moment to reach the pipeline). */
  async function publishUntilDelivered(type: string): Promise<string> {
    for (let attempt = 1; attempt <= 10; attempt++) {
      const id = await publish(type);
      const deadline = Date.now() + 5_000;
      while (Date.now() < deadline) {
        if (receiver.withEventId(id).length > 0) return id;
        await sleep(100);
      }
    }
    throw new Error(`no ${type} event reached the receiver in 10 tries`);
  }

  async function publish(type: string, data?: unknown): Promise<string> {
    const definition = getEventDefinition(type);
    const category = getEventCategory(type);
    if (!definition || !category) throw new Error(`unknown event type ${type}`);
    const id = randomUUID();
    const event = { id, type, workspaceId, occurredAt: new Date().toISOString(), data: data ?? definition.example };
    await producer.send({ topic: TOPICS.upstream(category), messages: [{ key: workspaceId, value: JSON.stringify(event) }] });
    return id;
  }
});

/**
 * A README screenshot, transitions finished and the transient status message
 * hidden (through CSSOM: the page's CSP refuses injected <style>, as it should).
 */
async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  const setStatusVisibility = (value: string): Promise<unknown> => page.evaluate(`document.querySelector('.status-bar').style.visibility = '${value}'`);
  await setStatusVisibility('hidden');
  await page.screenshot({ path: path.join(SCREENSHOTS, name), animations: 'disabled', ...options });
  await setStatusVisibility('');
}
