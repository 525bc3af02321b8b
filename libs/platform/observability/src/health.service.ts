export interface ReadinessCheck {
  /** Shown in the /ready answer, e.g. `database`, `kafka`. */
  name: string;
  /** Resolves when the dependency is usable; rejects (or times out) otherwise. */
  check(): Promise<void>;
}

export interface ReadinessReport {
  status: 'ready' | 'not_ready';
  checks: { name: string; ok: boolean; error?: string; ms: number }[];
}

const CHECK_TIMEOUT_MS = 2_000;

export interface LivenessReport {
  status: 'ok' | 'dead';
  /** Parts that cannot recover in this process (a consumer that stayed down past its bound). */
  dead: { name: string; reason: string }[];
}

/**
 * Infrastructure modules register what readiness means; /ready runs every
 * check. Liveness is narrower: only a part that has given up on recovering
 * (`markDead`) makes /health fail, and listeners (the process runner) then
 * exit so the supervisor starts a fresh process.
 */
export class HealthService {
  private readonly checks = new Map<string, ReadinessCheck>();
  private readonly dead = new Map<string, string>();
  private readonly deadListeners = new Set<(name: string, reason: string) => void>();

  register(check: ReadinessCheck): void {
    this.checks.set(check.name, check);
  }

  /** A required part is down for good: /health fails from now on and every `onDead` listener is told (once per name). */
  markDead(name: string, reason: string): void {
    if (this.dead.has(name)) return;
    this.dead.set(name, reason);
    for (const listener of this.deadListeners) listener(name, reason);
  }

  onDead(listener: (name: string, reason: string) => void): void {
    this.deadListeners.add(listener);
  }

  liveness(): LivenessReport {
    const dead = [...this.dead].map(([name, reason]) => ({ name, reason }));
    return { status: dead.length === 0 ? 'ok' : 'dead', dead };
  }

  async readiness(): Promise<ReadinessReport> {
    const results = await Promise.all([...this.checks.values()].map((check) => runCheck(check)));
    return { status: results.every((result) => result.ok) ? 'ready' : 'not_ready', checks: results };
  }
}

async function runCheck(check: ReadinessCheck): Promise<ReadinessReport['checks'][number]> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check.check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { name: check.name, ok: true, ms: Date.now() - started };
  } catch (error) {
    return { name: check.name, ok: false, error: error instanceof Error ? error.message : String(error), ms: Date.now() - started };
  } finally {
    clearTimeout(timer);
  }
}
