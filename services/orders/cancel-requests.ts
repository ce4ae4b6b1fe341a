import { and, eq, isNull, sql } from 'drizzle-orm';
import type { FailureReason, Order } from '../../contracts/orders.js';
import { ErrorCode } from '../../contracts/problem.js';
import { notFound, ProblemError } from '../../lib/problem.js';
import { toOrder } from './order-mapping.js';
import { orders } from './schema.js';
import type { OrdersDb } from './store.js';

export interface CancelRequests {
  /** Records a customer's cancel; 409 NOT_CANCELLABLE once the order is final or its outcome decided. */
  request(id: string): Promise<Order>;
  /** The saga asks to pass its point of no return: refused (`passed: false`) once a cancel is recorded. */
  passPointOfNoReturn(id: string): Promise<{ passed: boolean }>;
  /** The saga met a refusal and would fail the order: refused (`decided: false`) once a cancel is recorded. */
  decideFailure(id: string, reason: FailureReason): Promise<{ decided: boolean }>;
}

const notCancellable = (id: string, why: string) =>
  new ProblemError(409, ErrorCode.NOT_CANCELLABLE, `Order ${id} cannot be cancelled: ${why}`);

/**
 * The race between a cancel and the saga's own decision (capture, or a refusal), decided by the order
 * row: each side sets its column with one conditional UPDATE that requires the other's to be empty, so
 * exactly one wins and the gateway, the saga and the reconciler read the same answer. Repeating the
 * winning call is accepted.
 */
export function createCancelRequests(db: OrdersDb): CancelRequests {
  const current = async (id: string) => {
    const [row] = await db.select().from(orders).where(eq(orders.id, id));
    if (!row) throw notFound(`Order ${id} not found`);
    return row;
  };
  return {
    async request(id) {
      const [row] = await db
        .update(orders)
        .set({ cancelRequestedAt: sql`coalesce(${orders.cancelRequestedAt}, now())`, updatedAt: sql`now()` })
        .where(
          and(
            eq(orders.id, id),
            eq(orders.status, 'PENDING'),
            isNull(orders.pointOfNoReturnAt),
            isNull(orders.decidedFailureReason),
          ),
        )
        .returning();
      if (row) return toOrder(row);
      const order = await current(id);
      if (order.status !== 'PENDING') throw notCancellable(id, `it is already ${order.status}`);
      if (order.decidedFailureReason)
        throw notCancellable(id, `its outcome is decided (${order.decidedFailureReason})`);
      throw notCancellable(id, 'it is past the point of no return');
    },

    async passPointOfNoReturn(id) {
      const [row] = await db
        .update(orders)
        .set({ pointOfNoReturnAt: sql`coalesce(${orders.pointOfNoReturnAt}, now())` })
        .where(and(eq(orders.id, id), eq(orders.status, 'PENDING'), isNull(orders.cancelRequestedAt)))
        .returning({ id: orders.id });
      if (row) return { passed: true };
      // A retried call after the order was confirmed: it had passed.
      return { passed: (await current(id)).pointOfNoReturnAt !== null };
    },

    async decideFailure(id, reason) {
      const [row] = await db
        .update(orders)
        .set({ decidedFailureReason: sql`coalesce(${orders.decidedFailureReason}, ${reason})` })
        .where(and(eq(orders.id, id), eq(orders.status, 'PENDING'), isNull(orders.cancelRequestedAt)))
        .returning({ id: orders.id });
      if (row) return { decided: true };
      const order = await current(id);
      // A retried call after the order was finalized FAILED: it had been decided.
      return { decided: order.decidedFailureReason !== null || order.status === 'FAILED' };
    },
  };
}
