import { spawnService, type SpawnedService, tempDir } from '@harmony/testing';
import {
  PENDING_METRICS,
  PROMETHEUS_SERIES,
  dashboardExpressions,
  exportedFamilies,
  familyOf,
  metricNamesIn,
  type MetricUse,
  ruleExpressions,
} from './support/metric-names';

/**
 * Alert rules and dashboards that name a metric nobody exports fail silently
 * (an empty graph, an alert that never fires). Boot the all-in-one app (all
 * five service modules, one registry), read /metrics and check every name the
 * rules and the dashboards use. Families come from the `# TYPE` lines, which
 * prom-client prints for every registered metric before its first sample.
 */
describe('metric names in deploy/prometheus and deploy/grafana', () => {
  let service: SpawnedService;
  let dataDir: ReturnType<typeof tempDir>;
  let families: Map<string, string>;
  const { uses: ruleUses, recorded } = ruleExpressions();
  const dashboardUses = dashboardExpressions();

  beforeAll(async () => {
    dataDir = tempDir('harmony-deploy-metrics-');
    service = await spawnService('apps/all-in-one/src/main.ts', { KAFKA_EMBEDDED_PORT: '0', DATA_DIR: dataDir.path });
    const response = await fetch(`${service.url}/metrics`);
    expect(response.status).toBe(200);
    families = exportedFamilies(await response.text());
  }, 120_000);

  afterAll(async () => {
    if (service && service.process.exitCode === null) await service.stop();
    dataDir?.remove();
  }, 30_000);

  /** `name (where)` for each name that is neither exported, recorded, Prometheus's own nor pending. */
  function unknownNames(uses: MetricUse[]): string[] {
    const unknown: string[] = [];
    for (const use of uses) {
      for (const name of metricNamesIn(use.expr)) {
        if (familyOf(name, families) || recorded.has(name) || PROMETHEUS_SERIES.has(name)) continue;
        const base = name.replace(/_(bucket|sum|count)$/, '');
        const pending = PENDING_METRICS[name] ?? (PENDING_METRICS[base]?.type === 'histogram' ? PENDING_METRICS[base] : undefined);
        if (!pending) unknown.push(`${name} (${use.where})`);
      }
    }
    return unknown;
  }

  it('finds rules and panels to check', () => {
    expect(ruleUses.length).toBeGreaterThan(5);
    expect(dashboardUses.length).toBeGreaterThan(10);
  });

  it('would catch a name nobody exports', () => {
    expect(unknownNames([{ where: 'probe', expr: 'sum(rate(webhook_atempts_total[5m])) / sum(rate(webhook_attempts_total[5m]))' }])).toEqual([
      'webhook_atempts_total (probe)',
    ]);
  });

  it('every metric an alert or recording rule uses is exported (or listed as pending)', () => {
    expect(unknownNames(ruleUses)).toEqual([]);
  });

  it('every metric a dashboard panel or variable uses is exported (or listed as pending)', () => {
    expect(unknownNames(dashboardUses)).toEqual([]);
  });

  it('the checks rest on metrics the services export today', () => {
    const used = new Set([...ruleUses, ...dashboardUses].flatMap((use) => metricNamesIn(use.expr)).map((name) => familyOf(name, families)));
    for (const name of ['kafka_consumer_lag', 'ingest_events_total', 'process_cpu_seconds_total', 'process_resident_memory_bytes']) {
      expect(used).toContain(name);
    }
  });

  it('reports which pending metrics the services already export', () => {
    const pending = Object.keys(PENDING_METRICS);
    const shipped = pending.filter((name) => families.has(name));
    const waiting = pending.filter((name) => !families.has(name));
    console.log(
      [
        `pending metrics now exported (drop them from PENDING_METRICS): ${shipped.join(', ') || 'none'}`,
        `pending metrics not exported yet: ${waiting.map((name) => `${name} [${PENDING_METRICS[name].service}]`).join(', ') || 'none'}`,
      ].join('\n'),
    );
    for (const name of shipped) expect(families.get(name)).toBe(PENDING_METRICS[name].type);
  });
});
