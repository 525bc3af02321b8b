import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { startTestBroker, type TestBroker, tempDir } from '@harmony/testing';
import { ROOT, startBuiltApp } from './support/built-app';

const APPS = ['subscription-service', 'event-ingest', 'fan-out', 'delivery-worker', 'retry-scheduler', 'all-in-one'];
/** Apps that serve the Webhook Subscriptions page; the image puts the built page at web/ beside main.js. */
const PAGE_APPS = ['subscription-service', 'all-in-one'];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
  );
}

/**
 * `npm run build` output is what the images run: each bundle must start with
 * plain `node main.js` (no SWC hooks, no tsconfig paths, outside the repo),
 * get ready against a Kafka broker, and stop cleanly.
 */
describe('production build (scripts/build.js → dist/apps/<app>)', () => {
  const out = tempDir('harmony-build-');
  let broker: TestBroker;

  beforeAll(async () => {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.js'), '--out-dir', out.path], { cwd: ROOT, stdio: 'pipe' });
    broker = await startTestBroker();
  }, 120_000);

  afterAll(async () => {
    await broker?.close();
    out.remove();
  }, 30_000);

  it('builds every app, with no test file and no TypeScript in the bundle', () => {
    for (const app of APPS) {
      const files = filesUnder(path.join(out.path, 'apps', app));
      expect(files).toContain(path.join(out.path, 'apps', app, 'main.js'));
      expect(files.filter((file) => /\.ts$|spec\.js$/.test(file))).toEqual([]);
    }
  });

  it.each(APPS)('%s: package.json lists the packages the bundle requires, at the root versions', (app) => {
    const manifest = JSON.parse(readFileSync(path.join(out.path, 'apps', app, 'package.json'), 'utf8')) as { main: string; dependencies: Record<string, string> };
    const root = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(manifest.main).toBe('main.js');
    expect(Object.keys(manifest.dependencies)).toEqual(expect.arrayContaining(['@nestjs/core', '@nestjs/platform-express', 'kafkajs', 'prom-client']));
    for (const [name, version] of Object.entries(manifest.dependencies)) expect(root.dependencies[name]).toBe(version);
  });

  it('refuses an unknown app, naming the apps it knows', () => {
    const result = (() => {
      try {
        execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.js'), 'no-such-app', '--out-dir', out.path], { cwd: ROOT, stdio: 'pipe' });
        return '';
      } catch (error) {
        return String((error as { stderr: Buffer }).stderr);
      }
    })();
    expect(result).toContain('unknown app "no-such-app"');
  });

  describe.each(APPS)('node dist/apps/%s/main.js', (app) => {
    const dataDir = tempDir('harmony-build-data-');
    let running: Awaited<ReturnType<typeof startBuiltApp>> | undefined;

    afterAll(async () => {
      if (running && running.process.exitCode === null) await running.stop();
      dataDir.remove();
    }, 40_000);

    it('starts, is ready against the broker, exports metrics, serves the page from web/ (page apps), stops cleanly on SIGTERM', async () => {
      const main = path.join(out.path, 'apps', app, 'main.js');
      expect(existsSync(main)).toBe(true);
      const page = `<!doctype html><title>page of ${app}</title>`;
      if (PAGE_APPS.includes(app)) {
        mkdirSync(path.join(out.path, 'apps', app, 'web'), { recursive: true });
        writeFileSync(path.join(out.path, 'apps', app, 'web/index.html'), page);
      }
      // The page apps also serve gRPC where configured: its .proto must be in the bundle.
      const grpc: Record<string, string> = PAGE_APPS.includes(app) ? { GRPC_PORT: String(await freePort()) } : {};
      running = await startBuiltApp(main, { KAFKA_BROKERS: broker.address, DATA_DIR: dataDir.path, ...grpc }, path.join(ROOT, 'node_modules'));

      expect((await fetch(`${running.url}/health`)).status).toBe(200);
      const ready = await fetch(`${running.url}/ready`);
      expect(ready.status).toBe(200);
      expect(((await ready.json()) as { status: string }).status).toBe('ready');
      expect(await (await fetch(`${running.url}/metrics`)).text()).toContain(`nodejs_heap_size_used_bytes{service="${app}"}`);
      if (PAGE_APPS.includes(app)) expect(await (await fetch(`${running.url}/`)).text()).toBe(page);

      expect(await running.stop()).toBe(0);
      expect(running.output.join('\n')).toContain('"msg":"stopped"');
    }, 90_000);
  });
});
