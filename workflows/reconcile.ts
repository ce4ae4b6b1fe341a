import { log, proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { SagaActivities } from '../activities/activities.js';
import type { ReconcileActivities, StaleOrder } from '../activities/reconcile.js';
import type { Step } from '../contracts/orders.js';
import { RECONCILED_STEP, SagaStep, type ReconcileInput, type ReconcileResult } from '../contracts/order-saga.js';
import { compensationOptions } from './activity-options.js';

// Bounded: one order that cannot be finished must not hold up the others; the next run tries again.
const options: ActivityOptions = {
  ...compensationOptions,
  retry: { ...compensationOptions.retry, maximumAttempts: 5 },
};
const reads = proxyActivities<ReconcileActivities>(options);
const acts = proxyActivities<SagaActivities>({ ...options, summary: 'Reconcile an abandoned order' });

type Outcome = 'confirmed' | 'cancelled' | 'running';

/**
 * Finishes PENDING orders whose saga is gone (terminated, failed, timed out, deleted). Money captured:
 * the order was past its point of no return, so commit the stock and confirm it. Otherwise nothing was
 * charged: void, release and mark it CANCELLED (FAILED needs a business reason, and there is none).
 */
export async function reconcileOrders(input: ReconcileInput): Promise<ReconcileResult> {
  const stale = await reads.listStalePendingOrders(input);
  const result: ReconcileResult = { examined: stale.length, confirmed: [], cancelled: [] };
  await Promise.all(
    stale.map(async (order) => {
      try {
        const outcome = await reconcileOne(order);
        if (outcome !== 'running') result[outcome].push(order.orderId);
      } catch (error) {
        log.warn('order not reconciled; the next run retries', { orderId: order.orderId, error: String(error) });
      }
    }),
  );
  return result;
}

async function reconcileOne({ orderId, steps }: StaleOrder): Promise<Outcome> {
  if ((await reads.orderSagaState({ orderId })) === 'running') return 'running';
  const ref = { orderId, requestId: `reconcile-${orderId}` };
  const marked = new StepList(steps);
  if ((await reads.paymentStatus({ orderId })) === 'captured') {
    await acts.commitInventory(ref);
    marked.mark(SagaStep.commitInventory, 'completed');
    await acts.finalizeOrder({ ...ref, to: 'CONFIRMED', steps: marked.done() });
    return 'confirmed';
  }
  const { voided } = await acts.voidPayment(ref);
  marked.mark(SagaStep.voidPayment, voided ? 'compensated' : 'skipped');
  await acts.releaseInventory(ref);
  marked.mark(SagaStep.releaseInventory, 'compensated');
  await acts.finalizeOrder({ ...ref, to: 'CANCELLED', steps: marked.done() });
  return 'cancelled';
}

class StepList {
  private readonly steps: Step[];
  constructor(steps: Step[]) {
    this.steps = steps.map((step) => ({ ...step }));
  }

  mark(name: string, status: Step['status']): void {
    const at = new Date().toISOString();
    const existing = this.steps.find((step) => step.name === name);
    if (existing) Object.assign(existing, { status, at });
    else this.steps.push({ name, status, at });
  }

  done(): Step[] {
    this.mark(RECONCILED_STEP, 'completed');
    return this.steps;
  }
}
