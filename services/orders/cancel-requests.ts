import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Order } from '../../contracts/orders.js';
import { ErrorCode } from '../../contracts/problem.js';
import { notFound, ProblemError } from '../../lib/problem.js';
import { toOrder } from './order-mapping.js';
import { orders } from './schema.js';
import type { OrdersDb } from './store.js';

export interface CancelRequests {
  /** Records a customer's cancel; 409 NOT_CANCELLABLE once the order is final or past its point of no return. */
  request(id: string): Promise<Order>;
  /** The saga asks to pass its point of no return: refused (`passed: false`) once a cancel is recorded. */
  passPointOfNoReturn(id: string): Promise<{ passed: boolean }>;
}

const notCancellable = (id: string, why: string) =>
  new ProblemError(409, ErrorCode.NOT_CANCELLABLE, `Order ${id} cannot be cancelled: ${why}`);

/**
 * The race between a cancel and capture, decided by the order row: each side sets its column with one
 * conditional UPDATE that requires the other's to be empty, so exactly one wins and both the gateway
 * and the saga read the same answer. Repeating the winning call is accepted.
 */
export function createCancelRequests(db: OrdersDb): CancelRequests {
  return {
    async request(id) {
      const [row] = await db
        .update(orders)
        .set({ cancelRequestedAt: sql`coalesce(${orders.cancelRequestedAt}, now())`, updatedAt: sql`now()` })
        .where(and(eq(orders.id, id), eq(orders.status, 'PENDING'), isNull(orders.pointOfNoReturnAt)))
        .returning();
      if (row) return toOrder(row);
      const [current] = await db.select().from(orders).where(eq(orders.id, id));
      if (!current) throw notFound(`Order ${id} not found`);
      if (current.status !== 'PENDING') throw notCancellable(id, `it is already ${current.status}`);
      throw notCancellable(id, 'it is past the point of no return');
    },

    async passPointOfNoReturn(id) {
      const [row] = await db
        .update(orders)
        .set({ pointOfNoReturnAt: sql`coalesce(${orders.pointOfNoReturnAt}, now())` })
        .where(and(eq(orders.id, id), eq(orders.status, 'PENDING'), isNull(orders.cancelRequestedAt)))
        .returning({ id: orders.id });
      if (row) return { passed: true };
      const [current] = await db
        .select({ status: orders.status, pointOfNoReturnAt: orders.pointOfNoReturnAt })
        .from(orders)
        .where(eq(orders.id, id));
      if (!current) throw notFound(`Order ${id} not found`);
      // A retried call after the order was confirmed: it had passed.
      return { passed: current.pointOfNoReturnAt !== null };
    },
  };
}
