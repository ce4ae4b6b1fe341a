import { proxySinks, setWorkflowOptions, workflowInfo } from '@temporalio/workflow';
import type { OrderProgressSinks, OrderSagaState, PlaceOrderInput } from '../contracts/order-saga.js';
import { installHandlers } from './handlers.js';
import { OrderState } from './order-state.js';
import { reconcileOrders } from './reconcile.js';
import { OrderSaga } from './saga.js';

/** The order saga: workflow id = order id. Ends CONFIRMED, FAILED (with a reason) or CANCELLED. */
export async function placeOrder(input: PlaceOrderInput): Promise<OrderSagaState> {
  const { orderProgress } = proxySinks<OrderProgressSinks>();
  const order = new OrderState(input, (state) => orderProgress.changed(state));
  installHandlers(order);
  await new OrderSaga(input, order).run();
  return order.snapshot();
}

/** Only on a versioned worker: on an unversioned one (no deployment name) a task carrying it never completes. */
const whenVersioned = (versioningBehavior: 'PINNED' | 'AUTO_UPGRADE') => () =>
  workflowInfo().currentDeploymentVersion?.deploymentName ? { versioningBehavior } : {};

// Under Worker Versioning an order finishes on the build it started on; the reconciler moves to the newest.
setWorkflowOptions(whenVersioned('PINNED'), placeOrder);
setWorkflowOptions(whenVersioned('AUTO_UPGRADE'), reconcileOrders);
export { reconcileOrders };
