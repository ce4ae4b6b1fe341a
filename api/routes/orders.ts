import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import { Cursor, Limit } from '../../contracts/common.js';
import { ListOrdersResponse, Order, PlaceOrderRequest } from '../../contracts/orders.js';
import { authenticate, type VerifyToken } from '../middleware/auth.js';
import type { GatewayEnv } from '../context.js';
import { bearer, IdParams, json, jsonBody, pick } from '../openapi/schemas.js';
import type { Ctx } from '../context.js';
import type { OrderOperations } from '../orders/operations.js';

export interface OrderRoutesDeps {
  operations: OrderOperations;
  verifyToken: VerifyToken;
}

const IdempotencyHeaders = z.object({ 'idempotency-key': z.string().min(1).max(255).optional() });

const place = createRoute({
  method: 'post',
  path: '/api/orders',
  tags: ['orders'],
  summary: 'Place an order (runs the saga)',
  security: bearer,
  request: { headers: IdempotencyHeaders, body: jsonBody(PlaceOrderRequest) },
  responses: {
    202: { ...json(Order, 'Accepted; the saga is running'), headers: z.object({ Location: z.string() }) },
    200: json(Order, 'The order this Idempotency-Key already placed'),
    ...pick(400, 401, 413, 422, 429, 503),
  },
});
const list = createRoute({
  method: 'get',
  path: '/api/orders',
  tags: ['orders'],
  summary: "The caller's orders, newest first",
  security: bearer,
  request: { query: z.object({ limit: Limit, cursor: Cursor.optional() }) },
  responses: { 200: json(ListOrdersResponse, 'A page of orders'), ...pick(400, 401, 429, 503) },
});
const get = createRoute({
  method: 'get',
  path: '/api/orders/{id}',
  tags: ['orders'],
  summary: 'One order (own orders only, unless admin)',
  security: bearer,
  request: { params: IdParams },
  responses: { 200: json(Order, 'The order'), ...pick(400, 401, 404, 429, 503) },
});
const cancel = createRoute({
  method: 'post',
  path: '/api/orders/{id}/cancel',
  tags: ['orders'],
  summary: 'Cancel a pending order',
  security: bearer,
  request: { params: IdParams },
  responses: { 200: json(Order, 'Cancellation accepted'), ...pick(400, 401, 404, 409, 429, 503) },
});

export function registerOrderRoutes(app: OpenAPIHono<GatewayEnv>, { operations, verifyToken }: OrderRoutesDeps): void {
  const signedIn = authenticate(verifyToken, ['customer', 'admin']);
  const ctx = (c: { get: <K extends 'caller' | 'requestId' | 'log'>(key: K) => GatewayEnv['Variables'][K] }): Ctx => ({
    caller: c.get('caller'),
    requestId: c.get('requestId'),
    log: c.get('log'),
  });

  app.openapi({ ...place, middleware: signedIn }, async (c) => {
    const key = c.req.valid('header')['idempotency-key'];
    const { status, order } = await operations.place(c.req.valid('json'), key, ctx(c));
    if (status === 200) return c.json(order, 200);
    return c.json(order, 202, { Location: `/api/orders/${order.id}` });
  });
  app.openapi({ ...list, middleware: signedIn }, async (c) =>
    c.json(await operations.list(c.req.valid('query'), ctx(c)), 200),
  );
  app.openapi({ ...get, middleware: signedIn }, async (c) =>
    c.json(await operations.get(c.req.valid('param').id, ctx(c)), 200),
  );
  app.openapi({ ...cancel, middleware: signedIn }, async (c) =>
    c.json(await operations.cancel(c.req.valid('param').id, ctx(c)), 200),
  );
}
