import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { CreateOrderRequest, Order, Step, TransitionRequest } from '../../contracts/orders.js';
import { ErrorCode } from '../../contracts/problem.js';
import { notFound, ProblemError } from '../../lib/problem.js';
import type { OrdersDb } from './store.js';
import {
  compareContent,
  computeTotalCents,
  decodeCursor,
  encodeCursor,
  normalizeItems,
  toOrder,
} from './order-mapping.js';
import { transitionOrder } from './order-transitions.js';
import { appendOrderEvent } from './outbox.js';
import { orders, orderStatusHistory } from './schema.js';

/** The order is created and last updated when it was accepted, if the caller says when; else now. */
const acceptedAt = (createdAt: string | undefined) =>
  createdAt ? { createdAt: new Date(createdAt), updatedAt: new Date(createdAt) } : { createdAt: undefined };

export interface ListOrdersOptions {
  customerId?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

export interface OrderPage {
  items: Order[];
  nextCursor: string | null;
}

export interface Orders {
  /** Idempotent create: `created` is false when the same order already existed. */
  create(id: string, request: CreateOrderRequest): Promise<{ order: Order; created: boolean }>;
  get(id: string): Promise<Order | undefined>;
  list(options: ListOrdersOptions): Promise<OrderPage>;
  transition(id: string, request: TransitionRequest): Promise<Order>;
  setSteps(id: string, steps: Step[]): Promise<Order>;
}

/** `onEvent` runs after a commit that may have written an outbox event (it wakes the relay). */
export function createOrders(db: OrdersDb, onEvent: () => void = () => {}): Orders {
  return {
    async create(id, request) {
      const items = normalizeItems(request.items);
      const totalCents = computeTotalCents(items);
      const result = await db.transaction(async (tx) => {
        const [inserted] = await tx
          .insert(orders)
          .values({ id, ...request, ...acceptedAt(request.createdAt), items, totalCents })
          .onConflictDoNothing({ target: orders.id })
          .returning();
        if (inserted) {
          const order = toOrder(inserted);
          // Issued together, the two inserts travel in one write and cost one round trip.
          await Promise.all([
            tx.insert(orderStatusHistory).values({ orderId: id, fromStatus: null, toStatus: 'PENDING' }),
            appendOrderEvent(tx, order),
          ]);
          return { order, created: true };
        }
        // A concurrent insert of the same id has committed by now: ON CONFLICT waited for it.
        const [existing] = await tx.select().from(orders).where(eq(orders.id, id)).for('update');
        if (!existing) throw new Error(`order ${id} conflicted on insert but cannot be read`);
        const match = compareContent(existing, request);
        if (match === 'conflict') {
          throw new ProblemError(409, ErrorCode.ORDER_CONFLICT, `Order ${id} already exists with different content`);
        }
        if (match === 'same') return { order: toOrder(existing), created: false };
        // No path rewrites a final order: a saga restarted after retention must not reprice it.
        if (existing.status !== 'PENDING') {
          throw new ProblemError(
            409,
            ErrorCode.ORDER_CONFLICT,
            `Order ${id} is ${existing.status}; it cannot be repriced`,
          );
        }
        const steps = request.steps.length > 0 ? request.steps : existing.steps;
        const [priced] = await tx
          .update(orders)
          .set({ items, totalCents, steps, updatedAt: sql`now()` })
          .where(eq(orders.id, id))
          .returning();
        return { order: toOrder(priced!), created: false };
      });
      if (result.created) onEvent();
      return result;
    },

    async get(id) {
      const [row] = await db.select().from(orders).where(eq(orders.id, id));
      return row ? toOrder(row) : undefined;
    },

    async list({ customerId, limit, cursor }) {
      const conditions: SQL[] = [];
      if (customerId !== undefined) conditions.push(eq(orders.customerId, customerId));
      if (cursor !== undefined) {
        const after = decodeCursor(cursor);
        conditions.push(sql`(${orders.createdAt}, ${orders.id}) < (${after.createdAt}::timestamptz, ${after.id})`);
      }
      const rows = await db
        .select()
        .from(orders)
        .where(and(...conditions))
        .orderBy(desc(orders.createdAt), desc(orders.id))
        .limit(limit + 1);
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return { items: page.map(toOrder), nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
    },

    async transition(id, request) {
      const order = await transitionOrder(db, id, request);
      onEvent();
      return order;
    },

    async setSteps(id, steps) {
      const [row] = await db
        .update(orders)
        .set({ steps, updatedAt: sql`now()` })
        .where(eq(orders.id, id))
        .returning();
      if (!row) throw notFound(`Order ${id} not found`);
      return toOrder(row);
    },
  };
}
