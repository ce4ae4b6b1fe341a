// Negative control for the replay test: the same workflow type and start, but the customer check and the
// pricing as regular activities, one after the other in swapped order. Replaying any recorded history with it must
// fail with a DeterminismViolationError. Two LOCAL activities swapped: swapped-local-activities.ts.
import { proxyActivities, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { SagaActivities } from '../../activities/activities.js';
import { SearchAttributeKeys, type OrderSagaState, type PlaceOrderInput } from '../../contracts/order-saga.js';

const options = { startToCloseTimeout: '10s' } as const;

export async function placeOrder(input: PlaceOrderInput): Promise<OrderSagaState> {
  // The saga's start, command for command, so the divergence found is the activities'.
  if (workflowInfo().typedSearchAttributes.get(SearchAttributeKeys.orderStatus) === undefined) {
    upsertSearchAttributes([
      { key: SearchAttributeKeys.orderStatus, value: 'PENDING' },
      { key: SearchAttributeKeys.customerId, value: input.customerId },
    ]);
  }
  const acts = proxyActivities<SagaActivities>(options);
  const ref = { orderId: input.orderId, requestId: input.requestId };
  await acts.priceItems({ ...ref, items: input.items });
  await acts.getCustomer({ ...ref, customerId: input.customerId });
  throw new Error('unreachable in replay: the history diverges before this point');
}
