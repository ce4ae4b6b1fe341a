import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import { authenticate, type VerifyToken } from '../middleware/auth.js';
import type { GatewayEnv } from '../context.js';
import type { OrderEventHub } from '../orders/event-hub.js';
import { streamOrder } from '../orders/stream.js';
import type { OrderOperations } from '../orders/operations.js';
import type { StreamSlots } from '../orders/stream-slots.js';
import { bearer, IdParams, pick } from '../openapi/schemas.js';

export interface OrderEventRoutesDeps {
  operations: OrderOperations;
  verifyToken: VerifyToken;
  hub: OrderEventHub;
  /** Open streams per customer and per gateway; past either cap a new one is refused with 429. */
  slots: StreamSlots;
  keepAliveMs: number;
  refreshMs: number;
}

const events = createRoute({
  method: 'get',
  path: '/api/orders/{id}/events',
  tags: ['orders'],
  summary: 'Live order status (Server-Sent Events): the snapshot, then every change of status or steps',
  description:
    'Each event is `event: order`, `id: <increasing number>`, `data: <Order JSON>`; the stream ends after the ' +
    'event with a final status; `: keep-alive` comments while nothing changes. Open streams are capped per ' +
    'customer (`SSE_MAX_STREAMS_PER_CUSTOMER`) and per gateway (`SSE_MAX_STREAMS`): past either cap a new one ' +
    'is refused with 429 `RATE_LIMITED` and `Retry-After`; read `GET /api/orders/{id}` meanwhile.',
  security: bearer,
  request: { params: IdParams },
  responses: {
    200: { description: 'The event stream', content: { 'text/event-stream': { schema: z.string() } } },
    ...pick(400, 401, 404, 429, 503),
  },
});

export function registerOrderEventRoutes(app: OpenAPIHono<GatewayEnv>, deps: OrderEventRoutesDeps): void {
  const { operations, hub } = deps;
  app.openapi({ ...events, middleware: authenticate(deps.verifyToken, ['customer', 'admin']) }, async (c) => {
    const { id } = c.req.valid('param');
    const ctx = { caller: c.get('caller'), requestId: c.get('requestId'), log: c.get('log') };
    // The slot is taken before any upstream work; a stream gives it back when it ends, however it ends.
    const release = deps.slots.open(ctx.caller.sub);
    // Authorization and 404 come from the same read as GET /api/orders/:id, before the stream opens.
    const first = await operations.get(id, ctx).catch((error: unknown) => {
      release();
      throw error;
    });
    return streamOrder(c, first, {
      onClose: release,
      orderId: id,
      hub,
      log: ctx.log,
      read: () => operations.get(id, ctx),
      keepAliveMs: deps.keepAliveMs,
      refreshMs: deps.refreshMs,
    });
  });
}
