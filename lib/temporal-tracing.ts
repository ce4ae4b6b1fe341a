import type { ClientInterceptors } from '@temporalio/client';

/**
 * Client interceptors that carry the caller's trace into the workflow's headers; none while tracing is
 * off, and then the interceptor package (~20 MB RSS) is never loaded.
 */
export async function tracingClientInterceptors(tracing: boolean): Promise<ClientInterceptors | undefined> {
  if (!tracing) return undefined;
  const { OpenTelemetryWorkflowClientInterceptor } = await import('@temporalio/interceptors-opentelemetry');
  return { workflow: [new OpenTelemetryWorkflowClientInterceptor()] };
}
