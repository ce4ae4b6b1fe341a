import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { reconcileScheduleId, type ReconcileResult } from '../../contracts/order-saga.js';
import { ordersApi } from '../../contracts/orders-api.js';
import { productsApi } from '../../contracts/products-api.js';
import type { Order } from '../../contracts/orders.js';
import { createApiClient } from '../../lib/api-client.js';
import { createServiceClient } from '../../lib/service-client.js';
import { waitFor } from '../../scripts/processes.js';
import { uniqueEmail, uniqueSku } from '../support/api.js';
import { useTestStack } from '../support/stack.js';

// Defect 6: a saga closed without finalizing (here: terminated from outside) must not strand its order.
const e2e = useTestStack('reconcile', {
  ORDER_CANCEL_WINDOW_MS: '120000',
  RECONCILE_MIN_AGE_SECONDS: '0',
  RECONCILE_INTERVAL_SECONDS: '3600',
});
const scheduleId = () => reconcileScheduleId(`orders-reconcile-${inject('runId')}`);
let connection: Connection;
let client: Client;

beforeAll(async () => {
  connection = await Connection.connect({ address: inject('temporalAddress') });
  client = new Client({ connection });
});
afterAll(async () => {
  await client?.schedule
    .getHandle(scheduleId())
    .delete()
    .catch(() => {});
  await connection?.close();
});

const products = () =>
  createApiClient(
    productsApi,
    createServiceClient({ service: 'test', baseUrl: e2e.stack.urls.products, token: e2e.stack.serviceToken }),
  );
const payments = () =>
  createApiClient(
    ordersApi,
    createServiceClient({ service: 'test', baseUrl: e2e.stack.urls.orders, token: e2e.stack.serviceToken }),
  );

async function orderInWindow(token: string, productId: string): Promise<string> {
  const placed = await e2e.api.placeOrder(token, [{ productId, quantity: 2 }]);
  const id = placed.body.id;
  await waitFor(
    `order ${id} in its cancellation window`,
    async () => {
      const { body } = await e2e.api.request<Order>('GET', `/api/orders/${id}`, { token });
      return body.steps.some((s) => s.name === 'cancellationWindow' && s.status === 'started');
    },
    30_000,
    150,
  );
  return id;
}

/** Runs the reconciler now (instead of waiting for its interval) and returns what that run did. */
async function runReconciler(): Promise<ReconcileResult> {
  const schedule = client.schedule.getHandle(scheduleId());
  const before = (await schedule.describe()).info.recentActions.length;
  await schedule.trigger();
  let runId = '';
  let workflowId = '';
  await waitFor(
    'a reconcile run',
    async () => {
      const actions = (await schedule.describe()).info.recentActions;
      if (actions.length <= before) return false;
      ({ workflowId, firstExecutionRunId: runId } = actions.at(-1)!.action.workflow);
      return true;
    },
    20_000,
    200,
  );
  return client.workflow.getHandle(workflowId, runId).result() as Promise<ReconcileResult>;
}

describe('reconciler', () => {
  it('finishes an order whose saga was terminated after reserve + authorize; a running saga is left alone', async () => {
    const item = await e2e.api.createProduct(e2e.adminToken, {
      sku: uniqueSku('REC'),
      name: 'Rec',
      priceCents: 500,
      stock: 10,
    });
    const customer = await e2e.api.registerAndLogin(uniqueEmail());
    const abandoned = await orderInWindow(customer.token, item.id);
    const running = await orderInWindow(customer.token, item.id);
    expect((await payments().getPayment({ params: { orderId: abandoned } })).status).toBe('authorized');

    await client.workflow.getHandle(abandoned).terminate('operator terminated the saga');
    const result = await runReconciler();

    expect(result.cancelled).toContain(abandoned);
    expect(result.cancelled).not.toContain(running);
    const order = await e2e.api.waitForFinal(customer.token, abandoned, 5_000);
    expect(order.status).toBe('CANCELLED');
    expect(order.steps).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'voidPayment', status: 'compensated' }),
        expect.objectContaining({ name: 'releaseInventory', status: 'compensated' }),
        expect.objectContaining({ name: 'reconciled', status: 'completed' }),
      ]),
    );
    expect((await payments().getPayment({ params: { orderId: abandoned } })).status).toBe('voided');
    // Only the running order's 2 units stay reserved.
    expect((await e2e.api.getProduct(item.id)).stock).toBe(8);
    expect((await client.workflow.getHandle(running).describe()).status.name).toBe('RUNNING');
    await client.workflow.getHandle(running).terminate('test done');
  });

  it('confirms an order whose money was captured but whose workflow is gone, committing its stock', async () => {
    const item = await e2e.api.createProduct(e2e.adminToken, {
      sku: uniqueSku('REC'),
      name: 'Rec',
      priceCents: 700,
      stock: 10,
    });
    const orderId = `ord-orphan-${Date.now()}`;
    const items = [{ productId: item.id, name: 'Rec', quantity: 3, unitPriceCents: 700 }];
    const body = { customerId: 'cust-orphan', items, currency: 'USD', paymentMethod: 'tok_visa', workflowId: orderId };
    await payments().create({ params: { id: orderId }, body });
    await products().reserve({ params: { orderId }, body: { lines: [{ productId: item.id, quantity: 3 }] } });
    const payment = { orderId, amountCents: 2100, currency: 'USD', paymentMethod: 'tok_visa' };
    await payments().authorize({ body: payment }, { idempotencyKey: `${orderId}:authorize` });
    await payments().capture(
      { params: { orderId }, body: { amountCents: 2100 } },
      { idempotencyKey: `${orderId}:capture` },
    );

    const result = await runReconciler();

    expect(result.confirmed).toContain(orderId);
    expect(await payments().get({ params: { id: orderId } })).toMatchObject({ status: 'CONFIRMED' });
    expect((await products().getReservation({ params: { orderId } })).status).toBe('committed');
    expect((await e2e.api.getProduct(item.id)).stock).toBe(7);
  });
});

describe('cancel while the worker is down', () => {
  it('is recorded and answered 200 without a worker; once a worker is back the order ends CANCELLED', async () => {
    const item = await e2e.api.createProduct(e2e.adminToken, {
      sku: uniqueSku('CAN'),
      name: 'Can',
      priceCents: 300,
      stock: 10,
    });
    const customer = await e2e.api.registerAndLogin(uniqueEmail());
    const id = await orderInWindow(customer.token, item.id);
    await e2e.stack.stopOne('worker');
    try {
      const startedAt = Date.now();
      const cancelled = await e2e.api.request<Order>('POST', `/api/orders/${id}/cancel`, { token: customer.token });
      process.stdout.write(
        `cancel with the worker down answered ${cancelled.status} in ${Date.now() - startedAt} ms\n`,
      );
      // The saga cannot move without a worker: accepted, still PENDING (the Update path answered 503 here).
      expect(cancelled.status).toBe(200);
      expect(cancelled.body).toMatchObject({ id, status: 'PENDING' });
      const again = await e2e.api.request('POST', `/api/orders/${id}/cancel`, { token: customer.token });
      expect(again.status).toBe(200);
    } finally {
      await e2e.stack.startOne('worker');
    }
    const order = await e2e.api.waitForFinal(customer.token, id);
    expect(order.status).toBe('CANCELLED');
    expect(order.steps.map((s) => s.name)).not.toContain('capturePayment');
    expect((await payments().getPayment({ params: { orderId: id } })).status).toBe('voided');
    expect((await e2e.api.getProduct(item.id)).stock).toBe(10);
    const late = await e2e.api.request('POST', `/api/orders/${id}/cancel`, { token: customer.token });
    expect(late).toMatchObject({ status: 409, body: { code: 'NOT_CANCELLABLE' } });
  });
});
