import type { Hono } from 'hono';
import { ordersApi } from '../../contracts/orders-api.js';
import type { Order } from '../../contracts/orders.js';
import { productsApi } from '../../contracts/products-api.js';
import type { Product } from '../../contracts/products.js';
import { usersApi } from '../../contracts/users-api.js';
import type { PublicUser } from '../../contracts/users.js';
import { reply, serveRoutes } from '../../lib/contract-server.js';
import { startHttpServer, type RunningServer } from '../../lib/http-server.js';
import { createLogger } from '../../lib/logger.js';
import { createMetrics } from '../../lib/metrics.js';
import { notFound, ProblemError } from '../../lib/problem.js';
import { createServiceApp, type AppEnv } from '../../lib/service-app.js';
import { TEST_SERVICE_TOKEN } from '../../test/support/constants.js';

export { TEST_SERVICE_TOKEN as SERVICE_TOKEN };

export interface SeenRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  requestId: string | undefined;
  body: unknown;
}

const found = <T>(value: T | undefined): T => {
  if (value === undefined) throw notFound();
  return value;
};

/** Minimal users, products and orders services serving their contracts (contracts/*-api.ts) over real HTTP. */
export async function startFakeServices() {
  const seen: SeenRequest[] = [];
  const users = new Map<string, PublicUser & { password: string }>();
  const products = new Map<string, Product>();
  const orders = new Map<string, Order>();
  /** Orders whose (imagined) saga has passed its point of no return: a cancel request is refused. */
  const pastPointOfNoReturn = new Set<string>();
  const frame = (): Hono<AppEnv> => {
    const app = createServiceApp({
      logger: createLogger('fake', 'silent'),
      metrics: createMetrics('fake', false),
      serviceToken: TEST_SERVICE_TOKEN,
      readiness: {},
    });
    app.use('/v1/*', async (c, next) => {
      const body: unknown = ['POST', 'PATCH', 'PUT'].includes(c.req.method)
        ? await c.req.raw
            .clone()
            .json()
            .catch(() => undefined)
        : undefined;
      const { method, path } = c.req;
      seen.push({
        method,
        path,
        authorization: c.req.header('authorization'),
        requestId: c.req.header('x-request-id'),
        body,
      });
      await next();
    });
    return app;
  };
  const record = (user: PublicUser) => ({ ...user, status: 'active' as const, createdAt: new Date().toISOString() });

  const usersApp = frame();
  serveRoutes(usersApp, usersApi, {
    register: async ({ body: { email, password, name } }) => {
      if ([...users.values()].some((u) => u.email.toLowerCase() === email.toLowerCase()))
        throw new ProblemError(409, 'EMAIL_TAKEN', 'Email taken');
      const user = { id: `u_${users.size + 1}`, email, name, role: 'customer' as const, password };
      users.set(user.id, user);
      return { id: user.id, email, name, role: user.role };
    },
    login: async ({ body: { email, password } }) => {
      const user = [...users.values()].find((u) => u.email.toLowerCase() === email.trim().toLowerCase());
      if (!user || user.password !== password)
        throw new ProblemError(401, 'INVALID_CREDENTIALS', 'Invalid email or password');
      return { accessToken: `token-for-${user.id}`, tokenType: 'Bearer' as const, expiresIn: 900 };
    },
    get: async ({ params }) => {
      const { id, email, name, role } = found(users.get(params.id));
      return record({ id, email, name, role });
    },
  });

  const productsApp = frame();
  serveRoutes(productsApp, productsApi, {
    list: async ({ query }) => ({
      items: [...products.values()].filter((p) => p.name.includes(query.q ?? '')),
      nextCursor: null,
    }),
    get: async ({ params }) => found(products.get(params.id)),
    create: async ({ body }) => {
      if ([...products.values()].some((p) => p.sku === body.sku)) throw new ProblemError(409, 'SKU_TAKEN', 'SKU taken');
      const product: Product = { description: '', currency: 'USD', stock: 0, ...body, id: `p_${products.size + 1}` };
      products.set(product.id, product);
      return product;
    },
    update: async ({ params, body }) => Object.assign(found(products.get(params.id)), body),
    restock: async ({ params, body }) => {
      const product = found(products.get(params.id));
      product.stock += body.quantity;
      return product;
    },
  });

  const ordersApp = frame();
  serveRoutes(ordersApp, ordersApi, {
    get: async ({ params }) => found(orders.get(params.id)),
    create: async ({ params: { id }, body }) => {
      const existing = orders.get(id);
      if (existing) return reply(existing, { status: 200 });
      const at = new Date().toISOString();
      const order: Order = {
        ...body,
        id,
        status: 'PENDING',
        failureReason: null,
        totalCents: null,
        createdAt: body.createdAt ?? at,
        updatedAt: at,
      };
      orders.set(id, order);
      return order;
    },
    // The fake's saga compensates at once: an accepted cancel request leaves the order CANCELLED.
    requestCancel: async ({ params }) => {
      const order = found(orders.get(params.id));
      const refuse = (why: string) => new ProblemError(409, 'NOT_CANCELLABLE', `Order ${order.id} is ${why}`);
      if (order.status !== 'PENDING') throw refuse(`already ${order.status}`);
      if (pastPointOfNoReturn.has(order.id)) throw refuse('past the point of no return');
      return Object.assign(order, { status: 'CANCELLED' as const, updatedAt: new Date().toISOString() });
    },
    // The fake grants every claim: the cap itself is tested against the real service (held-units.int.test.ts).
    holdUnits: async ({ body }) => ({ heldUnits: body.units, maxUnits: Number.MAX_SAFE_INTEGER }),
    list: async ({ query }) => {
      const mine = [...orders.values()]
        .filter((o) => query.customerId === undefined || o.customerId === query.customerId)
        .reverse();
      return { items: mine.slice(0, query.limit), nextCursor: null };
    },
  });

  const servers: RunningServer[] = await Promise.all(
    [usersApp, productsApp, ordersApp].map((app) => startHttpServer(app, 0)),
  );
  const [usersServer, productsServer, ordersServer] = servers as [RunningServer, RunningServer, RunningServer];
  return {
    seen,
    users,
    products,
    orders,
    pastPointOfNoReturn,
    urls: { users: usersServer.url, products: productsServer.url, orders: ordersServer.url },
    close: () => Promise.all(servers.map((s) => s.close())),
  };
}

export type FakeServices = Awaited<ReturnType<typeof startFakeServices>>;
