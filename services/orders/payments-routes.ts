import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { AuthorizeRequest } from '../../contracts/orders.js';
import { ErrorCode } from '../../contracts/problem.js';
import { notFound, ProblemError, validationProblem } from '../../lib/problem.js';
import { readJson, type AppEnv } from '../../lib/service-app.js';
import type { PaymentOutcome } from './idempotency.js';
import { orderIdFrom } from './orders-routes.js';
import type { PaymentStore } from './payment-store.js';

const IdempotencyKey = z.string().min(1).max(255);

function idempotencyKey(c: Context): string {
  const parsed = IdempotencyKey.safeParse(c.req.header('idempotency-key'));
  if (!parsed.success)
    throw validationProblem([{ path: 'Idempotency-Key', message: 'header required, 1–255 characters' }]);
  return parsed.data;
}

function respond(c: Context, { payment, declined }: PaymentOutcome): Response {
  if (declined) {
    const code = payment.declineCode ?? 'declined';
    throw new ProblemError(422, ErrorCode.PAYMENT_DECLINED, `Payment declined: ${code}`, {
      declineCode: code,
      payment,
    });
  }
  return c.json(payment);
}

export function createPaymentsRoutes(store: PaymentStore): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  routes.post('/authorize', async (c) => {
    const key = idempotencyKey(c);
    const request = await readJson(c, AuthorizeRequest);
    orderIdFrom(request.orderId);
    return respond(c, await store.authorize(request, key));
  });

  for (const operation of ['capture', 'void', 'refund'] as const) {
    routes.post(`/:orderId/${operation}`, async (c) => {
      const key = idempotencyKey(c);
      return respond(c, await store.settle(operation, orderIdFrom(c.req.param('orderId')), key));
    });
  }

  routes.get('/:orderId', async (c) => {
    const orderId = orderIdFrom(c.req.param('orderId'));
    const payment = await store.get(orderId);
    if (!payment) throw notFound(`Order ${orderId} has no payment`);
    return c.json(payment);
  });

  return routes;
}
