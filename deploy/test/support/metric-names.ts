import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

export const DEPLOY = path.resolve(__dirname, '../..');

/**
 * Metrics the alert rules and the dashboard use that no service exports yet:
 * the proposed name, type and labels, and the service that will export them.
 * The metrics check accepts these names (and says so in its output) so the
 * rules can be written now; once a service exports one, it is checked like
 * any other, and its entry here can go.
 */
export const PENDING_METRICS: Record<string, { type: 'counter' | 'histogram' | 'gauge'; labels: string[]; service: string }> = {};

/** Series Prometheus makes itself: never exported by a service. */
export const PROMETHEUS_SERIES = new Set(['up', 'scrape_duration_seconds', 'scrape_samples_scraped', 'scrape_samples_post_metric_relabeling', 'scrape_series_added', 'ALERTS', 'ALERTS_FOR_STATE']);

const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset', 'inf', 'nan', 'start', 'end', 'atan2']);

/**
 * The metric names a PromQL expression selects. Strings, label matchers,
 * ranges and grouping clauses are removed first; what is left that is an
 * identifier and not a function call or keyword names a metric. Grafana's
 * `label_values(metric, label)` selects its first argument.
 */
export function metricNamesIn(expr: string): string[] {
  const labelValues = /^\s*label_values\(\s*([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(expr);
  if (labelValues) return [labelValues[1]];
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\$\{?[a-zA-Z_][a-zA-Z0-9_]*\}?/g, ' ');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/(?<![a-zA-Z0-9_:.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?/g)) {
    const [, name, call] = match;
    if (!call && !KEYWORDS.has(name.toLowerCase())) names.add(name);
  }
  return [...names];
}

/** Families in a Prometheus text exposition, from their `# TYPE` lines (printed even before a first sample). */
export function exportedFamilies(exposition: string): Map<string, string> {
  const families = new Map<string, string>();
  for (const [, name, type] of exposition.matchAll(/^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (\w+)$/gm)) families.set(name, type);
  return families;
}

/** The family a series name belongs to (`x_bucket` → `x` when `x` is a histogram), or undefined. */
export function familyOf(name: string, families: Map<string, string>): string | undefined {
  if (families.has(name)) return name;
  const suffix = /^(.*)_(bucket|sum|count)$/.exec(name);
  if (suffix && ['histogram', 'summary'].includes(families.get(suffix[1]) ?? '')) return suffix[1];
  return undefined;
}

export interface MetricUse {
  /** Where: `rule HarmonyConsumerLagHigh` or `panel "Consumer lag per group"`. */
  where: string;
  expr: string;
}

interface RuleFile {
  groups: { name: string; rules: { alert?: string; record?: string; expr: string }[] }[];
}

export function ruleFiles(): string[] {
  const dir = path.join(DEPLOY, 'prometheus/rules');
  return readdirSync(dir)
    .filter((file) => file.endsWith('.rules.yml'))
    .map((file) => path.join(dir, file));
}

/** Every rule expression, and the names recording rules define. */
export function ruleExpressions(): { uses: MetricUse[]; recorded: Set<string> } {
  const uses: MetricUse[] = [];
  const recorded = new Set<string>();
  for (const file of ruleFiles()) {
    const { groups } = parse(readFileSync(file, 'utf8')) as RuleFile;
    for (const group of groups) {
      for (const rule of group.rules) {
        if (rule.record) recorded.add(rule.record);
        uses.push({ where: `rule ${rule.alert ?? rule.record}`, expr: rule.expr });
      }
    }
  }
  return { uses, recorded };
}

interface Panel {
  title?: string;
  targets?: { expr?: string }[];
  panels?: Panel[];
}

interface Dashboard {
  panels: Panel[];
  templating?: { list: { name: string; type: string; query?: string | { query?: string } }[] };
}

export function dashboardFiles(): string[] {
  const dir = path.join(DEPLOY, 'grafana/dashboards');
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => path.join(dir, file));
}

/** Every panel query (rows included) and query variable of the dashboards. */
export function dashboardExpressions(): MetricUse[] {
  const uses: MetricUse[] = [];
  for (const file of dashboardFiles()) {
    const dashboard = JSON.parse(readFileSync(file, 'utf8')) as Dashboard;
    const visit = (panel: Panel): void => {
      for (const target of panel.targets ?? []) if (target.expr) uses.push({ where: `panel "${panel.title}"`, expr: target.expr });
      panel.panels?.forEach(visit);
    };
    dashboard.panels.forEach(visit);
    for (const variable of dashboard.templating?.list ?? []) {
      if (variable.type !== 'query' || !variable.query) continue;
      const query = typeof variable.query === 'string' ? variable.query : variable.query.query;
      if (query) uses.push({ where: `variable $${variable.name}`, expr: query });
    }
  }
  return uses;
}
