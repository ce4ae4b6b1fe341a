import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrdersHarness, pricedOrder, uniqueId, type OrdersHarness } from './test-support/harness.js';

let h: OrdersHarness;
beforeAll(async () => {
  h = await createOrdersHarness('orders_stale');
});
afterAll(async () => h?.close());

const age = (id: string, seconds: number) =>
  h.sql`update orders set created_at = now() - make_interval(secs => ${seconds}) where id = ${id}`;

async function newOrders(count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => uniqueId());
  for (const id of ids) expect((await h.call('PUT', `/v1/orders/${id}`, pricedOrder())).status).toBe(201);
  return ids;
}

/** Follows nextCursor from the first page to the last; `between` runs after the first page. */
async function wholePass(query: string, between: () => Promise<unknown> = async () => {}): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null | undefined;
  do {
    const suffix = cursor ? `&cursor=${cursor}` : '';
    const { status, body } = await h.call('GET', `/v1/stale-orders?${query}${suffix}`);
    expect(status).toBe(200);
    ids.push(...(body.items as { id: string }[]).map((o) => o.id));
    if (cursor === undefined) await between();
    cursor = body.nextCursor;
  } while (cursor);
  return ids;
}

describe('GET /v1/stale-orders', () => {
  it('lists PENDING orders older than the threshold, oldest first, never final or young ones', async () => {
    const [oldest, old, young, final] = await newOrders(4);
    await age(oldest!, 3600 * 24 * 365);
    await age(old!, 3600 * 24 * 364);
    await age(final!, 3600 * 24 * 365);
    await h.call('POST', `/v1/orders/${final}/transitions`, { to: 'CANCELLED' });

    const { status, body } = await h.call('GET', '/v1/stale-orders?olderThanSeconds=600&limit=100');
    expect(status).toBe(200);
    const ids = (body.items as { id: string }[]).map((o) => o.id);
    expect(ids.filter((id) => [oldest, old, young, final].includes(id))).toEqual([oldest, old]);
  });

  it('pages on by cursor: 100 older orders never hide a newer one', async () => {
    const blocking = await newOrders(101);
    for (const [i, id] of blocking.entries()) await age(id, 3600 * 24 * 300 - i);
    const [newer] = await newOrders(1);
    await age(newer!, 3600 * 24);

    const first = await h.call('GET', '/v1/stale-orders?olderThanSeconds=600&limit=100');
    expect(first.body.items).toHaveLength(100);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const pass = await wholePass('olderThanSeconds=600&limit=100');
    expect(pass).toEqual(expect.arrayContaining([...blocking, newer]));
    expect(new Set(pass).size).toBe(pass.length);
    expect(pass.indexOf(newer!)).toBeGreaterThan(pass.indexOf(blocking.at(-1)!));
  });

  it("keeps its first page's cutoff: a pass ends even while new orders keep arriving", async () => {
    await newOrders(3);
    const arrived: string[] = [];
    const pass = await wholePass('olderThanSeconds=0&limit=1', async () => arrived.push(...(await newOrders(2))));
    expect(pass.length).toBeGreaterThanOrEqual(3);
    expect(pass.filter((id) => arrived.includes(id))).toEqual([]);
  });

  it('answers 400 without a threshold or with a cursor it did not issue', async () => {
    expect((await h.call('GET', '/v1/stale-orders')).status).toBe(400);
    const forged = await h.call('GET', '/v1/stale-orders?olderThanSeconds=0&limit=5&cursor=bm90LWEtY3Vyc29y');
    expect(forged).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
  });
});
