import { existsSync, readdirSync, readFileSync, statSync, utimesSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '@harmony/testing';

const ROOT = path.resolve(__dirname, '../../..');
// scripts/ belongs to no Nx project (module boundaries refuse a relative import of it): required by path, typed by scripts/build.d.ts's shape.
const { ensureAppBuilt, staleReason } = require(path.join(ROOT, 'scripts/build.js')) as {
  ensureAppBuilt(app: string, options?: { outDir?: string; log?: (line: string) => void }): string;
  staleReason(app: string, outDir?: string): string | null;
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : [path.join(dir, entry.name)]));
}

/**
 * `npm start` (scripts/start.js startAllInOne, so the bench and the demo too) runs
 * the built all-in-one: the build must follow the sources, or they would run
 * stale code; and everything the build loads by path (worker threads' entries)
 * must be in it.
 */
describe('the all-in-one build npm start runs (scripts/build.js ensureAppBuilt)', () => {
  const out = tempDir('app-build-');
  afterAll(() => out.remove());

  it('builds when missing, not again while the sources are unchanged, and again when one changes', () => {
    const logged: string[] = [];
    const log = (line: string): void => void logged.push(line);
    expect(staleReason('all-in-one', out.path)).toBe('not built yet');
    const entry = ensureAppBuilt('all-in-one', { outDir: out.path, log });
    expect(entry).toBe(path.join(out.path, 'apps/all-in-one/main.js'));
    expect(existsSync(entry)).toBe(true);
    expect(logged).toHaveLength(1);

    expect(staleReason('all-in-one', out.path)).toBeNull();
    ensureAppBuilt('all-in-one', { outDir: out.path, log });
    expect(logged).toHaveLength(1);

    // A library file the app compiles from, "edited" (its mtime moved), then put back as it was.
    const source = path.join(ROOT, 'libs/platform/database/src/pglite-thread.ts');
    // Restored from the fractional milliseconds (seconds as a number), not the stat's Date: node rounds that
    // to the millisecond, so a file whose mtime had .5 ms or more would come back 1 ms later, i.e. "changed".
    const { atimeMs, mtimeMs } = statSync(source);
    try {
      utimesSync(source, atimeMs / 1_000, (mtimeMs + 1_000) / 1_000);
      expect(staleReason('all-in-one', out.path)).toBe('libs/platform/database/src/pglite-thread.ts changed since the last build');
    } finally {
      utimesSync(source, atimeMs / 1_000, mtimeMs / 1_000);
    }
    expect(staleReason('all-in-one', out.path)).toBeNull();
  });

  it('holds every file the compiled code names with a relative require.resolve (worker threads load them by path)', () => {
    ensureAppBuilt('all-in-one', { outDir: out.path });
    const built = filesUnder(path.join(out.path, 'apps/all-in-one')).filter((file) => file.endsWith('.js'));
    const named: string[] = [];
    for (const file of built) {
      for (const [, , specifier] of readFileSync(file, 'utf8').matchAll(/\brequire\.resolve\((["'])(\.[^"']+)\1\)/g)) {
        named.push(path.relative(out.path, require.resolve(path.resolve(path.dirname(file), specifier!))));
      }
    }
    // PGlite's thread and the embedded broker's; any other worker entry named the same way is shipped too.
    expect(named).toEqual(expect.arrayContaining(['apps/all-in-one/libs/platform/database/src/pglite.worker.js', 'apps/all-in-one/libs/kafka-embedded/src/thread/broker.worker.js']));
  });
});
