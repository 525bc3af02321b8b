import { spawn } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

interface Report {
  ceiling: { requestsPerSecond: number };
  throughput: { id: string; deliveries: number; delivered: number; deliveriesPerSecond: number; seconds: number; percentOfCeiling: number; appCores: number; cpuMsPerDelivery: number; logRowsPerDelivery: number | null; intentRowsPerDelivery: number | null }[];
  latency: { offeredDeliveriesPerSecond: number; deliveries: number; delivered: number; p50: number; p95: number; p99: number; backlogPerSecond: number[]; backlogFlat: boolean }[];
  idleCpuPercent: number;
  peakRssMb: number;
  memory: { webhooks: number; events: number; deliveries: number; delivered: number; rssAfterMb: number; peakRssMb: number };
  machine: string;
  setup: string;
}

/**
 * `npm run bench -- --quick --json` so the bench cannot rot: it runs the real
 * pipeline and produces every figure. Timing is not asserted here (benchmarks
 * measure, tests check behaviour), only that each figure exists and every
 * offered delivery arrived.
 */
describe('npm run bench (quick)', () => {
  it('prints every figure: ceiling, three cases as % of it, latency at two loads, idle CPU, peak RSS and the memory case', async () => {
    const args = [path.join(ROOT, 'scripts/run-ts.js'), path.join(ROOT, 'scripts/bench/bench.ts'), '--quick', '--json'];
    if (process.env['DATABASE_URL']) args.push('--db', 'postgres');
    const child = spawn(process.execPath, args, { cwd: ROOT, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`bench exited ${code}:\n${stderr}`);
    const report = JSON.parse(stdout) as Report;

    const positive = expect.any(Number);
    expect(report.ceiling.requestsPerSecond).toBeGreaterThan(0);
    expect(report.throughput.map((t) => t.id)).toEqual(['a', 'b', 'c']);
    for (const figure of report.throughput) {
      expect(figure.delivered).toBe(figure.deliveries);
      expect(figure.deliveriesPerSecond).toBeGreaterThan(0);
      expect(figure.percentOfCeiling).toBeCloseTo((figure.deliveriesPerSecond / report.ceiling.requestsPerSecond) * 100, 6);
      expect(figure.appCores).toEqual(positive);
      expect(figure.cpuMsPerDelivery).toBeCloseTo((figure.appCores * figure.seconds * 1_000) / figure.delivered, 6);
      // Every delivery is one outcome row; an intent written apart from its outcome is one write more.
      expect(figure.logRowsPerDelivery! - figure.intentRowsPerDelivery!).toBeGreaterThanOrEqual(1 - 1e-9);
      expect(figure.intentRowsPerDelivery).toBeGreaterThanOrEqual(0);
      expect(figure.intentRowsPerDelivery).toBeLessThanOrEqual(1);
    }
    expect(report.latency.map((l) => l.offeredDeliveriesPerSecond)).toEqual([100, 1_000]);
    for (const figure of report.latency) {
      expect(figure.delivered).toBe(figure.deliveries);
      expect(figure.deliveries).toBeGreaterThan(0);
      expect(figure.p50).toBeGreaterThan(0);
      expect(figure.p95).toBeGreaterThanOrEqual(figure.p50);
      expect(figure.p99).toBeGreaterThanOrEqual(figure.p95);
      expect(figure.backlogPerSecond.length).toBeGreaterThan(0);
      expect(typeof figure.backlogFlat).toBe('boolean');
    }
    expect(report.idleCpuPercent).toBeGreaterThanOrEqual(0);
    expect(report.peakRssMb).toBeGreaterThan(50);
    // The memory case at --quick size: one webhook per catalog type in 3 workspaces, each event reaching one.
    expect(report.memory).toEqual(expect.objectContaining({ webhooks: 114, events: 1_000, deliveries: 1_000, delivered: 1_000 }));
    expect(report.memory.rssAfterMb).toBeGreaterThan(50);
    expect(report.memory.peakRssMb).toBeGreaterThanOrEqual(report.peakRssMb);
    expect(report.setup).toContain(process.env['DATABASE_URL'] ? 'PostgreSQL' : 'PGlite');
  }, 600_000);
});
