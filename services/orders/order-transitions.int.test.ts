import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrdersHarness, pricedOrder, uniqueId, type OrdersHarness } from './test-support/harness.js';

let h: OrdersHarness;
beforeAll(async () => {
  h = await createOrdersHarness('orders_transitions');
});
afterAll(async () => h?.close());

async function newOrder(): Promise<string> {
  const id = uniqueId();
  expect((await h.call('PUT', `/v1/orders/${id}`, pricedOrder())).status).toBe(201);
  return id;
}

async function pay(id: string, until: 'authorized' | 'captured', amountCents = 3000): Promise<void> {
  const authorize = await h.call(
    'POST',
    '/v1/payments/authorize',
    { orderId: id, amountCents, paymentMethod: 'tok_visa' },
    { 'idempotency-key': `${id}:a` },
  );
  expect(authorize.status).toBe(200);
  if (until === 'captured')
    expect((await h.call('POST', `/v1/payments/${id}/capture`, {}, { 'idempotency-key': `${id}:c` })).status).toBe(200);
}

const transition = (id: string, body: Record<string, unknown>) => h.call('POST', `/v1/orders/${id}/transitions`, body);
const history = async (id: string) =>
  (
    await h.sql`select from_status, to_status, failure_reason from order_status_history where order_id = ${id} order by id`
  ).map((r) => [r.from_status, r.to_status, r.failure_reason]);

describe('legal transitions', () => {
  it('PENDING → CONFIRMED with one captured payment equal to the total, recording history and steps', async () => {
    const id = await newOrder();
    await pay(id, 'captured');
    const steps = [{ name: 'capturePayment', status: 'completed', at: new Date().toISOString() }];
    const { status, body } = await transition(id, { to: 'CONFIRMED', steps });
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'CONFIRMED', failureReason: null, steps });
    expect(await history(id)).toEqual([
      [null, 'PENDING', null],
      ['PENDING', 'CONFIRMED', null],
    ]);
  });

  it.each(['OUT_OF_STOCK', 'PRODUCT_NOT_FOUND', 'PAYMENT_DECLINED', 'CUSTOMER_INACTIVE'])(
    'PENDING → FAILED (%s)',
    async (reason) => {
      const id = await newOrder();
      const { status, body } = await transition(id, { to: 'FAILED', failureReason: reason });
      expect(status).toBe(200);
      expect(body).toMatchObject({ status: 'FAILED', failureReason: reason });
      expect(await history(id)).toEqual([
        [null, 'PENDING', null],
        ['PENDING', 'FAILED', reason],
      ]);
    },
  );

  it('PENDING → CANCELLED, also with a voided payment', async () => {
    const id = await newOrder();
    await pay(id, 'authorized');
    expect((await h.call('POST', `/v1/payments/${id}/void`, {}, { 'idempotency-key': 'v' })).status).toBe(200);
    expect((await transition(id, { to: 'CANCELLED' })).body.status).toBe('CANCELLED');
  });

  it('repeating the same transition is a safe retry (200, one history row)', async () => {
    const id = await newOrder();
    expect((await transition(id, { to: 'FAILED', failureReason: 'OUT_OF_STOCK' })).status).toBe(200);
    const repeat = await transition(id, { to: 'FAILED', failureReason: 'OUT_OF_STOCK' });
    expect(repeat.status).toBe(200);
    expect(repeat.body.status).toBe('FAILED');
    expect(await history(id)).toHaveLength(2);
  });
});

describe('refused transitions', () => {
  it.each([
    ['CONFIRMED', { to: 'CANCELLED' }],
    ['CONFIRMED', { to: 'FAILED', failureReason: 'OUT_OF_STOCK' }],
    ['CANCELLED', { to: 'CONFIRMED' }],
    ['CANCELLED', { to: 'FAILED', failureReason: 'OUT_OF_STOCK' }],
    ['FAILED', { to: 'CANCELLED' }],
    ['FAILED', { to: 'FAILED', failureReason: 'PRODUCT_NOT_FOUND' }],
  ])('from %s: %j → 409 ILLEGAL_TRANSITION', async (from, body) => {
    const id = await newOrder();
    if (from === 'CONFIRMED') await pay(id, 'captured');
    const first = from === 'FAILED' ? { to: 'FAILED', failureReason: 'OUT_OF_STOCK' } : { to: from };
    expect((await transition(id, first)).status).toBe(200);
    const refused = await transition(id, body);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('ILLEGAL_TRANSITION');
    expect((await h.call('GET', `/v1/orders/${id}`)).body.status).toBe(from);
    expect(await history(id)).toHaveLength(2);
  });

  it('CONFIRMED needs a captured payment: none, only authorized, or a different amount are refused', async () => {
    const none = await newOrder();
    const authorized = await newOrder();
    await pay(authorized, 'authorized');
    for (const id of [none, authorized]) {
      const refused = await transition(id, { to: 'CONFIRMED' });
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({
        code: 'ILLEGAL_TRANSITION',
        detail: expect.stringMatching(/captured payment/),
      });
      expect((await h.call('GET', `/v1/orders/${id}`)).body.status).toBe('PENDING');
      expect(await history(id)).toHaveLength(1);
    }
  });

  it('CONFIRMED is refused when the captured amount differs from the total', async () => {
    const id = await newOrder();
    await pay(id, 'captured');
    // Simulates a drifted record: the guard must read the payment, not trust the caller.
    await h.sql`update payments set amount_cents = 2999 where order_id = ${id}`;
    const refused = await transition(id, { to: 'CONFIRMED' });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/does not equal the order total/);
  });

  it('FAILED and CANCELLED are refused while money is captured, allowed after the refund', async () => {
    const id = await newOrder();
    await pay(id, 'captured');
    for (const body of [{ to: 'CANCELLED' }, { to: 'FAILED', failureReason: 'OUT_OF_STOCK' }]) {
      const refused = await transition(id, body);
      expect(refused.status).toBe(409);
      expect(refused.body.detail).toMatch(/refund it first/);
    }
    expect((await h.call('POST', `/v1/payments/${id}/refund`, {}, { 'idempotency-key': 'r' })).status).toBe(200);
    expect((await transition(id, { to: 'CANCELLED' })).status).toBe(200);
  });

  it('validates the body: failureReason iff FAILED, known targets only', async () => {
    const id = await newOrder();
    for (const body of [
      { to: 'FAILED' },
      { to: 'CANCELLED', failureReason: 'OUT_OF_STOCK' },
      { to: 'PENDING' },
      { to: 'FAILED', failureReason: 'NOPE' },
    ]) {
      const { status, body: problem } = await transition(id, body);
      expect(status).toBe(400);
      expect(problem.code).toBe('VALIDATION_FAILED');
    }
    expect((await transition(uniqueId(), { to: 'CANCELLED' })).status).toBe(404);
  });
});

describe('races', () => {
  it('racing CANCELLED vs FAILED has exactly one winning transition per order', async () => {
    for (let round = 0; round < 5; round++) {
      const id = await newOrder();
      const bodies = Array.from({ length: 20 }, (_, i) =>
        i % 2 ? { to: 'CANCELLED' } : { to: 'FAILED', failureReason: 'OUT_OF_STOCK' },
      );
      const results = await Promise.all(bodies.map((body) => transition(id, body)));
      const winners = new Set(results.filter((r) => r.status === 200).map((r) => r.body.status));
      expect(winners.size).toBe(1);
      const [winner] = winners;
      results.filter((r) => r.status !== 200).forEach((r) => expect(r.body.code).toBe('ILLEGAL_TRANSITION'));
      expect(results.filter((r) => r.status === 409)).toHaveLength(10);
      expect(await history(id)).toEqual([
        [null, 'PENDING', null],
        ['PENDING', winner, winner === 'FAILED' ? 'OUT_OF_STOCK' : null],
      ]);
    }
  });

  it.each([1, 2, 3, 4, 5])('racing confirm vs refund-then-cancel: exactly one 200 (round %i)', async () => {
    const id = await newOrder();
    await pay(id, 'captured');
    const cancelAfterRefund = async () => {
      await h.call('POST', `/v1/payments/${id}/refund`, {}, { 'idempotency-key': 'race-refund' });
      return transition(id, { to: 'CANCELLED' });
    };
    const results = await Promise.all([transition(id, { to: 'CONFIRMED' }), cancelAfterRefund()]);
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    const final = (await h.call('GET', `/v1/orders/${id}`)).body.status;
    const payment = (await h.call('GET', `/v1/payments/${id}`)).body.status;
    // The invariant, whichever side won: CONFIRMED ⇔ money captured.
    expect([final, payment]).toEqual(final === 'CONFIRMED' ? ['CONFIRMED', 'captured'] : ['CANCELLED', 'refunded']);
  });
});
