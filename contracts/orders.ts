import { z } from 'zod';
import { Currency, Cursor, Limit } from './common.js';
import { ProductId } from './products.js';

export const OrderStatus = z.enum(['PENDING', 'CONFIRMED', 'FAILED', 'CANCELLED']);
export type OrderStatus = z.infer<typeof OrderStatus>;
export const FinalStatuses: readonly OrderStatus[] = ['CONFIRMED', 'FAILED', 'CANCELLED'];

export const FailureReason = z.enum(['OUT_OF_STOCK', 'PRODUCT_NOT_FOUND', 'PAYMENT_DECLINED', 'CUSTOMER_INACTIVE']);
export type FailureReason = z.infer<typeof FailureReason>;

export const StepStatus = z.enum(['started', 'completed', 'failed', 'compensated', 'skipped']);
export const Step = z.object({ name: z.string().min(1).max(64), status: StepStatus, at: z.string() });
export type Step = z.infer<typeof Step>;

export const OrderItem = z.object({
  productId: z.string(),
  name: z.string().nullable(),
  quantity: z.number().int(),
  unitPriceCents: z.number().int().nullable(),
});
export type OrderItem = z.infer<typeof OrderItem>;

/** The public `Order` of the gateway contract; the orders service stores and returns the same shape. */
export const Order = z.object({
  id: z.string(),
  customerId: z.string(),
  status: OrderStatus,
  failureReason: FailureReason.nullable(),
  items: z.array(OrderItem),
  totalCents: z.number().int().nullable(),
  currency: z.string(),
  paymentMethod: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  workflowId: z.string(),
  steps: z.array(Step),
});
export type Order = z.infer<typeof Order>;

/** Public: POST /api/orders body. */
export const PlaceOrderRequest = z.object({
  items: z
    // Unknown members (e.g. a client-sent price) are ignored, never trusted: prices come from the catalog.
    .array(z.object({ productId: ProductId, quantity: z.number().int().min(1).max(1000) }))
    .min(1)
    .max(50)
    .refine((items) => new Set(items.map((i) => i.productId)).size === items.length, 'each productId at most once'),
  paymentMethod: z.string().min(1).max(255),
});
export type PlaceOrderRequest = z.infer<typeof PlaceOrderRequest>;

/**
 * Internal: PUT /v1/orders/:id — idempotent create: the same content returns the existing order; the
 * same lines with prices where the record has none fill the prices in (the gateway records an order
 * unpriced when it accepts it, the saga prices it); any other difference is 409 ORDER_CONFLICT.
 */
export const CreateOrderRequest = z.object({
  customerId: z.string().min(1),
  items: z
    .array(OrderItem.extend({ productId: ProductId, quantity: z.number().int().min(1).max(1000) }))
    .min(1)
    .max(50),
  currency: Currency,
  paymentMethod: z.string().min(1).max(255),
  workflowId: z.string().min(1),
  steps: z.array(Step).default([]),
});
export type CreateOrderRequest = z.infer<typeof CreateOrderRequest>;

/** Internal: POST /v1/orders/:id/transitions — PENDING → CONFIRMED | FAILED | CANCELLED, exactly one winner. */
export const TransitionRequest = z.object({
  to: z.enum(['CONFIRMED', 'FAILED', 'CANCELLED']),
  failureReason: FailureReason.optional(),
  steps: z.array(Step).optional(),
});
export type TransitionRequest = z.infer<typeof TransitionRequest>;

export const ListOrdersQuery = z.object({ customerId: z.string().optional(), limit: Limit, cursor: Cursor.optional() });

export const PaymentStatus = z.enum(['authorized', 'captured', 'voided', 'refunded', 'declined']);
export const Payment = z.object({
  id: z.string(),
  orderId: z.string(),
  status: PaymentStatus,
  amountCents: z.number().int(),
  currency: z.string(),
  declineCode: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Payment = z.infer<typeof Payment>;

export const AuthorizeRequest = z.object({
  orderId: z.string().min(1),
  amountCents: z.number().int().min(0),
  currency: Currency,
  paymentMethod: z.string().min(1).max(255),
});
export type AuthorizeRequest = z.infer<typeof AuthorizeRequest>;

/**
 * Internal HTTP API of services/orders (all under /v1 require the service token; payment calls
 * take an `Idempotency-Key` header). Errors: 409 ORDER_CONFLICT, 409 ILLEGAL_TRANSITION,
 * 422 PAYMENT_DECLINED { declineCode }, 503 PAYMENT_PROVIDER_UNAVAILABLE, 409 PAYMENT_CONFLICT,
 * 409 AMOUNT_MISMATCH.
 *
 * Payment semantics (services/orders):
 * - One payment per order. A repeat with the same Idempotency-Key (scoped to operation + order)
 *   replays the stored outcome (200 Payment, or 422 PAYMENT_DECLINED for a stored decline); the
 *   same key with another body → 409 PAYMENT_CONFLICT. 404/409/503 refusals are not stored.
 * - authorize: order must be PENDING with a priced total equal to amountCents/currency (else 409
 *   AMOUNT_MISMATCH); a second authorize under another key → 409 PAYMENT_CONFLICT.
 * - capture: authorized → captured, only while the order is PENDING; any other state, or a
 *   capture under another key after one succeeded → 409 PAYMENT_CONFLICT.
 * - void / refund are compensations, safe to retry under any key: already voided/refunded or
 *   declined → 200 with the payment; no payment at all → 404 NOT_FOUND (nothing to compensate:
 *   callers treat it as done); void of a captured or refund of an authorized/voided payment, or a
 *   refund of a CONFIRMED order → 409 PAYMENT_CONFLICT.
 * - Transitions: CONFIRMED needs exactly one captured payment equal to totalCents; FAILED and
 *   CANCELLED need no captured payment; otherwise 409 ILLEGAL_TRANSITION. Repeating the transition
 *   that already happened (same target and reason) → 200.
 */
export const OrdersApi = {
  create: 'PUT /v1/orders/:id',
  get: 'GET /v1/orders/:id',
  list: 'GET /v1/orders?customerId=&limit=&cursor=',
  transition: 'POST /v1/orders/:id/transitions',
  setSteps: 'PUT /v1/orders/:id/steps',
  authorize: 'POST /v1/payments/authorize',
  capture: 'POST /v1/payments/:orderId/capture',
  void: 'POST /v1/payments/:orderId/void',
  refund: 'POST /v1/payments/:orderId/refund',
  getPayment: 'GET /v1/payments/:orderId',
} as const;

export const ListOrdersResponse = z.object({ items: z.array(Order), nextCursor: z.string().nullable() });
export { ProductId };
