import type { Order } from '../../contracts/orders.js';
import { ErrorCode } from '../../contracts/problem.js';
import { notFound, ProblemError } from '../../lib/problem.js';
import type { Caller, Ctx } from '../context.js';
import type { OrdersClient } from '../upstream.js';

export const canSee = (caller: Caller, customerId: string | undefined) =>
  caller.role === 'admin' || caller.sub === customerId;
export const orderNotFound = (id: string) => notFound(`Order ${id} does not exist`);
export const notCancellable = (id: string, why: string) =>
  new ProblemError(409, ErrorCode.NOT_CANCELLABLE, `Order ${id} cannot be cancelled: ${why}`);

/** The orders service's idempotent create of an accepted order's (still unpriced) record. */
export async function recordOrder(orders: OrdersClient, order: Order, ctx: Ctx): Promise<Order> {
  const { customerId, items, currency, paymentMethod, workflowId, createdAt } = order;
  return orders.record(
    order.id,
    { customerId, items, currency, paymentMethod, workflowId, steps: [], createdAt },
    ctx.requestId,
  );
}
