import { drizzle } from 'drizzle-orm/postgres-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrderEvent } from '../../contracts/events.js';
import type { OutboxMessage } from '../../lib/outbox-relay.js';
import { preparedStatements } from '../../lib/pg.js';
import { createOrderOutboxStore } from './outbox.js';
import { createOrdersHarness, pricedOrder, uniqueId, type OrdersHarness } from './test-support/harness.js';

let h: OrdersHarness;
beforeAll(async () => {
  h = await createOrdersHarness('orders_outbox');
});
afterAll(async () => h?.close());

const eventsOf = async (id: string) =>
  (await h.sql`select type, payload, sent_at from outbox where order_id = ${id} order by seq`).map((row) => ({
    type: row.type as string,
    event: OrderEvent.parse(row.payload),
    sent: row.sent_at !== null,
  }));

async function newOrder(): Promise<string> {
  const id = uniqueId();
  expect((await h.call('PUT', `/v1/orders/${id}`, pricedOrder())).status).toBe(201);
  return id;
}

describe('transactional outbox of the orders service', () => {
  it('writes order.placed once when the order is recorded, however often the create is repeated', async () => {
    const id = await newOrder();
    expect((await h.call('PUT', `/v1/orders/${id}`, pricedOrder())).status).toBe(200);
    const events = await eventsOf(id);
    expect(events.map((e) => e.type)).toEqual(['order.placed']);
    expect(events[0]!.event).toMatchObject({ version: 1, orderId: id, data: { status: 'PENDING', totalCents: 3000 } });
  });

  it('writes exactly one final event, also when the transition is repeated or raced', async () => {
    const id = await newOrder();
    const race = await Promise.all([
      h.call('POST', `/v1/orders/${id}/transitions`, { to: 'FAILED', failureReason: 'OUT_OF_STOCK' }),
      h.call('POST', `/v1/orders/${id}/transitions`, { to: 'CANCELLED' }),
      h.call('POST', `/v1/orders/${id}/transitions`, { to: 'CANCELLED' }),
    ]);
    expect(race.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(1);
    const events = await eventsOf(id);
    expect(events.map((e) => e.type)).toHaveLength(2);
    const final = events[1]!.event;
    const { body: order } = await h.call('GET', `/v1/orders/${id}`);
    expect(final.type).toBe(order.status === 'FAILED' ? 'order.failed' : 'order.cancelled');
    expect(final.data).toMatchObject({ status: order.status, failureReason: order.failureReason });
  });

  it('writes no event when the state change is refused (the transaction rolls back)', async () => {
    const id = await newOrder();
    expect((await h.call('POST', `/v1/orders/${id}/transitions`, { to: 'CONFIRMED' })).status).toBe(409);
    expect((await eventsOf(id)).map((e) => e.type)).toEqual(['order.placed']);
  });

  it('relays the oldest unsent event of each order first and marks only what was confirmed', async () => {
    const store = createOrderOutboxStore(drizzle(preparedStatements(h.sql)));
    const drain = async (confirm: (rows: OutboxMessage[]) => string[]) => {
      const seen: OutboxMessage[] = [];
      await store.relayBatch(1000, async (rows) => {
        seen.push(...rows);
        return confirm(rows);
      });
      return seen;
    };
    while ((await drain((rows) => rows.map((r) => r.id))).length > 0); // earlier tests' events
    const id = await newOrder();
    await h.call('POST', `/v1/orders/${id}/transitions`, { to: 'CANCELLED' });
    const first = await drain(() => []);
    expect(first.map((r) => r.routingKey)).toEqual(['order.placed']); // the final waits for its predecessor
    expect((await drain((rows) => rows.map((r) => r.id))).map((r) => r.routingKey)).toEqual(['order.placed']);
    expect((await drain((rows) => rows.map((r) => r.id))).map((r) => r.routingKey)).toEqual(['order.cancelled']);
    expect(await drain(() => [])).toEqual([]);
    expect((await eventsOf(id)).every((e) => e.sent)).toBe(true);
  });
});

describe('pruning the outbox', () => {
  it('deletes published events sent before the cutoff, oldest first, never an unsent or a recent one', async () => {
    const store = createOrderOutboxStore(drizzle(preparedStatements(h.sql)));
    const [oldest, older, recent, unsent] = [await newOrder(), await newOrder(), await newOrder(), await newOrder()];
    await h.sql`update outbox set sent_at = now() - interval '9 days' where order_id = ${oldest}`;
    await h.sql`update outbox set sent_at = now() - interval '8 days' where order_id = ${older}`;
    await h.sql`update outbox set sent_at = now() - interval '1 hour' where order_id = ${recent}`;
    await h.sql`update outbox set occurred_at = now() - interval '30 days' where order_id = ${unsent}`;
    const cutoff = new Date(Date.now() - 7 * 24 * 3_600_000);

    expect(await store.pruneSent!(cutoff, 1)).toBe(1);
    expect(await eventsOf(oldest)).toEqual([]);
    expect(await eventsOf(older)).toHaveLength(1);
    expect(await store.pruneSent!(cutoff, 1000)).toBe(1);
    expect(await store.pruneSent!(cutoff, 1000)).toBe(0);
    expect(await eventsOf(older)).toEqual([]);
    expect(await eventsOf(recent)).toHaveLength(1);
    expect(await eventsOf(unsent)).toEqual([expect.objectContaining({ type: 'order.placed', sent: false })]);
  });
});
