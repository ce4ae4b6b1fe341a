import { createRequire } from 'node:module';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import type { WorkerOptions } from '@temporalio/worker';
import type { SpanPipeline } from '../lib/telemetry.js';

/** Workflow-side OpenTelemetry interceptors; `bundleWorkflowCode` bakes them into a prebuilt bundle. */
export const WORKFLOW_TRACING_MODULE = createRequire(import.meta.url).resolve(
  '@temporalio/interceptors-opentelemetry/lib/workflow-interceptors',
);

/**
 * The worker options that trace workflows (spans leave the sandbox through the `exporter` sink)
 * and activities (their fetch calls become child spans). A prebuilt bundle already carries the
 * workflow interceptors, so only sources bundled at start need `workflowModules`.
 */
export function tracingWorkerOptions(
  tracing: SpanPipeline | undefined,
  prebuiltBundle: boolean,
): Pick<WorkerOptions, 'interceptors' | 'sinks'> {
  // Tracing off: a prebuilt bundle's interceptors still report spans; drop them quietly.
  if (!tracing) return { sinks: { exporter: { export: { fn: () => {} } } } };
  return {
    interceptors: {
      activity: [
        (ctx) => ({
          inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
          outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
        }),
      ],
      ...(prebuiltBundle ? {} : { workflowModules: [WORKFLOW_TRACING_MODULE] }),
    },
    sinks: { exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) },
  };
}
