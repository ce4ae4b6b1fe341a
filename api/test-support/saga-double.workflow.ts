// A stand-in `placeOrder` with the real saga's query/update surface, to test the Temporal adapter without the services.
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
  UPDATE_CANCEL,
  type OrderSagaState,
  type PlaceOrderInput,
} from '../../contracts/order-saga.js';

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
  setHandler(
    defineUpdate<OrderSagaState>(UPDATE_CANCEL),
    async () => {
      Object.assign(state, { status: 'CANCELLED', cancellable: false });
      state.steps.push({ name: 'cancel', status: 'completed', at: new Date().toISOString() });
      return state;
    },
    {
      validator: () => {
        if (!state.cancellable)
          throw ApplicationFailure.create({
            type: BusinessFailure.NOT_CANCELLABLE,
            message: 'too late',
            nonRetryable: true,
          });
      },
    },
  );
  await condition(() => state.status !== 'PENDING');
  return state;
}
