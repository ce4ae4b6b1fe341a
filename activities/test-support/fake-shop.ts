// Test support: the three services answering a happy order (one active user, product p-1 at 700 cents).
import { ordersApi } from '../../contracts/orders-api.js';
import type { Order } from '../../contracts/orders.js';
import { productsApi } from '../../contracts/products-api.js';
import { usersApi } from '../../contracts/users-api.js';
import { createFakeServices, json } from './fake-services.js';

const fakePayment = (status: string, orderId = 'o') => ({
  id: 'pay',
  orderId,
  status,
  amountCents: 1400,
  currency: 'USD',
  declineCode: null,
  createdAt: 'x',
  updatedAt: 'x',
});

export const fakeOrder = (id: string, overrides: Partial<Order> = {}): Order => ({
  id,
  customerId: 'u-1',
  status: 'PENDING',
  failureReason: null,
  items: [],
  totalCents: null,
  currency: 'USD',
  paymentMethod: 'tok_visa',
  createdAt: 'x',
  updatedAt: 'x',
  workflowId: id,
  steps: [],
  ...overrides,
});

export function fakeShop() {
  const fake = createFakeServices();
  const settings = { captureDelayMs: 0 };
  const reservation = (status: string) => json({ orderId: 'o', status, lines: [] });
  fake.on(
    usersApi.get,
    json({ id: 'u-1', email: 'u@x.y', name: 'U', role: 'customer', status: 'active', createdAt: 'x' }),
    { id: 'u-1' },
  );
  fake.on(
    productsApi.lookup,
    json({
      items: [{ id: 'p-1', sku: 'P1', name: 'Pen', description: '', priceCents: 700, currency: 'USD', stock: 9 }],
      missing: [],
    }),
  );
  fake.on(ordersApi.create, (c) => json(fakeOrder(c.req.param('id')!), 201)(c));
  fake.on(ordersApi.transition, (c) => json(fakeOrder(c.req.param('id')!))(c));
  fake.on(productsApi.reserve, reservation('held'));
  fake.on(productsApi.commit, reservation('committed'));
  fake.on(productsApi.release, reservation('released'));
  fake.on(ordersApi.authorize, json(fakePayment('authorized'), 201));
  fake.on(ordersApi.passPointOfNoReturn, json({ passed: true }));
  fake.on(ordersApi.capture, async (c) => {
    await new Promise((resolve) => setTimeout(resolve, settings.captureDelayMs));
    return json(fakePayment('captured'))(c);
  });
  return { app: fake.app, settings, routes: fake.calls };
}
