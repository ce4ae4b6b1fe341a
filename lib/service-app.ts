import type { Context, Hono } from 'hono';
import type { z } from 'zod';
import { createHttpApp, type HttpAppEnv, type ReadinessCheck } from './http-app.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import { validationProblem, zodIssues } from './problem.js';

export type { ReadinessCheck };

export interface ServiceAppOptions {
  logger: Logger;
  metrics: Metrics;
  serviceToken: string;
  /** Each check throws when its dependency is unreachable. */
  readiness: Record<string, ReadinessCheck>;
}

export type AppEnv = HttpAppEnv;

/** The process shell (lib/http-app.ts) as every internal service uses it: service auth on /v1, quiet request logs. */
export function createServiceApp({ logger, metrics, serviceToken, readiness }: ServiceAppOptions): Hono<AppEnv> {
  return createHttpApp({ logger, metrics, serviceToken, readiness, requestLogLevel: 'debug' });
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
