import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '@harmony/testing';

const ROOT = path.resolve(__dirname, '../../..');
// scripts/ belongs to no Nx project (module boundaries refuse a relative import of it): required by path, typed by scripts/start.d.ts's shape.
const { startAllInOne, APP_ENV } = require(path.join(ROOT, 'scripts/start.js')) as {
  startAllInOne(options: { env: NodeJS.ProcessEnv; onLine: (line: string) => void }): Promise<{ url: string; child: ChildProcess }>;
  APP_ENV: Readonly<Record<string, string>>;
};

function stop(child: ChildProcess): Promise<unknown> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  return exited;
}

/**
 * What `npm start` (and the bench, the demo) runs the app's process with, for
 * the memory it holds (decision 0104): V8's heap growth capped, glibc's malloc
 * arenas capped — unless the caller chose otherwise.
 */
describe('npm start runs the app with the memory settings of decision 0104 (scripts/start.js)', () => {
  const data = tempDir('start-');
  afterAll(() => data.remove());
  const env = { PATH: process.env['PATH'], HOME: process.env['HOME'], PORT: '0', KAFKA_EMBEDDED_PORT: '0', LOG_LEVEL: 'info' };

  async function processOf(extra: NodeJS.ProcessEnv, dir: string): Promise<{ environment: string[]; commandLine: string[] }> {
    const running = await startAllInOne({ env: { ...env, DATA_DIR: path.join(data.path, dir), ...extra }, onLine: () => undefined });
    try {
      const read = (file: string): string[] => readFileSync(`/proc/${running.child.pid}/${file}`, 'utf8').split('\0');
      return { environment: read('environ'), commandLine: read('cmdline') };
    } finally {
      await stop(running.child);
    }
  }

  const linux = process.platform === 'linux' ? it : it.skip;

  linux(
    'at most two malloc arenas (a value of the caller wins), large blocks mapped on their own, --heap-growing-percent=50',
    async () => {
      // One start (a start and its graceful stop take a while on a loaded machine): the caller chose the arenas, not the threshold.
      const started = await processOf({ MALLOC_ARENA_MAX: '4' }, 'app');
      expect(started.environment).toEqual(expect.arrayContaining(['MALLOC_ARENA_MAX=4', 'MALLOC_MMAP_THRESHOLD_=131072']));
      expect(started.environment).not.toContain('MALLOC_ARENA_MAX=2');
      expect(started.commandLine).toContain('--heap-growing-percent=50');
      expect(APP_ENV).toEqual({ MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' });
    },
    300_000,
  );
});
