import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrdersHarness, pricedOrder, uniqueId, type OrdersHarness } from './test-support/harness.js';

let h: OrdersHarness;
beforeAll(async () => {
  h = await createOrdersHarness('orders_stale');
});
afterAll(async () => h?.close());

const age = (id: string, seconds: number) =>
  h.sql`update orders set created_at = now() - make_interval(secs => ${seconds}) where id = ${id}`;

describe('GET /v1/stale-orders', () => {
  it('lists PENDING orders older than the threshold, oldest first, never final or young ones', async () => {
    const [oldest, old, young, final] = [uniqueId(), uniqueId(), uniqueId(), uniqueId()];
    for (const id of [oldest, old, young, final]) await h.call('PUT', `/v1/orders/${id}`, pricedOrder());
    await age(oldest, 3600 * 24 * 365);
    await age(old, 3600 * 24 * 364);
    await age(final, 3600 * 24 * 365);
    await h.call('POST', `/v1/orders/${final}/transitions`, { to: 'CANCELLED' });

    const { status, body } = await h.call('GET', '/v1/stale-orders?olderThanSeconds=600&limit=100');
    expect(status).toBe(200);
    const ids = (body.items as { id: string }[]).map((o) => o.id);
    expect(ids.filter((id) => [oldest, old, young, final].includes(id))).toEqual([oldest, old]);
    expect((body.items as { status: string }[]).every((o) => o.status === 'PENDING')).toBe(true);
  });

  it('answers 400 without a threshold', async () => {
    expect((await h.call('GET', '/v1/stale-orders')).status).toBe(400);
  });
});
