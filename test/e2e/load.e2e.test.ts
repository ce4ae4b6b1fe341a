import { describe, expect, it } from 'vitest';
import { ordersApi } from '../../contracts/orders-api.js';
import type { Order } from '../../contracts/orders.js';
import { createContractClient } from '../../lib/contract-client.js';
import { createServiceTransport, ServiceRejectedError } from '../../lib/service-transport.js';
import { uniqueEmail, uniqueSku } from '../support/api.js';
import { useTestStack } from '../support/stack.js';

// Concurrency, conservation and durability through every real process.
const e2e = useTestStack('load', { ORDER_CANCEL_WINDOW_MS: '0' });

async function capturedPayment(orderId: string) {
  const transport = createServiceTransport({
    service: 'orders',
    baseUrl: e2e.stack.urls.orders,
    token: e2e.stack.serviceToken,
  });
  try {
    return await createContractClient(ordersApi, transport).getPayment({ params: { orderId } });
  } catch (error) {
    if (error instanceof ServiceRejectedError && error.status === 404) return undefined;
    throw error;
  }
}

async function customers(count: number) {
  return Promise.all(Array.from({ length: count }, (_, i) => e2e.api.registerAndLogin(uniqueEmail(`buyer${i}`))));
}

describe('many buyers racing for a few units', () => {
  it('sells exactly the stock: 5 units, 30 buyers → 5 confirmed, 25 out of stock, stock 0', async () => {
    const item = await e2e.api.createProduct(e2e.adminToken, {
      sku: uniqueSku('HOT'),
      name: 'Hot item',
      priceCents: 500,
      stock: 5,
    });
    const buyers = await customers(30);
    const placed = await Promise.all(
      buyers.map((b) => e2e.api.placeOrder(b.token, [{ productId: item.id, quantity: 1 }])),
    );
    expect(placed.every((p) => p.status === 202)).toBe(true);
    const orders = await Promise.all(placed.map((p, i) => e2e.api.waitForFinal(buyers[i]!.token, p.body.id, 120_000)));
    const confirmed = orders.filter((o) => o.status === 'CONFIRMED');
    const failed = orders.filter((o) => o.status === 'FAILED');
    expect(confirmed).toHaveLength(5);
    expect(failed).toHaveLength(25);
    expect(failed.every((o) => o.failureReason === 'OUT_OF_STOCK')).toBe(true);
    expect((await e2e.api.getProduct(item.id)).stock).toBe(0);
  });
});

describe('a mix of outcomes under load', () => {
  it('conserves stock and money across 40 concurrent orders', async () => {
    const products = await Promise.all(
      [6, 40, 60].map((stock, i) =>
        e2e.api.createProduct(e2e.adminToken, {
          sku: uniqueSku(`MIX${i}`),
          name: `Mix ${i}`,
          priceCents: 100 * (i + 1),
          stock,
        }),
      ),
    );
    const buyers = await customers(8);
    const methods = [
      'tok_visa',
      'tok_mastercard',
      'tok_chargeDeclined',
      'tok_visa',
      'tok_chargeDeclinedInsufficientFunds',
    ];
    const requests = Array.from({ length: 40 }, (_, i) => {
      const lines = products
        .filter((_, p) => (i + p) % 2 === 0)
        .map((p, j) => ({ productId: p.id, quantity: 1 + ((i + j) % 2) }));
      return {
        buyer: buyers[i % buyers.length]!,
        lines: lines.length ? lines : [{ productId: products[0]!.id, quantity: 1 }],
        method: methods[i % methods.length]!,
      };
    });
    const placed = await Promise.all(requests.map((r) => e2e.api.placeOrder(r.buyer.token, r.lines, r.method)));
    const orders: Order[] = await Promise.all(
      placed.map((p, i) => e2e.api.waitForFinal(requests[i]!.buyer.token, p.body.id, 120_000)),
    );

    for (const product of products) {
      const sold = orders
        .filter((o) => o.status === 'CONFIRMED')
        .flatMap((o) => o.items)
        .filter((line) => line.productId === product.id)
        .reduce((sum, line) => sum + line.quantity, 0);
      const now = await e2e.api.getProduct(product.id);
      expect(now.stock).toBeGreaterThanOrEqual(0);
      expect(now.stock).toBe(product.stock - sold);
    }
    for (const order of orders) {
      const payment = await capturedPayment(order.id);
      if (order.status === 'CONFIRMED') {
        expect(payment).toMatchObject({ status: 'captured', amountCents: order.totalCents });
      } else {
        expect(payment?.status).not.toBe('captured');
        expect(['PAYMENT_DECLINED', 'OUT_OF_STOCK']).toContain(order.failureReason);
      }
    }
    expect(orders.some((o) => o.status === 'CONFIRMED')).toBe(true);
    // The stocks are chosen so that every kind of outcome happens: product 0 runs out, declines hit orders that fit.
    expect(orders.some((o) => o.failureReason === 'PAYMENT_DECLINED')).toBe(true);
    expect(orders.some((o) => o.failureReason === 'OUT_OF_STOCK')).toBe(true);
  });
});

describe('durability: processes die mid-saga', () => {
  it('completes an order exactly once after the worker is killed and replaced', async () => {
    const item = await e2e.api.createProduct(e2e.adminToken, {
      sku: uniqueSku('DUR'),
      name: 'Durable',
      priceCents: 700,
      stock: 3,
    });
    const buyer = (await customers(1))[0]!;
    await e2e.stack.stopOne('worker');
    const placed = await e2e.api.placeOrder(buyer.token, [{ productId: item.id, quantity: 1 }]);
    expect(placed.status).toBe(202);
    const pending = await e2e.api.request<Order>('GET', `/api/orders/${placed.body.id}`, { token: buyer.token });
    expect(pending.body.status).toBe('PENDING');
    await e2e.stack.startOne('worker');
    const order = await e2e.api.waitForFinal(buyer.token, placed.body.id);
    expect(order.status).toBe('CONFIRMED');
    expect(await capturedPayment(order.id)).toMatchObject({ status: 'captured', amountCents: 700 });
    expect((await e2e.api.getProduct(item.id)).stock).toBe(2);
  });

  it('rides out an orders-service outage: the saga retries until the service is back', async () => {
    const item = await e2e.api.createProduct(e2e.adminToken, {
      sku: uniqueSku('OUT'),
      name: 'Outage',
      priceCents: 300,
      stock: 3,
    });
    const buyer = (await customers(1))[0]!;
    await e2e.stack.stopOne('orders');
    const placed = await e2e.api.placeOrder(buyer.token, [{ productId: item.id, quantity: 1 }]);
    expect(placed.status).toBe(202);
    await new Promise((r) => setTimeout(r, 3000));
    await e2e.stack.startOne('orders');
    const order = await e2e.api.waitForFinal(buyer.token, placed.body.id, 120_000);
    expect(order.status).toBe('CONFIRMED');
    expect((await e2e.api.getProduct(item.id)).stock).toBe(2);
  });
});
