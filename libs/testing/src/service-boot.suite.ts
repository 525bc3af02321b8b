import { createTestDatabase, type TestDatabase } from './test-database';
import { startTestBroker, type TestBroker } from './test-broker';
import { spawnService, type SpawnedService } from './spawn-service';
import { tempDir } from './temp-dir';

/**
 * The boot contract every app keeps: its real main.ts starts as a process,
 * answers /health, /ready (naming each dependency) and /metrics, and stops
 * cleanly (exit 0) on SIGTERM.
 */
export function describeServiceBoot(
  entry: string,
  expected: { service: string; readiness: string[]; kafka?: 'external' | 'embedded' },
): void {
  const embedded = expected.kafka === 'embedded';
  describe(`${expected.service} (${entry}, ${embedded ? 'embedded broker' : 'KAFKA_BROKERS'})`, () => {
    let broker: TestBroker | undefined;
    let db: TestDatabase;
    let dataDir: ReturnType<typeof tempDir>;
    let service: SpawnedService;

    beforeAll(async () => {
      broker = embedded ? undefined : await startTestBroker();
      db = await createTestDatabase();
      dataDir = tempDir();
      service = await spawnService(entry, {
        ...(broker ? { KAFKA_BROKERS: broker.address } : { KAFKA_EMBEDDED_PORT: '0' }),
        DATA_DIR: dataDir.path,
        ...(db.url ? { DATABASE_URL: db.url } : {}),
      });
    }, 90_000);

    afterAll(async () => {
      if (service && service.process.exitCode === null) await service.stop();
      await broker?.close();
      await db?.drop();
      dataDir?.remove();
    }, 30_000);

    it('answers /health', async () => {
      const response = await fetch(`${service.url}/health`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ok', dead: [] });
    });

    it('is ready once its dependencies are reachable, and says which', async () => {
      const response = await fetch(`${service.url}/ready`);
      const report = (await response.json()) as { status: string; checks: { name: string; ok: boolean }[] };
      expect(response.status).toBe(200);
      expect(report.status).toBe('ready');
      expect(report.checks.map((check) => check.name).sort()).toEqual([...expected.readiness].sort());
      expect(report.checks.every((check) => check.ok)).toBe(true);
    });

    it('exports Prometheus metrics labelled with the service', async () => {
      const response = await fetch(`${service.url}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/plain');
      const text = await response.text();
      expect(text).toContain('# TYPE process_cpu_user_seconds_total counter');
      expect(text).toContain(`nodejs_heap_size_used_bytes{service="${expected.service}"}`);
    });

    it('logs JSON lines and stops cleanly on SIGTERM', async () => {
      const code = await service.stop();
      expect(code).toBe(0);
      const lines = service.output.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { service: string; level: string });
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.every((line) => line.service === expected.service)).toBe(true);
      expect(service.output.join('\n')).toContain('"msg":"stopped"');
    }, 30_000);
  });
}
