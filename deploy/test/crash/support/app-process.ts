import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { ROOT, startBuiltApp, type BuiltApp } from '../../support/built-app';
import { sleep } from '@harmony/testing';

/** Builds the apps as production runs them (`npm run build`'s script, into `outDir`); returns where each app's `main.js` is. */
export function buildApps(outDir: string, apps: readonly string[]): (app: string) => string {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.js'), ...apps, '--out-dir', outDir], { cwd: ROOT, stdio: 'pipe' });
  return (app) => path.join(outDir, 'apps', app, 'main.js');
}

/** The liveness probe of deploy/k8s (GET /health, 3 failures in a row), compressed from every 10 s to every second. */
const PROBE_PERIOD_MS = 1_000;
const PROBE_FAILURES = 3;
const RESTART_BACKOFF_MAX_MS = 4_000;

/**
 * One app running as production runs it (`node main.js`), under a supervisor
 * like the deployment's: whenever it exits it is started again with the same
 * environment (and so the same data), with a short backoff if it keeps
 * failing to start; a liveness probe on `/health` that fails 3 times in a row
 * kills it (and so restarts it). Tests crash it with `kill()` (SIGKILL).
 */
export class SupervisedApp {
  /** Starts after the first one (failed ones included), by whatever cause. */
  restarts = 0;
  private launches = 0;
  private current: BuiltApp | undefined;
  private launching: Promise<void> | undefined;
  private stopping = false;
  private readonly log: string[] = [];

  constructor(
    readonly name: string,
    private readonly main: string,
    private readonly env: Record<string, string>,
  ) {}

  /** The URL of the running process. */
  get url(): string {
    if (!this.current) throw new Error(`${this.name} is not running`);
    return this.current.url;
  }

  /** Every line it printed, across restarts. */
  get output(): string[] {
    return [...this.log, ...(this.current?.output ?? [])];
  }

  /** Starts it and resolves once it answers /ready with 200. */
  async start(timeoutMs = 90_000): Promise<void> {
    this.launching = this.launch();
    await this.ready(timeoutMs);
  }

  /** Resolves once the current (or restarted) process answers /ready with 200. */
  async ready(timeoutMs = 90_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.launching;
      const status = this.current ? await fetch(`${this.current.url}/ready`, { signal: AbortSignal.timeout(2_000) }).then((r) => r.status, () => 0) : 0;
      if (status === 200) return;
      if (Date.now() > deadline) throw new Error(`${this.name} not ready within ${timeoutMs} ms:\n${this.tail()}`);
      await sleep(200);
    }
  }

  /** SIGKILL: no shutdown hook runs; the supervisor starts it again at once. */
  async kill(): Promise<void> {
    await this.launching;
    const child = this.current?.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  /** SIGTERM, and no restart. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.launching?.catch(() => undefined);
    const app = this.current;
    if (app && app.process.exitCode === null && app.process.signalCode === null) await app.stop();
  }

  tail(lines = 60): string {
    return this.output.slice(-lines).join('\n');
  }

  private async launch(): Promise<void> {
    for (let attempt = 0; !this.stopping; attempt += 1) {
      this.restarts = this.launches++;
      try {
        const app = await startBuiltApp(this.main, this.env, path.join(ROOT, 'node_modules'));
        this.current = app;
        this.watch(app);
        return;
      } catch (error) {
        this.log.push(`--- ${this.name} failed to start: ${(error as Error).message}`);
        await sleep(Math.min(RESTART_BACKOFF_MAX_MS, 250 * 2 ** attempt));
      }
    }
  }

  private watch(app: BuiltApp): void {
    let failures = 0;
    const probe = setInterval(() => {
      void fetch(`${app.url}/health`, { signal: AbortSignal.timeout(PROBE_PERIOD_MS) }).then(
        (response) => (failures = response.ok ? 0 : failures + 1),
        () => (failures += 1),
      ).then(() => {
        if (failures >= PROBE_FAILURES && app.process.exitCode === null) {
          this.log.push(`--- ${this.name}: /health failed ${failures} times, killed by the liveness probe`);
          app.process.kill('SIGKILL');
        }
      });
    }, PROBE_PERIOD_MS);
    app.process.once('exit', (code, signal) => {
      clearInterval(probe);
      if (this.stopping) return;
      this.log.push(...app.output, `--- ${this.name} exited (${signal ?? code}); restarting`);
      this.current = undefined;
      this.launching = this.launch();
    });
  }
}
