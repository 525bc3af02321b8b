import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { tempDir } from '@harmony/testing';
import { stringify } from 'yaml';
import { dashboardExpressions, dashboardFiles, DEPLOY, ruleFiles } from './support/metric-names';
import { runTool, systemTool } from './support/system-tool';

describe('deploy/prometheus', () => {
  const promtool = systemTool('promtool');
  (promtool ? it : it.skip).each(['prometheus.yml', 'prometheus-kubernetes.yml'])('`promtool check config` accepts deploy/prometheus/%s (and the rule files it loads)', (config) => {
    const result = runTool(promtool as string, ['check', 'config', path.join(DEPLOY, 'prometheus', config)], DEPLOY);
    expect(result.output).toContain('SUCCESS');
    expect(result.output).toMatch(/[1-9]\d* rule files found/);
    expect(result.code).toBe(0);
  });

  (promtool ? it : it.skip)('`promtool check rules` accepts every rule file', () => {
    const result = runTool(promtool as string, ['check', 'rules', ...ruleFiles()], DEPLOY);
    expect(result.output).not.toContain('FAILED');
    expect(result.code).toBe(0);
  });

  (promtool ? it : it.skip)('`promtool test rules`: the alerts fire on the series they are written for', () => {
    const result = runTool(promtool as string, ['test', 'rules', path.join(DEPLOY, 'prometheus/tests/alerts.test.yml')], path.join(DEPLOY, 'prometheus/tests'));
    expect(result.output).toContain('SUCCESS');
    expect(result.code).toBe(0);
  });

  (promtool ? it : it.skip)('every dashboard query is valid PromQL (checked by promtool as recording rules)', () => {
    const dir = tempDir('harmony-dashboard-promql-');
    try {
      const queries = dashboardExpressions().filter((use) => !use.expr.startsWith('label_values('));
      const rules = queries.map((use, index) => ({
        record: `dashboard:query:${index}`,
        // Grafana's variables, as Grafana would substitute them.
        expr: use.expr.replaceAll('$__rate_interval', '5m').replaceAll('$service', '.*'),
      }));
      const file = path.join(dir.path, 'dashboard.rules.yml');
      writeFileSync(file, stringify({ groups: [{ name: 'dashboard', rules }] }));
      const result = runTool(promtool as string, ['check', 'rules', file], dir.path);
      expect(result.output).toContain(`SUCCESS: ${rules.length} rules found`);
      expect(result.code).toBe(0);
    } finally {
      dir.remove();
    }
  });

  it('alerts the issue asks for exist, each with a severity and a summary', () => {
    const alerts = ruleFiles().flatMap((file) =>
      (parse(readFileSync(file, 'utf8')) as { groups: { rules: { alert?: string; labels?: { severity?: string }; annotations?: { summary?: string } }[] }[] }).groups
        .flatMap((group) => group.rules)
        .filter((rule) => rule.alert),
    );
    for (const alert of alerts) {
      expect(['critical', 'warning', 'info']).toContain(alert.labels?.severity);
      expect(alert.annotations?.summary).toBeTruthy();
    }
    expect(alerts.map((alert) => alert.alert)).toEqual(
      expect.arrayContaining([
        'HarmonyDeliverySuccessRateLow',
        'HarmonyDeliveryLatencyP99High',
        'HarmonyDeadLettersGrowing',
        'HarmonyConsumerLagHigh',
        'HarmonyBreakerOpensHigh',
        'HarmonyEndpointsAutoDisabled',
      ]),
    );
  });
});

describe('deploy/grafana', () => {
  it('the dashboard has the panels the issue asks for and uses the provisioned data source', () => {
    const [file] = dashboardFiles();
    const dashboard = JSON.parse(readFileSync(file, 'utf8')) as { uid: string; panels: { title: string; type: string; datasource?: { uid: string } }[] };
    const titles = dashboard.panels.map((panel) => panel.title);
    expect(titles).toEqual(
      expect.arrayContaining([
        'Delivery latency (event occurred → 2xx)',
        'Attempts by outcome',
        'Retries scheduled per tier',
        'Dead letters',
        'Consumer lag per group',
        'Ingest rejects',
      ]),
    );
    for (const panel of dashboard.panels.filter((panel) => panel.type !== 'row')) expect(panel.datasource?.uid).toBe('${datasource}');
    const datasources = parse(readFileSync(path.join(DEPLOY, 'grafana/provisioning/datasources/prometheus.yml'), 'utf8')) as { datasources: { uid: string; url: string }[] };
    expect(datasources.datasources[0]).toMatchObject({ uid: 'prometheus', url: 'http://prometheus:9090' });
    const providers = parse(readFileSync(path.join(DEPLOY, 'grafana/provisioning/dashboards/harmony-webhooks.yml'), 'utf8')) as { providers: { options: { path: string } }[] };
    expect(providers.providers[0].options.path).toBe('/var/lib/grafana/dashboards');
  });
});
