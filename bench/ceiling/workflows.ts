// The engine's ceiling for the order saga: the same commands (local activities for the customer check and
// the pricing in parallel, the order record, the point of no return and finalize; regular ones for reserve
// with authorize, then capture with commit), doing nothing.
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { noopActivities } from './activities.js';

const options = { startToCloseTimeout: '10s' } as const;
const local = proxyLocalActivities<typeof noopActivities>(options);
const regular = proxyActivities<typeof noopActivities>(options);

export async function noopSaga(): Promise<void> {
  await Promise.all([local.noop('getCustomer'), local.noop('priceItems')]);
  await local.noop('createOrder');
  await Promise.all([regular.noop('reserveInventory'), regular.noop('authorizePayment')]);
  await local.noop('passPointOfNoReturn');
  await Promise.all([regular.noop('capturePayment'), regular.noop('commitInventory')]);
  await local.noop('finalizeOrder');
}
