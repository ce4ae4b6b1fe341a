import type { MiddlewareHandler } from 'hono';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

export interface Metrics {
  registry: Registry;
  middleware: MiddlewareHandler;
  render: () => Promise<{ contentType: string; body: string }>;
}

/** The matched route's template (`/v1/orders/:id`), never the raw path, so label values stay few. */
function routeTemplate(routePath: string, status: number): string {
  // Only a catch-all middleware matched: an unknown path, which must not become its own series.
  if (!routePath || (status === 404 && routePath === '/*')) return 'unmatched';
  return routePath;
}

/** A registry per process with default Node metrics and RED metrics for HTTP. */
export function createMetrics(service: string, collectDefaults = true): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  if (collectDefaults) collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const total = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const middleware: MiddlewareHandler = async (c, next) => {
    const start = process.hrtime.bigint();
    await next();
    const labels = {
      method: c.req.method,
      route: routeTemplate(c.req.routePath, c.res.status),
      status: String(c.res.status),
    };
    duration.observe(labels, Number(process.hrtime.bigint() - start) / 1e9);
    total.inc(labels);
  };
  const render = async () => ({ contentType: registry.contentType, body: await registry.metrics() });
  return { registry, middleware, render };
}
