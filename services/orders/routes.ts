import type { Hono } from 'hono';
import { z } from 'zod';
import { ordersApi } from '../../contracts/orders-api.js';
import { ErrorCode } from '../../contracts/problem.js';
import { serveApi, reply, type ServeOptions } from '../../lib/contract-server.js';
import { notFound, ProblemError } from '../../lib/problem.js';
import type { AppEnv } from '../../lib/service-app.js';
import type { CancelRequests } from './cancel-requests.js';
import type { HeldUnitsLimit } from './held-units.js';
import type { PaymentOutcome } from './payment-idempotency.js';
import type { Orders } from './orders.js';
import type { Payments } from './payments.js';
import type { StaleOrders } from './stale-orders.js';

const OrderId = z.string().min(1).max(128);

/** An id that cannot exist names no order: 404, like an unknown one. */
function orderIdFrom(raw: string): string {
  const parsed = OrderId.safeParse(raw);
  if (!parsed.success) throw notFound(`Order ${raw.slice(0, 128)} not found`);
  return parsed.data;
}

/** A decline is a 422 problem carrying the stored payment; anything else answers the payment. */
function paymentAnswer({ payment, declined }: PaymentOutcome) {
  if (!declined) return payment;
  const code = payment.declineCode ?? 'declined';
  throw new ProblemError(422, ErrorCode.PAYMENT_DECLINED, `Payment declined: ${code}`, { declineCode: code, payment });
}

export function registerOrdersRoutes(
  app: Hono<AppEnv>,
  {
    orders,
    payments,
    cancels,
    stale,
    heldUnits,
  }: { orders: Orders; payments: Payments; cancels: CancelRequests; stale: StaleOrders; heldUnits: HeldUnitsLimit },
  options: ServeOptions,
): void {
  serveApi(
    app,
    ordersApi,
    {
      create: async ({ params, body }) => {
        const { order, created } = await orders.create(orderIdFrom(params.id), body);
        return reply(order, { status: created ? 201 : 200 });
      },
      list: async ({ query }) => orders.list(query),
      get: async ({ params }) => {
        const id = orderIdFrom(params.id);
        const order = await orders.get(id);
        if (!order) throw notFound(`Order ${id} not found`);
        return order;
      },
      listStale: async ({ query }) => stale.page(query),
      transition: async ({ params, body }) => orders.transition(orderIdFrom(params.id), body),
      requestCancel: async ({ params }) => cancels.request(orderIdFrom(params.id)),
      passPointOfNoReturn: async ({ params }) => cancels.passPointOfNoReturn(orderIdFrom(params.id)),
      decideFailure: async ({ params, body }) => cancels.decideFailure(orderIdFrom(params.id), body.reason),
      getDecisions: async ({ params }) => {
        const id = orderIdFrom(params.id);
        const decisions = await stale.decisions(id);
        if (!decisions) throw notFound(`Order ${id} not found`);
        return decisions;
      },
      setSteps: async ({ params, body }) => orders.setSteps(orderIdFrom(params.id), body.steps),
      holdUnits: async ({ params, body }) => heldUnits.holdUnits(orderIdFrom(params.id), body),
      authorize: async ({ body, idempotencyKey }) => {
        orderIdFrom(body.orderId);
        return paymentAnswer(await payments.authorize(body, idempotencyKey));
      },
      capture: async ({ params, idempotencyKey }) =>
        paymentAnswer(await payments.capture(orderIdFrom(params.orderId), idempotencyKey)),
      void: async ({ params, idempotencyKey }) =>
        paymentAnswer(await payments.void(orderIdFrom(params.orderId), idempotencyKey)),
      refund: async ({ params, idempotencyKey }) =>
        paymentAnswer(await payments.refund(orderIdFrom(params.orderId), idempotencyKey)),
      getPayment: async ({ params }) => {
        const orderId = orderIdFrom(params.orderId);
        const payment = await payments.get(orderId);
        if (!payment) throw notFound(`Order ${orderId} has no payment`);
        return payment;
      },
    },
    options,
  );
}
