import type { Context, Hono, MiddlewareHandler, NotFoundHandler } from 'hono';
import type { IncomingMessage } from 'node:http';
import { ErrorCode } from '../contracts/problem.js';
import type { Logger } from '../lib/logger.js';
import { ProblemError, problemResponse } from '../lib/problem.js';
import type { GatewayEnv } from './env.js';
import { rateLimited, type createTokenBuckets } from './rate-limit.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Echoes a well-formed incoming X-Request-Id or makes one; every log line of the request carries it. */
export function requestContext(logger: Logger): MiddlewareHandler<GatewayEnv> {
  return async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
    const log = logger.child({ requestId });
    c.set('requestId', requestId);
    c.set('log', log);
    c.header('X-Request-Id', requestId);
    const started = performance.now();
    await next();
    c.res.headers.set('X-Request-Id', requestId);
    const ms = Math.round(performance.now() - started);
    log.info({ method: c.req.method, path: c.req.path, status: c.res.status, ms }, 'request');
  };
}

/** The socket's peer address; X-Forwarded-For only behind a proxy we trust (its last hop is what the proxy saw). */
export function clientIpResolver(trustProxy: boolean) {
  return (c: Context): string => {
    if (trustProxy) {
      const hops = (c.req.header('x-forwarded-for') ?? '')
        .split(',')
        .map((h) => h.trim())
        .filter(Boolean);
      const last = hops.at(-1);
      if (last) return last;
    }
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    return incoming?.socket?.remoteAddress ?? 'unknown';
  };
}

export function ipRateLimit(
  buckets: ReturnType<typeof createTokenBuckets>,
  clientIp: (c: Context) => string,
): MiddlewareHandler<GatewayEnv> {
  return async (c, next) => {
    const wait = buckets.take(clientIp(c));
    if (wait > 0) throw rateLimited(wait, 'Too many requests from this address');
    await next();
  };
}

const patternOf = (path: string) =>
  new RegExp(
    `^${path
      .split('/')
      .map((seg) => (seg.startsWith(':') ? '[^/]+' : seg === '*' ? '.*' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/')}$`,
  );

/** Unknown path → 404; a known path asked with another method → 405 with Allow. */
export function notFoundOrMethodNotAllowed(app: Hono<GatewayEnv>): NotFoundHandler<GatewayEnv> {
  let table: { pattern: RegExp; method: string }[] | undefined;
  return (c) => {
    table ??= app.routes
      .filter((r) => r.method !== 'ALL')
      .map((r) => ({ pattern: patternOf(r.path), method: r.method }));
    const allowed = new Set(table.filter((r) => r.pattern.test(c.req.path)).map((r) => r.method));
    if (allowed.size === 0)
      return problemResponse(
        c,
        new ProblemError(404, ErrorCode.NOT_FOUND, `No route for ${c.req.method} ${c.req.path}`),
      );
    if (allowed.has('GET')) allowed.add('HEAD');
    const allow = [...allowed].sort().join(', ');
    const problem = new ProblemError(
      405,
      ErrorCode.METHOD_NOT_ALLOWED,
      `${c.req.method} is not allowed on ${c.req.path}; use ${allow}`,
    );
    return problemResponse(c, new ProblemError(problem.status, problem.code, problem.message, {}, { Allow: allow }));
  };
}

/**
 * JSON is the only body format of the API, so every body is read as JSON whatever media type it was
 * sent with (fetch sends text/plain and curl -d sends form encoding unless told otherwise): content
 * that is not JSON gets 400 MALFORMED_JSON, as the contract says.
 */
export function assumeJsonBody(): MiddlewareHandler<GatewayEnv> {
  return async (c, next) => {
    const type = c.req.header('content-type') ?? '';
    const hasBody = c.req.raw.body !== null && c.req.header('content-length') !== '0';
    if (hasBody && ['POST', 'PUT', 'PATCH'].includes(c.req.method) && !/^application\/([\w.-]+\+)?json/i.test(type)) {
      const headers = new Headers(c.req.raw.headers);
      headers.set('content-type', 'application/json');
      c.req.raw = new Request(c.req.raw, { headers });
    }
    await next();
  };
}

/** `?limit=&cursor=` (the contract's own notation) means "not given": empty query values are dropped. */
export function dropEmptyQueryValues(): MiddlewareHandler<GatewayEnv> {
  return async (c, next) => {
    const url = new URL(c.req.url);
    const empty = [...url.searchParams.entries()].filter(([, value]) => value === '').map(([key]) => key);
    if (empty.length > 0) {
      for (const key of empty) url.searchParams.delete(key);
      c.req.raw = new Request(url, c.req.raw);
    }
    await next();
  };
}
