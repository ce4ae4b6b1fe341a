import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Order } from '../../contracts/orders.js';
import { createOrdersHarness, pricedOrder, uniqueId, type OrdersHarness } from './test-support/harness.js';

let h: OrdersHarness;
beforeAll(async () => {
  h = await createOrdersHarness('orders_routes');
});
afterAll(async () => h?.close());

describe('PUT /v1/orders/:id', () => {
  it('creates a PENDING order with the total computed from the lines, USD by default', async () => {
    const id = uniqueId();
    const { status, body } = await h.call('PUT', `/v1/orders/${id}`, { ...pricedOrder(), totalCents: 1 });
    expect(status).toBe(201);
    const order = Order.parse(body);
    expect(order).toMatchObject({
      id,
      status: 'PENDING',
      failureReason: null,
      totalCents: 3000,
      currency: 'USD',
      steps: [],
    });
    expect((await h.call('GET', `/v1/orders/${id}`)).body).toEqual(order);
  });

  it('keeps the time the order was accepted when the caller gives it', async () => {
    const createdAt = '2026-01-02T03:04:05.678Z';
    const { status, body } = await h.call('PUT', `/v1/orders/${uniqueId()}`, pricedOrder({ createdAt }));
    expect(status).toBe(201);
    expect(body).toMatchObject({ createdAt, updatedAt: createdAt });
    const refused = await h.call('PUT', `/v1/orders/${uniqueId()}`, pricedOrder({ createdAt: 'yesterday' }));
    expect(refused.status).toBe(400);
  });

  it('stores unpriced lines with a null total', async () => {
    const items = [{ productId: 'p_9', name: null, quantity: 3, unitPriceCents: null }];
    const { status, body } = await h.call('PUT', `/v1/orders/${uniqueId()}`, pricedOrder({ items }));
    expect(status).toBe(201);
    expect(body).toMatchObject({ items, totalCents: null });
  });

  it('returns 200 for the same content and 409 ORDER_CONFLICT for different content', async () => {
    const id = uniqueId();
    const steps = [{ name: 'priceItems', status: 'completed' as const, at: new Date().toISOString() }];
    expect((await h.call('PUT', `/v1/orders/${id}`, pricedOrder({ steps }))).status).toBe(201);
    const again = await h.call('PUT', `/v1/orders/${id}`, pricedOrder());
    expect(again.status).toBe(200);
    expect(again.body.steps).toEqual(steps);
    for (const change of [
      { customerId: 'cus_2' },
      { paymentMethod: 'tok_mastercard' },
      { workflowId: 'wf_2' },
      { currency: 'EUR' },
    ]) {
      const conflict = await h.call('PUT', `/v1/orders/${id}`, pricedOrder(change));
      expect(conflict.status).toBe(409);
      expect(conflict.body.code).toBe('ORDER_CONFLICT');
    }
    const otherQuantity = pricedOrder({
      items: [{ productId: 'p_1', name: 'Mug', quantity: 3, unitPriceCents: 1250 }],
    });
    expect((await h.call('PUT', `/v1/orders/${id}`, otherQuantity)).body.code).toBe('ORDER_CONFLICT');
  });

  it('fills in the prices of an order recorded unpriced, and refuses to change them afterwards', async () => {
    const id = uniqueId();
    const unpriced = pricedOrder({
      items: [
        { productId: 'p_1', name: null, quantity: 2, unitPriceCents: null },
        { productId: 'p_2', name: null, quantity: 1, unitPriceCents: null },
      ],
    });
    expect((await h.call('PUT', `/v1/orders/${id}`, unpriced)).body).toMatchObject({ totalCents: null });
    const steps = [{ name: 'priceItems', status: 'completed' as const, at: new Date().toISOString() }];
    const priced = await h.call('PUT', `/v1/orders/${id}`, pricedOrder({ steps }));
    expect(priced.status).toBe(200);
    expect(priced.body).toMatchObject({
      totalCents: 3000,
      steps,
      items: [
        { name: 'Mug', unitPriceCents: 1250 },
        { name: 'Tea', unitPriceCents: 500 },
      ],
    });
    // A late unpriced create (the gateway losing the race with the saga) leaves the prices alone.
    expect((await h.call('PUT', `/v1/orders/${id}`, unpriced)).body).toMatchObject({ totalCents: 3000 });
    const repriced = pricedOrder({
      items: [
        { productId: 'p_1', name: 'Mug', quantity: 2, unitPriceCents: 1 },
        { productId: 'p_2', name: 'Tea', quantity: 1, unitPriceCents: 500 },
      ],
    });
    expect((await h.call('PUT', `/v1/orders/${id}`, repriced)).body.code).toBe('ORDER_CONFLICT');
  });

  it('never rewrites a final order: pricing a CANCELLED unpriced order is refused (409 ORDER_CONFLICT)', async () => {
    const id = uniqueId();
    const unpriced = pricedOrder({
      items: [
        { productId: 'p_1', name: null, quantity: 2, unitPriceCents: null },
        { productId: 'p_2', name: null, quantity: 1, unitPriceCents: null },
      ],
    });
    expect((await h.call('PUT', `/v1/orders/${id}`, unpriced)).status).toBe(201);
    expect((await h.call('POST', `/v1/orders/${id}/transitions`, { to: 'CANCELLED' })).status).toBe(200);
    const late = await h.call('PUT', `/v1/orders/${id}`, pricedOrder());
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('ORDER_CONFLICT');
    expect((await h.call('GET', `/v1/orders/${id}`)).body).toMatchObject({ status: 'CANCELLED', totalCents: null });
  });

  it('creates exactly once under concurrent duplicates', async () => {
    const id = uniqueId();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => h.call('PUT', `/v1/orders/${id}`, pricedOrder())),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(19);
    const history = await h.sql`select * from order_status_history where order_id = ${id}`;
    expect(history).toHaveLength(1);
  });

  it.each([
    ['missing customerId', { ...pricedOrder(), customerId: undefined }],
    ['no items', pricedOrder({ items: [] })],
    ['quantity 0', pricedOrder({ items: [{ productId: 'p', name: 'x', quantity: 0, unitPriceCents: 1 }] })],
    ['negative price', pricedOrder({ items: [{ productId: 'p', name: 'x', quantity: 1, unitPriceCents: -1 }] })],
    ['bad currency', pricedOrder({ currency: 'usd' })],
  ])('rejects %s with 400 VALIDATION_FAILED', async (_label, body) => {
    const { status, body: problem } = await h.call('PUT', `/v1/orders/${uniqueId()}`, body);
    expect(status).toBe(400);
    expect(problem.code).toBe('VALIDATION_FAILED');
    expect(problem.errors.length).toBeGreaterThan(0);
  });

  it('rejects malformed JSON with 400', async () => {
    const { status, body } = await h.call('PUT', `/v1/orders/${uniqueId()}`, '{nope');
    expect(status).toBe(400);
    expect(body.code).toBe('MALFORMED_JSON');
  });
});

describe('auth and lookups', () => {
  it('refuses /v1 without the service token', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token-wrong-token']) {
      const headers: Record<string, string> = authorization ? { authorization } : {};
      const response = await h.app.request(`/v1/orders/${uniqueId()}`, { headers });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ code: 'UNAUTHORIZED' });
    }
    expect((await h.app.request('/healthz')).status).toBe(200);
  });

  it('answers readiness from the database', async () => {
    const response = await h.app.request('/readyz');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ checks: { postgres: 'up' } });
  });

  it('returns 404 NOT_FOUND for an unknown order', async () => {
    const { status, body } = await h.call('GET', `/v1/orders/${uniqueId()}`);
    expect(status).toBe(404);
    expect(body.code).toBe('NOT_FOUND');
  });

  it('replaces steps with PUT /steps', async () => {
    const id = uniqueId();
    await h.call('PUT', `/v1/orders/${id}`, pricedOrder());
    const steps = [{ name: 'reserveInventory', status: 'completed', at: new Date().toISOString() }];
    const { status, body } = await h.call('PUT', `/v1/orders/${id}/steps`, { steps });
    expect(status).toBe(200);
    expect(body.steps).toEqual(steps);
    expect((await h.call('PUT', `/v1/orders/${id}/steps`, { steps: [{ name: '', status: 'x' }] })).status).toBe(400);
    expect((await h.call('PUT', `/v1/orders/${uniqueId()}/steps`, { steps })).status).toBe(404);
  });
});

describe('GET /v1/orders', () => {
  it('pages newest first, filtered by customer, with an opaque cursor', async () => {
    const customerId = uniqueId('cus');
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const id = uniqueId();
      ids.push(id);
      await h.call('PUT', `/v1/orders/${id}`, pricedOrder({ customerId }));
    }
    await h.call('PUT', `/v1/orders/${uniqueId()}`, pricedOrder({ customerId: `${customerId}_other` }));
    // Same created_at for two orders: the id tiebreak must keep pages disjoint and complete.
    await h.sql`update orders set created_at = (select created_at from orders where id = ${ids[3]!}) where id = ${ids[4]!}`;
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `/v1/orders?customerId=${customerId}&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const { status, body } = await h.call('GET', query);
      expect(status).toBe(200);
      expect(body.items.length).toBeLessThanOrEqual(3);
      seen.push(...body.items.map((o: Order) => o.id));
      cursor = body.nextCursor;
    } while (cursor);
    const expected = (
      await h.sql`select id from orders where customer_id = ${customerId} order by created_at desc, id desc`
    ).map((r) => r.id);
    expect(seen).toEqual(expected);
    expect(new Set(seen)).toEqual(new Set(ids));
    expect(seen[0]).toBe(ids[6]);
  });

  it('defaults the limit to 20 and validates limit and cursor', async () => {
    for (let i = 0; i < 21; i++)
      await h.call('PUT', `/v1/orders/${uniqueId()}`, pricedOrder({ customerId: 'cus_many' }));
    const page = await h.call('GET', '/v1/orders?customerId=cus_many');
    expect(page.body.items).toHaveLength(20);
    expect(page.body.nextCursor).toEqual(expect.any(String));
    expect((await h.call('GET', '/v1/orders?limit=0')).status).toBe(400);
    expect((await h.call('GET', '/v1/orders?limit=101')).status).toBe(400);
    expect((await h.call('GET', '/v1/orders?cursor=garbage')).status).toBe(400);
  });
});
