import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_HELD_UNITS } from './held-units.js';
import { createOrdersHarness, pricedOrder, uniqueId, type OrdersHarness } from './test-support/harness.js';

let h: OrdersHarness;
beforeAll(async () => {
  h = await createOrdersHarness('orders_held_units');
});
afterAll(async () => h?.close());

const MAX = DEFAULT_MAX_HELD_UNITS;
const hold = (orderId: string, customerId: string, units: number) =>
  h.call('PUT', `/v1/orders/${orderId}/held-units`, { customerId, units });
/** A recorded PENDING order of `units` units of one product. */
async function pendingOrder(customerId: string, units: number, id = uniqueId()): Promise<string> {
  const items = [{ productId: 'p_1', name: 'Mug', quantity: units, unitPriceCents: 100 }];
  expect((await h.call('PUT', `/v1/orders/${id}`, pricedOrder({ customerId, items }))).status).toBe(201);
  return id;
}

describe('units held by one customer’s unconfirmed orders', () => {
  it('refuses a new order past the cap with 429 RATE_LIMITED, counting PENDING orders and claims', async () => {
    const customer = uniqueId('cus');
    const pending = await pendingOrder(customer, 60);
    expect(await hold(uniqueId(), customer, MAX - 60)).toMatchObject({
      status: 200,
      body: { heldUnits: MAX, maxUnits: MAX },
    });
    const refused = await hold(uniqueId(), customer, 1);
    expect(refused).toMatchObject({
      status: 429,
      body: { code: 'RATE_LIMITED', heldUnits: MAX, maxUnits: MAX, status: 429 },
    });
    // Another customer holds nothing yet.
    expect((await hold(uniqueId(), uniqueId('cus'), MAX)).status).toBe(200);
    // A final order holds nothing: its units are free again.
    await h.call('POST', `/v1/orders/${pending}/transitions`, { to: 'CANCELLED' });
    expect(await hold(uniqueId(), customer, 60)).toMatchObject({ status: 200, body: { heldUnits: MAX } });
  });

  it('counts an order once: a repeated claim replaces itself, and a recorded order replaces its claim', async () => {
    const customer = uniqueId('cus');
    const orderId = uniqueId();
    expect((await hold(orderId, customer, 70)).body).toEqual({ heldUnits: 70, maxUnits: MAX });
    expect((await hold(orderId, customer, 70)).body).toEqual({ heldUnits: 70, maxUnits: MAX });
    await pendingOrder(customer, 70, orderId);
    expect((await hold(uniqueId(), customer, MAX - 70)).body).toEqual({ heldUnits: MAX, maxUnits: MAX });
    expect((await hold(uniqueId(), customer, 1)).status).toBe(429);
  });

  it('lets concurrent placements of one customer claim no more than the cap together', async () => {
    const customer = uniqueId('cus');
    const answers = await Promise.all(Array.from({ length: 20 }, () => hold(uniqueId(), customer, MAX / 10)));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(10);
    expect(statuses.filter((status) => status === 429)).toHaveLength(10);
    const [row] = await h.sql`select sum(units)::int as units from held_unit_claims where customer_id = ${customer}`;
    expect(row?.units).toBe(MAX);
  });

  it('always lets a customer’s only unconfirmed order through, whatever its size', async () => {
    const customer = uniqueId('cus');
    expect((await hold(uniqueId(), customer, MAX * 5)).status).toBe(200);
    expect((await hold(uniqueId(), customer, 1)).status).toBe(429);
  });

  it('answers 400 for a claim of no units', async () => {
    expect((await hold(uniqueId(), uniqueId('cus'), 0)).status).toBe(400);
  });
});
