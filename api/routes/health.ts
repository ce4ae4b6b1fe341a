import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import type { GatewayEnv } from '../context.js';
import { json } from '../openapi/schemas.js';

const Readiness = z.object({
  status: z.string(),
  checks: z.record(z.string(), z.enum(['up', 'down'])),
  down: z.array(z.string()),
});

/**
 * The process shell (lib/http-app.ts) serves /healthz, /readyz and /metrics; they are part of the
 * public contract too, so the OpenAPI document lists them.
 */
export function registerHealthRoutes(app: OpenAPIHono<GatewayEnv>): void {
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
