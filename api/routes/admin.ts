import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import { Cursor, Limit } from '../../contracts/common.js';
import { ListOrdersResponse, OrderStatus, type Order } from '../../contracts/orders.js';
import { authenticate, type VerifyToken } from '../middleware/auth.js';
import type { GatewayEnv } from '../context.js';
import { bearer, json, pick } from '../openapi/schemas.js';
import type { OrdersClient } from '../upstream.js';

export interface AdminRoutesDeps {
  orders: OrdersClient;
  verifyToken: VerifyToken;
}

// A status filter reads a few upstream pages at most, so one request stays bounded; a page may be short.
const MAX_UPSTREAM_PAGES = 5;

const listAll = createRoute({
  method: 'get',
  path: '/api/admin/orders',
  tags: ['admin'],
  summary: "Every customer's orders, newest first (admin); optional status filter",
  description:
    'With `status`, a page holds the matching orders among the next few hundred and may be shorter than ' +
    '`limit` (even empty) while `nextCursor` is not null: follow `nextCursor` to keep looking.',
  security: bearer,
  request: { query: z.object({ status: OrderStatus.optional(), limit: Limit, cursor: Cursor.optional() }) },
  responses: { 200: json(ListOrdersResponse, 'A page of orders'), ...pick(400, 401, 403, 429, 503) },
});

export function registerAdminRoutes(app: OpenAPIHono<GatewayEnv>, deps: AdminRoutesDeps): void {
  const adminOnly = authenticate(deps.verifyToken, ['admin']);
  app.openapi({ ...listAll, middleware: adminOnly }, async (c) => {
    const { status, limit, cursor } = c.req.valid('query');
    const requestId = c.get('requestId');
    const items: Order[] = [];
    let next: string | null = cursor ?? null;
    for (let pages = 0; pages < (status ? MAX_UPSTREAM_PAGES : 1); pages++) {
      // Never read past `limit` matches: the cursor must not skip an order this page leaves out.
      const page = await deps.orders.list({ limit: limit - items.length, cursor: next ?? undefined }, requestId);
      items.push(...page.items.filter((order) => !status || order.status === status));
      next = page.nextCursor;
      if (!next || items.length >= limit) break;
    }
    return c.json({ items, nextCursor: next }, 200);
  });
}
