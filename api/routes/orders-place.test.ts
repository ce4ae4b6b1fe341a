import { describe, expect, it } from 'vitest';
import type { Order } from '../../contracts/orders.js';
import { buildGateway, jsonRequest, readBody } from '../test-support/gateway.js';
import { sampleOrder as body, useGatewayFixtures } from '../test-support/fixtures.js';

const fx = useGatewayFixtures();

describe('POST /api/orders', () => {
  it('starts the saga and answers 202 with a PENDING order and Location', async () => {
    const gw = buildGateway(fx.services, fx.issuer, { ORDER_CANCEL_WINDOW_MS: 1234 });
    const res = await fx.place(gw.app, 'alice', body, { 'x-request-id': 'req-place-1' });
    expect(res.status).toBe(202);
    const order = (await readBody(res)) as Order;
    expect(res.headers.get('location')).toBe(`/api/orders/${order.id}`);
    expect(order).toEqual({
      id: expect.stringMatching(/^ord_[0-9a-f]{32}$/),
      customerId: 'u_alice',
      status: 'PENDING',
      failureReason: null,
      items: [
        { productId: 'p_1', name: null, quantity: 2, unitPriceCents: null },
        { productId: 'p_2', name: null, quantity: 1, unitPriceCents: null },
      ],
      totalCents: null,
      currency: 'USD',
      paymentMethod: 'tok_visa',
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      workflowId: order.id,
      steps: [],
    });
    const run = gw.temporal.runs.get(order.id)!;
    expect(run.input).toEqual({
      orderId: order.id,
      customerId: 'u_alice',
      items: body.items,
      paymentMethod: 'tok_visa',
      currency: 'USD',
      cancelWindowMs: 1234,
      requestId: 'req-place-1',
      requestHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      createdAt: order.createdAt,
    });
    expect(run.memo).toMatchObject({
      requestHash: run.input.requestHash,
      nonce: expect.any(String),
      customerId: 'u_alice',
    });
    expect(run.summary).toBe(`Order ${order.id} — 3 items`);
  });

  it('gives every request without Idempotency-Key a new order', async () => {
    const gw = buildGateway(fx.services, fx.issuer);
    const a = await readBody(await fx.place(gw.app, 'alice'));
    const b = await readBody(await fx.place(gw.app, 'alice'));
    expect(a.id).not.toBe(b.id);
    expect(gw.temporal.runs.size).toBe(2);
  });

  it('same key + same body → the same order (202 then 200), one workflow; other body → 422; other customer → own order', async () => {
    const gw = buildGateway(fx.services, fx.issuer);
    const key = { 'idempotency-key': 'checkout-42' };
    const first = await fx.place(gw.app, 'alice', body, key);
    expect(first.status).toBe(202);
    const { id } = await readBody(first);
    const reordered = { ...body, items: [...body.items].reverse() };
    const again = await fx.place(gw.app, 'alice', reordered, key);
    expect(again.status).toBe(200);
    expect(await readBody(again)).toMatchObject({ id, status: 'PENDING', customerId: 'u_alice' });
    expect(gw.temporal.runs.size).toBe(1);

    const changed = await fx.place(gw.app, 'alice', { ...body, paymentMethod: 'tok_mastercard' }, key);
    expect(changed.status).toBe(422);
    expect(await readBody(changed)).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });

    const bobs = await fx.place(gw.app, 'bob', body, key);
    expect(bobs.status).toBe(202);
    expect((await readBody(bobs)).id).not.toBe(id);
    // The id is derived, not remembered: a fresh gateway maps the same key to the same order.
    const other = buildGateway(fx.services, fx.issuer);
    expect((await readBody(await fx.place(other.app, 'alice', body, key))).id).toBe(id);
  });

  it('a keyed placement that creates the saga asks Temporal only to start it; a racing duplicate is told apart by the memo', async () => {
    const gw = buildGateway(fx.services, fx.issuer);
    const key = { 'idempotency-key': 'race-1' };
    const first = await fx.place(gw.app, 'alice', body, key);
    expect(first.status).toBe(202);
    expect(gw.temporal.described).toEqual([]);
    const racing = await Promise.all([
      fx.place(gw.app, 'alice', body, { 'idempotency-key': 'race-2' }),
      fx.place(gw.app, 'alice', body, { 'idempotency-key': 'race-2' }),
    ]);
    expect(racing.map((res) => res.status).sort()).toEqual([200, 202]);
    const [a, b] = await Promise.all(racing.map(readBody));
    expect(a.id).toBe(b.id);
    expect(gw.temporal.runs.size).toBe(2);
  });

  it('an existing workflow that already closed still counts as the order', async () => {
    const gw = buildGateway(fx.services, fx.issuer);
    const key = { 'idempotency-key': 'closed-1' };
    const { id } = await readBody(await fx.place(gw.app, 'alice', body, key));
    const run = gw.temporal.runs.get(id)!;
    run.running = false;
    run.state = { ...run.state, status: 'CONFIRMED', totalCents: 500 };
    gw.advance(2_000); // past the wait for a first pushed state: the gateway asks the saga
    const again = await fx.place(gw.app, 'alice', body, key);
    expect(again.status).toBe(200);
    expect(await readBody(again)).toMatchObject({ id, status: 'CONFIRMED', totalCents: 500 });
  });

  it('a key reused after its workflow is gone (retention) answers from the order record: no new saga', async () => {
    const gw = buildGateway(fx.services, fx.issuer);
    const key = { 'idempotency-key': 'retained-1' };
    const { id } = await readBody(await fx.place(gw.app, 'alice', body, key));
    fx.services.orders.set(id, { ...fx.services.orders.get(id)!, status: 'CONFIRMED', totalCents: 500 });
    gw.temporal.runs.delete(id);
    const again = await fx.place(gw.app, 'alice', body, key);
    expect(again.status).toBe(200);
    expect(await readBody(again)).toMatchObject({ id, status: 'CONFIRMED', totalCents: 500 });
    const changed = await fx.place(gw.app, 'alice', { ...body, paymentMethod: 'tok_mastercard' }, key);
    expect(changed.status).toBe(422);
    expect(await readBody(changed)).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(gw.temporal.starts).toHaveLength(1);
    expect(gw.temporal.runs.has(id)).toBe(false);
  });

  it.each([
    ['no token', 401, undefined, body],
    ['missing items', 400, 'alice', { paymentMethod: 'tok_visa' }],
    ['empty items', 400, 'alice', { items: [], paymentMethod: 'tok_visa' }],
    [
      '51 lines',
      400,
      'alice',
      {
        items: Array.from({ length: 51 }, (_, i) => ({ productId: `p_${i}`, quantity: 1 })),
        paymentMethod: 'tok_visa',
      },
    ],
    ['quantity 0', 400, 'alice', { items: [{ productId: 'p_1', quantity: 0 }], paymentMethod: 'tok_visa' }],
    ['quantity 1001', 400, 'alice', { items: [{ productId: 'p_1', quantity: 1001 }], paymentMethod: 'tok_visa' }],
    ['fractional quantity', 400, 'alice', { items: [{ productId: 'p_1', quantity: 1.5 }], paymentMethod: 'tok_visa' }],
    ['quantity as string', 400, 'alice', { items: [{ productId: 'p_1', quantity: '2' }], paymentMethod: 'tok_visa' }],
    [
      'duplicate productId',
      400,
      'alice',
      {
        items: [
          { productId: 'p_1', quantity: 1 },
          { productId: 'p_1', quantity: 2 },
        ],
        paymentMethod: 'tok_visa',
      },
    ],
    [
      'operator object',
      400,
      'alice',
      { items: [{ productId: { $ne: null }, quantity: 1 }], paymentMethod: 'tok_visa' },
    ],
    ['missing paymentMethod', 400, 'alice', { items: [{ productId: 'p_1', quantity: 1 }] }],
  ])('%s → %i before anything starts', async (_name, status, who, payload) => {
    const gw = buildGateway(fx.services, fx.issuer);
    const res = await gw.app.request('/api/orders', jsonRequest('POST', payload, who ? fx.auth[who] : {}));
    expect(res.status).toBe(status);
    const problem = await readBody(res);
    if (status === 400)
      expect(problem).toMatchObject({
        code: 'VALIDATION_FAILED',
        errors: expect.arrayContaining([expect.objectContaining({ path: expect.any(String) })]),
      });
    expect(gw.temporal.starts).toHaveLength(0);
  });

  it('records the order at once, so it is listed from the moment it is accepted', async () => {
    const gw = buildGateway(fx.services, fx.issuer);
    const { id } = await readBody(await fx.place(gw.app, 'bob'));
    const list = await readBody(await gw.app.request('/api/orders', { headers: fx.auth.bob }));
    expect(list.items.map((o: { id: string }) => o.id)).toContain(id);
    expect(fx.services.orders.get(id)).toMatchObject({ status: 'PENDING', totalCents: null, workflowId: id });
  });

  it('ignores prices the client sends: the saga prices from the catalog', async () => {
    const gw = buildGateway(fx.services, fx.issuer);
    const payload = {
      items: [{ productId: 'p_1', quantity: 1, unitPriceCents: 1 }],
      paymentMethod: 'tok_visa',
      totalCents: 1,
    };
    expect((await fx.place(gw.app, 'alice', payload)).status).toBe(202);
    expect(gw.temporal.starts.at(-1)?.items).toEqual([{ productId: 'p_1', quantity: 1 }]);
  });

  it('reads a body sent without a media type as JSON', async () => {
    const gw = buildGateway(fx.services, fx.issuer);
    const res = await gw.app.request('/api/orders', {
      method: 'POST',
      headers: fx.auth.alice,
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(202);
  });

  it.each([
    [0, 400],
    [256, 400],
    [255, 202],
    [1, 202],
  ])('an Idempotency-Key of %i characters → %i', async (length, status) => {
    const gw = buildGateway(fx.services, fx.issuer);
    expect((await fx.place(gw.app, 'alice', body, { 'idempotency-key': 'k'.repeat(length) })).status).toBe(status);
  });

  it('limits orders per customer per minute with 429 + Retry-After; 0 turns it off', async () => {
    const gw = buildGateway(fx.services, fx.issuer, { RATE_LIMIT_ORDERS_PER_MIN: 2 });
    expect((await fx.place(gw.app, 'alice')).status).toBe(202);
    gw.advance(20_000);
    expect((await fx.place(gw.app, 'alice')).status).toBe(202);
    gw.advance(10_000);
    const refused = await fx.place(gw.app, 'alice');
    expect(refused.status).toBe(429);
    expect(await readBody(refused)).toMatchObject({ code: 'RATE_LIMITED' });
    expect(refused.headers.get('retry-after')).toBe('30'); // when the first leaves the minute
    expect((await fx.place(gw.app, 'bob')).status).toBe(202);
    gw.advance(29_000);
    expect((await fx.place(gw.app, 'alice')).status).toBe(429);
    gw.advance(1_000);
    expect((await fx.place(gw.app, 'alice')).status).toBe(202);
    const open = buildGateway(fx.services, fx.issuer, { RATE_LIMIT_ORDERS_PER_MIN: 0 });
    for (let i = 0; i < 70; i++) expect((await fx.place(open.app, 'alice')).status).toBe(202);
  });

  it('answers a replayed Idempotency-Key with its order even past the order limit (a replay places nothing)', async () => {
    const gw = buildGateway(fx.services, fx.issuer, { RATE_LIMIT_ORDERS_PER_MIN: 1 });
    const first = await fx.place(gw.app, 'alice', body, { 'idempotency-key': 'replay-me' });
    expect(first.status).toBe(202);
    const { id } = (await readBody(first)) as Order;
    for (let i = 0; i < 3; i++) {
      const again = await fx.place(gw.app, 'alice', body, { 'idempotency-key': 'replay-me' });
      expect([200, 202]).toContain(again.status);
      expect(((await readBody(again)) as Order).id).toBe(id);
    }
    expect((await fx.place(gw.app, 'alice', body, { 'idempotency-key': 'a-new-one' })).status).toBe(429);
  });

  it('answers 503 when Temporal is unreachable', async () => {
    const gw = buildGateway(fx.services, fx.issuer);
    gw.temporal.setTemporalDown(true);
    const res = await fx.place(gw.app, 'alice');
    expect(res.status).toBe(503);
    expect(await readBody(res)).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
  });
});
