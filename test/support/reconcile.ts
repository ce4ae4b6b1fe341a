import type { Client } from '@temporalio/client';
import type { ReconcileResult } from '../../contracts/order-saga.js';
import { ordersApi } from '../../contracts/orders-api.js';
import { productsApi } from '../../contracts/products-api.js';
import { createContractClient } from '../../lib/contract-client.js';
import { createServiceTransport } from '../../lib/service-transport.js';
import { waitFor } from '../../scripts/processes.js';
import type { TestStack } from './stack.js';

/** Typed clients of the orders and products services of a test stack (what the saga's activities call). */
export function serviceClients(stack: TestStack) {
  const transport = (baseUrl: string) =>
    createServiceTransport({ service: 'test', baseUrl, token: stack.serviceToken });
  return {
    orders: createContractClient(ordersApi, transport(stack.urls.orders)),
    products: createContractClient(productsApi, transport(stack.urls.products)),
  };
}

/** How far a hand-built order got before its saga vanished. */
export interface AbandonAt {
  pointOfNoReturn?: boolean;
  commit?: boolean;
  capture?: boolean;
}

/**
 * An order left as a saga leaves it when it is terminated at a given step: recorded and priced,
 * stock reserved, payment authorized under the saga's keys (`${orderId}:${step}`), then the steps
 * asked for. No workflow exists for it, as after a terminate and the retention period.
 */
export async function abandonedOrder(
  stack: TestStack,
  product: { id: string; priceCents: number },
  quantity: number,
  at: AbandonAt = {},
): Promise<string> {
  const { orders, products } = serviceClients(stack);
  const orderId = `ord-abandoned-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const items = [{ productId: product.id, name: 'Abandoned', quantity, unitPriceCents: product.priceCents }];
  const body = { customerId: 'cust-abandoned', items, currency: 'USD', paymentMethod: 'tok_visa', workflowId: orderId };
  await orders.create({ params: { id: orderId }, body });
  await products.reserve({ params: { orderId }, body: { lines: [{ productId: product.id, quantity }] } });
  const amountCents = quantity * product.priceCents;
  const payment = { orderId, amountCents, currency: 'USD', paymentMethod: 'tok_visa' };
  await orders.authorize({ body: payment }, { idempotencyKey: `${orderId}:authorizePayment` });
  if (at.pointOfNoReturn) await orders.passPointOfNoReturn({ params: { id: orderId } });
  if (at.commit) await products.commit({ params: { orderId } });
  if (at.capture)
    await orders.capture(
      { params: { orderId }, body: { amountCents } },
      { idempotencyKey: `${orderId}:capturePayment` },
    );
  return orderId;
}

/**
 * An order no pass can finish: its units were committed although no point of no return was
 * recorded, so its compensation's release answers 409 RESERVATION_COMMITTED on every attempt.
 */
export async function unfinishableOrder(stack: TestStack, productId: string, createdAt: Date): Promise<string> {
  const { orders, products } = serviceClients(stack);
  const orderId = `ord-stuck-${createdAt.getTime().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const items = [{ productId, name: 'Stuck', quantity: 1, unitPriceCents: 100 }];
  const body = { customerId: 'cust-stuck', items, currency: 'USD', paymentMethod: 'tok_visa', workflowId: orderId };
  await orders.create({ params: { id: orderId }, body: { ...body, createdAt: createdAt.toISOString() } });
  await products.reserve({ params: { orderId }, body: { lines: [{ productId, quantity: 1 }] } });
  await products.commit({ params: { orderId } });
  return orderId;
}

/** Triggers the reconciler's Schedule now (instead of waiting for its interval) and returns what that pass did. */
export async function runReconciler(client: Client, scheduleId: string): Promise<ReconcileResult> {
  const schedule = client.schedule.getHandle(scheduleId);
  const lastAction = async () => (await schedule.describe()).info.recentActions.at(-1)?.action.workflow;
  const before = (await lastAction())?.firstExecutionRunId;
  await schedule.trigger();
  let runId = '';
  let workflowId = '';
  await waitFor(
    'a reconcile run',
    async () => {
      const last = await lastAction();
      if (!last || last.firstExecutionRunId === before) return false;
      ({ workflowId, firstExecutionRunId: runId } = last);
      return true;
    },
    20_000,
    200,
  );
  return client.workflow.getHandle(workflowId, runId).result() as Promise<ReconcileResult>;
}
