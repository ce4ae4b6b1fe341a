import { and, asc, eq, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { FailureReason, OrderDecisions, OrderStatus } from '../../contracts/orders.js';
import { validationProblem } from '../../lib/problem.js';
import { orders, payments } from './schema.js';
import type { OrdersDb } from './store.js';

export interface StaleOrdersQuery {
  olderThanSeconds: number;
  limit: number;
  cursor?: string | undefined;
}

export interface StaleOrdersPage {
  items: { id: string; createdAt: string }[];
  nextCursor: string | null;
}

/** The reconciler's reads: orders whose saga may be gone, and what is recorded on each. */
export interface StaleOrders {
  /** PENDING orders older than the threshold, oldest first, by keyset on (created_at, id). */
  page(query: StaleOrdersQuery): Promise<StaleOrdersPage>;
  decisions(id: string): Promise<OrderDecisions | undefined>;
}

/** Where a pass stands: after (createdAt, id), among orders created before `before` (its first page's cutoff). */
const PassCursor = z.object({ after: z.tuple([z.iso.datetime(), z.string().min(1)]), before: z.iso.datetime() });
type PassCursor = z.infer<typeof PassCursor>;

const encode = (cursor: PassCursor) => Buffer.from(JSON.stringify(cursor)).toString('base64url');

function decode(cursor: string): PassCursor {
  try {
    return PassCursor.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw validationProblem([{ path: 'cursor', message: 'invalid cursor' }]);
  }
}

export function createStaleOrders(db: OrdersDb): StaleOrders {
  return {
    async page({ olderThanSeconds, limit, cursor }) {
      const pass = cursor === undefined ? undefined : decode(cursor);
      // The partial index orders_pending_created_idx serves this range scan.
      const before = pass
        ? sql`${pass.before}::timestamptz`
        : sql`date_trunc('milliseconds', now() - make_interval(secs => ${olderThanSeconds}))`;
      const after =
        pass && sql`(${orders.createdAt}, ${orders.id}) > (${pass.after[0]}::timestamptz, ${pass.after[1]})`;
      const rows = await db
        .select({ id: orders.id, createdAt: orders.createdAt, before: sql`${before}`.mapWith(orders.createdAt) })
        .from(orders)
        .where(and(eq(orders.status, 'PENDING'), lt(orders.createdAt, before), after))
        .orderBy(asc(orders.createdAt), asc(orders.id))
        .limit(limit + 1);
      const items = rows.slice(0, limit);
      const last = items.at(-1);
      const more = rows.length > limit && last;
      return {
        items: items.map(({ id, createdAt }) => ({ id, createdAt: createdAt.toISOString() })),
        nextCursor: more
          ? encode({ after: [last.createdAt.toISOString(), last.id], before: last.before.toISOString() })
          : null,
      };
    },

    async decisions(id) {
      const [row] = await db
        .select({
          id: orders.id,
          status: orders.status,
          totalCents: orders.totalCents,
          cancelRequestedAt: orders.cancelRequestedAt,
          pointOfNoReturnAt: orders.pointOfNoReturnAt,
          decidedFailureReason: orders.decidedFailureReason,
          paymentStatus: payments.status,
        })
        .from(orders)
        .leftJoin(payments, eq(payments.orderId, orders.id))
        .where(eq(orders.id, id));
      if (!row) return undefined;
      return {
        id: row.id,
        status: row.status as OrderStatus,
        totalCents: row.totalCents,
        cancelRequested: row.cancelRequestedAt !== null,
        pointOfNoReturnPassed: row.pointOfNoReturnAt !== null,
        decidedFailureReason: row.decidedFailureReason as FailureReason | null,
        paymentStatus: row.paymentStatus as OrderDecisions['paymentStatus'],
      };
    },
  };
}
