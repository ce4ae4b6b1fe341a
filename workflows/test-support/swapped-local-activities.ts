// Negative control for the replay checks: the saga's start with its two first LOCAL activities (customer check,
// pricing) scheduled in swapped order. Core compares a local activity's type with its marker's
// (IdAndTypeDeterminismChecks: core flag 1 in the histories' sdkMetadata), so replaying a recorded history with
// it fails with a DeterminismViolationError naming both types. Their results are never read: a swap whose
// results the saga then misreads fails too, earlier, as a workflow task failure.
import { condition, proxyLocalActivities, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { SagaActivities } from '../../activities/activities.js';
import { SearchAttributeKeys, type OrderSagaState, type PlaceOrderInput } from '../../contracts/order-saga.js';

export async function placeOrder(input: PlaceOrderInput): Promise<OrderSagaState> {
  if (workflowInfo().typedSearchAttributes.get(SearchAttributeKeys.orderStatus) === undefined) {
    upsertSearchAttributes([{ key: SearchAttributeKeys.orderStatus, value: 'PENDING' }]);
  }
  const acts = proxyLocalActivities<SagaActivities>({ startToCloseTimeout: '10s' });
  const ref = { orderId: input.orderId, requestId: input.requestId };
  await Promise.allSettled([
    acts.priceItems({ ...ref, items: input.items }),
    acts.getCustomer({ ...ref, customerId: input.customerId }),
  ]);
  await condition(() => false);
  throw new Error('unreachable in replay: the history diverges before this point');
}
