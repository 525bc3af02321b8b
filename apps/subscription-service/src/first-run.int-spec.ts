import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { spawnService, startTestBroker, type TestBroker, tempDir } from '@harmony/testing';

/**
 * The single-machine path: the real main.ts on an empty PGlite database
 * creates a workspace and an admin key and logs the key once; a restart does
 * not; the CLI makes more workspaces and keys that the service accepts.
 */
describe('first run and the CLI (PGlite on disk)', () => {
  let broker: TestBroker;
  let dataDir: ReturnType<typeof tempDir>;

  beforeAll(async () => {
    broker = await startTestBroker();
    dataDir = tempDir();
  }, 30_000);

  afterAll(async () => {
    await broker?.close();
    dataDir?.remove();
  });

  const env = (): Record<string, string> => ({ KAFKA_BROKERS: broker.address, DATA_DIR: dataDir.path });

  it('creates a workspace and an admin key on an empty database, once', async () => {
    const first = await spawnService('apps/subscription-service/src/main.ts', env());
    let key: string;
    try {
      const line = first.output.find((entry) => entry.includes('"firstRunKey"'));
      expect(line).toBeDefined();
      key = (JSON.parse(line!) as { firstRunKey: string }).firstRunKey;
      expect(key).toMatch(/^hwk_/);
      const answer = await fetch(`${first.url}/v1/webhooks`, { headers: { authorization: `Bearer ${key}` } });
      expect(answer.status).toBe(200);
      expect(await answer.json()).toEqual({ data: [], nextCursor: null });
    } finally {
      expect(await first.stop()).toBe(0);
    }

    const usage = await runCli([], env());
    expect(usage.code).toBe(2);
    expect(usage.output).toContain('usage:');
    const created = await runCli(['create-workspace', '--name', 'Acme', '--admin-name', 'Grace'], env());
    expect(created.code).toBe(0);
    const workspace = JSON.parse(created.output.slice(created.output.indexOf('{'))) as { workspaceId: string; memberId: string; apiKey: string };
    expect(workspace.apiKey).toMatch(/^hwk_/);
    const extraKey = await runCli(['create-api-key', '--member', workspace.memberId, '--name', 'read only', '--scopes', 'webhooks:read'], env());
    expect(extraKey.code).toBe(0);
    const readOnly = JSON.parse(extraKey.output.slice(extraKey.output.indexOf('{'))) as { apiKey: string };
    const republish = await runCli(['republish'], env());
    expect(republish.code).toBe(0);
    expect(JSON.parse(republish.output.slice(republish.output.indexOf('{')))).toEqual({ queued: { subscriptions: 0, apiKeys: 3 } });

    const second = await spawnService('apps/subscription-service/src/main.ts', env());
    try {
      expect(second.output.join('\n')).not.toContain('firstRunKey');
      for (const [token, status] of [[key, 200], [workspace.apiKey, 200], [readOnly.apiKey, 200]] as const) {
        expect((await fetch(`${second.url}/v1/webhooks`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(status);
      }
      const write = await fetch(`${second.url}/v1/webhooks`, {
        method: 'POST',
        headers: { authorization: `Bearer ${readOnly.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'x', url: 'https://example.com/', events: '*' }),
      });
      expect(write.status).toBe(403);
    } finally {
      expect(await second.stop()).toBe(0);
    }
  }, 120_000);
});

/** The CLI as an operator runs it (runToExit passes no arguments). */
function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const root = path.resolve(__dirname, '../../..');
  const child = spawn(process.execPath, [path.join(root, 'scripts/run-ts.js'), path.join(root, 'apps/subscription-service/src/cli.ts'), ...args], {
    cwd: root,
    env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}
