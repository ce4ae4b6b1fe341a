import { FinalStatuses, type Order } from '../../contracts/orders.js';
import type { OrdersClient } from '../upstream.js';
import type { OrderWorkflows } from './workflow-port.js';
import type { Ctx } from './operations.js';

export interface RecordedCancelDeps {
  orders: OrdersClient;
  workflows: OrderWorkflows;
  /** How long to wait for the saga to finish compensating before answering with the still-PENDING order. */
  settleMs: number;
  pollMs?: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A cancel that never waits for a worker: the orders service records it (or refuses it with 409
 * NOT_CANCELLABLE once the saga has passed its point of no return: the record decides that race), a
 * signal tells the saga, and the answer comes within `settleMs`, CANCELLED if the saga was quick.
 * A lost signal loses nothing: the saga reads the record before capture and turns back.
 */
export async function cancelRecorded(id: string, ctx: Ctx, deps: RecordedCancelDeps): Promise<Order> {
  const { orders, workflows, settleMs, pollMs = 100 } = deps;
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
}
