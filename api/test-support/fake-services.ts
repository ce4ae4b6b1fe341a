import type { Hono } from 'hono';
import type { Order } from '../../contracts/orders.js';
import type { Product } from '../../contracts/products.js';
import type { PublicUser, Role } from '../../contracts/users.js';
import { startHttpServer, type RunningServer } from '../../lib/http-server.js';
import { createLogger } from '../../lib/logger.js';
import { createMetrics } from '../../lib/metrics.js';
import { notFound, ProblemError } from '../../lib/problem.js';
import { createServiceApp, type AppEnv } from '../../lib/service-app.js';

export const SERVICE_TOKEN = 'test-service-token-0123456789';

export interface SeenRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  requestId: string | undefined;
  body: unknown;
}

/** Minimal users, products and orders services speaking the internal contracts over real HTTP. */
export async function startFakeServices() {
  const seen: SeenRequest[] = [];
  const users = new Map<string, PublicUser & { password: string }>();
  const products = new Map<string, Product>();
  const orders = new Map<string, Order>();
  const frame = (): Hono<AppEnv> => {
    const app = createServiceApp({
      logger: createLogger('fake', 'silent'),
      metrics: createMetrics('fake', false),
      serviceToken: SERVICE_TOKEN,
      readiness: {},
    });
    app.use('/v1/*', async (c, next) => {
      const body: unknown = ['POST', 'PATCH', 'PUT'].includes(c.req.method)
        ? await c.req.raw
            .clone()
            .json()
            .catch(() => undefined)
        : undefined;
      seen.push({
        method: c.req.method,
        path: c.req.path,
        authorization: c.req.header('authorization'),
        requestId: c.req.header('x-request-id'),
        body,
      });
      await next();
    });
    return app;
  };

  const usersApp = frame();
  usersApp.post('/v1/users', async (c) => {
    const { email, password, name } = await c.req.json<{ email: string; password: string; name: string }>();
    if ([...users.values()].some((u) => u.email.toLowerCase() === email.toLowerCase()))
      throw new ProblemError(409, 'EMAIL_TAKEN', 'Email taken');
    const user = { id: `u_${users.size + 1}`, email, name, role: 'customer' as Role, password };
    users.set(user.id, user);
    return c.json(
      { id: user.id, email, name, role: user.role, status: 'active', createdAt: new Date().toISOString() },
      201,
    );
  });
  usersApp.post('/v1/sessions', async (c) => {
    const { email, password } = await c.req.json<{ email: string; password: string }>();
    const user = [...users.values()].find((u) => u.email.toLowerCase() === email.trim().toLowerCase());
    if (!user || user.password !== password)
      throw new ProblemError(401, 'INVALID_CREDENTIALS', 'Invalid email or password');
    return c.json({ accessToken: `token-for-${user.id}`, tokenType: 'Bearer', expiresIn: 900 });
  });
  usersApp.get('/v1/users/:id', (c) => {
    const user = users.get(c.req.param('id'));
    if (!user) throw notFound();
    return c.json({
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      status: 'active',
      createdAt: new Date().toISOString(),
    });
  });

  const productsApp = frame();
  productsApp.get('/v1/products', (c) =>
    c.json({ items: [...products.values()].filter((p) => p.name.includes(c.req.query('q') ?? '')), nextCursor: null }),
  );
  productsApp.get('/v1/products/:id', (c) =>
    c.json(
      products.get(c.req.param('id')) ??
        (() => {
          throw notFound();
        })(),
    ),
  );
  productsApp.post('/v1/products', async (c) => {
    const body = await c.req.json<Partial<Product>>();
    if ([...products.values()].some((p) => p.sku === body.sku)) throw new ProblemError(409, 'SKU_TAKEN', 'SKU taken');
    const product = { description: '', currency: 'USD', stock: 0, ...body, id: `p_${products.size + 1}` } as Product;
    products.set(product.id, product);
    return c.json(product, 201);
  });
  productsApp.patch('/v1/products/:id', async (c) => {
    const product = products.get(c.req.param('id'));
    if (!product) throw notFound();
    Object.assign(product, await c.req.json());
    return c.json(product);
  });
  productsApp.post('/v1/products/:id/restock', async (c) => {
    const product = products.get(c.req.param('id'));
    if (!product) throw notFound();
    product.stock += (await c.req.json<{ quantity: number }>()).quantity;
    return c.json(product);
  });

  const ordersApp = frame();
  ordersApp.get('/v1/orders/:id', (c) =>
    c.json(
      orders.get(c.req.param('id')) ??
        (() => {
          throw notFound();
        })(),
    ),
  );
  ordersApp.put('/v1/orders/:id', async (c) => {
    const id = c.req.param('id');
    const existing = orders.get(id);
    if (existing) return c.json(existing, 200);
    const body = await c.req.json<Omit<Order, 'id'>>();
    const at = new Date().toISOString();
    const order: Order = {
      ...body,
      id,
      status: 'PENDING',
      failureReason: null,
      totalCents: null,
      createdAt: at,
      updatedAt: at,
    };
    orders.set(id, order);
    return c.json(order, 201);
  });
  ordersApp.get('/v1/orders', (c) => {
    const mine = [...orders.values()].filter((o) => o.customerId === c.req.query('customerId')).reverse();
    return c.json({ items: mine.slice(0, Number(c.req.query('limit') ?? 20)), nextCursor: null });
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
    urls: { users: usersServer.url, products: productsServer.url, orders: ordersServer.url },
    close: () => Promise.all(servers.map((s) => s.close())),
  };
}

export type FakeServices = Awaited<ReturnType<typeof startFakeServices>>;
