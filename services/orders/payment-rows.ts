import type { Payment } from '../../contracts/orders.js';
import { ErrorCode } from '../../contracts/problem.js';
import { ProblemError } from '../../lib/problem.js';
import type { PaymentProvider } from './payment-provider.js';
import type { orders, payments } from './schema.js';
import type { OrdersTx } from './store.js';

// What the payment steps (payments.ts, payment-authorize.ts, payment-moves.ts) share.

export type PaymentRow = typeof payments.$inferSelect;
export type LockedOrder = Pick<
  typeof orders.$inferSelect,
  'id' | 'status' | 'totalCents' | 'currency' | 'paymentMethod'
>;

/** What the payment steps share: short transactions under the order's row lock, and the provider. */
export interface PaymentContext {
  inOrderLock<T>(orderId: string, work: (tx: OrdersTx, order: LockedOrder) => Promise<T>): Promise<T>;
  /** Calls the provider outside any transaction, bounded by the caller's deadline. */
  callProvider<T>(call: (provider: PaymentProvider) => Promise<T>): Promise<T>;
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
