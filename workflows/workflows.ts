import { proxySinks } from '@temporalio/workflow';
import type { OrderProgressSinks, OrderSagaState, PlaceOrderInput } from '../contracts/order-saga.js';
import { installHandlers } from './handlers.js';
import { OrderState } from './order-state.js';
import { OrderSaga } from './saga.js';

/** The order saga: workflow id = order id. Ends CONFIRMED, FAILED (with a reason) or CANCELLED. */
export async function placeOrder(input: PlaceOrderInput): Promise<OrderSagaState> {
  const { orderProgress } = proxySinks<OrderProgressSinks>();
  const order = new OrderState(input, (state) => orderProgress.changed(state));
  installHandlers(order);
  await new OrderSaga(input, order).run();
  return order.snapshot();
}
export { reconcileOrders } from './reconcile.js';
