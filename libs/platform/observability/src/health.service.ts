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

/** Infrastructure modules register what readiness means; /ready runs every check. */
export class HealthService {
  private readonly checks = new Map<string, ReadinessCheck>();

  register(check: ReadinessCheck): void {
    this.checks.set(check.name, check);
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
