import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** In the Helm chart (its ConfigMaps read them), provisioned from there by docker-compose too. */
export const DASHBOARD_DIR = fileURLToPath(new URL('../../deploy/helm/durable-shop/dashboards/', import.meta.url));

/** Grafana's own variables, replaced by values Prometheus accepts; `$service`-style template variables by a regex. */
const GRAFANA_VARIABLES: [RegExp, string][] = [
  [/\$__rate_interval|\$__interval|\$__range/g, '1m'],
  [/\$\{?[a-z_]+\}?/g, '.+'],
];

interface Panel {
  title?: string;
  targets?: { expr?: string }[];
  panels?: Panel[];
}

export interface DashboardQuery {
  dashboard: string;
  panel: string;
  expr: string;
}

function* panelQueries(panels: Panel[]): Generator<{ panel: string; expr: string }> {
  for (const panel of panels) {
    for (const target of panel.targets ?? []) if (target.expr) yield { panel: panel.title ?? '?', expr: target.expr };
    yield* panelQueries(panel.panels ?? []);
  }
}

/** Every PromQL expression of every dashboard, with Grafana's variables substituted. */
export async function dashboardQueries(): Promise<DashboardQuery[]> {
  const files = (await readdir(DASHBOARD_DIR)).filter((file) => file.endsWith('.json'));
  const queries: DashboardQuery[] = [];
  for (const file of files) {
    const dashboard = JSON.parse(await readFile(join(DASHBOARD_DIR, file), 'utf8')) as { panels: Panel[] };
    for (const { panel, expr } of panelQueries(dashboard.panels)) {
      const substituted = GRAFANA_VARIABLES.reduce((text, [pattern, value]) => text.replace(pattern, value), expr);
      queries.push({ dashboard: file, panel, expr: substituted });
    }
  }
  return queries;
}

/** Metric names selected anywhere in a query, from the AST of Prometheus's `/api/v1/parse_query`. */
export function metricNames(ast: unknown, names = new Set<string>()): Set<string> {
  if (Array.isArray(ast)) for (const item of ast) metricNames(item, names);
  else if (ast && typeof ast === 'object') {
    const node = ast as Record<string, unknown>;
    const selector = node.type === 'vectorSelector' || node.type === 'matrixSelector';
    if (selector && typeof node.name === 'string' && node.name) names.add(node.name);
    for (const value of Object.values(node)) metricNames(value, names);
  }
  return names;
}
