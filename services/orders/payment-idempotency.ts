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

/**
 * Replays the stored outcome of (operation, order, key), or performs the call and stores its
 * outcome in the same transaction. Callers hold the order's row lock, so concurrent duplicates
 * wait here and replay instead of reaching the provider again. Refusals (thrown) are not stored.
 */
export async function runIdempotent(
  tx: OrdersTx,
  call: IdempotentCall,
  perform: () => Promise<PaymentOutcome>,
): Promise<PaymentOutcome> {
  const hash = requestHash(call.request);
  const scope = and(
    eq(idempotencyKeys.operation, call.operation),
    eq(idempotencyKeys.orderId, call.orderId),
    eq(idempotencyKeys.key, call.key),
  );
  const [stored] = await tx.select().from(idempotencyKeys).where(scope);
  if (stored) {
    if (stored.requestHash !== hash) {
      throw new ProblemError(
        409,
        ErrorCode.PAYMENT_CONFLICT,
        'This Idempotency-Key was already used with a different request',
      );
    }
    return { payment: stored.responseBody as Payment, declined: stored.responseStatus === 422 };
  }
  const outcome = await perform();
  await tx.insert(idempotencyKeys).values({
    operation: call.operation,
    orderId: call.orderId,
    key: call.key,
    requestHash: hash,
    responseStatus: outcome.declined ? 422 : 200,
    responseBody: outcome.payment,
  });
  return outcome;
}
