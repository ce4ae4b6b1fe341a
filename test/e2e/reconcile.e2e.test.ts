import { Client, Connection } from '@temporalio/client';
import { payloadDataConverter } from '../../lib/payload-keys.js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import postgres from 'postgres';
import { reconcileScheduleId } from '../../contracts/order-saga.js';
import type { Order } from '../../contracts/orders.js';
import { waitFor } from '../../scripts/processes.js';
import { uniqueEmail, uniqueSku } from '../support/api.js';
import { abandonedOrder, runReconciler, serviceClients, unfinishableOrder } from '../support/reconcile.js';
import { useTestStack } from '../support/stack.js';

// Defect 6: a saga closed without finalizing (here: terminated from outside) must not strand its order.
const e2e = useTestStack('reconcile', {
  ORDER_CANCEL_WINDOW_MS: '120000',
  RECONCILE_MIN_AGE_SECONDS: '0',
  RECONCILE_INTERVAL_SECONDS: '3600',
  PAYMENT_CLAIM_TIMEOUT_SECONDS: '5',
});
const scheduleId = () => reconcileScheduleId(`orders-reconcile-${inject('runId')}`);
let connection: Connection;
let client: Client;

beforeAll(async () => {
  connection = await Connection.connect({ address: inject('temporalAddress') });
  client = new Client({ connection, dataConverter: payloadDataConverter() });
});
afterAll(async () => {
  await client?.schedule
    .getHandle(scheduleId())
    .delete()
    .catch(() => {});
  await connection?.close();
});

const clients = () => serviceClients(e2e.stack);
const reconcile = () => runReconciler(client, scheduleId());

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

const newProduct = (stock: number, priceCents = 500) =>
  e2e.api.createProduct(e2e.adminToken, { sku: uniqueSku('REC'), name: 'Rec', priceCents, stock });

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
    expect((await clients().orders.getPayment({ params: { orderId: abandoned } })).status).toBe('authorized');

    await client.workflow.getHandle(abandoned).terminate('operator terminated the saga');
    const result = await reconcile();

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
    expect((await clients().orders.getPayment({ params: { orderId: abandoned } })).status).toBe('voided');
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
    await clients().orders.create({ params: { id: orderId }, body });
    await clients().products.reserve({ params: { orderId }, body: { lines: [{ productId: item.id, quantity: 3 }] } });
    const payment = { orderId, amountCents: 2100, currency: 'USD', paymentMethod: 'tok_visa' };
    await clients().orders.authorize({ body: payment }, { idempotencyKey: `${orderId}:authorize` });
    await clients().orders.capture(
      { params: { orderId }, body: { amountCents: 2100 } },
      { idempotencyKey: `${orderId}:capture` },
    );

    const result = await reconcile();

    expect(result.confirmed).toContain(orderId);
    expect(await clients().orders.get({ params: { id: orderId } })).toMatchObject({ status: 'CONFIRMED' });
    expect((await clients().products.getReservation({ params: { orderId } })).status).toBe('committed');
    expect((await e2e.api.getProduct(item.id)).stock).toBe(7);
  });
});

describe('reconciler: past the recorded point of no return, the order completes', () => {
  const paymentOf = (orderId: string) => clients().orders.getPayment({ params: { orderId } });
  const reservationOf = (orderId: string) => clients().products.getReservation({ params: { orderId } });

  it('terminated after commit, before capture: captures, then CONFIRMED (units sold are paid for)', async () => {
    const item = await newProduct(10, 400);
    const orderId = await abandonedOrder(e2e.stack, item, 3, { pointOfNoReturn: true, commit: true });

    const result = await reconcile();

    expect(result.confirmed).toContain(orderId);
    const order = await clients().orders.get({ params: { id: orderId } });
    expect(order.status).toBe('CONFIRMED');
    expect(order.steps).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'capturePayment', status: 'completed' }),
        expect.objectContaining({ name: 'commitInventory', status: 'completed' }),
        expect.objectContaining({ name: 'reconciled', status: 'completed' }),
      ]),
    );
    expect(await paymentOf(orderId)).toMatchObject({ status: 'captured', amountCents: 1200 });
    expect((await reservationOf(orderId)).status).toBe('committed');
    expect((await e2e.api.getProduct(item.id)).stock).toBe(7);
  });

  it("resumes the saga's capture left in flight by an orders crash, under the saga's own key", async () => {
    const item = await newProduct(10, 300);
    const orderId = await abandonedOrder(e2e.stack, item, 2, { pointOfNoReturn: true });
    // The orders service claimed the payment for the saga's capture and died before the provider answered.
    const sql = postgres(e2e.stack.databases.orders, { max: 1, onnotice: () => {} });
    try {
      await sql`update payments set in_flight = 'capture', in_flight_key = ${`${orderId}:capturePayment`},
                in_flight_at = now() where order_id = ${orderId}`;
    } finally {
      await sql.end();
    }

    const result = await reconcile();

    expect(result.confirmed).toContain(orderId);
    expect((await clients().orders.get({ params: { id: orderId } })).status).toBe('CONFIRMED');
    expect(await paymentOf(orderId)).toMatchObject({ status: 'captured', amountCents: 600 });
    expect((await reservationOf(orderId)).status).toBe('committed');
    expect((await e2e.api.getProduct(item.id)).stock).toBe(8);
  });

  it('a refusal decided before the saga vanished: compensated, FAILED with the recorded reason', async () => {
    const item = await newProduct(10, 300);
    const orderId = await abandonedOrder(e2e.stack, item, 2);
    await clients().orders.decideFailure({ params: { id: orderId }, body: { reason: 'PAYMENT_DECLINED' } });

    const result = await reconcile();

    const order = await clients().orders.get({ params: { id: orderId } });
    expect(order).toMatchObject({ status: 'FAILED', failureReason: 'PAYMENT_DECLINED' });
    expect(result.failed).toContain(orderId);
    expect((await paymentOf(orderId)).status).toBe('voided');
    expect((await reservationOf(orderId)).status).toBe('released');
    expect((await e2e.api.getProduct(item.id)).stock).toBe(10);
  });

  it('before it: a reserved and authorized order is compensated and CANCELLED, its stock back', async () => {
    const item = await newProduct(10, 300);
    const orderId = await abandonedOrder(e2e.stack, item, 4);

    const result = await reconcile();

    expect(result.cancelled).toContain(orderId);
    expect((await clients().orders.get({ params: { id: orderId } })).status).toBe('CANCELLED');
    // Recorded first, so a saga an operator brought back meanwhile could not have passed the point of no return.
    expect((await clients().orders.getDecisions({ params: { id: orderId } })).cancelRequested).toBe(true);
    expect((await paymentOf(orderId)).status).toBe('voided');
    expect((await reservationOf(orderId)).status).toBe('released');
    expect((await e2e.api.getProduct(item.id)).stock).toBe(10);
  });
});

describe('reconciler: a payment claim left by a crash', () => {
  it('expires an in_flight claim under another key (the provider asked under that key), then finishes the order', async () => {
    const item = await newProduct(10, 250);
    const orderId = await abandonedOrder(e2e.stack, item, 2);
    // An operator's void (key ops-void-1) claimed the payment an hour ago; the orders process died mid-call.
    const sql = postgres(e2e.stack.databases.orders, { max: 1, onnotice: () => {} });
    try {
      await sql`update payments set in_flight = 'void', in_flight_key = 'ops-void-1',
                in_flight_at = now() - interval '1 hour' where order_id = ${orderId}`;
    } finally {
      await sql.end();
    }
    await waitFor(
      'the orders service to settle the expired claim',
      async () => (await clients().orders.getPayment({ params: { orderId } })).status === 'voided',
      15_000,
      250,
    );

    const result = await reconcile();

    expect(result.cancelled).toContain(orderId);
    expect((await clients().orders.get({ params: { id: orderId } })).status).toBe('CANCELLED');
    expect((await e2e.api.getProduct(item.id)).stock).toBe(10);
  });
});

describe('reconciler: paging', () => {
  it('pages past 100 orders it cannot finish to a newer one, in one pass', async () => {
    const stuckItem = await newProduct(1000, 100);
    const anHourAgo = Date.now() - 3_600_000;
    const stuck: string[] = [];
    for (let batch = 0; batch < 10; batch++) {
      const created = Array.from({ length: 10 }, (_, i) => new Date(anHourAgo + (batch * 10 + i) * 1000));
      stuck.push(...(await Promise.all(created.map((at) => unfinishableOrder(e2e.stack, stuckItem.id, at)))));
    }
    const item = await newProduct(10, 300);
    const newer = await abandonedOrder(e2e.stack, item, 1);
    const startedAt = Date.now();

    const result = await reconcile();
    process.stdout.write(`a pass over ${stuck.length} unfinishable orders + 1: ${Date.now() - startedAt} ms\n`);

    expect(result.cancelled).toContain(newer);
    expect(result.pages).toBeGreaterThanOrEqual(2);
    expect(result.unfinished).toBeGreaterThanOrEqual(stuck.length);
    expect((await clients().orders.get({ params: { id: newer } })).status).toBe('CANCELLED');
    expect((await clients().orders.get({ params: { id: stuck[0]! } })).status).toBe('PENDING');
  }, 240_000);
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
    expect((await clients().orders.getPayment({ params: { orderId: id } })).status).toBe('voided');
    expect((await e2e.api.getProduct(item.id)).stock).toBe(10);
    const late = await e2e.api.request('POST', `/api/orders/${id}/cancel`, { token: customer.token });
    expect(late).toMatchObject({ status: 409, body: { code: 'NOT_CANCELLABLE' } });
  });
});
