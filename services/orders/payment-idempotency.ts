import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { canonicalJson } from '../../contracts/canonical-json.js';
import type { Payment } from '../../contracts/orders.js';
import { ErrorCode } from '../../contracts/problem.js';
import { ProblemError } from '../../lib/problem.js';
import { idempotencyKeys } from './schema.js';
import type { OrdersTx } from './store.js';

export type PaymentOperation = 'authorize' | 'capture' | 'void' | 'refund';

/** What a payment call answered: the payment, and whether it was a decline (422). */
export interface PaymentOutcome {
  payment: Payment;
  declined: boolean;
}

export interface IdempotentCall {
  operation: PaymentOperation;
  orderId: string;
  key: string;
  request: unknown;
}

export function requestHash(request: unknown): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}

const scopeOf = (call: IdempotentCall) =>
  and(
    eq(idempotencyKeys.operation, call.operation),
    eq(idempotencyKeys.orderId, call.orderId),
    eq(idempotencyKeys.key, call.key),
  );

/**
 * The stored outcome of (operation, order, key), if that call already completed. Callers hold the
 * order's row lock, so a duplicate arriving after the first one recorded its outcome replays it.
 */
export async function storedOutcome(tx: OrdersTx, call: IdempotentCall): Promise<PaymentOutcome | undefined> {
  const [stored] = await tx.select().from(idempotencyKeys).where(scopeOf(call));
  if (!stored) return undefined;
  if (stored.requestHash !== requestHash(call.request)) {
    throw new ProblemError(
      409,
      ErrorCode.PAYMENT_CONFLICT,
      'This Idempotency-Key was already used with a different request',
    );
  }
  return { payment: stored.responseBody as Payment, declined: stored.responseStatus === 422 };
}

/** Records a completed call's outcome (refusals are thrown, never stored). */
export async function storeOutcome(
  tx: OrdersTx,
  call: IdempotentCall,
  outcome: PaymentOutcome,
): Promise<PaymentOutcome> {
  await tx
    .insert(idempotencyKeys)
    .values({
      operation: call.operation,
      orderId: call.orderId,
      key: call.key,
      requestHash: requestHash(call.request),
      responseStatus: outcome.declined ? 422 : 200,
      responseBody: outcome.payment,
    })
    .onConflictDoNothing();
  return outcome;
}
