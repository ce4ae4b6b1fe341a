import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Payment } from '../../contracts/orders.js';
import {
  createOrdersHarness,
  pricedOrder,
  probeProvider,
  uniqueId,
  type OrdersHarness,
  type ProbedProvider,
} from './test-support/harness.js';

let h: OrdersHarness;
let provider: ProbedProvider;
beforeAll(async () => {
  provider = probeProvider();
  h = await createOrdersHarness('orders_payments', provider);
});
afterAll(async () => h?.close());

async function newOrder(overrides = {}): Promise<string> {
  const id = uniqueId();
  expect((await h.call('PUT', `/v1/orders/${id}`, pricedOrder(overrides))).status).toBe(201);
  return id;
}

const authorize = (orderId: string, key: string, body: Record<string, unknown> = {}) =>
  h.call(
    'POST',
    '/v1/payments/authorize',
    { orderId, amountCents: 3000, paymentMethod: 'tok_visa', ...body },
    { 'idempotency-key': key },
  );
const settle = (orderId: string, operation: 'capture' | 'void' | 'refund', key: string) =>
  h.call('POST', `/v1/payments/${orderId}/${operation}`, undefined, { 'idempotency-key': key });
const snapshot = () => ({ ...provider.calls });

describe('authorize', () => {
  it.each(['tok_visa', 'tok_mastercard'])('%s is authorized', async (paymentMethod) => {
    const id = await newOrder();
    const { status, body } = await authorize(id, 'k1', { paymentMethod });
    expect(status).toBe(200);
    expect(Payment.parse(body)).toMatchObject({
      orderId: id,
      status: 'authorized',
      amountCents: 3000,
      currency: 'USD',
      declineCode: null,
    });
    expect((await h.call('GET', `/v1/payments/${id}`)).body).toEqual(body);
  });

  it.each([
    ['tok_chargeDeclined', 'card_declined'],
    ['tok_chargeDeclinedInsufficientFunds', 'insufficient_funds'],
    ['tok_unknown', 'invalid_payment_method'],
  ])('%s → 422 PAYMENT_DECLINED %s, stored as declined and replayed', async (paymentMethod, declineCode) => {
    const id = await newOrder();
    const before = snapshot();
    const first = await authorize(id, 'k1', { paymentMethod });
    expect(first.status).toBe(422);
    expect(first.body).toMatchObject({ code: 'PAYMENT_DECLINED', declineCode });
    expect((await h.call('GET', `/v1/payments/${id}`)).body).toMatchObject({ status: 'declined', declineCode });
    const replay = await authorize(id, 'k1', { paymentMethod });
    expect(replay).toEqual(first);
    expect(provider.calls.authorize - before.authorize).toBe(1);
    expect((await authorize(id, 'k2', { paymentMethod: 'tok_visa' })).body.code).toBe('PAYMENT_CONFLICT');
  });

  it('provider outage → 503 PAYMENT_PROVIDER_UNAVAILABLE, left pending, then success on retry', async () => {
    const id = await newOrder();
    provider.failNext('authorize', 1);
    const outage = await authorize(id, 'k1');
    expect(outage.status).toBe(503);
    expect(outage.body.code).toBe('PAYMENT_PROVIDER_UNAVAILABLE');
    expect((await h.call('GET', `/v1/payments/${id}`)).body.status).toBe('pending');
    expect((await authorize(id, 'another-key')).body.code).toBe('PAYMENT_CONFLICT');
    const retry = await authorize(id, 'k1');
    expect(retry.status).toBe(200);
    expect(retry.body.status).toBe('authorized');
  });

  it('refuses a wrong amount or currency (409 AMOUNT_MISMATCH), an unknown order (404), an unpriced order', async () => {
    const id = await newOrder();
    expect((await authorize(id, 'k1', { amountCents: 2999 })).body.code).toBe('AMOUNT_MISMATCH');
    expect((await authorize(id, 'k2', { currency: 'EUR' })).body.code).toBe('AMOUNT_MISMATCH');
    expect((await authorize(uniqueId(), 'k3')).status).toBe(404);
    const unpriced = await newOrder({ items: [{ productId: 'p', name: null, quantity: 1, unitPriceCents: null }] });
    expect((await authorize(unpriced, 'k4')).status).toBe(409);
    expect((await h.call('GET', `/v1/payments/${id}`)).status).toBe(404);
  });

  it('same key with another body → 409 PAYMENT_CONFLICT; another key → 409 (one payment per order)', async () => {
    const id = await newOrder();
    expect((await authorize(id, 'k1')).status).toBe(200);
    expect((await authorize(id, 'k1', { paymentMethod: 'tok_mastercard' })).body.code).toBe('PAYMENT_CONFLICT');
    expect((await authorize(id, 'k2')).body.code).toBe('PAYMENT_CONFLICT');
  });

  it('concurrent duplicates reach the provider once and all get the same payment', async () => {
    const id = await newOrder();
    const before = snapshot();
    const results = await Promise.all(Array.from({ length: 10 }, () => authorize(id, 'same-key')));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(provider.calls.authorize - before.authorize).toBe(1);
  });

  it('is refused once the order is final', async () => {
    const id = await newOrder();
    await h.call('POST', `/v1/orders/${id}/transitions`, { to: 'CANCELLED' });
    expect((await authorize(id, 'k1')).body.code).toBe('PAYMENT_CONFLICT');
  });

  it('requires the Idempotency-Key header and a valid body', async () => {
    const id = await newOrder();
    const missing = await h.call('POST', '/v1/payments/authorize', {
      orderId: id,
      amountCents: 3000,
      paymentMethod: 'tok_visa',
    });
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0].path).toBe('Idempotency-Key');
    expect((await authorize(id, 'x'.repeat(256))).status).toBe(400);
    expect((await authorize(id, 'k1', { amountCents: -1 })).status).toBe(400);
    expect((await settle(id, 'capture', '')).status).toBe(400);
  });
});

describe('capture, void, refund', () => {
  it('captures once: a repeat with the same key replays, another key is refused', async () => {
    const id = await newOrder();
    await authorize(id, 'a');
    const before = snapshot();
    const captured = await settle(id, 'capture', 'c1');
    expect(captured.status).toBe(200);
    expect(captured.body.status).toBe('captured');
    expect(await settle(id, 'capture', 'c1')).toEqual(captured);
    const second = await settle(id, 'capture', 'c2');
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('PAYMENT_CONFLICT');
    expect(provider.calls.capture - before.capture).toBe(1);
  });

  it('concurrent captures under different keys: exactly one succeeds, one provider call', async () => {
    const id = await newOrder();
    await authorize(id, 'a');
    const before = snapshot();
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => settle(id, 'capture', `c${i}`)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(9);
    expect(provider.calls.capture - before.capture).toBe(1);
  });

  it('voids after authorize; a repeated void is safe; capture after void is refused', async () => {
    const id = await newOrder();
    await authorize(id, 'a');
    const voided = await settle(id, 'void', 'v1');
    expect(voided.body.status).toBe('voided');
    expect((await settle(id, 'void', 'v2')).body).toEqual(voided.body);
    expect((await settle(id, 'capture', 'c1')).body.code).toBe('PAYMENT_CONFLICT');
    expect((await settle(id, 'refund', 'r1')).body.code).toBe('PAYMENT_CONFLICT');
  });

  it('refunds after capture; void of a captured payment is refused; repeated refund is safe', async () => {
    const id = await newOrder();
    await authorize(id, 'a');
    await settle(id, 'capture', 'c');
    expect((await settle(id, 'void', 'v')).body.code).toBe('PAYMENT_CONFLICT');
    expect((await settle(id, 'refund', 'r1')).body.status).toBe('refunded');
    expect((await settle(id, 'refund', 'r2')).body.status).toBe('refunded');
  });

  it('void and refund of a declined payment return it (200); refund of no payment → 404', async () => {
    const declined = await newOrder();
    await authorize(declined, 'a', { paymentMethod: 'tok_chargeDeclined' });
    for (const operation of ['void', 'refund'] as const) {
      expect((await settle(declined, operation, operation)).body).toMatchObject({ status: 'declined' });
    }
    expect((await settle(await newOrder(), 'refund', 'r')).status).toBe(404);
  });

  it('void before any authorization leaves a tombstone: a late authorize is refused, the provider never asked', async () => {
    const id = await newOrder();
    const voided = await settle(id, 'void', 'v');
    expect(voided.status).toBe(200);
    expect(voided.body).toMatchObject({ status: 'voided', orderId: id });
    const before = snapshot();
    const late = await authorize(id, 'late');
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('PAYMENT_CONFLICT');
    expect(provider.calls.authorize - before.authorize).toBe(0);
    expect((await h.call('GET', `/v1/payments/${id}`)).body.status).toBe('voided');
  });

  it('void racing an authorize in flight never leaves a live authorization', async () => {
    for (let round = 0; round < 5; round++) {
      const id = await newOrder();
      const authorizing = authorize(id, 'a');
      await new Promise((resolve) => setTimeout(resolve, round * 5));
      const voided = await settle(id, 'void', 'v');
      await authorizing;
      expect(voided.body.status).toBe('voided');
      expect((await h.call('GET', `/v1/payments/${id}`)).body.status).toBe('voided');
    }
  });

  it('provider outage on capture → 503, then the retry captures', async () => {
    const id = await newOrder();
    await authorize(id, 'a');
    provider.failNext('capture', 2);
    expect((await settle(id, 'capture', 'c')).status).toBe(503);
    expect((await settle(id, 'capture', 'c')).status).toBe(503);
    expect((await h.call('GET', `/v1/payments/${id}`)).body.status).toBe('authorized');
    expect((await settle(id, 'capture', 'c')).body.status).toBe('captured');
  });

  it('keeps order invariants: no capture once final, no refund of a confirmed order', async () => {
    const cancelled = await newOrder();
    await authorize(cancelled, 'a');
    await h.call('POST', `/v1/orders/${cancelled}/transitions`, { to: 'CANCELLED' });
    expect((await settle(cancelled, 'capture', 'c')).body.code).toBe('PAYMENT_CONFLICT');
    expect((await settle(cancelled, 'void', 'v')).body.status).toBe('voided');

    const confirmed = await newOrder();
    await authorize(confirmed, 'a');
    await settle(confirmed, 'capture', 'c');
    expect((await h.call('POST', `/v1/orders/${confirmed}/transitions`, { to: 'CONFIRMED' })).status).toBe(200);
    expect((await settle(confirmed, 'refund', 'r')).body.code).toBe('PAYMENT_CONFLICT');
    expect((await h.call('GET', `/v1/payments/${confirmed}`)).body.status).toBe('captured');
  });

  it('GET /v1/payments/:orderId → 404 when there is none', async () => {
    expect((await h.call('GET', `/v1/payments/${uniqueId()}`)).body.code).toBe('NOT_FOUND');
  });
});
