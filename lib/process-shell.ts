import { Hono, type MiddlewareHandler, type NotFoundHandler } from 'hono';
import { ErrorCode } from '../contracts/problem.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import { ProblemError, problemNotFoundHandler, problemResponse, toProblemError } from './problem.js';
import { requestId, type RequestIdEnv } from './request-id.js';
import { createReadinessProbe, type ReadinessCheck } from './readiness.js';
import { serviceAuth } from './service-auth.js';

export type { ReadinessCheck };

export type HttpAppEnv = RequestIdEnv;

export interface HttpAppOptions<E extends HttpAppEnv = HttpAppEnv> {
  logger: Logger;
  metrics: Metrics;
  /** Named checks behind /readyz; a 503 names the ones that are down. */
  readiness?: Record<string, ReadinessCheck>;
  /** Checks /readyz reports (in `checks` and `degraded`) without answering 503: the process serves without them. */
  advisory?: Record<string, ReadinessCheck>;
  readinessTimeoutMs?: number;
  /** Milliseconds since the epoch, for the age of a readiness result; tests move time forward. */
  clock?: () => number;
  /** The shared internal credential: /metrics answers only `Authorization: Bearer <serviceToken>` (else 401). */
  serviceToken: string;
  /** Level of the one log line per request (probes and scrapes are never logged). */
  requestLogLevel?: 'info' | 'debug';
  /** Maps errors of this process's own kinds to problems; the rest get the common mapping. */
  toProblem?: (error: unknown, log: Logger) => ProblemError | undefined;
  notFound?: NotFoundHandler<E>;
  /** App-wide middleware that runs before every route, health endpoints included (e.g. security headers). */
  use?: MiddlewareHandler<E>[];
}

const PROBES = new Set(['/healthz', '/readyz', '/metrics']);
/** /readyz answers from a result at most this old: its checks reach every dependency. */
const READINESS_MAX_AGE_MS = 1_000;

/** One process shell for every HTTP process: a plain Hono app with the shell installed. */
export function createHttpApp(options: HttpAppOptions): Hono<HttpAppEnv> {
  return installProcessShell(new Hono<HttpAppEnv>(), options);
}

/**
 * Installs on `app` what every process answers the same way: request ids and logs, metrics,
 * problem+json errors and not-found, /healthz, /readyz, and /metrics for callers with the service credential
 * (the scraper; the public gets a 401). Register the process's own routes afterwards.
 */
export function installProcessShell<E extends HttpAppEnv, A extends Hono<E>>(app: A, options: HttpAppOptions<E>): A {
  const { logger, metrics } = options;
  const level = options.requestLogLevel ?? 'info';
  app.onError((error, c) => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- E's variables are generic here
    const log = (c.get('log') as Logger | undefined) ?? logger;
    const problem = options.toProblem?.(error, log) ?? toProblemError(error);
    if (problem) return problemResponse(c, problem);
    log.error({ err: error, path: c.req.path }, 'unhandled error');
    return problemResponse(c, new ProblemError(500, ErrorCode.INTERNAL, 'An unexpected error occurred'));
  });
  app.notFound(options.notFound ?? problemNotFoundHandler);
  app.use(requestId({ logger }) as unknown as MiddlewareHandler<E>);
  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    if (PROBES.has(c.req.path)) return;
    const ms = Math.round(performance.now() - started);
    c.get('log')[level]({ method: c.req.method, path: c.req.path, status: c.res.status, ms }, 'request');
  });
  app.use(metrics.middleware);
  for (const middleware of options.use ?? []) app.use(middleware);

  const probe = createReadinessProbe({
    readiness: options.readiness ?? {},
    advisory: options.advisory ?? {},
    timeoutMs: options.readinessTimeoutMs ?? 2_000,
    maxAgeMs: READINESS_MAX_AGE_MS,
    clock: options.clock ?? Date.now,
  });
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const { checks, advisory } = await probe();
    const down = Object.keys(checks).filter((name) => checks[name] === 'down');
    const degraded = Object.keys(advisory).filter((name) => advisory[name] === 'down');
    const report = { checks: { ...checks, ...advisory }, down, ...(degraded.length > 0 ? { degraded } : {}) };
    if (down.length === 0) return c.json({ status: 'ready', ...report });
    // Not ready is an error like any other: problem+json, with what is down as extension members.
    const detail = `Not ready: ${down.join(', ')} ${down.length === 1 ? 'is' : 'are'} down`;
    return problemResponse(c, new ProblemError(503, ErrorCode.SERVICE_UNAVAILABLE, detail, report));
  });
  app.use('/metrics', serviceAuth(options.serviceToken) as unknown as MiddlewareHandler<E>);
  app.get('/metrics', async (c) => {
    const { contentType, body } = await metrics.render();
    return c.body(body, 200, { 'Content-Type': contentType });
  });
  return app;
}
