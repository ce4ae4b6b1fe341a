// Negative control for the replay test: the same workflow type, start and patches, but the first two
// activities swapped, as regular activities. Replaying any recorded history with it must fail with a
// DeterminismViolationError. (Swapping two LOCAL activities is not detected: core matches their markers by
// sequence number only, so the lean path's control turns its local reads back into regular activities.)
import { patched, proxyActivities, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { SagaActivities } from '../../activities/activities.js';
import { SearchAttributeKeys, type OrderSagaState, type PlaceOrderInput } from '../../contracts/order-saga.js';
import { LEAN_ROUND_TRIPS, ONE_MARKER } from '../patches.js';

const options = { startToCloseTimeout: '10s' } as const;

export async function placeOrder(input: PlaceOrderInput): Promise<OrderSagaState> {
  // The saga's start, command for command, so the divergence found is the activities'.
  const oneMarker = patched(ONE_MARKER);
  if (!oneMarker || workflowInfo().typedSearchAttributes.get(SearchAttributeKeys.orderStatus) === undefined) {
    upsertSearchAttributes([
      { key: SearchAttributeKeys.orderStatus, value: 'PENDING' },
      { key: SearchAttributeKeys.customerId, value: input.customerId },
    ]);
  }
  if (!oneMarker) patched(LEAN_ROUND_TRIPS);
  const acts = proxyActivities<SagaActivities>(options);
  const ref = { orderId: input.orderId, requestId: input.requestId };
  await acts.priceItems({ ...ref, items: input.items });
  await acts.getCustomer({ ...ref, customerId: input.customerId });
  throw new Error('unreachable in replay: the history diverges before this point');
}
