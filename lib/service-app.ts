import { Hono, type Context } from 'hono';
import { requestId } from 'hono/request-id';
import type { z } from 'zod';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import { problemErrorHandler, problemNotFoundHandler, validationProblem, zodIssues } from './problem.js';
import { serviceAuth } from './service-auth.js';
import { withTimeout } from './timeout.js';

export type ReadinessCheck = () => Promise<void>;

export interface ServiceAppOptions {
  logger: Logger;
  metrics: Metrics;
  serviceToken: string;
  /** Each check throws when its dependency is unreachable. */
  readiness: Record<string, ReadinessCheck>;
}

export type AppEnv = { Variables: { requestId: string } };

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Common frame of every internal service: request ids, logs, metrics, health, problems, auth on /v1. */
export function createServiceApp({ logger, metrics, serviceToken, readiness }: ServiceAppOptions): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use(requestId({ generator: () => crypto.randomUUID(), limitLength: 128 }));
  app.use(async (c, next) => {
    const incoming = c.req.header('x-request-id');
    if (incoming && !REQUEST_ID.test(incoming)) c.set('requestId', crypto.randomUUID());
    await next();
    c.header('X-Request-Id', c.get('requestId'));
    if (c.req.path.startsWith('/v1')) {
      logger.debug(
        { requestId: c.get('requestId'), method: c.req.method, path: c.req.path, status: c.res.status },
        'request',
      );
    }
  });
  app.use(metrics.middleware);
  app.onError(problemErrorHandler(logger));
  app.notFound(problemNotFoundHandler);

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const results = await checkAll(readiness);
    const ok = Object.values(results).every((r) => r === 'up');
    return c.json({ status: ok ? 'ready' : 'not ready', checks: results }, ok ? 200 : 503);
  });
  app.get('/metrics', async (c) => {
    const { contentType, body } = await metrics.render();
    return c.body(body, 200, { 'Content-Type': contentType });
  });
  app.use('/v1/*', serviceAuth(serviceToken));
  return app;
}

async function checkAll(readiness: Record<string, ReadinessCheck>): Promise<Record<string, string>> {
  const entries = await Promise.all(
    Object.entries(readiness).map(async ([name, check]) => {
      try {
        await withTimeout(check(), 2000);
        return [name, 'up'] as const;
      } catch {
        return [name, 'down'] as const;
      }
    }),
  );
  return Object.fromEntries(entries);
}

/** Parses the JSON body with a zod schema; malformed JSON and schema violations become 400 problems. */
export async function readJson<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
  const raw = await c.req.json<unknown>();
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw validationProblem(zodIssues(parsed.error));
  return parsed.data;
}

/** Parses query parameters with a zod schema. */
export function readQuery<T extends z.ZodType>(c: Context, schema: T): z.infer<T> {
  const parsed = schema.safeParse(c.req.query());
  if (!parsed.success) throw validationProblem(zodIssues(parsed.error));
  return parsed.data;
}
