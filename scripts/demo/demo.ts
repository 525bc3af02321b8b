/**
 * `npm run demo`: the all-in-one app, a local receiver that verifies and
 * prints what it gets, a webhook pointing to it, and a simulated Harmony
 * publishing realistic events of every category to the upstream topics — so
 * deliveries flow on the page within a minute.
 *
 * Its data lives in DATA_DIR (default .data/demo), apart from `npm start`'s:
 * the first run's admin key is kept there (demo.json, owner-only) so later
 * runs can sign in again.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { getEventCategory, TOPICS } from '@harmony/contracts';
import { banner, forwardSignals, startAllInOne } from '../start';
import { ensureWebBuilt } from '../web-build';
import { startDemoReceiver } from './demo-receiver';
import { EVERY_TYPE, freshEvent, ONE_PER_CATEGORY } from './example-events';

const ROOT = path.resolve(__dirname, '../..');
const DEMO_WEBHOOK = 'Demo receiver';
const PUBLISH_EVERY_MS = 4000;
const DEFAULT_RECEIVER_PORT = 4000;

interface DemoState {
  apiKey: string;
  workspaceId: string;
}

async function main(): Promise<void> {
  const dataDir = path.resolve(ROOT, process.env['DATA_DIR'] ?? '.data/demo');
  const stateFile = path.join(dataDir, 'demo.json');
  let state = existsSync(stateFile) ? (JSON.parse(readFileSync(stateFile, 'utf8')) as DemoState) : null;
  if (!state && existsSync(path.join(dataDir, 'pglite'))) {
    throw new Error(`${dataDir} was used without the demo, so its admin key is unknown here: use another DATA_DIR (or delete that folder).`);
  }
  ensureWebBuilt({ log: say });

  let webhookId: string | null = null;
  let api: (method: string, route: string, body?: unknown) => Promise<unknown> = () => Promise.reject(new Error('not started'));
  const receiver = await startDemoReceiver({
    port: Number(process.env['DEMO_RECEIVER_PORT'] ?? DEFAULT_RECEIVER_PORT),
    print: say,
    secrets: async () => (webhookId ? ((await api('GET', `/v1/webhooks/${webhookId}/secrets`)) as { secrets: { secret: string }[] }).secrets.map((s) => s.secret) : []),
  });
  say(`receiver listening on ${receiver.url}`);

  const running = await startAllInOne({
    // The demo's own broker port unless one is asked for, so it runs beside `npm start`.
    env: { ...process.env, DATA_DIR: dataDir, KAFKA_EMBEDDED_PORT: process.env['KAFKA_EMBEDDED_PORT'] ?? '0' },
    // JSON logs only from warnings up: the receiver's and publisher's lines are the show.
    onLine: (line) => {
      if (!line.startsWith('{') || ((JSON.parse(line) as { level?: number }).level ?? 0) >= 40) {
        if (!line.includes('firstRunKey')) process.stdout.write(`${line}\n`);
      }
    },
  });
  forwardSignals(running.child);
  process.once('exit', () => receiver.server.close());
  if (running.apiKey && running.workspaceId) {
    state = { apiKey: running.apiKey, workspaceId: running.workspaceId };
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(stateFile, JSON.stringify(state, null, 2));
    chmodSync(stateFile, 0o600);
  }
  if (!state) throw new Error('no admin key: the app did not bootstrap a workspace (SUBSCRIPTIONS_BOOTSTRAP=false?)');
  const { apiKey, workspaceId } = state;
  api = async (method, route, body) => {
    const response = await fetch(`${running.url}${route}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
    return response.status === 204 ? undefined : response.json();
  };
  await waitForReady(running.url);

  // The demo webhook: created once, pointed at this run's receiver.
  const url = `${receiver.url}/harmony/${workspaceId.slice(-10).toLowerCase()}`;
  const existing = ((await api('GET', `/v1/webhooks?limit=200&search=${encodeURIComponent(DEMO_WEBHOOK)}`)) as { data: { id: string; name: string }[] }).data.find((webhook) => webhook.name === DEMO_WEBHOOK);
  webhookId = existing
    ? ((await api('PATCH', `/v1/webhooks/${existing.id}`, { url })) as { id: string }).id
    : ((await api('POST', '/v1/webhooks', { name: DEMO_WEBHOOK, description: 'The local receiver of npm run demo: it verifies every signature and prints the event.', url, events: '*' })) as { id: string }).id;

  process.stdout.write(
    (running.apiKey ? `${banner({ url: running.url, apiKey: running.apiKey, allowPrivateCidrs: running.allowPrivateCidrs })}\n` : `\nHarmony Webhooks is running: ${running.url} (API docs: ${running.url}/docs)\n`) +
      `Demo: sign in at ${running.url} with ${apiKey}\n` +
      `      open "${DEMO_WEBHOOK}" to watch its delivery log; every ${PUBLISH_EVERY_MS / 1000} s a simulated Harmony publishes an event.\n\n`,
  );

  const brokers = running.brokers ?? process.env['KAFKA_BROKERS']?.split(',') ?? [];
  const producer = new Kafka({ clientId: 'demo-harmony', brokers, logLevel: logLevel.NOTHING }).producer();
  await producer.connect();
  const publish = async (type: string): Promise<void> => {
    const event = freshEvent(type, workspaceId);
    const category = getEventCategory(type);
    if (!category) throw new Error(`no category for ${type}`);
    await producer.send({ topic: TOPICS.upstream(category), messages: [{ key: workspaceId, value: JSON.stringify(event) }] });
    say(`harmony  → ${type.padEnd(40)} ${event.id}`);
  };
  for (const type of ONE_PER_CATEGORY) await publish(type);
  const timer = setInterval(() => {
    void publish(EVERY_TYPE[Math.floor(Math.random() * EVERY_TYPE.length)] ?? 'contact.updated').catch((error: unknown) => say(`harmony  publish failed: ${String(error)}`));
  }, PUBLISH_EVERY_MS);
  running.child.once('exit', () => {
    clearInterval(timer);
    void producer.disconnect();
  });
}

async function waitForReady(url: string): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    if (await fetch(`${url}/ready`).then((response) => response.ok, () => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url}/ready did not answer 200 within a minute`);
}

function say(line: string): void {
  process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`demo: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
