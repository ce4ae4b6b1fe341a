import { ApplicationFailure } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { beforeEach, describe, expect, it } from 'vitest';
import { createActivities, type SagaActivities } from './activities.js';
import { createSagaClients } from './clients.js';
import { ordersApi } from '../contracts/orders-api.js';
import { productsApi } from '../contracts/products-api.js';
import { usersApi } from '../contracts/users-api.js';
import { TEST_SERVICE_TOKEN as TOKEN } from '../test/support/constants.js';
import { createFakeServices, json, problem } from './test-support/fake-services.js';
import { fakeOrder } from './test-support/fake-shop.js';

const fake = createFakeServices();
const base = 'http://services.test';
const activities = createActivities(
  createSagaClients({ usersUrl: base, productsUrl: base, ordersUrl: base, token: TOKEN, fetch: fake.fetch }),
);
const unreachable = createActivities(
  createSagaClients({
    usersUrl: 'http://127.0.0.1:1',
    productsUrl: 'http://127.0.0.1:1',
    ordersUrl: 'http://127.0.0.1:1',
    token: TOKEN,
    timeoutMs: 1000,
  }),
);
const env = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });
const ref = { orderId: 'o-1', requestId: 'req-1' };

function run<K extends keyof SagaActivities>(
  name: K,
  input: Parameters<SagaActivities[K]>[0],
  acts: SagaActivities = activities,
) {
  return env.run(acts[name] as (arg: typeof input) => ReturnType<SagaActivities[K]>, input);
}

async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApplicationFailure);
  return error as ApplicationFailure;
}

async function expectBusiness(promise: Promise<unknown>, type: string) {
  const failure = await failureOf(promise);
  expect({ type: failure.type, nonRetryable: failure.nonRetryable }).toEqual({ type, nonRetryable: true });
}

async function expectRetryable(promise: Promise<unknown>, type = 'SERVICE_UNAVAILABLE') {
  const failure = await failureOf(promise);
  expect({ type: failure.type, nonRetryable: failure.nonRetryable }).toEqual({ type, nonRetryable: false });
}

beforeEach(() => fake.reset());

const user = (status: string) => ({ id: 'u-1', email: 'a@b.c', name: 'A', role: 'customer', status, createdAt: 'x' });

describe('getCustomer', () => {
  it('returns an active customer, with auth, request id and idempotency key on the call', async () => {
    fake.on(usersApi.get, json(user('active')), { id: 'u-1' });
    expect(await run('getCustomer', { ...ref, customerId: 'u-1' })).toEqual({ customerId: 'u-1', status: 'active' });
    expect(fake.seen[0]!.headers).toMatchObject({
      authorization: `Bearer ${TOKEN}`,
      'x-request-id': 'req-1',
      'idempotency-key': 'o-1:getCustomer',
    });
  });
  it('maps disabled and missing customers to non-retryable CUSTOMER_INACTIVE', async () => {
    fake.on(usersApi.get, json(user('disabled')), { id: 'u-1' });
    await expectBusiness(run('getCustomer', { ...ref, customerId: 'u-1' }), 'CUSTOMER_INACTIVE');
    await expectBusiness(run('getCustomer', { ...ref, customerId: 'u-2' }), 'CUSTOMER_INACTIVE');
  });
  it('retries on 5xx and on an unreachable service', async () => {
    fake.on(usersApi.get, () => new Response('boom', { status: 502 }), { id: 'u-1' });
    await expectRetryable(run('getCustomer', { ...ref, customerId: 'u-1' }));
    await expectRetryable(run('getCustomer', { ...ref, customerId: 'u-1' }, unreachable));
  });
});

describe('priceItems', () => {
  const product = (id: string, priceCents: number) => ({
    id,
    sku: id,
    name: `N-${id}`,
    description: '',
    priceCents,
    currency: 'USD',
    stock: 5,
  });
  const items = [
    { productId: 'p-1', quantity: 2 },
    { productId: 'p-2', quantity: 1 },
  ];
  it('prices each line from the catalog', async () => {
    fake.on(productsApi.lookup, json({ items: [product('p-2', 300), product('p-1', 100)], missing: [] }));
    expect(await run('priceItems', { ...ref, items })).toEqual([
      { productId: 'p-1', quantity: 2, name: 'N-p-1', unitPriceCents: 100 },
      { productId: 'p-2', quantity: 1, name: 'N-p-2', unitPriceCents: 300 },
    ]);
    expect(fake.seen[0]!.body).toEqual({ ids: ['p-1', 'p-2'] });
  });
  it('maps a missing product to non-retryable PRODUCT_NOT_FOUND', async () => {
    fake.on(productsApi.lookup, json({ items: [product('p-1', 100)], missing: ['p-2'] }));
    await expectBusiness(run('priceItems', { ...ref, items }), 'PRODUCT_NOT_FOUND');
  });
  it('never charges a product priced in another currency: non-retryable PRODUCT_NOT_FOUND', async () => {
    const euro = { ...product('p-2', 300), currency: 'EUR' };
    fake.on(productsApi.lookup, json({ items: [product('p-1', 100), euro], missing: [] }));
    await expectBusiness(run('priceItems', { ...ref, items }), 'PRODUCT_NOT_FOUND');
  });
});

describe('inventory', () => {
  const lines = [{ productId: 'p-1', quantity: 2 }];
  it('reserves with the lines and a stable key; OUT_OF_STOCK is a business failure', async () => {
    fake.on(productsApi.reserve, json({ orderId: 'o-1', status: 'held', lines }));
    await run('reserveInventory', { ...ref, lines });
    expect(fake.seen[0]).toMatchObject({ body: { lines }, headers: { 'idempotency-key': 'o-1:reserveInventory' } });
    fake.on(productsApi.reserve, problem(409, 'OUT_OF_STOCK', { productId: 'p-1' }));
    await expectBusiness(run('reserveInventory', { ...ref, lines }), 'OUT_OF_STOCK');
  });
  it('release and commit succeed, and retry on 503', async () => {
    fake.on(productsApi.release, json({ orderId: 'o-1', status: 'released', lines }));
    fake.on(productsApi.commit, json({ orderId: 'o-1', status: 'committed', lines }));
    await run('releaseInventory', ref);
    await run('commitInventory', ref);
    expect(fake.calls()).toEqual(['products.release(o-1)', 'products.commit(o-1)']);
    fake.on(productsApi.release, () => new Response('', { status: 503 }));
    await expectRetryable(run('releaseInventory', ref));
  });
  it('an unexpected refusal is retryable (the order must not be stranded), typed by its code', async () => {
    fake.on(productsApi.commit, problem(409, 'RESERVATION_NOT_HELD'));
    await expectRetryable(run('commitInventory', ref), 'SERVICE_REJECTED:RESERVATION_NOT_HELD');
  });
});

const payment = (status: string) => ({
  id: 'pay-1',
  orderId: 'o-1',
  status,
  amountCents: 500,
  currency: 'USD',
  declineCode: null,
  createdAt: 'x',
  updatedAt: 'x',
});

describe('payments', () => {
  const authorize = { ...ref, amountCents: 500, currency: 'USD', paymentMethod: 'tok_visa' };
  it('authorizes with an Idempotency-Key; a decline is non-retryable PAYMENT_DECLINED', async () => {
    fake.on(ordersApi.authorize, json(payment('authorized'), 201));
    expect(await run('authorizePayment', authorize)).toEqual({ status: 'authorized' });
    expect(fake.seen[0]).toMatchObject({
      headers: { 'idempotency-key': 'o-1:authorizePayment' },
      body: { orderId: 'o-1', amountCents: 500 },
    });
    fake.on(ordersApi.authorize, problem(422, 'PAYMENT_DECLINED', { declineCode: 'card_declined' }));
    await expectBusiness(run('authorizePayment', authorize), 'PAYMENT_DECLINED');
    fake.on(ordersApi.authorize, problem(503, 'PAYMENT_PROVIDER_UNAVAILABLE'));
    await expectRetryable(run('authorizePayment', authorize));
  });
  it('voids an authorization, tombstones a missing payment, and does nothing for a declined one', async () => {
    fake.on(ordersApi.void, json(payment('voided')));
    fake.on(ordersApi.getPayment, json(payment('authorized')));
    expect(await run('voidPayment', ref)).toEqual({ voided: true });
    expect(fake.seen.at(-1)).toMatchObject({
      route: 'orders.void',
      headers: { 'idempotency-key': 'o-1:voidPayment' },
    });
    fake.on(ordersApi.getPayment, json(payment('declined')));
    expect(await run('voidPayment', ref)).toEqual({ voided: false });
    fake.on(ordersApi.getPayment, problem(404, 'NOT_FOUND'));
    expect(await run('voidPayment', ref)).toEqual({ voided: false });
    expect(fake.seen.filter((r) => r.route === 'orders.void')).toHaveLength(2);
  });
  it('captures with the amount and a stable key', async () => {
    fake.on(ordersApi.capture, json(payment('captured')));
    await run('capturePayment', { ...ref, amountCents: 500 });
    expect(fake.seen[0]).toMatchObject({
      body: { amountCents: 500 },
      headers: { 'idempotency-key': 'o-1:capturePayment' },
    });
  });
});

describe('orders', () => {
  const steps = [{ name: 'getCustomer', status: 'completed' as const, at: '2026-01-01T00:00:00.000Z' }];
  it('creates the order idempotently with workflowId and steps', async () => {
    fake.on(ordersApi.create, json(fakeOrder('o-1'), 201));
    const items = [{ productId: 'p-1', quantity: 1, name: null, unitPriceCents: null }];
    await run('createOrder', { ...ref, customerId: 'u-1', items, currency: 'USD', paymentMethod: 'tok_visa', steps });
    expect(fake.seen[0]!.body).toEqual({
      customerId: 'u-1',
      items,
      currency: 'USD',
      paymentMethod: 'tok_visa',
      steps,
      workflowId: 'o-1',
    });
  });
  it('finalizes; ILLEGAL_TRANSITION into the same final state is success, into another is retried', async () => {
    fake.on(ordersApi.transition, json(fakeOrder('o-1', { status: 'FAILED', failureReason: 'OUT_OF_STOCK' })));
    await run('finalizeOrder', { ...ref, to: 'FAILED', failureReason: 'OUT_OF_STOCK', steps });
    expect(fake.seen[0]!.body).toEqual({ to: 'FAILED', failureReason: 'OUT_OF_STOCK', steps });
    fake.on(ordersApi.transition, problem(409, 'ILLEGAL_TRANSITION'));
    fake.on(ordersApi.get, json(fakeOrder('o-1', { status: 'FAILED', failureReason: 'OUT_OF_STOCK' })));
    await run('finalizeOrder', { ...ref, to: 'FAILED', failureReason: 'OUT_OF_STOCK', steps });
    await expectRetryable(
      run('finalizeOrder', { ...ref, to: 'CONFIRMED', steps }),
      'SERVICE_REJECTED:ILLEGAL_TRANSITION',
    );
  });
});
