import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Order } from '../../contracts/orders.js';
import { buildGateway, jsonRequest, readBody } from '../test-support/gateway.js';
import { startFakeServices, type FakeServices } from '../test-support/fake-services.js';
import { createTokenIssuer, type TokenIssuer } from '../test-support/tokens.js';

let services: FakeServices;
let issuer: TokenIssuer;
const auth: Record<string, Record<string, string>> = {};
beforeAll(async () => {
  [services, issuer] = await Promise.all([startFakeServices(), createTokenIssuer()]);
  for (const [name, role] of [['alice', 'customer'], ['bob', 'customer'], ['root', 'admin']] as const) {
    auth[name] = { authorization: `Bearer ${await issuer.sign(`u_${name}`, { role })}` };
  }
});
afterAll(async () => {
  await Promise.all([services.close(), issuer.close()]);
});

const body = { items: [{ productId: 'p_1', quantity: 2 }, { productId: 'p_2', quantity: 1 }], paymentMethod: 'tok_visa' };
type App = ReturnType<typeof buildGateway>['app'];
const place = (app: App, who: string, payload: unknown = body, headers: Record<string, string> = {}) =>
  app.request('/api/orders', jsonRequest('POST', payload, { ...auth[who], ...headers }));
const getOrder = (app: App, who: string, id: string) => app.request(`/api/orders/${id}`, { headers: auth[who] });
const cancel = (app: App, who: string, id: string) => app.request(`/api/orders/${id}/cancel`, { method: 'POST', headers: auth[who] });

describe('GET /api/orders/:id and /api/orders', () => {
  it('shows a customer only their own orders (404 otherwise); admins see all', async () => {
    const gw = buildGateway(services, issuer);
    const { id } = await readBody(await place(gw.app, 'alice'));
    expect((await getOrder(gw.app, 'alice', id)).status).toBe(200);
    const foreign = await getOrder(gw.app, 'bob', id);
    expect(foreign.status).toBe(404);
    expect(await readBody(foreign)).toMatchObject({ code: 'NOT_FOUND' });
    expect((await getOrder(gw.app, 'root', id)).status).toBe(200);
    expect((await getOrder(gw.app, 'alice', 'ord_doesnotexist')).status).toBe(404);
    expect((await gw.app.request(`/api/orders/${id}`)).status).toBe(401);
  });

  it('merges the live saga state into a PENDING record, and falls back to the record when the query fails', async () => {
    const gw = buildGateway(services, issuer);
    const { id } = await readBody(await place(gw.app, 'alice'));
    const record: Order = {
      id, customerId: 'u_alice', status: 'PENDING', failureReason: null, currency: 'USD', paymentMethod: 'tok_visa',
      items: [{ productId: 'p_1', name: 'Mug', quantity: 2, unitPriceCents: 100 }], totalCents: 200,
      createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:01.000Z', workflowId: id, steps: [],
    };
    services.orders.set(id, record);
    const run = gw.temporal.runs.get(id)!;
    run.state = { ...run.state, status: 'FAILED', failureReason: 'PAYMENT_DECLINED', steps: [{ name: 'authorizePayment', status: 'failed', at: 'now' }] };
    expect(await readBody(await getOrder(gw.app, 'alice', id))).toMatchObject({ status: 'FAILED', failureReason: 'PAYMENT_DECLINED', totalCents: 200, steps: [{ name: 'authorizePayment' }] });
    gw.temporal.setQueryFails(true);
    expect(await readBody(await getOrder(gw.app, 'alice', id))).toEqual(record);
    expect((await getOrder(gw.app, 'bob', id)).status).toBe(404);
  });

  it("lists the caller's orders from the orders service", async () => {
    const gw = buildGateway(services, issuer);
    const base = { failureReason: null, currency: 'USD', paymentMethod: 'tok_visa', items: [], totalCents: 1, createdAt: 'x', updatedAt: 'x', steps: [] };
    services.orders.set('ord_l1', { ...base, id: 'ord_l1', workflowId: 'ord_l1', customerId: 'u_bob', status: 'CONFIRMED' });
    services.orders.set('ord_l2', { ...base, id: 'ord_l2', workflowId: 'ord_l2', customerId: 'u_bob', status: 'FAILED', failureReason: 'OUT_OF_STOCK' });
    const res = await gw.app.request('/api/orders?limit=10', { headers: auth.bob });
    expect(res.status).toBe(200);
    expect((await readBody(res)).items.map((o: Order) => o.id)).toEqual(['ord_l2', 'ord_l1']);
    expect(services.seen.at(-1)).toMatchObject({ method: 'GET', path: '/v1/orders' });
    expect((await gw.app.request('/api/orders?limit=0', { headers: auth.bob })).status).toBe(400);
    expect((await gw.app.request('/api/orders')).status).toBe(401);
  });
});

describe('POST /api/orders/:id/cancel', () => {
  it('cancels a pending order (200), then refuses with 409 NOT_CANCELLABLE', async () => {
    const gw = buildGateway(services, issuer);
    const { id } = await readBody(await place(gw.app, 'alice'));
    expect((await cancel(gw.app, 'bob', id)).status).toBe(404);
    const ok = await cancel(gw.app, 'alice', id);
    expect(ok.status).toBe(200);
    expect(await readBody(ok)).toMatchObject({ id, status: 'CANCELLED' });
    const again = await cancel(gw.app, 'alice', id);
    expect(again.status).toBe(409);
    expect(await readBody(again)).toMatchObject({ code: 'NOT_CANCELLABLE' });
  });

  it('409 when the saga refuses (past the cancellation window) or the record is final', async () => {
    const gw = buildGateway(services, issuer);
    const { id } = await readBody(await place(gw.app, 'alice'));
    const run = gw.temporal.runs.get(id)!;
    run.state = { ...run.state, cancellable: false };
    expect((await cancel(gw.app, 'alice', id)).status).toBe(409);
    const { id: confirmed } = await readBody(await place(gw.app, 'alice'));
    services.orders.set(confirmed, {
      id: confirmed, customerId: 'u_alice', status: 'CONFIRMED', failureReason: null, currency: 'USD', paymentMethod: 'tok_visa',
      items: [], totalCents: 5, createdAt: 'x', updatedAt: 'x', workflowId: confirmed, steps: [],
    });
    expect((await cancel(gw.app, 'alice', confirmed)).status).toBe(409);
    expect(gw.temporal.runs.get(confirmed)!.running).toBe(true);
  });
});
