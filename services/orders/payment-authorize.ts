import { and, eq, sql } from 'drizzle-orm';
import type { AuthorizeRequest } from '../../contracts/orders.js';
import { ErrorCode } from '../../contracts/problem.js';
import { ProblemError } from '../../lib/problem.js';
import { storedOutcome, storeOutcome, type IdempotentCall, type PaymentOutcome } from './payment-idempotency.js';
import type { AuthorizeOutcome } from './payment-provider.js';
import { paymentConflict, toPayment, type LockedOrder, type PaymentContext, type PaymentRow } from './payment-rows.js';
import { payments } from './schema.js';
import type { OrdersTx } from './store.js';

/**
 * Pending row → provider call → record. A void that lands while the call is in flight turns the
 * pending row into a tombstone; the late approval is then voided here and the authorize refused.
 */
export async function authorizePayment(
  context: PaymentContext,
  request: AuthorizeRequest,
  key: string,
): Promise<PaymentOutcome> {
  const call: IdempotentCall = { operation: 'authorize', orderId: request.orderId, key, request };
  const started = await context.inOrderLock(call.orderId, (tx, order) => begin(tx, order, call));
  if ('replay' in started) return started.replay;
  const result = await context.callProvider((provider) => provider.authorize({ ...request, idempotencyKey: key }));
  const finished = await context.inOrderLock(call.orderId, (tx) => record(tx, call, result));
  if ('outcome' in finished) return finished.outcome;
  if (result.approved) {
    const { amountCents, currency } = request;
    const charge = { reference: result.reference, amountCents, currency, idempotencyKey: `${key}:voided-in-flight` };
    await context.callProvider((provider) => provider.void(charge));
  }
  throw paymentConflict(`The payment of order ${call.orderId} was voided while this authorization was in flight`);
}

type Started = { replay: PaymentOutcome } | { pending: PaymentRow };

async function begin(tx: OrdersTx, order: LockedOrder, call: IdempotentCall): Promise<Started> {
  // Pipelined on the one connection: PostgreSQL still runs them in this order, for one round trip.
  const [replay, [existing]] = await Promise.all([
    storedOutcome(tx, call),
    tx.select().from(payments).where(eq(payments.orderId, order.id)),
  ]);
  if (replay) return { replay };
  // Resuming our own call (a retry after a lost answer or a crash), or settling it after a void.
  if (existing && existing.authorizeKey === call.key && isUnsettled(existing)) return { pending: existing };
  if (existing)
    throw paymentConflict(`Order ${order.id} already has a ${existing.status} payment under another Idempotency-Key`);
  const request = call.request as AuthorizeRequest;
  if (order.status !== 'PENDING')
    throw paymentConflict(`Order ${order.id} is ${order.status}; payments can no longer be authorized`);
  if (order.totalCents !== request.amountCents || order.currency !== request.currency) {
    const expected = order.totalCents === null ? 'no priced total' : `${order.totalCents} ${order.currency}`;
    throw new ProblemError(
      409,
      ErrorCode.AMOUNT_MISMATCH,
      `Amount ${request.amountCents} ${request.currency} does not match the order total (${expected})`,
    );
  }
  const [pending] = await tx
    .insert(payments)
    .values({
      id: `pay_${crypto.randomUUID()}`,
      orderId: order.id,
      status: 'pending',
      amountCents: request.amountCents,
      currency: request.currency,
      paymentMethod: request.paymentMethod,
      authorizeKey: call.key,
    })
    .returning();
  return { pending: pending! };
}

/** Pending, or voided while pending (a tombstone without a provider reference). */
const isUnsettled = (row: PaymentRow) =>
  row.status === 'pending' || (row.status === 'voided' && row.providerReference === null);

async function record(
  tx: OrdersTx,
  call: IdempotentCall,
  result: AuthorizeOutcome,
): Promise<{ outcome: PaymentOutcome } | { voidedInFlight: true }> {
  // One round trip for both, run in this order: after a stored outcome the payment is no longer pending, so the update is a no-op.
  const [replay, [row]] = await Promise.all([
    storedOutcome(tx, call),
    tx
      .update(payments)
      .set({
        status: result.approved ? 'authorized' : 'declined',
        providerReference: result.approved ? result.reference : null,
        declineCode: result.approved ? null : result.declineCode,
        updatedAt: sql`now()`,
      })
      .where(
        and(eq(payments.orderId, call.orderId), eq(payments.status, 'pending'), eq(payments.authorizeKey, call.key)),
      )
      .returning(),
  ]);
  if (replay) return { outcome: replay };
  if (!row) return { voidedInFlight: true };
  return { outcome: await storeOutcome(tx, call, { payment: toPayment(row), declined: !result.approved }) };
}
