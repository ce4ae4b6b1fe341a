// Prometheus on this machine, scraping every process of the stack (`npm start -- --observability`).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { startJaeger, type JaegerPorts } from './jaeger.js';
import { httpOk, spawnManaged, waitFor, type ManagedProcess } from './processes.js';
import { ensureJaeger, ensurePrometheus } from './tools.js';

export const PROMETHEUS_DIR = fileURLToPath(new URL('../deploy/observability/prometheus/', import.meta.url));
/** The rule files live in the Helm chart (its PrometheusRule reads them); npm start and docker-compose load them too. */
export const RULES_DIR = fileURLToPath(new URL('../deploy/helm/durable-shop/rules/', import.meta.url));
export const RULE_FILES = ['recording.yml', 'alerts.yml'].map((file) => join(RULES_DIR, file));

/** Default ports when observability is on; each can be moved by its environment variable. */
export const OBSERVABILITY_PORTS = {
  PROMETHEUS_PORT: 9090,
  TEMPORAL_METRICS_PORT: 9464,
  TEMPORAL_SERVER_METRICS_PORT: 9233,
  JAEGER_QUERY_PORT: 16686,
  JAEGER_OTLP_PORT: 4318,
  JAEGER_HEALTH_PORT: 13133,
} as const;
const JAEGER_PORT_NAMES = ['JAEGER_QUERY_PORT', 'JAEGER_OTLP_PORT', 'JAEGER_HEALTH_PORT'] as const;

/** `host:port` of every `/metrics` endpoint, by job name (api, users, …, temporal-sdk, temporal). */
export type ScrapeTargets = Record<string, string>;

export interface PrometheusConfigOptions {
  /** Scraped as they are: Prometheus itself, the Temporal server, the worker's SDK exporter. */
  targets: ScrapeTargets;
  /** The app processes, whose /metrics answers only the service credential. */
  serviceTargets?: ScrapeTargets;
  /** The file holding SERVICE_TOKEN, presented to `serviceTargets` as a bearer token. */
  serviceTokenFile?: string;
  scrapeInterval?: string;
  ruleFiles?: string[];
}

/** prometheus.yml as an object; JSON is YAML, so it is written as JSON. */
export function prometheusConfig(options: PrometheusConfigOptions) {
  const { targets, serviceTargets = {}, serviceTokenFile, scrapeInterval = '5s', ruleFiles = RULE_FILES } = options;
  if (Object.keys(serviceTargets).length > 0 && !serviceTokenFile)
    throw new Error('the app processes answer /metrics only to the service token: pass serviceTokenFile');
  const job = (name: string, target: string) => ({ job_name: name, static_configs: [{ targets: [target] }] });
  const authorization = { type: 'Bearer', credentials_file: serviceTokenFile };
  return {
    global: { scrape_interval: scrapeInterval, evaluation_interval: scrapeInterval },
    rule_files: ruleFiles,
    scrape_configs: [
      ...Object.entries(serviceTargets).map(([name, target]) => ({ ...job(name, target), authorization })),
      ...Object.entries(targets).map(([name, target]) => job(name, target)),
    ],
  };
}

export interface PrometheusOptions {
  bin: string;
  port: number;
  /** Holds the generated prometheus.yml, the scrape token and the TSDB. */
  dataDir: string;
  targets: ScrapeTargets;
  /** The app processes, scraped with `serviceToken`. */
  serviceTargets: ScrapeTargets;
  serviceToken: string;
  scrapeInterval?: string;
  output?: Writable;
}

export interface RunningPrometheus {
  process: ManagedProcess;
  url: string;
}

export async function startPrometheus(options: PrometheusOptions): Promise<RunningPrometheus> {
  await mkdir(options.dataDir, { recursive: true });
  const configFile = join(options.dataDir, 'prometheus.yml');
  const serviceTokenFile = join(options.dataDir, 'service-token');
  await writeFile(serviceTokenFile, options.serviceToken, { mode: 0o600 });
  const targets = { prometheus: `127.0.0.1:${options.port}`, ...options.targets };
  const { serviceTargets, scrapeInterval } = options;
  const config = prometheusConfig({ targets, serviceTargets, serviceTokenFile, scrapeInterval });
  await writeFile(configFile, JSON.stringify(config, null, 2));
  const args = [
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${join(options.dataDir, 'tsdb')}`,
    '--storage.tsdb.retention.time=2d',
    `--web.listen-address=127.0.0.1:${options.port}`,
    '--log.level=warn',
  ];
  // Without built-in assets it reads its UI from ./web/ui/static, the cwd being named prometheus (README "Observe it").
  const proc = spawnManaged('prometheus', options.bin, args, { cwd: options.dataDir, output: options.output });
  const url = `http://127.0.0.1:${options.port}`;
  await Promise.race([
    waitFor('Prometheus', () => httpOk(`${url}/-/ready`), 60_000, 200),
    proc.exited.then((code) => Promise.reject(new Error(`Prometheus exited early (${code})`))),
  ]);
  return { process: proc, url };
}

export type ObservabilityPorts = Record<keyof typeof OBSERVABILITY_PORTS, number>;

export interface ObservabilityPlan {
  ports: ObservabilityPorts;
  /** Where Jaeger listens; unset when OTEL_EXPORTER_OTLP_ENDPOINT already names the user's own collector. */
  jaeger?: JaegerPorts;
  /** Added to every app process's environment (the worker serves the SDK's metrics; everyone exports traces). */
  appEnv: Record<string, string>;
  /** SERVICE_TOKEN when the environment sets it; else the launcher's generated one (`<DATA_DIR>/service-token`). */
  serviceToken?: string;
}

/** On with `--observability` or OBSERVABILITY=1|true; ports from the environment or the defaults. */
export function observabilityFor(argv: string[], env: NodeJS.ProcessEnv): ObservabilityPlan | undefined {
  if (!argv.includes('--observability') && !['1', 'true', 'yes'].includes(env.OBSERVABILITY ?? '')) return undefined;
  const names = Object.keys(OBSERVABILITY_PORTS) as (keyof typeof OBSERVABILITY_PORTS)[];
  const ports = Object.fromEntries(
    names.map((name) => [name, Number(env[name] ?? OBSERVABILITY_PORTS[name])]),
  ) as ObservabilityPorts;
  const appEnv = { TEMPORAL_METRICS_PORT: String(ports.TEMPORAL_METRICS_PORT) };
  const token = env.SERVICE_TOKEN ? { serviceToken: env.SERVICE_TOKEN } : {};
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT) return { ports, appEnv, ...token };
  const jaeger = { query: ports.JAEGER_QUERY_PORT, otlp: ports.JAEGER_OTLP_PORT, health: ports.JAEGER_HEALTH_PORT };
  const otlp = { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${jaeger.otlp}` };
  return { ports, jaeger, appEnv: { ...appEnv, ...otlp }, ...token };
}

/** The ports this plan will listen on, by name, for the launcher's "port already in use" check. */
export function plannedPorts(plan: ObservabilityPlan | undefined): Record<string, number> {
  if (!plan) return {};
  const skipped: readonly string[] = plan.jaeger ? [] : JAEGER_PORT_NAMES;
  return Object.fromEntries(Object.entries(plan.ports).filter(([name]) => !skipped.includes(name)));
}

/** Jaeger v2 (built once), for the supervisor: in-memory traces, OTLP/HTTP in, the query API out. */
export async function startTraceBackend(
  jaeger: JaegerPorts,
  stack: Pick<ObservedStack, 'dataDir' | 'output'>,
  onSpawn: (proc: ManagedProcess) => void,
): Promise<ManagedProcess> {
  const bin = await ensureJaeger();
  const configDir = join(stack.dataDir, 'jaeger');
  return (await startJaeger({ bin, ports: jaeger, configDir, output: stack.output, onSpawn })).process;
}

export interface ObservedStack {
  urls: Record<string, string>;
  dataDir: string;
  /** TEMPORAL_ADDRESS names a server this launcher did not start: its metrics are not ours to scrape. */
  remoteTemporal: boolean;
  output?: Writable;
}

/** Builds Prometheus if needed and starts it scraping the stack, the worker's SDK metrics and Temporal. */
export async function startObservability(plan: ObservabilityPlan, stack: ObservedStack): Promise<ManagedProcess> {
  const extra: ScrapeTargets = { 'temporal-sdk': `127.0.0.1:${plan.ports.TEMPORAL_METRICS_PORT}` };
  if (!stack.remoteTemporal) extra.temporal = `127.0.0.1:${plan.ports.TEMPORAL_SERVER_METRICS_PORT}`;
  // The launcher takes SERVICE_TOKEN from the environment, or generates it once into <DATA_DIR>/service-token.
  const serviceToken = plan.serviceToken ?? (await readFile(join(stack.dataDir, 'service-token'), 'utf8')).trim();
  const prometheus = await startPrometheus({
    bin: await ensurePrometheus(),
    port: plan.ports.PROMETHEUS_PORT,
    dataDir: join(stack.dataDir, 'prometheus'),
    targets: extra,
    serviceTargets: stackTargets(stack.urls),
    serviceToken,
    output: stack.output,
  });
  return prometheus.process;
}

/** The scrape targets of the app processes from their base URLs, plus the Temporal endpoints. */
export function stackTargets(urls: Record<string, string>, extra: ScrapeTargets = {}): ScrapeTargets {
  const hostPort = (url: string) => new URL(url).host;
  return { ...Object.fromEntries(Object.entries(urls).map(([name, url]) => [name, hostPort(url)])), ...extra };
}
