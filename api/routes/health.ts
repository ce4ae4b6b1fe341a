import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import type { GatewayEnv } from '../context.js';
import { json, pick, ProblemSchema } from '../openapi/schemas.js';

const readinessReport = {
  checks: z.record(z.string(), z.enum(['up', 'down'])),
  down: z.array(z.string()),
  degraded: z.array(z.string()).optional(),
};
const Readiness = z.object({ status: z.literal('ready'), ...readinessReport });
const NotReady = ProblemSchema.extend(readinessReport);

/**
 * The process shell (lib/process-shell.ts) serves /healthz, /readyz and /metrics; they are part of the
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
    responses: {
      200: json(Readiness, 'Ready'),
      503: {
        description: 'Not ready: a SERVICE_UNAVAILABLE problem whose `down` names the dependencies',
        content: { 'application/problem+json': { schema: NotReady } },
      },
    },
  });
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/metrics',
    tags: ['health'],
    summary: 'Prometheus metrics, for the scraper: it presents the service credential, anyone else gets 401',
    security: [{ serviceToken: [] }],
    responses: {
      200: text('Prometheus text format'),
      401: { ...pick(401)[401], description: 'No service credential' },
    },
  });
}
