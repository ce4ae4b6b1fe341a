import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  QUERY_STATE,
  SearchAttributeKeys,
  SIGNAL_CANCEL,
  WORKFLOW_TYPE,
  type OrderSagaState,
  type PlaceOrderInput,
} from '../contracts/order-saga.js';
import { waitFor } from '../scripts/processes.js';
import { connectHarness, startWorker, type Harness, type RunningWorker } from './test-support/harness.js';
import { mockActivities, orderInput, PRICE_CENTS, type Scenario } from './test-support/mock-activities.js';

const runId = inject('runId');
const taskQueue = `saga-${runId}-${Math.random().toString(36).slice(2, 8)}`;
const scenarios = new Map<string, Scenario>();
const mock = mockActivities((orderId) => scenarios.get(orderId) ?? {});
let harness: Harness;
let worker: RunningWorker;
let seq = 0;

beforeAll(async () => {
  harness = await connectHarness(inject('temporalAddress'));
  worker = await startWorker(harness, taskQueue, mock.activities);
});

afterAll(async () => {
  await worker?.stop();
  await harness?.close();
});

function start(scenario: Scenario, overrides: Partial<PlaceOrderInput> = {}) {
  const orderId = `order-${runId}-${++seq}`;
  scenarios.set(orderId, scenario);
  const input = orderInput(orderId, overrides);
  return harness.client.workflow.start(WORKFLOW_TYPE, { workflowId: orderId, taskQueue, args: [input] });
}

async function run(scenario: Scenario, overrides: Partial<PlaceOrderInput> = {}) {
  const handle = await start(scenario, overrides);
  const result = (await handle.result()) as OrderSagaState;
  return { handle, result, calls: mock.namesFor(handle.workflowId) };
}

const finalizeInput = (orderId: string) =>
  mock.calls.get(orderId)!.find((call) => call.name === 'finalizeOrder')!.input;
const stepStatus = (state: OrderSagaState) => Object.fromEntries(state.steps.map((step) => [step.name, step.status]));
const forward = ['getCustomer', 'priceItems', 'createOrder', 'authorizePayment', 'reserveInventory'];
const parallel = [
  new Set(['getCustomer', 'priceItems']),
  new Set(['authorizePayment', 'reserveInventory']),
  new Set(['capturePayment', 'commitInventory']),
];
/** Steps that run in parallel may reach the mock in either order: each such run of calls is sorted. */
const inOrder = (calls: string[]) => {
  const group = (name: string) => parallel.findIndex((g) => g.has(name));
  const sorted: string[] = [];
  for (let i = 0; i < calls.length;) {
    let end = i + 1;
    while (group(calls[i]!) >= 0 && end < calls.length && group(calls[end]!) === group(calls[i]!)) end++;
    sorted.push(...calls.slice(i, end).sort());
    i = end;
  }
  return sorted;
};
const completing = [...forward, 'passPointOfNoReturn', 'capturePayment', 'commitInventory', 'finalizeOrder'];

async function whenStep(handle: Awaited<ReturnType<typeof start>>, name: string, status = 'started') {
  await waitFor(
    `${name} ${status}`,
    async () => stepStatus(await handle.query<OrderSagaState>(QUERY_STATE))[name] === status,
    20_000,
    50,
  );
}

describe('placeOrder outcomes', () => {
  it('confirms: every step once, in order, priced, search attributes final', async () => {
    const { handle, result, calls } = await run({});
    expect(inOrder(calls)).toEqual(completing);
    expect(result).toMatchObject({
      status: 'CONFIRMED',
      failureReason: null,
      totalCents: 3 * PRICE_CENTS,
      cancellable: false,
    });
    expect(result.items.every((item) => item.unitPriceCents === PRICE_CENTS)).toBe(true);
    expect(stepStatus(result)).toMatchObject({
      authorizePayment: 'completed',
      cancellationWindow: 'skipped',
      capturePayment: 'completed',
    });
    const finalize = finalizeInput(handle.workflowId);
    expect(finalize).toMatchObject({
      to: 'CONFIRMED',
      orderId: handle.workflowId,
      requestId: `req-${handle.workflowId}`,
    });
    expect(finalize.steps).toEqual(result.steps);
    const create = mock.calls.get(handle.workflowId)!.find((call) => call.name === 'createOrder')!.input;
    expect((create.steps as { name: string }[]).map((s) => s.name)).toEqual([
      'getCustomer',
      'priceItems',
      'createOrder',
    ]);
    const attrs = (await handle.describe()).typedSearchAttributes;
    expect(attrs.get(SearchAttributeKeys.orderStatus)).toBe('CONFIRMED');
    expect(attrs.get(SearchAttributeKeys.customerId)).toBeUndefined();
  });

  it('fails CUSTOMER_INACTIVE and still records the order with unpriced items', async () => {
    const { handle, result, calls } = await run({ customer: 'disabled' });
    expect(inOrder(calls)).toEqual(['getCustomer', 'priceItems', 'createOrder', 'decideFailure', 'finalizeOrder']);
    expect(result).toMatchObject({ status: 'FAILED', failureReason: 'CUSTOMER_INACTIVE', totalCents: null });
    const create = mock.calls.get(handle.workflowId)!.find((call) => call.name === 'createOrder')!.input;
    expect(create.items).toEqual([
      { productId: 'p-1', quantity: 2, name: null, unitPriceCents: null },
      { productId: 'p-2', quantity: 1, name: null, unitPriceCents: null },
    ]);
    expect(finalizeInput(handle.workflowId)).toMatchObject({ to: 'FAILED', failureReason: 'CUSTOMER_INACTIVE' });
    expect(stepStatus(result)).toEqual({ getCustomer: 'failed', priceItems: 'completed', createOrder: 'completed' });
  });

  it('fails PRODUCT_NOT_FOUND with an unpriced order record', async () => {
    const { result, calls } = await run({ missingProducts: ['p-2'] });
    expect(inOrder(calls)).toEqual(['getCustomer', 'priceItems', 'createOrder', 'decideFailure', 'finalizeOrder']);
    expect(result).toMatchObject({ status: 'FAILED', failureReason: 'PRODUCT_NOT_FOUND' });
    expect(result.items[0]).toMatchObject({ name: null, unitPriceCents: null });
  });

  it('fails OUT_OF_STOCK: the parallel authorization is voided, the (registered-before) reservation released', async () => {
    const { result, calls } = await run({ outOfStock: true });
    expect(inOrder(calls)).toEqual([...forward, 'decideFailure', 'voidPayment', 'releaseInventory', 'finalizeOrder']);
    expect(result).toMatchObject({ status: 'FAILED', failureReason: 'OUT_OF_STOCK' });
    expect(stepStatus(result)).toMatchObject({
      reserveInventory: 'failed',
      authorizePayment: 'completed',
      voidPayment: 'compensated',
      releaseInventory: 'compensated',
    });
  });

  it('reports OUT_OF_STOCK when stock and payment are both refused (as the sequential saga did)', async () => {
    const { result } = await run({ outOfStock: true, declined: true });
    expect(result).toMatchObject({ status: 'FAILED', failureReason: 'OUT_OF_STOCK' });
  });

  it('compensates only after both holds settled: a slow reservation is released after it lands', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const handle = await start({ declined: true, hold: { reserveInventory: held } });
    await whenStep(handle, 'authorizePayment', 'failed');
    await new Promise((r) => setTimeout(r, 300));
    expect(mock.namesFor(handle.workflowId)).not.toContain('releaseInventory');
    release();
    const result = (await handle.result()) as OrderSagaState;
    expect(result).toMatchObject({ status: 'FAILED', failureReason: 'PAYMENT_DECLINED' });
    expect(mock.namesFor(handle.workflowId).slice(-2)).toEqual(['releaseInventory', 'finalizeOrder']);
  });

  it('fails PAYMENT_DECLINED and compensates in reverse order: void, then release', async () => {
    const { result, calls } = await run({ declined: true });
    expect(inOrder(calls)).toEqual([...forward, 'decideFailure', 'voidPayment', 'releaseInventory', 'finalizeOrder']);
    expect(result).toMatchObject({ status: 'FAILED', failureReason: 'PAYMENT_DECLINED' });
    expect(stepStatus(result)).toMatchObject({
      authorizePayment: 'failed',
      voidPayment: 'skipped',
      releaseInventory: 'compensated',
    });
    expect(result.steps.map((s) => s.name).slice(-2)).toEqual(['voidPayment', 'releaseInventory']);
  });
});

describe('round trips', () => {
  it('runs every call as a local activity: an order without a cancellation window is one workflow task', async () => {
    const { handle } = await run({});
    const events = (await handle.fetchHistory()).events ?? [];
    expect(events.filter((e) => e.activityTaskScheduledEventAttributes)).toEqual([]);
    const markers = events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity');
    expect(markers).toHaveLength(9); // customer, pricing, record, reserve, authorize, point of no return, capture, commit, final
    expect(events.filter((e) => e.workflowTaskCompletedEventAttributes)).toHaveLength(1);
  });
});

describe('recorded cancel (requestCancel signal + the order record)', () => {
  it('a signal during the window cuts it short; the saga compensates and ends CANCELLED', async () => {
    const handle = await start({}, { cancelWindowMs: 60_000 });
    await whenStep(handle, 'cancellationWindow');
    await handle.signal(SIGNAL_CANCEL);
    const result = (await handle.result()) as OrderSagaState;
    expect(result).toMatchObject({ status: 'CANCELLED', failureReason: null });
    expect(inOrder(mock.namesFor(handle.workflowId))).toEqual([
      ...forward,
      'voidPayment',
      'releaseInventory',
      'finalizeOrder',
    ]);
  });

  it('a cancel recorded while the signal was lost: refused at the point of no return, never captured', async () => {
    const { handle, result, calls } = await run({ cancelRecorded: true });
    expect(result).toMatchObject({ status: 'CANCELLED', failureReason: null });
    expect(inOrder(calls)).toEqual([
      ...forward,
      'passPointOfNoReturn',
      'voidPayment',
      'releaseInventory',
      'finalizeOrder',
    ]);
    expect(calls).not.toContain('capturePayment');
    expect(finalizeInput(handle.workflowId)).toMatchObject({ to: 'CANCELLED' });
  });

  it('a cancel recorded before a refusal wins: the order ends CANCELLED, not FAILED', async () => {
    const { handle, result, calls } = await run({ declined: true, cancelRecorded: true });
    expect(result).toMatchObject({ status: 'CANCELLED', failureReason: null });
    expect(inOrder(calls)).toEqual([...forward, 'decideFailure', 'voidPayment', 'releaseInventory', 'finalizeOrder']);
    expect(finalizeInput(handle.workflowId)).toMatchObject({ to: 'CANCELLED' });
  });

  it('accepts a signal while the holds settle, before the refusal is decided: the order ends CANCELLED', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const handle = await start({ declined: true, hold: { reserveInventory: held } });
    await whenStep(handle, 'authorizePayment', 'failed');
    await handle.signal(SIGNAL_CANCEL);
    release();
    expect(await handle.result()).toMatchObject({ status: 'CANCELLED', failureReason: null });
  });

  it('ignores a signal once a refusal decided the outcome: the order ends FAILED', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const handle = await start({ declined: true, hold: { releaseInventory: held } });
    await whenStep(handle, 'releaseInventory');
    await handle.signal(SIGNAL_CANCEL);
    release();
    expect(await handle.result()).toMatchObject({ status: 'FAILED', failureReason: 'PAYMENT_DECLINED' });
  });

  it('ignores a signal past the point of no return: the order confirms', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const handle = await start({ hold: { capturePayment: held } });
    await whenStep(handle, 'capturePayment');
    await handle.signal(SIGNAL_CANCEL);
    release();
    expect(((await handle.result()) as OrderSagaState).status).toBe('CONFIRMED');
  });
});

describe('retries', () => {
  it('retries a transient forward failure and confirms', async () => {
    const { handle, result } = await run({ transient: { reserveInventory: 2 } });
    expect(result.status).toBe('CONFIRMED');
    expect(mock.namesFor(handle.workflowId).filter((name) => name === 'reserveInventory')).toHaveLength(3);
  });

  it('retries a failing compensation until it succeeds (never swallowed)', async () => {
    const { handle, result } = await run({ outOfStock: true, transient: { releaseInventory: 3 } });
    expect(result).toMatchObject({ status: 'FAILED', failureReason: 'OUT_OF_STOCK' });
    const names = mock.namesFor(handle.workflowId);
    expect(names.filter((name) => name === 'releaseInventory')).toHaveLength(4);
    expect(names.at(-1)).toBe('finalizeOrder');
  });
});

describe('local activities', () => {
  it('move to a regular activity when a dependency stays down past their few seconds', async () => {
    const { handle, result } = await run({ transient: { getCustomer: 8 } });
    expect(result.status).toBe('CONFIRMED');
    const events = (await handle.fetchHistory()).events ?? [];
    const scheduled = events.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
    expect(scheduled).toContain('getCustomer');
    expect(mock.namesFor(handle.workflowId).filter((name) => name === 'getCustomer')).toHaveLength(9);
  });
});

describe('unexpected failures', () => {
  it('fail the workflow task, not the workflow: the order is neither compensated nor closed', async () => {
    const handle = await start({ unexpected: 'reserveInventory' });
    await waitFor(
      'a failed workflow task',
      async () => {
        const events = (await handle.fetchHistory()).events ?? [];
        return events.some((e) => e.workflowTaskFailedEventAttributes);
      },
      20_000,
      100,
    );
    expect((await handle.describe()).status.name).toBe('RUNNING');
    expect(mock.namesFor(handle.workflowId)).not.toContain('releaseInventory');
    expect(mock.namesFor(handle.workflowId)).not.toContain('finalizeOrder');
    await handle.terminate('test done');
  });
});

describe('durability', () => {
  it('survives a worker stop mid-saga: a new worker completes the order exactly once', async () => {
    const handle = await start({}, { cancelWindowMs: 3000 });
    await whenStep(handle, 'cancellationWindow');
    await worker.stop();
    worker = await startWorker(harness, taskQueue, mock.activities);
    const result = (await handle.result()) as OrderSagaState;
    expect(result.status).toBe('CONFIRMED');
    expect(inOrder(mock.namesFor(handle.workflowId))).toEqual(completing);
  });
});
