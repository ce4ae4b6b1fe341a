import type { Hono } from 'hono';
import { createHttpApp, type HttpAppEnv, type ReadinessCheck } from './process-shell.js';
import { serviceAuth } from './service-auth.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';

export type { ReadinessCheck };

export interface ServiceAppOptions {
  logger: Logger;
  metrics: Metrics;
  serviceToken: string;
  /** Each check throws when its dependency is unreachable. */
  readiness: Record<string, ReadinessCheck>;
}

export type AppEnv = HttpAppEnv;

/** The process shell (lib/process-shell.ts) as every internal service uses it: service auth on /v1, quiet request logs. */
export function createServiceApp({ logger, metrics, serviceToken, readiness }: ServiceAppOptions): Hono<AppEnv> {
  const app = createHttpApp({ logger, metrics, serviceToken, readiness, requestLogLevel: 'debug' });
  app.use('/v1/*', serviceAuth(serviceToken));
  return app;
}
