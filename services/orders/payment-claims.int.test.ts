import { drizzle } from 'drizzle-orm/postgres-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../lib/logger.js';
import { preparedStatements } from '../../lib/pg.js';
import { createClaimExpiry, type ClaimExpiry } from './payment-claims.js';
import { createPaymentContext } from './payments.js';
import { createLedgerProvider, type LedgerProvider } from './test-support/ledger-provider.js';
import { createOrdersHarness, pricedOrder, uniqueId, type OrdersHarness } from './test-support/harness.js';

const CLAIM_TIMEOUT_MS = 30_000;
let h: OrdersHarness;
let provider: LedgerProvider;
let expiry: ClaimExpiry;
beforeAll(async () => {
  provider = createLedgerProvider();
  h = await createOrdersHarness('orders_claims', provider);
  const db = drizzle(preparedStatements(h.sql));
  const logger = createLogger('orders-test', 'silent');
  expiry = createClaimExpiry(db, createPaymentContext(db, provider), { claimTimeoutMs: CLAIM_TIMEOUT_MS, logger });
});
afterAll(async () => h?.close());

const settle = (orderId: string, operation: 'capture' | 'void', key: string) =>
  h.call('POST', `/v1/payments/${orderId}/${operation}`, undefined, { 'idempotency-key': key });
const paymentRow = async (orderId: string) =>
  (
    await h.sql`select status, provider_reference, in_flight, in_flight_key from payments where order_id = ${orderId}`
  )[0]!;

/** An order with an authorized payment; returns its id and the provider's charge reference. */
async function authorizedOrder(): Promise<{ orderId: string; reference: string }> {
  const orderId = uniqueId();
  expect((await h.call('PUT', `/v1/orders/${orderId}`, pricedOrder())).status).toBe(201);
  const body = { orderId, amountCents: 3000, paymentMethod: 'tok_visa' };
  expect((await h.call('POST', '/v1/payments/authorize', body, { 'idempotency-key': 'a' })).status).toBe(200);
  return { orderId, reference: (await paymentRow(orderId)).provider_reference as string };
}

/**
 * What claim() (payment-moves.ts) commits before it calls the provider, `ageMs` ago; the process
 * then died, so nothing else of that call reached the database.
 */
async function claimLeftByCrash(orderId: string, operation: 'capture' | 'void', key: string, ageMs = 60_000) {
  await h.sql`update payments set in_flight = ${operation}, in_flight_key = ${key},
              in_flight_at = now() - make_interval(secs => ${ageMs / 1000}) where order_id = ${orderId}`;
}

describe('expiry of in_flight claims left by a crash', () => {
  it('the provider captured before the crash: settled as captured from its replay, charged once', async () => {
    const { orderId, reference } = await authorizedOrder();
    const key = `${orderId}:capturePayment`;
    await provider.capture({ reference, amountCents: 3000, currency: 'USD', idempotencyKey: key });
    await claimLeftByCrash(orderId, 'capture', key);
    // Blocked meanwhile: another move, and the order's final transition.
    expect((await settle(orderId, 'void', 'compensation')).body.code).toBe('PAYMENT_CONFLICT');
    expect((await h.call('POST', `/v1/orders/${orderId}/transitions`, { to: 'CONFIRMED' })).status).toBe(409);

    expect(await expiry.expireStale()).toMatchObject({ completed: 1, released: 0, left: 0 });

    expect(await paymentRow(orderId)).toMatchObject({ status: 'captured', in_flight: null, in_flight_key: null });
    expect(provider.movesOf(reference)).toEqual(['capture']);
    expect(provider.received.filter((call) => call.idempotencyKey === key)).toHaveLength(2);
    // The saga's retry under its key replays the settled outcome: the provider is not asked again.
    const retry = await settle(orderId, 'capture', key);
    expect(retry).toMatchObject({ status: 200, body: { status: 'captured' } });
    expect(provider.received.filter((call) => call.idempotencyKey === key)).toHaveLength(2);
    expect((await h.call('POST', `/v1/orders/${orderId}/transitions`, { to: 'CONFIRMED' })).status).toBe(200);
  });

  it('the provider never heard of the capture: the expiry makes it, once', async () => {
    const { orderId, reference } = await authorizedOrder();
    await claimLeftByCrash(orderId, 'capture', `${orderId}:capturePayment`);
    expect(await expiry.expireStale()).toMatchObject({ completed: 1 });
    expect(await expiry.expireStale()).toMatchObject({ completed: 0, released: 0, left: 0 });
    expect((await paymentRow(orderId)).status).toBe('captured');
    expect(provider.movesOf(reference)).toEqual(['capture']);
  });

  it('leaves a young claim alone (its call may be under way), and any claim while the provider is down', async () => {
    const young = await authorizedOrder();
    await claimLeftByCrash(young.orderId, 'capture', 'young', CLAIM_TIMEOUT_MS / 2);
    const old = await authorizedOrder();
    await claimLeftByCrash(old.orderId, 'void', 'old');
    provider.down = true;
    try {
      expect(await expiry.expireStale()).toMatchObject({ completed: 0, released: 0, left: 1 });
    } finally {
      provider.down = false;
    }
    expect(await paymentRow(old.orderId)).toMatchObject({
      status: 'authorized',
      in_flight: 'void',
      in_flight_key: 'old',
    });
    expect(await expiry.expireStale()).toMatchObject({ completed: 1, left: 0 });
    expect((await paymentRow(old.orderId)).status).toBe('voided');
    expect(provider.movesOf(old.reference)).toEqual(['void']);
    expect(await paymentRow(young.orderId)).toMatchObject({ status: 'authorized', in_flight: 'capture' });
    expect(provider.movesOf(young.reference)).toEqual([]);
  });

  it('a move the provider refuses releases the claim: the payment stays as recorded, the order can end', async () => {
    const { orderId, reference } = await authorizedOrder();
    // The charge was voided at the provider (say, from its dashboard), so the claimed capture cannot happen.
    await provider.void({ reference, amountCents: 3000, currency: 'USD', idempotencyKey: 'dashboard' });
    await claimLeftByCrash(orderId, 'capture', `${orderId}:capturePayment`);
    expect(await expiry.expireStale()).toMatchObject({ completed: 0, released: 1, left: 0 });
    expect(await paymentRow(orderId)).toMatchObject({ status: 'authorized', in_flight: null });
    expect(provider.movesOf(reference)).toEqual(['void']);
    expect((await h.call('POST', `/v1/orders/${orderId}/transitions`, { to: 'CANCELLED' })).status).toBe(200);
  });
});
