import { createRequire } from 'node:module';
import { context, propagation, trace } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import type { SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

export interface TelemetryOptions {
  serviceName: string;
  /** OTLP/HTTP base URL (the collector's `/v1/traces` is appended), e.g. http://127.0.0.1:4318 */
  otlpEndpoint?: string;
  /** Exports every span as it ends (tests, debugging); used instead of OTLP when given. */
  exporter?: SpanExporter;
}

/** The span pipeline, for exporters outside this module (Temporal's workflow span sink). */
export interface SpanPipeline {
  spanProcessor: SpanProcessor;
  resource: Resource;
}

/** Every field but `shutdown` is undefined while tracing is off. */
export interface Telemetry {
  tracerProvider?: NodeTracerProvider;
  pipeline?: SpanPipeline;
  /** Flushes pending spans and removes the instrumentation. */
  shutdown: () => Promise<void>;
}

// Probes and scrapes would drown the traces that matter.
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * Starts tracing for one process: W3C trace context on incoming node:http requests and outgoing
 * fetch and undici requests. Call it before any server or request starts. Without an endpoint or an
 * exporter it installs nothing and loads nothing: the SDK is imported only when tracing is on (~25 MB RSS).
 */
export async function startTelemetry(options: TelemetryOptions): Promise<Telemetry> {
  if (!options.exporter && !options.otlpEndpoint) return { shutdown: async () => {} };
  const [{ OTLPTraceExporter }, { registerInstrumentations }, { HttpInstrumentation }, { UndiciInstrumentation }] =
    await Promise.all([
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/instrumentation'),
      import('@opentelemetry/instrumentation-http'),
      import('@opentelemetry/instrumentation-undici'),
    ]);
  const [{ Resource }, { BatchSpanProcessor, SimpleSpanProcessor }, { NodeTracerProvider }] = await Promise.all([
    import('@opentelemetry/resources'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/sdk-trace-node'),
  ]);
  const url = `${options.otlpEndpoint?.replace(/\/+$/, '')}/v1/traces`;
  const exporter = options.exporter ?? new OTLPTraceExporter({ url });
  const resource = new Resource({ 'service.name': options.serviceName });
  const spanProcessor = options.exporter ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter);
  const tracerProvider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  tracerProvider.register();
  const unregister = registerInstrumentations({
    tracerProvider,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.has(new URL(request.url ?? '/', 'http://x').pathname),
      }),
      new UndiciInstrumentation(),
    ],
  });
  // ESM imports of node:http bypass the require hook; requiring it once applies the patch to the shared module.
  createRequire(import.meta.url)('node:http');
  return {
    tracerProvider,
    pipeline: { spanProcessor, resource },
    shutdown: async () => {
      unregister();
      await tracerProvider.shutdown();
      // Lets a later startTelemetry in the same process (tests) register its own provider.
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
