import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { HARMONY_CATEGORY_NAMES } from '@harmony/contracts';
import { eventually, tempDir } from '@harmony/testing';

const ROOT = path.resolve(__dirname, '../../..');

/**
 * `npm run demo` as a newcomer runs it: the simulated Harmony's events (fresh catalog
 * examples, so they must pass ingest validation) of every category reach its
 * receiver, signatures verified, and show in the webhook's delivery log.
 */
describe('npm run demo', () => {
  const dataDir = tempDir('demo-');
  let demo: ChildProcess;
  const output: string[] = [];

  afterAll(async () => {
    if (demo && demo.exitCode === null) {
      const exited = new Promise((resolve) => demo.once('exit', resolve));
      demo.kill('SIGTERM');
      await exited;
    }
    dataDir.remove();
  }, 60_000);

  it('delivers verified events of every category to its receiver and logs them', async () => {
    demo = spawn(process.execPath, [path.join(ROOT, 'scripts/run-ts.js'), path.join(ROOT, 'scripts/demo/demo.ts')], {
      cwd: ROOT,
      env: { PATH: process.env['PATH'] ?? '', PORT: '0', DATA_DIR: dataDir.path, DEMO_RECEIVER_PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [demo.stdout, demo.stderr]) stream?.on('data', (chunk: Buffer) => output.push(...chunk.toString().split('\n')));

    const verified = (category: string): boolean => output.some((line) => line.includes('receiver ✓ verified') && line.includes(` ${category}.`));
    await waitUntil(() => HARMONY_CATEGORY_NAMES.every(verified), 120_000, () => `verified deliveries of every category:\n${output.join('\n')}`);
    expect(output.some((line) => line.includes('signature INVALID'))).toBe(false);

    const url = /page and API\s+(http:\/\/\S+)/.exec(output.join('\n'))?.[1];
    const { apiKey } = JSON.parse(readFileSync(path.join(dataDir.path, 'demo.json'), 'utf8')) as { apiKey: string };
    const call = async <T>(route: string): Promise<T> => (await (await fetch(`${url}${route}`, { headers: { authorization: `Bearer ${apiKey}` } })).json()) as T;
    const webhooks = await call<{ data: { id: string; name: string; events: unknown }[] }>('/v1/webhooks');
    expect(webhooks.data).toEqual([expect.objectContaining({ name: 'Demo receiver', events: '*' })]);
    // The log is written from webhooks.attempts, a moment after the receiver printed.
    await eventually(async () => {
      const log = await call<{ data: { outcome: string }[] }>(`/v1/webhooks/${webhooks.data[0]!.id}/deliveries?outcome=success`);
      expect(log.data.length).toBeGreaterThanOrEqual(4);
    }, 15_000);
  }, 180_000);
});

async function waitUntil(check: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
