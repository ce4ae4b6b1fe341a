import { FinalStatuses, type Order } from '../../contracts/orders.js';
import { WORKFLOW_TYPE } from '../../contracts/order-saga.js';
import type { Ctx } from '../context.js';
import type { OrdersClient } from '../upstream.js';
import { canSee, notCancellable, orderNotFound, recordOrder } from './order-records.js';
import { orderFromWorkflow } from './views.js';
import type { OrderWorkflows } from './workflow-port.js';

export interface CancelDeps {
  orders: OrdersClient;
  workflows: OrderWorkflows;
  now: () => Date;
  /** How long to wait for the saga to finish compensating before answering with the still-PENDING order. */
  settleMs: number;
  pollMs?: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The one cancel path, which never waits for a worker: the orders service records the cancel (or
 * refuses it with 409 NOT_CANCELLABLE once the order is final, its outcome decided, or past its point of
 * no return: the record decides those races), a signal tells the saga, and the answer comes within
 * `settleMs`, CANCELLED if the saga was quick. A lost signal loses nothing: the saga reads the record.
 */
export function createCancel(deps: CancelDeps) {
  const { orders, workflows, now, settleMs, pollMs = 100 } = deps;

  /** The order's record; made from its workflow when placement could not record it (the orders service was down). */
  async function recordOf(id: string, ctx: Ctx): Promise<Order> {
    const record = await orders.get(id, ctx.requestId);
    if (record) return record;
    const description = await workflows.describe(id);
    if (!description || description.workflowType !== WORKFLOW_TYPE || !canSee(ctx.caller, description.customerId))
      throw orderNotFound(id);
    return recordOrder(orders, orderFromWorkflow(id, description, undefined, now()), ctx);
  }

  return async function cancel(id: string, ctx: Ctx): Promise<Order> {
    const record = await recordOf(id, ctx);
    if (!canSee(ctx.caller, record.customerId)) throw orderNotFound(id);
    if (FinalStatuses.includes(record.status)) throw notCancellable(id, `it is already ${record.status}`);
    let order = await orders.requestCancel(id, ctx.requestId);
    ctx.log.info({ orderId: id }, 'order cancellation recorded');
    try {
      await workflows.signalCancel(id);
    } catch (error) {
      ctx.log.warn({ orderId: id, err: (error as Error).message }, 'cancel signal not sent; the saga reads the record');
    }
    const deadline = Date.now() + settleMs;
    while (!FinalStatuses.includes(order.status) && Date.now() < deadline) {
      await sleep(pollMs);
      order = (await orders.get(id, ctx.requestId).catch(() => undefined)) ?? order;
    }
    return order;
  };
}
