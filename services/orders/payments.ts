import { eq } from 'drizzle-orm';
import type { AuthorizeRequest, Payment } from '../../contracts/orders.js';
import { ErrorCode } from '../../contracts/problem.js';
import { notFound, ProblemError } from '../../lib/problem.js';
import { withTimeout } from '../../lib/timeout.js';
import { authorizePayment } from './payment-authorize.js';
import { toPayment, type PaymentContext } from './payment-rows.js';
import { requestHash, type IdempotentCall, type PaymentOutcome } from './payment-idempotency.js';
import { movePayment, type PaymentMove } from './payment-moves.js';
import { PaymentProviderUnavailableError, type PaymentProvider } from './payment-provider.js';
import { orders, payments } from './schema.js';
import type { OrdersDb } from './store.js';

/** Below the service client's 5 s timeout, so the caller hears 503 instead of an abandoned request. */
const DEFAULT_PROVIDER_TIMEOUT_MS = 4_000;

export interface Payments {
  authorize(request: AuthorizeRequest, key: string): Promise<PaymentOutcome>;
  capture(orderId: string, key: string): Promise<PaymentOutcome>;
  void(orderId: string, key: string): Promise<PaymentOutcome>;
  refund(orderId: string, key: string): Promise<PaymentOutcome>;
  get(orderId: string): Promise<Payment | undefined>;
}

/**
 * Payments, one per order. Every step runs in a short transaction holding the order's row lock
 * (the lock a status transition takes); the provider is called between them, never inside one,
 * so a slow provider holds neither a pool connection nor the lock (pending row → call → record).
 * The Idempotency-Key is forwarded so the provider deduplicates a resumed call.
 */
export function createPayments(
  db: OrdersDb,
  provider: PaymentProvider,
  providerTimeoutMs = DEFAULT_PROVIDER_TIMEOUT_MS,
): Payments {
  const context = createPaymentContext(db, provider, providerTimeoutMs);
  // Duplicates of a call under way in this process share it: one provider call, one answer.
  const inFlight = new Map<string, Promise<PaymentOutcome>>();
  const once = (call: IdempotentCall, run: () => Promise<PaymentOutcome>) => {
    const id = `${call.operation}|${call.orderId}|${call.key}|${requestHash(call.request)}`;
    const running = inFlight.get(id) ?? run().finally(() => inFlight.delete(id));
    inFlight.set(id, running);
    return running;
  };
  const move = (operation: PaymentMove, orderId: string, key: string) =>
    once({ operation, orderId, key, request: {} }, () => movePayment(context, operation, orderId, key));
  return {
    authorize: (request, key) =>
      once({ operation: 'authorize', orderId: request.orderId, key, request }, () =>
        authorizePayment(context, request, key),
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

/** Short transactions under the order's row lock, and provider calls bounded by `providerTimeoutMs`. */
export function createPaymentContext(
  db: OrdersDb,
  provider: PaymentProvider,
  providerTimeoutMs = DEFAULT_PROVIDER_TIMEOUT_MS,
): PaymentContext {
  return {
    inOrderLock: (orderId, work) =>
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
      }),
    callProvider: (call) => callProvider(() => call(provider), providerTimeoutMs),
  };
}

async function callProvider<T>(call: () => Promise<T>, timeoutMs: number): Promise<T> {
  const timedOut = `no answer within ${timeoutMs} ms`;
  try {
    return await withTimeout(call(), timeoutMs, timedOut);
  } catch (error) {
    const unavailable =
      error instanceof PaymentProviderUnavailableError || (error instanceof Error && error.message === timedOut);
    if (!unavailable) throw error;
    throw new ProblemError(
      503,
      ErrorCode.PAYMENT_PROVIDER_UNAVAILABLE,
      `Payment provider unavailable: ${error.message}`,
      {},
      { 'Retry-After': '1' },
    );
  }
}
