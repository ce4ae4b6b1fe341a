import { and, eq, sql } from 'drizzle-orm';
import type { Order, TransitionRequest } from '../../contracts/orders.js';
import { notFound } from '../../lib/problem.js';
import type { OrdersDb, OrdersTx } from './store.js';
import { illegalTransition, toOrder, type OrderRow } from './order-mapping.js';
import { appendOrderEvent } from './outbox.js';
import { orders, orderStatusHistory, payments } from './schema.js';

/**
 * PENDING → CONFIRMED | FAILED | CANCELLED as one conditional UPDATE, so racing transitions have
 * exactly one winner; the payment guards run in the same transaction, under the same row lock
 * that payment operations take, so money cannot move between the check and the commit.
 */
export async function transitionOrder(db: OrdersDb, id: string, request: TransitionRequest): Promise<Order> {
  const failureReason = request.to === 'FAILED' ? (request.failureReason ?? null) : null;
  return db.transaction(async (tx) => {
    const [updated] = await tx
      .update(orders)
      .set({
        status: request.to,
        failureReason,
        updatedAt: sql`now()`,
        ...(request.steps ? { steps: request.steps } : {}),
      })
      .where(and(eq(orders.id, id), eq(orders.status, 'PENDING')))
      .returning();
    if (!updated) return repeatOrRefuse(tx, id, request, failureReason);
    const order = toOrder(updated);
    // One round trip for the three: a refused guard rolls the inserts back with the update.
    await Promise.all([
      assertPaymentGuard(tx, updated),
      tx.insert(orderStatusHistory).values({ orderId: id, fromStatus: 'PENDING', toStatus: request.to, failureReason }),
      appendOrderEvent(tx, order),
    ]);
    return order;
  });
}

/** Repeating the transition that already happened is a safe retry; anything else is refused. */
async function repeatOrRefuse(
  tx: OrdersTx,
  id: string,
  request: TransitionRequest,
  failureReason: string | null,
): Promise<Order> {
  const [current] = await tx.select().from(orders).where(eq(orders.id, id)).for('update');
  if (!current) throw notFound(`Order ${id} not found`);
  if (current.status !== request.to || current.failureReason !== failureReason) {
    const now = current.failureReason ? `${current.status} (${current.failureReason})` : current.status;
    throw illegalTransition(`Order ${id} is ${now}; it cannot become ${request.to}`);
  }
  if (!request.steps) return toOrder(current);
  const [row] = await tx
    .update(orders)
    .set({ steps: request.steps, updatedAt: sql`now()` })
    .where(eq(orders.id, id))
    .returning();
  return toOrder(row ?? current);
}

async function assertPaymentGuard(tx: OrdersTx, order: OrderRow): Promise<void> {
  const held = await tx.select().from(payments).where(eq(payments.orderId, order.id));
  // A late answer would move money on a final order: wait for it (or void a pending one) first.
  if (held.some((p) => p.status === 'pending' || p.inFlight !== null)) {
    throw illegalTransition(`Order ${order.id} cannot become ${order.status} while a payment call is in flight`);
  }
  const captured = held.filter((p) => p.status === 'captured');
  if (order.status === 'CONFIRMED') {
    const [payment] = captured;
    if (captured.length !== 1 || !payment) {
      throw illegalTransition(`Order ${order.id} cannot be CONFIRMED: it needs exactly one captured payment`);
    }
    if (order.totalCents === null || payment.amountCents !== order.totalCents || payment.currency !== order.currency) {
      throw illegalTransition(
        `Order ${order.id} cannot be CONFIRMED: the captured payment does not equal the order total`,
      );
    }
    return;
  }

  if (captured.length > 0) {
    throw illegalTransition(
      `Order ${order.id} cannot become ${order.status} while its payment is captured: refund it first`,
    );
  }
}
