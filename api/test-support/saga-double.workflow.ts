// A stand-in `placeOrder` with the real saga's query/signal surface, to test the Temporal adapter without the services.
import { condition, defineQuery, defineSignal, setHandler } from '@temporalio/workflow';
import { QUERY_STATE, SIGNAL_CANCEL, type OrderSagaState, type PlaceOrderInput } from '../../contracts/order-saga.js';

export const lockSignal = defineSignal('lock');
export const confirmSignal = defineSignal('confirm');

export async function placeOrder(input: PlaceOrderInput): Promise<OrderSagaState> {
  const state: OrderSagaState = {
    orderId: input.orderId,
    customerId: input.customerId,
    status: 'PENDING',
    failureReason: null,
    currency: input.currency,
    items: input.items.map((item) => ({ ...item, name: null, unitPriceCents: null })),
    totalCents: null,
    cancellable: true,
    steps: [{ name: 'started', status: 'completed', at: new Date().toISOString() }],
  };
  setHandler(defineQuery<OrderSagaState>(QUERY_STATE), () => state);
  setHandler(lockSignal, () => void (state.cancellable = false));
  setHandler(confirmSignal, () => void Object.assign(state, { status: 'CONFIRMED', cancellable: false }));
  setHandler(defineSignal(SIGNAL_CANCEL), () => {
    if (!state.cancellable) return;
    Object.assign(state, { status: 'CANCELLED', cancellable: false });
    state.steps.push({ name: 'cancel', status: 'completed', at: new Date().toISOString() });
  });
  await condition(() => state.status !== 'PENDING');
  return state;
}
