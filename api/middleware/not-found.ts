import type { Hono, NotFoundHandler } from 'hono';
import { ErrorCode } from '../../contracts/problem.js';
import { ProblemError, problemResponse } from '../../lib/problem.js';
import type { GatewayEnv } from '../context.js';

const patternOf = (path: string) =>
  new RegExp(
    `^${path
      .split('/')
      .map((seg) => (seg.startsWith(':') ? '[^/]+' : seg === '*' ? '.*' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/')}$`,
  );

/** Unknown path → 404; a known path asked with another method → 405 with `Allow`. Reads `app`'s routes on first use. */
export function notFoundOrMethodNotAllowed(app: Hono<GatewayEnv>): NotFoundHandler<GatewayEnv> {
  let table: { pattern: RegExp; method: string }[] | undefined;
  return function notFound(c) {
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
    const detail = `${c.req.method} is not allowed on ${c.req.path}; use ${allow}`;
    return problemResponse(c, new ProblemError(405, ErrorCode.METHOD_NOT_ALLOWED, detail, {}, { Allow: allow }));
  };
}
