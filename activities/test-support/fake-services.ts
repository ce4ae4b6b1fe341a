// Test support: one Hono app standing in for the three services, answering what each test scripts.
import type { Context } from 'hono';
import { createLogger } from '../../lib/logger.js';
import { createMetrics } from '../../lib/metrics.js';
import { ProblemError } from '../../lib/problem.js';
import { createServiceApp } from '../../lib/service-app.js';

export const TOKEN = 'test-token-0123456789';

export interface SeenRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

type Reply = (c: Context) => Response | Promise<Response>;

export const problem =
  (status: number, code: string, extra: Record<string, unknown> = {}): Reply =>
  () => {
    throw new ProblemError(status, code, `${code} (scripted)`, extra);
  };
export const json =
  (body: unknown, status = 200): Reply =>
  (c) =>
    c.json(body as object, status as 200);

/** A real Hono service frame (auth, problem+json) whose routes answer from a script keyed by "METHOD /path". */
export function createFakeServices() {
  const script = new Map<string, Reply>();
  const patterns: [RegExp, Reply][] = [];
  const seen: SeenRequest[] = [];
  const app = createServiceApp({
    logger: createLogger('fake', 'silent'),
    metrics: createMetrics('fake', false),
    serviceToken: TOKEN,
    readiness: {},
  });
  app.all('/v1/*', async (c) => {
    const body: unknown = c.req.header('content-type') ? await c.req.json() : undefined;
    seen.push({ method: c.req.method, path: c.req.path, headers: Object.fromEntries(c.req.raw.headers), body });
    const route = `${c.req.method} ${c.req.path}`;
    const reply = script.get(route) ?? patterns.find(([pattern]) => pattern.test(route))?.[1];
    if (!reply) throw new ProblemError(404, 'NOT_FOUND', `unscripted ${c.req.method} ${c.req.path}`);
    return reply(c);
  });
  const fetchApp: typeof fetch = async (input, init) => app.fetch(new Request(input, init));
  return {
    seen,
    app,
    fetch: fetchApp,
    on: (route: string, reply: Reply) => script.set(route, reply),
    onPattern: (pattern: RegExp, reply: Reply) => patterns.push([pattern, reply]),
    reset: () => {
      script.clear();
      patterns.length = 0;
      seen.length = 0;
    },
  };
}
