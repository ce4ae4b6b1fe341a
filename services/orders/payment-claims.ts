import { and, asc, isNotNull, lt, sql } from 'drizzle-orm';
import { ErrorCode } from '../../contracts/problem.js';
import type { Logger } from '../../lib/logger.js';
import { ProblemError } from '../../lib/problem.js';
import { chargeOf, complete, release, type PaymentMove } from './payment-moves.js';
import type { PaymentContext, PaymentRow } from './payment-rows.js';
import { payments } from './schema.js';
import type { OrdersDb } from './store.js';

/** A claim older than this was left by a process that died mid-call: far above the provider deadline (4 s). */
export const DEFAULT_CLAIM_TIMEOUT_MS = 60_000;

/** What became of one expired claim: the move recorded, the claim given up, or left for the next pass. */
export type ClaimSettlement = 'completed' | 'released' | 'left';
export type ClaimExpiryReport = Record<ClaimSettlement, number>;

export interface ClaimExpiry {
  /** Settles up to `limit` in_flight claims older than the claim timeout, oldest first. */
  expireStale(limit?: number): Promise<ClaimExpiryReport>;
}

export interface ClaimExpiryOptions {
  claimTimeoutMs?: number;
  logger: Logger;
}

/**
 * Expires the in_flight claims of capture/void/refund calls (payment-moves.ts) whose process died
 * between claim and answer; without it such a claim blocks every other move and the order's final
 * transition for good.
 */
export function createClaimExpiry(
  db: OrdersDb,
  context: PaymentContext,
  { claimTimeoutMs = DEFAULT_CLAIM_TIMEOUT_MS, logger }: ClaimExpiryOptions,
): ClaimExpiry {
  return {
    async expireStale(limit = 100) {
      const cutoff = sql`now() - make_interval(secs => ${claimTimeoutMs / 1000})`;
      const stale = await db
        .select()
        .from(payments)
        .where(and(isNotNull(payments.inFlight), lt(payments.inFlightAt, cutoff)))
        .orderBy(asc(payments.inFlightAt))
        .limit(limit);
      const report: ClaimExpiryReport = { completed: 0, released: 0, left: 0 };
      for (const claim of stale) {
        const settled = await settle(context, claim).catch((error: unknown) => {
          logger.warn({ err: (error as Error).message, orderId: claim.orderId }, 'payment claim not settled');
          return 'left' as const;
        });
        logger.info({ orderId: claim.orderId, operation: claim.inFlight, settled }, 'expired payment claim');
        report[settled] += 1;
      }
      return report;
    },
  };
}

/**
 * Asks the provider what became of the claimed call by repeating it under the same idempotency key:
 * a provider answers a repeat with the first call's outcome and makes the move only if the first
 * never reached it, so money moves at most once. Its answer settles the claim; an outage leaves it.
 */
async function settle(context: PaymentContext, claim: PaymentRow): Promise<ClaimSettlement> {
  const operation = claim.inFlight as PaymentMove;
  const key = claim.inFlightKey ?? '';
  try {
    await context.callProvider((provider) => provider[operation](chargeOf(claim, key)));
  } catch (error) {
    if (error instanceof ProblemError && error.code === ErrorCode.PAYMENT_PROVIDER_UNAVAILABLE) return 'left';
    // A refusal: the provider did not make this move, so the payment stays as recorded.
    await context.inOrderLock(claim.orderId, (tx) => release(tx, claim.id, key));
    return 'released';
  }
  const call = { operation, orderId: claim.orderId, key, request: {} };
  await context.inOrderLock(claim.orderId, (tx) => complete(tx, call, claim, true));
  return 'completed';
}

/** Runs an expiry pass every `everyMs` (one at a time) until stopped. */
export function startClaimExpiry(expiry: ClaimExpiry, { everyMs, logger }: { everyMs: number; logger: Logger }) {
  let timer: NodeJS.Timeout | undefined;
  let pass: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      pass = expiry
        .expireStale()
        .catch((error: unknown) => logger.warn({ err: (error as Error).message }, 'payment claim expiry failed'))
        .finally(schedule);
    }, everyMs);
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await pass;
    },
  };
}
