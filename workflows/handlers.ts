import {
  ApplicationFailure,
  condition,
  defineQuery,
  defineSignal,
  defineUpdate,
  setHandler,
} from '@temporalio/workflow';
import {
  BusinessFailure,
  QUERY_STATE,
  SIGNAL_CANCEL,
  UPDATE_CANCEL,
  type OrderSagaState,
} from '../contracts/order-saga.js';
import type { OrderState } from './order-state.js';

export const orderStateQuery = defineQuery<OrderSagaState>(QUERY_STATE);
export const cancelUpdate = defineUpdate<OrderSagaState>(UPDATE_CANCEL);
export const cancelSignal = defineSignal(SIGNAL_CANCEL);

/**
 * The `orderState` query; the `requestCancel` signal (the cancel is already recorded by the orders
 * service, which refused it if too late); the older `cancel` Update, which answers once the order is final.
 */
export function installHandlers(order: OrderState): void {
  setHandler(orderStateQuery, () => order.snapshot());
  setHandler(cancelSignal, () => {
    if (order.acceptsCancel) order.cancelRequested = true;
  });
  setHandler(
    cancelUpdate,
    async () => {
      order.cancelRequested = true;
      await condition(() => order.final);
      return order.snapshot();
    },
    { validator: () => rejectUnlessCancellable(order) },
  );
}

function rejectUnlessCancellable(order: OrderState): void {
  if (order.acceptsCancel) return;
  const why = order.final ? `the order is already ${order.status}` : 'the order is past the point of no return';
  throw ApplicationFailure.create({
    type: BusinessFailure.NOT_CANCELLABLE,
    message: `Cannot cancel: ${why}`,
    nonRetryable: true,
  });
}
