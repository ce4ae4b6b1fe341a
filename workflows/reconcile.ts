import { continueAsNew, log, proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { SagaActivities, StepInput } from '../activities/activities.js';
import type { ExaminedOrder, ReconcileActivities, StepMark } from '../activities/reconcile.js';
import { RECONCILE_LISTED_IDS, SagaStep, type ReconcileInput, type ReconcileResult } from '../contracts/order-saga.js';
import { compensationOptions } from './activity-options.js';

// Bounded: an order that cannot be finished must not hold up its page; the next pass tries again.
const options: ActivityOptions = {
  ...compensationOptions,
  scheduleToCloseTimeout: '30s',
  retry: { ...compensationOptions.retry, maximumAttempts: 5 },
};
const reads = proxyActivities<ReconcileActivities>(options);
const acts = proxyActivities<SagaActivities>({ ...options, summary: 'Reconcile an abandoned order' });

type Outcome = 'confirmed' | 'cancelled' | 'failed' | 'running' | 'final' | 'unfinished';
type GoneSaga = Extract<ExaminedOrder, { saga: 'gone' }>;

/**
 * Finishes PENDING orders whose saga is gone (terminated, failed, timed out, deleted), as the saga
 * would have: past its recorded point of no return (or with its money captured) the order completes
 * (capture with the saga's own key, commit, CONFIRMED); before it, it is compensated (void, release)
 * and ends FAILED with the reason a refusal recorded on the order, else CANCELLED (its cancel recorded
 * first, so a saga an operator brings back meanwhile compensates too).
 *
 * One run handles one page of stale orders, then continues as new with the next page's cursor: a pass
 * reaches every stale order (none starved behind ones it cannot finish) while each run's history stays
 * one page long. A pass ends at the last page; the Schedule starts the next one.
 */
export async function reconcileOrders(input: ReconcileInput): Promise<ReconcileResult> {
  const { olderThanSeconds, limit, cursor } = input;
  const page = await reads.staleOrderPage({ olderThanSeconds, limit, ...(cursor ? { cursor } : {}) });
  const result = input.soFar ?? emptyResult();
  result.pages += 1;
  result.examined += page.listed;
  result.running += page.running;
  const outcomes = await Promise.all(page.orderIds.map(reconcileSafely));
  page.orderIds.forEach((orderId, i) => tally(result, orderId, outcomes[i]!));
  if (page.nextCursor === null) return result;
  return continueAsNew<typeof reconcileOrders>({ olderThanSeconds, limit, cursor: page.nextCursor, soFar: result });
}

const emptyResult = (): ReconcileResult => ({
  pages: 0,
  examined: 0,
  running: 0,
  unfinished: 0,
  finished: 0,
  confirmed: [],
  cancelled: [],
  failed: [],
});

function tally(result: ReconcileResult, orderId: string, outcome: Outcome): void {
  if (outcome === 'running' || outcome === 'unfinished') result[outcome] += 1;
  if (outcome !== 'confirmed' && outcome !== 'cancelled' && outcome !== 'failed') return;
  result.finished += 1;
  if (result[outcome].length < RECONCILE_LISTED_IDS) result[outcome].push(orderId);
}

async function reconcileSafely(orderId: string): Promise<Outcome> {
  try {
    return await reconcileOne(orderId);
  } catch (error) {
    log.warn('order not reconciled; the next pass retries', { orderId, error: String(error) });
    return 'unfinished';
  }
}

async function reconcileOne(orderId: string): Promise<Outcome> {
  const order = await reads.examineOrder({ orderId });
  if (order.saga === 'running') return 'running';
  if (order.status !== 'PENDING') return 'final';
  const ref = { orderId, requestId: `reconcile-${orderId}` };
  if (order.pointOfNoReturnPassed || order.paymentStatus === 'captured') return complete(ref, order);
  const reason = order.decidedFailureReason;
  if (reason === null && !(await reads.recordCancel(ref)).recorded) {
    throw new Error(`order ${orderId} decided its outcome meanwhile; the next pass looks again`);
  }
  const marks = await compensate(ref);
  if (reason === null) {
    await reads.finishOrder({ ...ref, to: 'CANCELLED', marks });
    return 'cancelled';
  }
  await reads.finishOrder({ ...ref, to: 'FAILED', failureReason: reason, marks });
  return 'failed';
}

/** The saga had passed its point of no return: do what it had left to do, with its idempotency keys. */
async function complete(ref: StepInput, order: GoneSaga): Promise<Outcome> {
  if (order.paymentStatus !== 'captured') await acts.capturePayment({ ...ref, amountCents: order.totalCents ?? 0 });
  await acts.commitInventory(ref);
  const marks: StepMark[] = [
    { name: SagaStep.capturePayment, status: 'completed' },
    { name: SagaStep.commitInventory, status: 'completed' },
  ];
  await reads.finishOrder({ ...ref, to: 'CONFIRMED', marks });
  return 'confirmed';
}

/** Before the point of no return: give back what the saga held, as its compensations would. */
async function compensate(ref: StepInput): Promise<StepMark[]> {
  const { voided } = await acts.voidPayment(ref);
  await acts.releaseInventory(ref);
  return [
    { name: SagaStep.voidPayment, status: voided ? 'compensated' : 'skipped' },
    { name: SagaStep.releaseInventory, status: 'compensated' },
  ];
}
