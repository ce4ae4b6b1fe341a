// Negative control for the replay test: the same workflow type, start and patches, but the first two
// activities swapped, as regular activities. Replaying any recorded history with it must fail with a
// DeterminismViolationError. (Swapping two LOCAL activities is not detected: core matches their markers by
// sequence number only, so the lean path's control turns its local reads back into regular activities.)
import { patched, proxyActivities, upsertSearchAttributes } from '@temporalio/workflow';
import type { SagaActivities } from '../../activities/activities.js';
import { SearchAttributeKeys, type OrderSagaState, type PlaceOrderInput } from '../../contracts/order-saga.js';
import { LEAN_ROUND_TRIPS } from '../patches.js';

const options = { startToCloseTimeout: '10s' } as const;

export async function placeOrder(input: PlaceOrderInput): Promise<OrderSagaState> {
  upsertSearchAttributes([
    { key: SearchAttributeKeys.orderStatus, value: 'PENDING' },
    { key: SearchAttributeKeys.customerId, value: input.customerId },
  ]);
  patched(LEAN_ROUND_TRIPS); // consumes the marker, so the divergence found is the activities'
  const acts = proxyActivities<SagaActivities>(options);
  const ref = { orderId: input.orderId, requestId: input.requestId };
  await acts.priceItems({ ...ref, items: input.items });
  await acts.getCustomer({ ...ref, customerId: input.customerId });
  throw new Error('unreachable in replay: the history diverges before this point');
}
