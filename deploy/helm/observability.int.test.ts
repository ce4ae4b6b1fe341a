import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { RULES_DIR } from '../../scripts/observability.js';
import { ensureHelm, ensurePromtool } from '../../scripts/tools.js';
import { DASHBOARD_DIR } from '../../test/support/dashboards.js';
import { CHART_DIR, podSpec, renderChart, renderError, type Manifest } from './render.js';
import { schemaProblems } from './schema-validation.js';

const run = promisify(execFile);
const existingSecret = ['--set', 'secrets.existingSecret=s'];
const dashboardFiles = readdirSync(DASHBOARD_DIR).filter((file) => file.endsWith('.json'));

type ConfigMap = Manifest & { metadata: { namespace?: string }; data?: Record<string, string> };
interface RuleGroup {
  name: string;
  rules: { alert?: string; record?: string }[];
}
type PrometheusRule = Manifest & { metadata: { namespace?: string }; spec: { groups: RuleGroup[] } };

const dashboardConfigMaps = (manifests: Manifest[], label = 'grafana_dashboard') =>
  manifests.filter((m): m is ConfigMap => m.kind === 'ConfigMap' && m.metadata.labels?.[label] !== undefined);

beforeAll(() => ensureHelm(), 1_500_000);

describe('the Grafana dashboards in the chart', () => {
  it('keeps one source: the chart’s dashboards/ is what the tests read and docker-compose mounts', () => {
    expect(resolve(DASHBOARD_DIR)).toBe(join(CHART_DIR, 'dashboards'));
    expect(dashboardFiles.sort()).toEqual(['services.json', 'shop.json', 'temporal.json']);
    const compose = parse(readFileSync('deploy/observability/compose.yml', 'utf8')) as {
      services: Record<string, { volumes?: string[] }>;
    };
    const binds = Object.values(compose.services).flatMap(({ volumes = [] }) =>
      volumes.filter((volume) => volume.startsWith('./')).map((volume) => volume.split(':')[0]!),
    );
    expect(binds).toContain('./deploy/helm/durable-shop/dashboards');
    expect(binds).toContain('./deploy/helm/durable-shop/rules');
    expect(binds.filter((path) => !existsSync(path))).toEqual([]);
  });

  it('renders no dashboard unless asked to', async () => {
    expect(dashboardConfigMaps(await renderChart(existingSecret))).toEqual([]);
  });

  it('renders one ConfigMap per dashboard, with the sidecar label and the source JSON', async () => {
    const manifests = await renderChart([...existingSecret, '--set', 'grafanaDashboards.enabled=true']);
    const configMaps = dashboardConfigMaps(manifests);
    expect(await schemaProblems(configMaps)).toEqual([]);
    expect(configMaps.map((m) => m.metadata.labels?.grafana_dashboard)).toEqual(dashboardFiles.map(() => '1'));
    expect(configMaps.map((m) => m.metadata.namespace)).toEqual(dashboardFiles.map(() => 'shop'));
    const carried = Object.assign({}, ...configMaps.map((m) => m.data)) as Record<string, string>;
    expect(Object.keys(carried).sort()).toEqual(dashboardFiles);
    for (const file of dashboardFiles) {
      const source = readFileSync(join(DASHBOARD_DIR, file), 'utf8');
      expect(carried[file]).toBe(source.trimEnd());
      expect(JSON.parse(carried[file]!)).toEqual(JSON.parse(source));
    }
  });

  it('takes the label, its value, the namespace and annotations from values', async () => {
    const manifests = await renderChart([
      ...existingSecret,
      ...['--set', 'grafanaDashboards.enabled=true', '--set', 'grafanaDashboards.label=dashboards'],
      ...[
        '--set-string',
        'grafanaDashboards.labelValue=durable-shop',
        '--set',
        'grafanaDashboards.namespace=monitoring',
      ],
      ...['--set', 'grafanaDashboards.annotations.grafana_folder=Shop'],
    ]);
    const configMaps = dashboardConfigMaps(manifests, 'dashboards');
    expect(configMaps).toHaveLength(dashboardFiles.length);
    for (const { metadata } of configMaps) {
      expect(metadata).toMatchObject({ namespace: 'monitoring', annotations: { grafana_folder: 'Shop' } });
      expect(metadata.labels).toMatchObject({ dashboards: 'durable-shop' });
      expect(metadata.labels).not.toHaveProperty('grafana_dashboard');
    }
  });
});

describe('the PrometheusRule in the chart', () => {
  const sourceGroups = () =>
    readdirSync(RULES_DIR)
      .sort()
      .flatMap((file) => (parse(readFileSync(join(RULES_DIR, file), 'utf8')) as { groups: RuleGroup[] }).groups);
  const renderRule = async (args: string[]) =>
    (await renderChart([...existingSecret, ...args])).find((m): m is PrometheusRule => m.kind === 'PrometheusRule');

  it('is off unless asked to', async () => {
    expect(await renderRule([])).toBeUndefined();
  });

  it('carries every rule of rules/ but the skipped alerts, with the labels kube-prometheus-stack selects on', async () => {
    const rule = await renderRule([
      '--set',
      'prometheusRule.enabled=true',
      '--set',
      'prometheusRule.labels.release=kps',
    ]);
    expect(rule?.metadata.labels).toMatchObject({ release: 'kps' });
    expect(rule?.metadata.namespace).toBe('shop');
    const expected = sourceGroups().map((group) => ({
      ...group,
      rules: group.rules.filter((r) => r.alert !== 'TargetDown'),
    }));
    expect(rule?.spec.groups).toEqual(expected);
    expect(expected.flatMap((group) => group.rules).length).toBeGreaterThan(10);
  });

  it('passes promtool check rules, and keeps TargetDown when no alert is skipped', async () => {
    const promtool = await ensurePromtool();
    const rule = await renderRule(['--set', 'prometheusRule.enabled=true', '--set', 'prometheusRule.skipAlerts=null']);
    const alerts = rule!.spec.groups.flatMap((group) => group.rules.flatMap((r) => (r.alert ? [r.alert] : [])));
    expect(alerts).toContain('TargetDown');
    const dir = await mkdtemp(join(tmpdir(), 'prometheus-rule-'));
    try {
      await writeFile(join(dir, 'rules.yml'), JSON.stringify(rule!.spec));
      const { stdout } = await run(promtool, ['check', 'rules', join(dir, 'rules.yml')]);
      expect(stdout).toMatch(/SUCCESS: \d+ rules found/);
      await writeFile(join(dir, 'broken.yml'), JSON.stringify(rule!.spec).replace('sum(rate(', 'sum(rate(('));
      await expect(run(promtool, ['check', 'rules', join(dir, 'broken.yml')])).rejects.toThrow();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 1_800_000);
});

describe("the ServiceMonitor and the worker's SDK metrics port", () => {
  interface Endpoint {
    port: string;
    path: string;
    interval: string;
    honorLabels: boolean;
    relabelings?: { targetLabel: string; replacement: string }[];
    authorization?: { type: string; credentials: { name: string; key: string } };
  }
  type ServiceMonitor = Manifest & {
    metadata: { namespace?: string };
    spec: { jobLabel: string; selector: { matchLabels: Record<string, string> }; endpoints: Endpoint[] };
  };
  type Service = Manifest & { spec: { ports: { name: string; port: number; targetPort: string }[] } };
  const byKind = <T extends Manifest>(manifests: Manifest[], kind: string) =>
    manifests.filter((m): m is T => m.kind === kind);
  const worker = (manifests: Manifest[], kind: string) =>
    manifests.find((m) => m.kind === kind && m.metadata.labels?.['app.kubernetes.io/component'] === 'worker')!;

  it('serves the SDK metrics on a named worker port by default, and renders no ServiceMonitor unless asked to', async () => {
    const manifests = await renderChart(existingSecret);
    expect(byKind(manifests, 'ServiceMonitor')).toEqual([]);
    const [container] = podSpec(worker(manifests, 'Deployment')).containers;
    expect(container!.ports).toContainEqual(expect.objectContaining({ name: 'sdk-metrics', containerPort: 9464 }));
    expect(container!.env).toContainEqual({ name: 'TEMPORAL_METRICS_PORT', value: '9464' });
    expect((worker(manifests, 'Service') as Service).spec.ports.map((p) => p.name)).toEqual(['http', 'sdk-metrics']);
    const others = byKind<Service>(manifests, 'Service').filter((s) => s !== worker(manifests, 'Service'));
    expect(others.flatMap((s) => s.spec.ports.map((p) => p.name))).toEqual(others.map(() => 'http'));
  });

  it('scrapes every process by its Service, job = the process, and the SDK port as temporal-sdk', async () => {
    const manifests = await renderChart([
      ...existingSecret,
      ...['--set', 'serviceMonitor.enabled=true', '--set', 'serviceMonitor.labels.release=kps'],
    ]);
    const [monitor, ...more] = byKind<ServiceMonitor>(manifests, 'ServiceMonitor');
    expect(more).toEqual([]);
    expect(monitor!.metadata).toMatchObject({ namespace: 'shop', labels: { release: 'kps' } });
    expect(monitor!.spec.jobLabel).toBe('app.kubernetes.io/component');
    const services = byKind<Service>(manifests, 'Service');
    const selected = services.filter((service) =>
      Object.entries(monitor!.spec.selector.matchLabels).every(([k, v]) => service.metadata.labels?.[k] === v),
    );
    expect(selected.map((s) => s.metadata.labels?.['app.kubernetes.io/component']).sort()).toEqual([
      'api',
      'notifications',
      'orders',
      'products',
      'users',
      'worker',
    ]);
    // Every process answers /metrics only to SERVICE_TOKEN: the scrape reads it from the Secret the processes read.
    const [container] = podSpec(worker(manifests, 'Deployment')).containers;
    const tokenRef = container!.env!.find((e) => e.name === 'SERVICE_TOKEN')!.valueFrom!.secretKeyRef!;
    expect(tokenRef).toMatchObject({ name: 's', key: 'SERVICE_TOKEN' });
    const authorization = { type: 'Bearer', credentials: { name: tokenRef.name, key: tokenRef.key } };
    expect(monitor!.spec.endpoints).toEqual([
      { port: 'http', path: '/metrics', interval: '30s', honorLabels: true, authorization },
      {
        port: 'sdk-metrics',
        path: '/metrics',
        interval: '30s',
        honorLabels: true,
        relabelings: [{ targetLabel: 'job', replacement: 'temporal-sdk' }],
      },
    ]);
  });

  it('lets the metrics peers reach the SDK port, and drops port, variable and endpoint when it is 0', async () => {
    const scraped = await renderChart([
      ...existingSecret,
      ...[
        '--set',
        'networkPolicy.enabled=true',
        '--set',
        'networkPolicy.metricsFrom[0].podSelector.matchLabels.app=prometheus',
      ],
    ]);
    const policy = worker(scraped, 'NetworkPolicy') as Manifest & {
      spec: { ingress: { ports: { port: string }[] }[] };
    };
    expect(policy.spec.ingress.flatMap((rule) => rule.ports.map((p) => p.port))).toEqual(['http', 'sdk-metrics']);

    const off = await renderChart([
      ...existingSecret,
      ...['--set', 'worker.sdkMetricsPort=0', '--set', 'serviceMonitor.enabled=true'],
    ]);
    const [container] = podSpec(worker(off, 'Deployment')).containers;
    expect(container!.ports!.map((p) => p.name)).toEqual(['http']);
    expect(container!.env!.map((e) => e.name)).not.toContain('TEMPORAL_METRICS_PORT');
    expect((worker(off, 'Service') as Service).spec.ports.map((p) => p.name)).toEqual(['http']);
    const [monitor] = byKind<ServiceMonitor>(off, 'ServiceMonitor');
    expect(monitor!.spec.endpoints.map((e) => e.port)).toEqual(['http']);
  });

  it('refuses a ServiceMonitor in another namespace, where the operator could not read the token Secret', async () => {
    const error = await renderError([
      ...existingSecret,
      ...['--set', 'serviceMonitor.enabled=true', '--set', 'serviceMonitor.namespace=monitoring'],
    ]);
    expect(error).toContain('serviceMonitor.namespace must be empty or shop');
    const same = await renderChart([
      ...existingSecret,
      ...['--set', 'serviceMonitor.enabled=true', '--set', 'serviceMonitor.namespace=shop'],
    ]);
    expect(same.filter((m) => m.kind === 'ServiceMonitor')).toHaveLength(1);
  });
});
