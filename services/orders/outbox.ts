import { randomUUID } from 'node:crypto';
import { inArray, sql } from 'drizzle-orm';
import { eventTypeForStatus, OrderEvent, ORDER_EVENT_VERSION } from '../../contracts/events.js';
import type { Order } from '../../contracts/orders.js';
import type { OutboxMessage, OutboxStore } from '../../lib/outbox-relay.js';
import type { OrdersDb, OrdersTx } from './store.js';
import { outbox } from './schema.js';

/** pg_try_advisory_xact_lock key: one relay at a time publishes, so order per order holds across replicas. */
const RELAY_LOCK_KEY = 7103;

/** The event announcing the order's current status (placed, or its final status), as the contract shapes it. */
function orderEventOf(order: Order, id: string = randomUUID(), occurredAt = new Date()): OrderEvent {
  return OrderEvent.parse({
    id,
    type: eventTypeForStatus(order.status),
    version: ORDER_EVENT_VERSION,
    occurredAt: occurredAt.toISOString(),
    orderId: order.id,
    customerId: order.customerId,
    data: {
      status: order.status,
      failureReason: order.failureReason,
      totalCents: order.totalCents,
      currency: order.currency,
      items: order.items,
    },
  });
}

/** Writes the event in the caller's transaction: it commits (and is later published) exactly when the change does. */
export async function appendOrderEvent(tx: OrdersTx, order: Order): Promise<OrderEvent> {
  const event = orderEventOf(order);
  await tx.insert(outbox).values({
    id: event.id,
    orderId: event.orderId,
    type: event.type,
    payload: event,
    occurredAt: new Date(event.occurredAt),
  });
  return event;
}

interface HeadRow extends Record<string, unknown> {
  id: string;
  type: string;
  payload: unknown;
  occurred_at: Date | string;
}

export function createOrderOutboxStore(db: OrdersDb): OutboxStore {
  return {
    relayBatch: (limit, publish) =>
      db.transaction(async (tx) => {
        const [lock] = await tx.execute<{ locked: boolean }>(
          sql`select pg_try_advisory_xact_lock(${RELAY_LOCK_KEY}) as locked`,
        );
        if (!lock?.locked) return undefined;
        const heads = await tx.execute<HeadRow>(sql`
          select id, type, payload, occurred_at from (
            select distinct on (order_id) seq, id, type, payload, occurred_at
            from outbox where sent_at is null order by order_id, seq
          ) heads order by seq limit ${limit}`);
        if (heads.length === 0) return 0;
        const rows: OutboxMessage[] = heads.map((row) => ({
          id: row.id,
          routingKey: row.type,
          payload: row.payload,
          occurredAt: new Date(row.occurred_at),
        }));
        const confirmed = await publish(rows);
        if (confirmed.length > 0) {
          await tx
            .update(outbox)
            .set({ sentAt: sql`now()` })
            .where(inArray(outbox.id, confirmed));
        }
        return rows.length;
      }),
    pruneSent: async (sentBefore, limit) => {
      const deleted = await db.execute(sql`
        delete from outbox where seq in (
          select seq from outbox where sent_at is not null and sent_at < ${sentBefore.toISOString()}::timestamptz order by sent_at limit ${limit}
        ) returning seq`);
      return deleted.length;
    },
  };
}
