import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulatedProvider, type PaymentProvider } from './payment-provider.js';
import { createOrdersHarness, pricedOrder, uniqueId, type OrdersHarness } from './test-support/harness.js';

/** A provider whose calls for `held` orders (authorize) or all captures wait until released. */
function gatedProvider() {
  const inner = createSimulatedProvider();
  let open!: () => void;
  let gate = new Promise<void>((resolve) => (open = resolve));
  const held = new Set<string>();
  const voids: string[] = [];
  const provider: PaymentProvider = {
    async authorize(charge) {
      if (held.has(charge.orderId)) await gate;
      return inner.authorize(charge);
    },
    async capture(operation) {
      if (held.has('captures')) await gate;
      return inner.capture(operation);
    },
    async void(operation) {
      voids.push(operation.reference);
      return inner.void(operation);
    },
    refund: (operation) => inner.refund(operation),
  };
  const release = () => {
    open();
    gate = new Promise<void>((resolve) => (open = resolve));
  };
  return { provider, held, voids, release };
}

const POOL = 3;
let h: OrdersHarness;
let gated: ReturnType<typeof gatedProvider>;
beforeAll(async () => {
  gated = gatedProvider();
  h = await createOrdersHarness('orders_deadlines', gated.provider, { poolSize: POOL, providerTimeoutMs: 30_000 });
});
afterAll(async () => {
  gated.release();
  await h?.close();
});

async function newOrder(): Promise<string> {
  const id = uniqueId();
  expect((await h.call('PUT', `/v1/orders/${id}`, pricedOrder())).status).toBe(201);
  return id;
}
const authorize = (orderId: string, key = 'a') =>
  h.call(
    'POST',
    '/v1/payments/authorize',
    { orderId, amountCents: 3000, paymentMethod: 'tok_visa' },
    { 'idempotency-key': key },
  );
const settle = (orderId: string, operation: 'capture' | 'void', key: string) =>
  h.call('POST', `/v1/payments/${orderId}/${operation}`, undefined, { 'idempotency-key': key });

/** Which settles first: `work`, or the held provider calls (released after a safety delay). */
async function beforeRelease(work: Promise<unknown>): Promise<'work' | 'provider'> {
  const safety = setTimeout(() => gated.release(), 5_000);
  const first = await Promise.race([work.then(() => 'work' as const), new Promise<'provider'>(() => {})]);
  clearTimeout(safety);
  return first;
}

describe('a slow payment provider', () => {
  it('holds no pool connection: more stalled calls than connections, and other orders still proceed', async () => {
    const stalledAuthorize = await Promise.all(Array.from({ length: POOL }, () => newOrder()));
    const toCapture = await Promise.all(Array.from({ length: POOL }, () => newOrder()));
    for (const id of toCapture) expect((await authorize(id)).status).toBe(200);
    stalledAuthorize.forEach((id) => gated.held.add(id));
    gated.held.add('captures');
    const stalled = [
      ...stalledAuthorize.map((id) => authorize(id)),
      ...toCapture.map((id) => settle(id, 'capture', 'c')),
    ];
    let settledEarly = false;
    void Promise.race(stalled).then(() => (settledEarly = true));
    await new Promise((resolve) => setTimeout(resolve, 100));

    const otherOrders = (async () => {
      for (let i = 0; i < 3; i++) {
        const id = await newOrder();
        expect((await authorize(id)).body.status).toBe('authorized');
        expect((await h.call('GET', `/v1/orders/${id}`)).status).toBe(200);
      }
    })();
    expect(await beforeRelease(otherOrders)).toBe('work');
    expect(settledEarly).toBe(false);
    gated.release();
    const answers = await Promise.all(stalled);
    expect(answers.map((a) => a.body.status)).toEqual([
      ...Array(POOL).fill('authorized'),
      ...Array(POOL).fill('captured'),
    ]);
    gated.held.clear();
  });

  it("holds no row lock: the order's void answers while its authorize waits, and the late approval is voided", async () => {
    const id = await newOrder();
    gated.held.add(id);
    const authorizing = authorize(id);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const voiding = settle(id, 'void', 'v');
    expect(await beforeRelease(voiding)).toBe('work');
    expect((await voiding).body.status).toBe('voided');
    gated.release();
    const late = await authorizing;
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('PAYMENT_CONFLICT');
    expect(gated.voids.filter((reference) => reference.startsWith('sim_'))).toHaveLength(1);
    expect((await h.call('GET', `/v1/payments/${id}`)).body.status).toBe('voided');
  });
});

describe('server-side deadline', () => {
  let fast: OrdersHarness;
  const silent = gatedProvider();
  beforeAll(async () => {
    fast = await createOrdersHarness('orders_deadline_short', silent.provider, { providerTimeoutMs: 200 });
  });
  afterAll(async () => {
    silent.release();
    await fast?.close();
  });

  it('answers 503 when the provider outlives the deadline; the retry with the same key resumes', async () => {
    const id = uniqueId();
    expect((await fast.call('PUT', `/v1/orders/${id}`, pricedOrder())).status).toBe(201);
    silent.held.add(id);
    const body = { orderId: id, amountCents: 3000, paymentMethod: 'tok_visa' };
    const first = await fast.call('POST', '/v1/payments/authorize', body, { 'idempotency-key': 'k' });
    expect(first.status).toBe(503);
    expect(first.body.code).toBe('PAYMENT_PROVIDER_UNAVAILABLE');
    expect((await fast.call('POST', `/v1/orders/${id}/transitions`, { to: 'CANCELLED' })).status).toBe(409);
    silent.held.delete(id);
    const retry = await fast.call('POST', '/v1/payments/authorize', body, { 'idempotency-key': 'k' });
    expect(retry.status).toBe(200);
    expect(retry.body.status).toBe('authorized');
  });
});
