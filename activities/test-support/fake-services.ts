// Test support: one Hono app serving the routes of the three service contracts, answering what each test scripts.
import type { Context } from 'hono';
import type { Api, RouteDef } from '../../contracts/api.js';
import { ordersApi } from '../../contracts/orders-api.js';
import { productsApi } from '../../contracts/products-api.js';
import { usersApi } from '../../contracts/users-api.js';
import { createLogger } from '../../lib/logger.js';
import { createMetrics } from '../../lib/metrics.js';
import { ProblemError } from '../../lib/problem.js';
import { createServiceApp } from '../../lib/service-app.js';
import { TEST_SERVICE_TOKEN } from '../../test/support/constants.js';

export interface SeenRequest {
  /** `service.route`, as named in the contracts: `orders.capture`. */
  route: string;
  params: Record<string, string>;
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

const apis: Record<string, Api> = { users: usersApi, products: productsApi, orders: ordersApi };

interface Script {
  reply: Reply;
  /** Only calls with these path parameters; any call of the route when absent. */
  params?: Record<string, string>;
}

const matches = (script: Script, params: Record<string, string>) =>
  Object.entries(script.params ?? {}).every(([name, value]) => params[name] === value);

/** A real service frame (auth, problem+json) serving every contract route; unscripted calls answer 404. */
export function createFakeServices() {
  const scripts = new Map<RouteDef, Script[]>();
  const seen: SeenRequest[] = [];
  const app = createServiceApp({
    logger: createLogger('fake', 'silent'),
    metrics: createMetrics('fake', false),
    serviceToken: TEST_SERVICE_TOKEN,
    readiness: {},
  });
  for (const [service, api] of Object.entries(apis)) {
    for (const [name, def] of Object.entries(api)) {
      app.on(def.method, def.path, async (c) => {
        const params = c.req.param();
        const body: unknown = c.req.header('content-type') ? await c.req.json() : undefined;
        const { method, path } = c.req;
        seen.push({
          route: `${service}.${name}`,
          params,
          method,
          path,
          headers: Object.fromEntries(c.req.raw.headers),
          body,
        });
        // The newest matching script wins, so a test can re-script a route.
        const script = (scripts.get(def) ?? []).findLast((candidate) => matches(candidate, params));
        if (!script) throw new ProblemError(404, 'NOT_FOUND', `unscripted ${method} ${path}`);
        return script.reply(c);
      });
    }
  }
  const fetchApp: typeof fetch = async (input, init) => app.fetch(new Request(input, init));
  return {
    seen,
    app,
    fetch: fetchApp,
    /** Scripts the answer of a contract route, for every call or for the calls with these path parameters. */
    on: (route: RouteDef, reply: Reply, params?: Record<string, string>) =>
      void scripts.set(route, [...(scripts.get(route) ?? []), { reply, params }]),
    /** The calls made, as `service.route(param, ...)`: `orders.capture(o-1)`. */
    calls: () => seen.map((r) => `${r.route}(${Object.values(r.params).join(',')})`),
    reset: () => {
      scripts.clear();
      seen.length = 0;
    },
  };
}
