// The engine's ceiling for the order saga: the same commands, local activities all (the customer check with
// the pricing, the order record, reserve with authorize, the point of no return, capture with commit,
// finalize), doing nothing.
import { proxyLocalActivities } from '@temporalio/workflow';
import type { noopActivities } from './activities.js';

const local = proxyLocalActivities<typeof noopActivities>({ startToCloseTimeout: '10s' });

export async function noopSaga(): Promise<void> {
  await Promise.all([local.noop('getCustomer'), local.noop('priceItems')]);
  await local.noop('createOrder');
  await Promise.all([local.noop('reserveInventory'), local.noop('authorizePayment')]);
  await local.noop('passPointOfNoReturn');
  await Promise.all([local.noop('capturePayment'), local.noop('commitInventory')]);
  await local.noop('finalizeOrder');
}
