import { describe, expect, it } from 'vitest';
import type { Api } from '../../contracts/api.js';
import { ordersApi } from '../../contracts/orders-api.js';
import { usersApi } from '../../contracts/users-api.js';
import { createContractClient } from '../../lib/contract-client.js';
import { createServiceTransport } from '../../lib/service-transport.js';
import { uniqueEmail, uniqueSku } from '../support/api.js';
import { useTestStack } from '../support/stack.js';

// The whole system over HTTP only: every order outcome of the public contract.
const e2e = useTestStack('orders', { ORDER_CANCEL_WINDOW_MS: '1500' });

const internal = <A extends Api>(api: A, url: string) =>
  createContractClient(api, createServiceTransport({ service: 'test', baseUrl: url, token: e2e.stack.serviceToken }));
async function payment(orderId: string) {
  return internal(ordersApi, e2e.stack.urls.orders).getPayment({ params: { orderId } });
}
async function product(stock: number, priceCents = 1250) {
  return e2e.api.createProduct(e2e.adminToken, { sku: uniqueSku('E2E'), name: 'E2E widget', priceCents, stock });
}

describe('order outcomes', () => {
  it('confirms a paid order, prices it from the catalog and takes the stock', async () => {
    const item = await product(5, 1999);
    const customer = await e2e.api.registerAndLogin(uniqueEmail());
    const placed = await e2e.api.placeOrder(customer.token, [{ productId: item.id, quantity: 2 }]);
    expect(placed.status).toBe(202);
    expect(placed.headers.get('location')).toBe(`/api/orders/${placed.body.id}`);
    expect(placed.body).toMatchObject({ status: 'PENDING', customerId: customer.id, workflowId: expect.any(String) });
    const listed = await e2e.api.request<{ items: { id: string }[] }>('GET', '/api/orders', { token: customer.token });
    expect(listed.body.items.map((o) => o.id)).toEqual([placed.body.id]);

    const order = await e2e.api.waitForFinal(customer.token, placed.body.id);
    expect(order).toMatchObject({ status: 'CONFIRMED', failureReason: null, totalCents: 3998, currency: 'USD' });
    expect(order.items).toEqual([{ productId: item.id, name: 'E2E widget', quantity: 2, unitPriceCents: 1999 }]);
    expect(order.steps.map((s) => s.name)).toContain('capturePayment');
    expect((await e2e.api.getProduct(item.id)).stock).toBe(3);
    expect(await payment(order.id)).toMatchObject({ status: 'captured', amountCents: 3998 });
  });

  it.each([['tok_chargeDeclined'], ['tok_chargeDeclinedInsufficientFunds'], ['not-a-token']])(
    'fails a declined payment (%s) and gives the stock back',
    async (paymentMethod) => {
      const item = await product(3);
      const customer = await e2e.api.registerAndLogin(uniqueEmail());
      const placed = await e2e.api.placeOrder(customer.token, [{ productId: item.id, quantity: 3 }], paymentMethod);
      const order = await e2e.api.waitForFinal(customer.token, placed.body.id);
      expect(order).toMatchObject({ status: 'FAILED', failureReason: 'PAYMENT_DECLINED' });
      expect((await e2e.api.getProduct(item.id)).stock).toBe(3);
      expect((await payment(order.id)).status).not.toBe('captured');
    },
  );

  it('fails an order for more than the stock with OUT_OF_STOCK and holds nothing', async () => {
    const item = await product(1);
    const customer = await e2e.api.registerAndLogin(uniqueEmail());
    const placed = await e2e.api.placeOrder(customer.token, [{ productId: item.id, quantity: 2 }]);
    const order = await e2e.api.waitForFinal(customer.token, placed.body.id);
    expect(order).toMatchObject({ status: 'FAILED', failureReason: 'OUT_OF_STOCK' });
    expect((await e2e.api.getProduct(item.id)).stock).toBe(1);
  });

  it('fails an order naming an unknown product with PRODUCT_NOT_FOUND', async () => {
    const customer = await e2e.api.registerAndLogin(uniqueEmail());
    const placed = await e2e.api.placeOrder(customer.token, [{ productId: 'no-such-product', quantity: 1 }]);
    expect(placed.status).toBe(202);
    const order = await e2e.api.waitForFinal(customer.token, placed.body.id);
    expect(order).toMatchObject({ status: 'FAILED', failureReason: 'PRODUCT_NOT_FOUND' });
  });

  it('fails the order of a disabled customer with CUSTOMER_INACTIVE', async () => {
    const item = await product(2);
    const customer = await e2e.api.registerAndLogin(uniqueEmail());
    await internal(usersApi, e2e.stack.urls.users).setStatus({
      params: { id: customer.id },
      body: { status: 'disabled' },
    });
    const placed = await e2e.api.placeOrder(customer.token, [{ productId: item.id, quantity: 1 }]);
    const order = await e2e.api.waitForFinal(customer.token, placed.body.id);
    expect(order).toMatchObject({ status: 'FAILED', failureReason: 'CUSTOMER_INACTIVE' });
    expect((await e2e.api.getProduct(item.id)).stock).toBe(2);
  });
});

describe('idempotent placement', () => {
  it('returns the same order for the same key and body, and 422 for another body', async () => {
    const item = await product(10);
    const customer = await e2e.api.registerAndLogin(uniqueEmail());
    const key = `key-${Date.now()}`;
    const first = await e2e.api.placeOrder(customer.token, [{ productId: item.id, quantity: 1 }], 'tok_visa', key);
    const again = await e2e.api.placeOrder(customer.token, [{ productId: item.id, quantity: 1 }], 'tok_visa', key);
    expect(first.status).toBe(202);
    expect([200, 202]).toContain(again.status);
    expect(again.body.id).toBe(first.body.id);
    const other = await e2e.api.placeOrder(customer.token, [{ productId: item.id, quantity: 2 }], 'tok_visa', key);
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });

    await e2e.api.waitForFinal(customer.token, first.body.id);
    const afterDone = await e2e.api.placeOrder(customer.token, [{ productId: item.id, quantity: 1 }], 'tok_visa', key);
    expect(afterDone.status).toBe(200);
    expect(afterDone.body).toMatchObject({ id: first.body.id, status: 'CONFIRMED' });
    // One order, one creation time: the 202's, kept by the record the later answers come from.
    expect(again.body.createdAt).toBe(first.body.createdAt);
    expect(afterDone.body.createdAt).toBe(first.body.createdAt);
    const list = await e2e.api.request<{ items: { id: string }[] }>('GET', '/api/orders', { token: customer.token });
    expect(list.body.items).toHaveLength(1);
    expect((await e2e.api.getProduct(item.id)).stock).toBe(9);
  });

  it('never creates two orders for concurrent duplicates of one key', async () => {
    const item = await product(10);
    const customer = await e2e.api.registerAndLogin(uniqueEmail());
    const responses = await Promise.all(
      Array.from({ length: 8 }, () =>
        e2e.api.placeOrder(customer.token, [{ productId: item.id, quantity: 1 }], 'tok_visa', 'same-key'),
      ),
    );
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
    await e2e.api.waitForFinal(customer.token, responses[0]!.body.id);
    expect((await e2e.api.getProduct(item.id)).stock).toBe(9);
  });
});

describe('ownership and cancellation', () => {
  it('hides an order from another customer, shows it to admins, lists only own orders', async () => {
    const item = await product(5);
    const owner = await e2e.api.registerAndLogin(uniqueEmail('owner'));
    const stranger = await e2e.api.registerAndLogin(uniqueEmail('stranger'));
    const placed = await e2e.api.placeOrder(owner.token, [{ productId: item.id, quantity: 1 }]);
    expect((await e2e.api.request('GET', `/api/orders/${placed.body.id}`, { token: stranger.token })).status).toBe(404);
    expect(
      (await e2e.api.request('POST', `/api/orders/${placed.body.id}/cancel`, { token: stranger.token })).status,
    ).toBe(404);
    expect((await e2e.api.request('GET', `/api/orders/${placed.body.id}`, { token: e2e.adminToken })).status).toBe(200);
    const strangerList = await e2e.api.request<{ items: unknown[] }>('GET', '/api/orders', { token: stranger.token });
    expect(strangerList.body.items).toEqual([]);
    await e2e.api.waitForFinal(owner.token, placed.body.id);
  });

  it('cancels during the cancellation window: CANCELLED, stock back, money not taken', async () => {
    const item = await product(4);
    const customer = await e2e.api.registerAndLogin(uniqueEmail());
    const placed = await e2e.api.placeOrder(customer.token, [{ productId: item.id, quantity: 2 }]);
    const cancelled = await e2e.api.request('POST', `/api/orders/${placed.body.id}/cancel`, { token: customer.token });
    expect(cancelled.status).toBe(200);
    const order = await e2e.api.waitForFinal(customer.token, placed.body.id);
    expect(order.status).toBe('CANCELLED');
    expect((await e2e.api.getProduct(item.id)).stock).toBe(4);
    const again = await e2e.api.request('POST', `/api/orders/${placed.body.id}/cancel`, { token: customer.token });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'NOT_CANCELLABLE' });
  });

  it('an accepted cancel always ends CANCELLED, even when the card is declined meanwhile; a refused one ends FAILED', async () => {
    const item = await product(40);
    const customer = await e2e.api.registerAndLogin(uniqueEmail());
    const answers = await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const placed = await e2e.api.placeOrder(
          customer.token,
          [{ productId: item.id, quantity: 1 }],
          'tok_chargeDeclined',
        );
        // Staggered, so some cancels land before the decline is decided and some after.
        await new Promise((resolve) => setTimeout(resolve, i * 150));
        const cancel = await e2e.api.request('POST', `/api/orders/${placed.body.id}/cancel`, { token: customer.token });
        const order = await e2e.api.waitForFinal(customer.token, placed.body.id);
        return { cancel: cancel.status, status: order.status, code: (cancel.body as { code?: string }).code };
      }),
    );
    for (const answer of answers) {
      if (answer.cancel === 200) expect(answer).toMatchObject({ status: 'CANCELLED' });
      else expect(answer).toMatchObject({ cancel: 409, code: 'NOT_CANCELLABLE', status: 'FAILED' });
    }
    expect((await e2e.api.getProduct(item.id)).stock).toBe(40);
  });

  it('bounds the stock one customer holds: past 1,000 units in unconfirmed orders, 429 with Retry-After', async () => {
    const item = await product(2000);
    const customer = await e2e.api.registerAndLogin(uniqueEmail());
    const big = await e2e.api.placeOrder(customer.token, [{ productId: item.id, quantity: 1000 }]);
    expect(big.status).toBe(202);
    const refused = await e2e.api.placeOrder(customer.token, [{ productId: item.id, quantity: 1 }]);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(refused.body).toMatchObject({ code: 'RATE_LIMITED', heldUnits: 1000, maxUnits: 1000 });
    await e2e.api.request('POST', `/api/orders/${big.body.id}/cancel`, { token: customer.token });
    expect((await e2e.api.waitForFinal(customer.token, big.body.id)).status).toBe('CANCELLED');
    expect((await e2e.api.placeOrder(customer.token, [{ productId: item.id, quantity: 1 }])).status).toBe(202);
  });

  it('refuses to cancel a confirmed order', async () => {
    const item = await product(4);
    const customer = await e2e.api.registerAndLogin(uniqueEmail());
    const placed = await e2e.api.placeOrder(customer.token, [{ productId: item.id, quantity: 1 }]);
    const order = await e2e.api.waitForFinal(customer.token, placed.body.id);
    expect(order.status).toBe('CONFIRMED');
    const refused = await e2e.api.request('POST', `/api/orders/${order.id}/cancel`, { token: customer.token });
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body).toMatchObject({ code: 'NOT_CANCELLABLE', status: 409 });
  });
});
