import { and, eq, isNull, or, sql } from 'drizzle-orm';
import { notFound } from '../../lib/problem.js';
import {
  storedOutcome,
  storeOutcome,
  type IdempotentCall,
  type PaymentOperation,
  type PaymentOutcome,
} from './payment-idempotency.js';
import { paymentConflict, toPayment, type LockedOrder, type PaymentContext, type PaymentRow } from './payment-rows.js';
import type { ChargeOperation } from './payment-provider.js';
import { payments } from './schema.js';
import type { OrdersTx } from './store.js';

/** The operations that move an existing payment on: capture, and the compensations void and refund. */
export type PaymentMove = Exclude<PaymentOperation, 'authorize'>;

const moveRules: Record<PaymentMove, { from: string; to: string; doneWhen: string[] }> = {
  capture: { from: 'authorized', to: 'captured', doneWhen: [] },
  // Compensations must be safe to repeat: nothing left to void or refund is success.
  void: { from: 'authorized', to: 'voided', doneWhen: ['voided', 'declined'] },
  refund: { from: 'captured', to: 'refunded', doneWhen: ['refunded', 'declined'] },
};

/** Claim the payment (in_flight) → call the provider → record; a failed call releases the claim. */
export async function movePayment(
  context: PaymentContext,
  operation: PaymentMove,
  orderId: string,
  key: string,
): Promise<PaymentOutcome> {
  const call: IdempotentCall = { operation, orderId, key, request: {} };
  const claimed = await context.inOrderLock(orderId, (tx, order) => claim(tx, order, call));
  if ('done' in claimed) return claimed.done;
  const { payment } = claimed;
  try {
    await context.callProvider((provider) => provider[operation](chargeOf(payment, key)));
  } catch (error) {
    await context.inOrderLock(orderId, (tx) => release(tx, payment.id, key));
    throw error;
  }
  return context.inOrderLock(orderId, (tx) => complete(tx, call, payment));
}

/** The provider call for a move of `payment` under `key` (the same key on every retry and on expiry). */
export const chargeOf = (payment: PaymentRow, key: string): ChargeOperation => ({
  reference: payment.providerReference ?? '',
  amountCents: payment.amountCents,
  currency: payment.currency,
  idempotencyKey: key,
});

async function claim(
  tx: OrdersTx,
  order: LockedOrder,
  call: IdempotentCall,
): Promise<{ done: PaymentOutcome } | { payment: PaymentRow }> {
  const operation = call.operation as PaymentMove;
  // Pipelined on the one connection: PostgreSQL still runs them in this order, for one round trip.
  const [replay, [payment]] = await Promise.all([
    storedOutcome(tx, call),
    tx.select().from(payments).where(eq(payments.orderId, order.id)),
  ]);
  if (replay) return { done: replay };
  const done = (row: PaymentRow) => storeOutcome(tx, call, { payment: toPayment(row), declined: false });
  if (operation === 'void' && (!payment || payment.status === 'pending')) {
    return { done: await done(await voidTombstone(tx, order, payment)) };
  }
  if (!payment) throw notFound(`Order ${order.id} has no payment`);
  const rule = moveRules[operation];
  if (rule.doneWhen.includes(payment.status)) return { done: await done(payment) };
  if (payment.status !== rule.from)
    throw paymentConflict(`Payment of order ${order.id} is ${payment.status}; ${operation} needs ${rule.from}`);
  if (payment.inFlight !== null && (payment.inFlight !== operation || payment.inFlightKey !== call.key))
    throw paymentConflict(`A ${payment.inFlight} of the payment of order ${order.id} is in flight`);
  assertOrderAllows(operation, order);
  const [claimed] = await tx
    .update(payments)
    .set({ inFlight: operation, inFlightKey: call.key, inFlightAt: sql`now()` })
    .where(eq(payments.id, payment.id))
    .returning();
  return { payment: claimed! };
}

/**
 * Records a move the provider confirmed under `call.key`. The claim is normally still ours; the
 * provider's word also stands once the claim was released (`orUnclaimed`: a replay that succeeded
 * after the first call failed), but never over another caller's claim.
 */
export async function complete(
  tx: OrdersTx,
  call: IdempotentCall,
  payment: PaymentRow,
  orUnclaimed = false,
): Promise<PaymentOutcome> {
  const rule = moveRules[call.operation as PaymentMove];
  const ours = eq(payments.inFlightKey, call.key);
  // One round trip for both, run in this order: after a stored outcome the payment has left `rule.from`, so the update is a no-op.
  const [replay, [updated]] = await Promise.all([
    storedOutcome(tx, call),
    tx
      .update(payments)
      .set({ status: rule.to, inFlight: null, inFlightKey: null, inFlightAt: null, updatedAt: sql`now()` })
      .where(
        and(
          eq(payments.id, payment.id),
          eq(payments.status, rule.from),
          orUnclaimed ? or(ours, isNull(payments.inFlight)) : ours,
        ),
      )
      .returning(),
  ]);
  if (replay) return replay;
  if (!updated) throw paymentConflict(`Payment of order ${call.orderId} changed concurrently`);
  return storeOutcome(tx, call, { payment: toPayment(updated), declined: false });
}

/** Gives up a claim whose provider call did not happen (an outage, or a refusal). */
export async function release(tx: OrdersTx, paymentId: string, key: string): Promise<void> {
  await tx
    .update(payments)
    .set({ inFlight: null, inFlightKey: null, inFlightAt: null })
    .where(and(eq(payments.id, paymentId), eq(payments.inFlightKey, key)));
}

/**
 * Void before any authorization stored, or while one is in flight: a voided payment without a
 * provider reference holds the order's one payment slot, so a late authorize is refused (and
 * an approval that arrives anyway is voided by the authorize itself).
 */
async function voidTombstone(tx: OrdersTx, order: LockedOrder, pending?: PaymentRow): Promise<PaymentRow> {
  if (pending) {
    const [row] = await tx
      .update(payments)
      .set({ status: 'voided', updatedAt: sql`now()` })
      .where(eq(payments.id, pending.id))
      .returning();
    return row!;
  }
  const [row] = await tx
    .insert(payments)
    .values({
      id: `pay_${crypto.randomUUID()}`,
      orderId: order.id,
      status: 'voided',
      amountCents: order.totalCents ?? 0,
      currency: order.currency,
      paymentMethod: order.paymentMethod,
    })
    .returning();
  return row!;
}

/** Keeps the order invariants: no capture once final, no refund of a confirmed order's money. */
function assertOrderAllows(operation: PaymentOperation, order: LockedOrder): void {
  if (operation === 'capture' && order.status !== 'PENDING')
    throw paymentConflict(`Order ${order.id} is ${order.status}; its payment cannot be captured`);
  if (operation === 'refund' && order.status === 'CONFIRMED')
    throw paymentConflict(`Order ${order.id} is CONFIRMED; its payment cannot be refunded`);
}
