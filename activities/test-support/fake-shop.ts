// Test support: the three services answering a happy order (one active user, product p-1 at 700 cents).
import { createFakeServices, json } from './fake-services.js';

export function fakeShop() {
  const fake = createFakeServices();
  const settings = { captureDelayMs: 0 };
  const payment = (status: string) => ({
    id: 'pay',
    orderId: 'o',
    status,
    amountCents: 1400,
    currency: 'USD',
    declineCode: null,
    createdAt: 'x',
    updatedAt: 'x',
  });
  fake.on(
    'GET /v1/users/u-1',
    json({ id: 'u-1', email: 'u@x.y', name: 'U', role: 'customer', status: 'active', createdAt: 'x' }),
  );
  fake.on(
    'POST /v1/products/lookup',
    json({
      items: [{ id: 'p-1', sku: 'P1', name: 'Pen', description: '', priceCents: 700, currency: 'USD', stock: 9 }],
      missing: [],
    }),
  );
  fake.onPattern(/^PUT \/v1\/orders\/[^/]+$/, json({}, 201));
  fake.onPattern(/^POST \/v1\/orders\/[^/]+\/transitions$/, json({}));
  fake.onPattern(/^PUT \/v1\/reservations\/[^/]+$/, json({}));
  fake.onPattern(/^POST \/v1\/reservations\/[^/]+\/(commit|release)$/, json({}));
  fake.on('POST /v1/payments/authorize', json(payment('authorized'), 201));
  fake.onPattern(/^POST \/v1\/payments\/[^/]+\/capture$/, async (c) => {
    await new Promise((resolve) => setTimeout(resolve, settings.captureDelayMs));
    return json(payment('captured'))(c);
  });
  return { app: fake.app, settings, routes: () => fake.seen.map((r) => `${r.method} ${r.path}`) };
}
