// Jaeger v2 on this machine: an OTLP/HTTP receiver with in-memory storage and the query API (trace test, `--observability`).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { httpOk, spawnManaged, waitFor, type ManagedProcess } from './processes.js';

export interface JaegerPorts {
  /** OTLP/HTTP receiver: the processes' OTEL_EXPORTER_OTLP_ENDPOINT. */
  otlp: number;
  /** jaeger_query's HTTP API (and the UI, when a binary carries its assets). */
  query: number;
  /** healthcheckv2: `GET /status` answers 200 once every pipeline component is up. */
  health: number;
}

export interface JaegerConfigOptions {
  ports: JaegerPorts;
  /** Oldest traces are dropped beyond this many. */
  maxTraces?: number;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
}

const STORE = 'memstore';

/** Jaeger's config as an object (JSON is YAML), modelled on its embedded all-in-one.yaml; every listener on loopback. */
export function jaegerConfig({ ports, maxTraces = 10_000, logLevel = 'warn' }: JaegerConfigOptions) {
  const local = (port: number) => `127.0.0.1:${port}`;
  return {
    service: {
      extensions: ['jaeger_storage', 'jaeger_query', 'healthcheckv2'],
      pipelines: {
        traces: { receivers: ['otlp'], processors: ['batch'], exporters: ['jaeger_storage_exporter'] },
      },
      // No self-metrics server (it would take port 8888), logs at `logLevel` only.
      telemetry: { metrics: { level: 'none' }, logs: { level: logLevel } },
    },
    extensions: {
      jaeger_storage: { backends: { [STORE]: { memory: { max_traces: maxTraces } } } },
      // The gRPC query API is not used here: an ephemeral port keeps it off the well-known 16685.
      jaeger_query: {
        storage: { traces: STORE },
        http: { endpoint: local(ports.query) },
        grpc: { endpoint: local(0) },
      },
      healthcheckv2: { use_v2: true, http: { endpoint: local(ports.health) } },
    },
    receivers: { otlp: { protocols: { http: { endpoint: local(ports.otlp) } } } },
    processors: { batch: {} },
    exporters: { jaeger_storage_exporter: { trace_storage: STORE } },
  };
}

export interface JaegerOptions extends JaegerConfigOptions {
  bin: string;
  /** Where the generated jaeger.yaml is written. */
  configDir: string;
  output?: Writable;
  /** Called as soon as the process exists (the supervisor then knows it even if the start fails). */
  onSpawn?: (proc: ManagedProcess) => void;
}

export interface RunningJaeger {
  process: ManagedProcess;
  /** For OTEL_EXPORTER_OTLP_ENDPOINT (the exporter appends `/v1/traces`). */
  otlpUrl: string;
  /** The query API: `${queryUrl}/api/v3/traces/<trace id>`. */
  queryUrl: string;
}

export async function startJaeger(options: JaegerOptions): Promise<RunningJaeger> {
  await mkdir(options.configDir, { recursive: true });
  const configFile = join(options.configDir, 'jaeger.yaml');
  await writeFile(configFile, JSON.stringify(jaegerConfig(options), null, 2));
  const proc = spawnManaged('jaeger', options.bin, ['--config', configFile], { output: options.output });
  options.onSpawn?.(proc);
  const { ports } = options;
  await Promise.race([
    waitFor('Jaeger', () => httpOk(`http://127.0.0.1:${ports.health}/status`), 60_000, 200),
    proc.exited.then((code) => Promise.reject(new Error(`Jaeger exited early (${code})`))),
  ]);
  return { process: proc, otlpUrl: `http://127.0.0.1:${ports.otlp}`, queryUrl: `http://127.0.0.1:${ports.query}` };
}

/** One OTLP span as the query API returns it (OTLP JSON: hex ids, numeric kind). */
export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: { key: string; value: { stringValue?: string } }[];
}
export interface StoredSpan extends OtlpSpan {
  service: string;
}
interface TracesResponse {
  result?: {
    resourceSpans?: {
      resource?: { attributes?: OtlpSpan['attributes'] };
      scopeSpans?: { spans?: OtlpSpan[] }[];
    }[];
  };
}

/** Every span of one trace with its service name, or [] while Jaeger has none of it (404). */
export async function fetchTrace(queryUrl: string, traceId: string): Promise<StoredSpan[]> {
  const response = await fetch(`${queryUrl}/api/v3/traces/${traceId}`, { signal: AbortSignal.timeout(5000) });
  if (response.status === 404) return [];
  if (!response.ok) throw new Error(`Jaeger GET trace ${traceId}: ${response.status} ${await response.text()}`);
  return flattenSpans((await response.json()) as TracesResponse);
}

/** The spans of the latest `limit` traces that `service` took part in, started in the last `lookbackMs` (v3 FindTraces). */
export async function findSpans(
  queryUrl: string,
  service: string,
  limit = 20,
  lookbackMs = 3_600_000,
): Promise<StoredSpan[]> {
  const now = Date.now();
  const query = new URLSearchParams({
    'query.service_name': service,
    'query.start_time_min': new Date(now - lookbackMs).toISOString(),
    'query.start_time_max': new Date(now + 60_000).toISOString(),
    'query.num_traces': String(limit), // required: Jaeger refuses a search without a depth
  });
  const response = await fetch(`${queryUrl}/api/v3/traces?${query.toString()}`, { signal: AbortSignal.timeout(5000) });
  if (response.status === 404) return [];
  if (!response.ok) throw new Error(`Jaeger find traces of ${service}: ${response.status} ${await response.text()}`);
  return flattenSpans((await response.json()) as TracesResponse);
}

export const spanAttribute = (span: OtlpSpan, key: string) =>
  span.attributes?.find((attribute) => attribute.key === key)?.value.stringValue;

function flattenSpans(body: TracesResponse): StoredSpan[] {
  return (body.result?.resourceSpans ?? []).flatMap(({ resource, scopeSpans }) => {
    const service = resource?.attributes?.find((a) => a.key === 'service.name')?.value.stringValue ?? '?';
    return (scopeSpans ?? []).flatMap(({ spans }) =>
      (spans ?? []).map((span) => ({ ...span, service, parentSpanId: span.parentSpanId || undefined })),
    );
  });
}
