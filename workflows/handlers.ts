import { defineQuery, defineSignal, setHandler } from '@temporalio/workflow';
import { QUERY_STATE, SIGNAL_CANCEL, type OrderSagaState } from '../contracts/order-saga.js';
import type { OrderState } from './order-state.js';

const orderStateQuery = defineQuery<OrderSagaState>(QUERY_STATE);
const cancelSignal = defineSignal(SIGNAL_CANCEL);

/**
 * The `orderState` query, and the `requestCancel` signal: the gateway sends it once the orders service
 * has recorded the cancel (it refuses one that comes too late); the saga also reads that record before
 * capture, so a lost signal loses nothing. A signal past the point of no return is ignored.
 */
export function installHandlers(order: OrderState): void {
  setHandler(orderStateQuery, () => order.snapshot());
  setHandler(cancelSignal, () => {
    if (order.acceptsCancel) order.cancelRequested = true;
  });
}
