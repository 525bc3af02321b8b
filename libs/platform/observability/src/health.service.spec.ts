import { HealthService } from './health.service';

describe('HealthService', () => {
  it('is ready when every check passes', async () => {
    const health = new HealthService();
    health.register({ name: 'database', check: async () => undefined });
    health.register({ name: 'kafka', check: async () => undefined });
    const report = await health.readiness();
    expect(report.status).toBe('ready');
    expect(report.checks.map((check) => [check.name, check.ok])).toEqual([
      ['database', true],
      ['kafka', true],
    ]);
  });

  it('is not ready when one check fails, and says why', async () => {
    const health = new HealthService();
    health.register({ name: 'database', check: async () => undefined });
    health.register({ name: 'kafka', check: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:9092')) });
    const report = await health.readiness();
    expect(report.status).toBe('not_ready');
    expect(report.checks.find((check) => check.name === 'kafka')).toMatchObject({ ok: false, error: 'connect ECONNREFUSED 127.0.0.1:9092' });
  });

  it('fails a check that hangs instead of hanging /ready', async () => {
    const health = new HealthService();
    health.register({ name: 'stuck', check: () => new Promise(() => undefined) });
    const report = await health.readiness();
    expect(report.checks[0]).toMatchObject({ ok: false, error: 'no answer within 2000 ms' });
  }, 5_000);
});

describe('HealthService liveness', () => {
  it('is alive until a part is marked dead, then says which and tells listeners once', () => {
    const health = new HealthService();
    const told: string[] = [];
    health.onDead((name, reason) => told.push(`${name}: ${reason}`));
    expect(health.liveness()).toEqual({ status: 'ok', dead: [] });
    health.markDead('consumer webhooks.delivery-worker', 'down for 60000 ms: connection refused');
    health.markDead('consumer webhooks.delivery-worker', 'again');
    expect(health.liveness()).toEqual({ status: 'dead', dead: [{ name: 'consumer webhooks.delivery-worker', reason: 'down for 60000 ms: connection refused' }] });
    expect(told).toEqual(['consumer webhooks.delivery-worker: down for 60000 ms: connection refused']);
  });
});
