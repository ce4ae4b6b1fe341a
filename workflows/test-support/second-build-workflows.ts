// A second build of the saga for the Worker Versioning test: the same saga, its result marked with the build.
import type { OrderSagaState, PlaceOrderInput } from '../../contracts/order-saga.js';
import { placeOrder as saga } from '../workflows.js';

export async function placeOrder(input: PlaceOrderInput): Promise<OrderSagaState & { build: string }> {
  return { ...(await saga(input)), build: 'second' };
}
export { reconcileOrders } from '../workflows.js';
