import { and, eq, sql } from 'drizzle-orm';
import type { AuthorizeRequest, Payment } from '../../contracts/orders.js';
import { ErrorCode } from '../../contracts/problem.js';
import { notFound, ProblemError } from '../../lib/problem.js';
import { runIdempotent, type PaymentOperation, type PaymentOutcome } from './payment-idempotency.js';
import { PaymentProviderUnavailableError, type PaymentProvider } from './payment-provider.js';
import { orders, payments } from './schema.js';
import type { OrdersDb, OrdersTx } from './store.js';

type PaymentRow = typeof payments.$inferSelect;
type LockedOrder = Pick<typeof orders.$inferSelect, 'id' | 'status' | 'totalCents' | 'currency' | 'paymentMethod'>;
/** The operations that move an existing payment on: capture, and the compensations void and refund. */
type PaymentMove = Exclude<PaymentOperation, 'authorize'>;

export interface Payments {
  authorize(request: AuthorizeRequest, key: string): Promise<PaymentOutcome>;
  capture(orderId: string, key: string): Promise<PaymentOutcome>;
  void(orderId: string, key: string): Promise<PaymentOutcome>;
  refund(orderId: string, key: string): Promise<PaymentOutcome>;
  get(orderId: string): Promise<Payment | undefined>;
}

export const paymentConflict = (detail: string) => new ProblemError(409, ErrorCode.PAYMENT_CONFLICT, detail);

export function toPayment(row: PaymentRow): Payment {
  const { id, orderId, amountCents, currency, declineCode } = row;
  const status = row.status as Payment['status'];
  return {
    id,
    orderId,
    status,
    amountCents,
    currency,
    declineCode,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * Payments, one per order. Each call runs in one transaction holding the order's row lock (the
 * same lock a status transition takes), including the provider call: duplicates and racing
 * operations on one order are serialized, and a crash before commit leaves nothing half-stored
 * (the Idempotency-Key is forwarded so a real provider deduplicates the retried call).
 */
export function createPayments(db: OrdersDb, provider: PaymentProvider): Payments {
  const inOrderLock = <T>(orderId: string, work: (tx: OrdersTx, order: LockedOrder) => Promise<T>) =>
    db.transaction(async (tx) => {
      const [order] = await tx
        .select({
          id: orders.id,
          status: orders.status,
          totalCents: orders.totalCents,
          currency: orders.currency,
          paymentMethod: orders.paymentMethod,
        })
        .from(orders)
        .where(eq(orders.id, orderId))
        .for('update');
      if (!order) throw notFound(`Order ${orderId} not found`);
      return work(tx, order);
    });

  const move = (operation: PaymentMove, orderId: string, key: string) =>
    inOrderLock(orderId, (tx, order) =>
      runIdempotent(tx, { operation, orderId, key, request: {} }, () =>
        movePayment(tx, provider, operation, order, key),
      ),
    );

  return {
    authorize: (request, key) =>
      inOrderLock(request.orderId, (tx, order) =>
        runIdempotent(tx, { operation: 'authorize', orderId: order.id, key, request }, () =>
          authorize(tx, provider, order, request, key),
        ),
      ),
    capture: (orderId, key) => move('capture', orderId, key),
    void: (orderId, key) => move('void', orderId, key),
    refund: (orderId, key) => move('refund', orderId, key),
    async get(orderId) {
      const [row] = await db.select().from(payments).where(eq(payments.orderId, orderId));
      return row ? toPayment(row) : undefined;
    },
  };
}

async function authorize(
  tx: OrdersTx,
  provider: PaymentProvider,
  order: LockedOrder,
  request: AuthorizeRequest,
  key: string,
): Promise<PaymentOutcome> {
  if (order.status !== 'PENDING')
    throw paymentConflict(`Order ${order.id} is ${order.status}; payments can no longer be authorized`);
  const [existing] = await tx.select().from(payments).where(eq(payments.orderId, order.id));
  if (existing)
    throw paymentConflict(`Order ${order.id} already has a ${existing.status} payment under another Idempotency-Key`);
  if (order.totalCents !== request.amountCents || order.currency !== request.currency) {
    const expected = order.totalCents === null ? 'no priced total' : `${order.totalCents} ${order.currency}`;
    throw new ProblemError(
      409,
      ErrorCode.AMOUNT_MISMATCH,
      `Amount ${request.amountCents} ${request.currency} does not match the order total (${expected})`,
    );
  }
  const result = await callProvider(() => provider.authorize({ ...request, idempotencyKey: key }));
  const [row] = await tx
    .insert(payments)
    .values({
      id: `pay_${crypto.randomUUID()}`,
      orderId: order.id,
      status: result.approved ? 'authorized' : 'declined',
      amountCents: request.amountCents,
      currency: request.currency,
      paymentMethod: request.paymentMethod,
      providerReference: result.approved ? result.reference : null,
      declineCode: result.approved ? null : result.declineCode,
    })
    .returning();
  return { payment: toPayment(row!), declined: !result.approved };
}

const moveRules: Record<PaymentMove, { from: string; to: string; doneWhen: string[] }> = {
  capture: { from: 'authorized', to: 'captured', doneWhen: [] },
  // Compensations must be safe to repeat: nothing left to void or refund is success.
  void: { from: 'authorized', to: 'voided', doneWhen: ['voided', 'declined'] },
  refund: { from: 'captured', to: 'refunded', doneWhen: ['refunded', 'declined'] },
};

async function movePayment(
  tx: OrdersTx,
  provider: PaymentProvider,
  operation: PaymentMove,
  order: LockedOrder,
  key: string,
): Promise<PaymentOutcome> {
  const [payment] = await tx.select().from(payments).where(eq(payments.orderId, order.id));
  if (!payment && operation === 'void') return { payment: toPayment(await voidTombstone(tx, order)), declined: false };
  if (!payment) throw notFound(`Order ${order.id} has no payment`);
  const rule = moveRules[operation];
  if (rule.doneWhen.includes(payment.status)) return { payment: toPayment(payment), declined: false };
  if (payment.status !== rule.from)
    throw paymentConflict(`Payment of order ${order.id} is ${payment.status}; ${operation} needs ${rule.from}`);
  assertOrderAllows(operation, order);
  const charge = {
    reference: payment.providerReference ?? '',
    amountCents: payment.amountCents,
    currency: payment.currency,
    idempotencyKey: key,
  };
  await callProvider(() => provider[operation](charge));
  const [updated] = await tx
    .update(payments)
    .set({ status: rule.to, updatedAt: sql`now()` })
    .where(and(eq(payments.id, payment.id), eq(payments.status, rule.from)))
    .returning();
  if (!updated) throw paymentConflict(`Payment of order ${order.id} changed concurrently`);
  return { payment: toPayment(updated), declined: false };
}

/**
 * Void before any authorization stored: a voided payment without a provider reference takes the
 * order's one payment slot, so an authorize still in flight or retried later is refused.
 */
async function voidTombstone(tx: OrdersTx, order: LockedOrder): Promise<PaymentRow> {
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

async function callProvider<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof PaymentProviderUnavailableError)) throw error;
    throw new ProblemError(
      503,
      ErrorCode.PAYMENT_PROVIDER_UNAVAILABLE,
      `Payment provider unavailable: ${error.message}`,
      {},
      { 'Retry-After': '1' },
    );
  }
}
