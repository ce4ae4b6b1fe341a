import { sql } from 'drizzle-orm';
import type { HeldUnits, HoldUnitsRequest } from '../../contracts/orders.js';
import { ErrorCode } from '../../contracts/problem.js';
import { ProblemError } from '../../lib/problem.js';
import { heldUnitClaims } from './schema.js';
import type { OrdersDb } from './store.js';

/** A customer's PENDING orders may hold this many units together unless configured otherwise. */
export const DEFAULT_MAX_HELD_UNITS = 1000;
/** How long a refused customer is told to wait: about one saga to its end. */
const RETRY_AFTER_SECONDS = 5;
/** A claim whose order was never recorded (its saga did not start) stops counting after this. */
const CLAIM_TTL_SECONDS = 60;

export interface HeldUnitsLimit {
  holdUnits(orderId: string, request: HoldUnitsRequest): Promise<HeldUnits>;
}

// A 429 like the contract's other limits (clients already wait and retry on it), not a new status.
const limitReached = (heldUnits: number, units: number, maxUnits: number) =>
  new ProblemError(
    429,
    ErrorCode.RATE_LIMITED,
    `Your unconfirmed orders already hold ${heldUnits} units; with ${units} more they would pass the limit of ${maxUnits}. Wait until they are final or cancel one.`,
    { heldUnits, maxUnits, retryAfterSeconds: RETRY_AFTER_SECONDS },
  );

/**
 * Bounds the stock one customer's unconfirmed orders can tie up: the units of its PENDING orders plus
 * the claims of orders about to start, counted and claimed under a per-customer transaction lock, so
 * concurrent placements see each other. An order's own earlier claim or record is not counted twice.
 */
export function createHeldUnitsLimit(db: OrdersDb, maxUnits = DEFAULT_MAX_HELD_UNITS): HeldUnitsLimit {
  return {
    holdUnits: (orderId, { customerId, units }) =>
      db.transaction(async (tx) => {
        // Issued together, the three travel in one write; PostgreSQL runs them in order, the lock first.
        const [, , counted] = await Promise.all([
          tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`held-units:${customerId}`}, 0))`),
          // Claims of recorded orders (counted as orders now) and of orders that never started are done.
          tx.execute(sql`
            delete from held_unit_claims c where c.customer_id = ${customerId}
              and (c.claimed_at < now() - make_interval(secs => ${CLAIM_TTL_SECONDS})
                or exists (select 1 from orders o where o.id = c.order_id))`),
          tx.execute<{ held: number }>(sql`
            select (
              select coalesce(sum((line ->> 'quantity')::int), 0) from orders o, jsonb_array_elements(o.items) line
              where o.customer_id = ${customerId} and o.status = 'PENDING' and o.id <> ${orderId}
            ) + (
              select coalesce(sum(units), 0) from held_unit_claims
              where customer_id = ${customerId} and order_id <> ${orderId}
            ) as held`),
        ]);
        const [row] = counted;
        const held = Number(row?.held ?? 0);
        // A customer's only unconfirmed order always passes: one order is bounded by its own size (and stock).
        if (held > 0 && held + units > maxUnits) throw limitReached(held, units, maxUnits);
        await tx
          .insert(heldUnitClaims)
          .values({ orderId, customerId, units })
          .onConflictDoUpdate({ target: heldUnitClaims.orderId, set: { customerId, units, claimedAt: sql`now()` } });
        return { heldUnits: held + units, maxUnits };
      }),
  };
}
