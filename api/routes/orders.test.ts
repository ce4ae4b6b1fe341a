import { describe, expect, it } from 'vitest';
import type { Order } from '../../contracts/orders.js';
import { buildGateway, readBody } from '../test-support/gateway.js';
import { useGatewayFixtures } from '../test-support/fixtures.js';

const fx = useGatewayFixtures();

describe('GET /api/orders/:id and /api/orders', () => {
  it('shows a customer only their own orders (404 otherwise); admins see all', async () => {
    const gw = buildGateway(fx.services, fx.issuer);
    const { id } = await readBody(await fx.place(gw.app, 'alice'));
    expect((await fx.getOrder(gw.app, 'alice', id)).status).toBe(200);
    const foreign = await fx.getOrder(gw.app, 'bob', id);
    expect(foreign.status).toBe(404);
    expect(await readBody(foreign)).toMatchObject({ code: 'NOT_FOUND' });
    expect((await fx.getOrder(gw.app, 'root', id)).status).toBe(200);
    expect((await fx.getOrder(gw.app, 'alice', 'ord_doesnotexist')).status).toBe(404);
    expect((await gw.app.request(`/api/orders/${id}`)).status).toBe(401);
  });

  it('merges the live saga state into a PENDING record, and falls back to the record when the query fails', async () => {
    const gw = buildGateway(fx.services, fx.issuer);
    const { id } = await readBody(await fx.place(gw.app, 'alice'));
    const record: Order = {
      id,
      customerId: 'u_alice',
      status: 'PENDING',
      failureReason: null,
      currency: 'USD',
      paymentMethod: 'tok_visa',
      items: [{ productId: 'p_1', name: 'Mug', quantity: 2, unitPriceCents: 100 }],
      totalCents: 200,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:01.000Z',
      workflowId: id,
      steps: [],
    };
    fx.services.orders.set(id, record);
    const run = gw.temporal.runs.get(id)!;
    run.state = {
      ...run.state,
      status: 'FAILED',
      failureReason: 'PAYMENT_DECLINED',
      steps: [{ name: 'authorizePayment', status: 'failed', at: 'now' }],
    };
    gw.advance(2_000); // past the wait for a first pushed state: the gateway asks the saga
    expect(await readBody(await fx.getOrder(gw.app, 'alice', id))).toMatchObject({
      status: 'FAILED',
      failureReason: 'PAYMENT_DECLINED',
      totalCents: 200,
      steps: [{ name: 'authorizePayment' }],
    });
    gw.temporal.setQueryFails(true);
    expect(await readBody(await fx.getOrder(gw.app, 'alice', id))).toEqual(record);
    expect((await fx.getOrder(gw.app, 'bob', id)).status).toBe(404);
  });

  it("lists the caller's orders from the orders service", async () => {
    const gw = buildGateway(fx.services, fx.issuer);
    const base = {
      failureReason: null,
      currency: 'USD',
      paymentMethod: 'tok_visa',
      items: [],
      totalCents: 1,
      createdAt: 'x',
      updatedAt: 'x',
      steps: [],
    };
    fx.services.orders.set('ord_l1', {
      ...base,
      id: 'ord_l1',
      workflowId: 'ord_l1',
      customerId: 'u_bob',
      status: 'CONFIRMED',
    });
    fx.services.orders.set('ord_l2', {
      ...base,
      id: 'ord_l2',
      workflowId: 'ord_l2',
      customerId: 'u_bob',
      status: 'FAILED',
      failureReason: 'OUT_OF_STOCK',
    });
    const res = await gw.app.request('/api/orders?limit=10', { headers: fx.auth.bob });
    expect(res.status).toBe(200);
    expect((await readBody(res)).items.map((o: Order) => o.id)).toEqual(['ord_l2', 'ord_l1']);
    expect(fx.services.seen.at(-1)).toMatchObject({ method: 'GET', path: '/v1/orders' });
    expect((await gw.app.request('/api/orders?limit=0', { headers: fx.auth.bob })).status).toBe(400);
    expect((await gw.app.request('/api/orders')).status).toBe(401);
  });
});

describe('POST /api/orders/:id/cancel', () => {
  it('cancels a pending order (200), then refuses with 409 NOT_CANCELLABLE', async () => {
    const gw = buildGateway(fx.services, fx.issuer);
    const { id } = await readBody(await fx.place(gw.app, 'alice'));
    expect((await fx.cancel(gw.app, 'bob', id)).status).toBe(404);
    const ok = await fx.cancel(gw.app, 'alice', id);
    expect(ok.status).toBe(200);
    expect(await readBody(ok)).toMatchObject({ id, status: 'CANCELLED' });
    const again = await fx.cancel(gw.app, 'alice', id);
    expect(again.status).toBe(409);
    expect(await readBody(again)).toMatchObject({ code: 'NOT_CANCELLABLE' });
  });

  it('409 when the order record is past its point of no return or final', async () => {
    const gw = buildGateway(fx.services, fx.issuer);
    const { id } = await readBody(await fx.place(gw.app, 'alice'));
    fx.services.pastPointOfNoReturn.add(id);
    const refused = await fx.cancel(gw.app, 'alice', id);
    expect(refused.status).toBe(409);
    expect(await readBody(refused)).toMatchObject({ code: 'NOT_CANCELLABLE' });
    expect(gw.temporal.runs.get(id)!.state.status).toBe('PENDING');
    const { id: confirmed } = await readBody(await fx.place(gw.app, 'alice'));
    fx.services.orders.set(confirmed, {
      id: confirmed,
      customerId: 'u_alice',
      status: 'CONFIRMED',
      failureReason: null,
      currency: 'USD',
      paymentMethod: 'tok_visa',
      items: [],
      totalCents: 5,
      createdAt: 'x',
      updatedAt: 'x',
      workflowId: confirmed,
      steps: [],
    });
    expect((await fx.cancel(gw.app, 'alice', confirmed)).status).toBe(409);
    expect(gw.temporal.runs.get(confirmed)!.running).toBe(true);
  });
});
