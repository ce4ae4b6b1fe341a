import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Metrics } from '../lib/metrics.js';
import { withTimeout } from '../lib/timeout.js';
import { z } from 'zod';
import type { GatewayEnv } from './env.js';
import { json } from './openapi.js';

export type ReadinessChecks = Record<string, () => Promise<void>>;

async function probe(check: () => Promise<void>, timeoutMs: number): Promise<'up' | 'down'> {
  try {
    await withTimeout(check(), timeoutMs);
    return 'up';
  } catch {
    return 'down';
  }
}

const Readiness = z.object({
  status: z.string(),
  checks: z.record(z.string(), z.enum(['up', 'down'])),
  down: z.array(z.string()),
});

/** Health endpoints are part of the public contract too, so the document lists them. */
function document(app: OpenAPIHono<GatewayEnv>): void {
  const text = (description: string) => ({ description, content: { 'text/plain': { schema: z.string() } } });
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/healthz',
    tags: ['health'],
    summary: 'Liveness',
    responses: { 200: json(z.object({ status: z.string() }), 'The process is up') },
  });
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/readyz',
    tags: ['health'],
    summary: 'Readiness: Temporal and every service reachable',
    responses: { 200: json(Readiness, 'Ready'), 503: json(Readiness, 'Not ready; `down` names the dependencies') },
  });
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/metrics',
    tags: ['health'],
    summary: 'Prometheus metrics',
    responses: { 200: text('Prometheus text format') },
  });
}

export function registerHealth(app: OpenAPIHono<GatewayEnv>, metrics: Metrics, checks: ReadinessChecks): void {
  document(app);
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const results = Object.fromEntries(
      await Promise.all(
        Object.entries(checks).map(async ([name, check]) => [name, await probe(check, 2_500)] as const),
      ),
    );
    const down = Object.keys(results).filter((name) => results[name] === 'down');
    const ready = down.length === 0;
    return c.json({ status: ready ? 'ready' : 'not ready', checks: results, down }, ready ? 200 : 503);
  });
  app.get('/metrics', async (c) => {
    const { contentType, body } = await metrics.render();
    return c.body(body, 200, { 'Content-Type': contentType });
  });
}
