import { z } from 'zod';
import { Currency, Cursor, Limit, page } from './common.js';
import { ErrorCode } from './problem.js';
import { ProductId } from './products.js';

export const OrderStatus = z.enum(['PENDING', 'CONFIRMED', 'FAILED', 'CANCELLED']);
export type OrderStatus = z.infer<typeof OrderStatus>;
export const FinalStatuses: readonly OrderStatus[] = ['CONFIRMED', 'FAILED', 'CANCELLED'];

/** Why a saga failed an order: the error codes of the refusals that end it. */
export const FailureReason = z.enum([
  ErrorCode.OUT_OF_STOCK,
  ErrorCode.PRODUCT_NOT_FOUND,
  ErrorCode.PAYMENT_DECLINED,
  ErrorCode.CUSTOMER_INACTIVE,
]);
export type FailureReason = z.infer<typeof FailureReason>;

const StepStatus = z.enum(['started', 'completed', 'failed', 'compensated', 'skipped']);
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

/** Internal: the units a new order will hold, claimed against its customer's cap before its saga starts. */
export const HoldUnitsRequest = z.object({
  customerId: z.string().min(1),
  // 50 lines of at most 1,000 units (PlaceOrderRequest).
  units: z.number().int().min(1).max(50_000),
});
export type HoldUnitsRequest = z.infer<typeof HoldUnitsRequest>;
export const HeldUnits = z.object({ heldUnits: z.number().int(), maxUnits: z.number().int() });
export type HeldUnits = z.infer<typeof HeldUnits>;

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
 * Internal: the orders service's idempotent create (contracts/orders-api.ts): the same content returns the existing order; the
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
  /** When the order was accepted; absent: now. */
  createdAt: z.iso.datetime({ offset: true }).optional(),
});
export type CreateOrderRequest = z.infer<typeof CreateOrderRequest>;

/** Internal: PENDING → CONFIRMED | FAILED | CANCELLED, exactly one winner. */
export const TransitionRequest = z.object({
  to: z.enum(['CONFIRMED', 'FAILED', 'CANCELLED']),
  failureReason: FailureReason.optional(),
  steps: z.array(Step).optional(),
});
export type TransitionRequest = z.infer<typeof TransitionRequest>;

export const ListOrdersQuery = z.object({ customerId: z.string().optional(), limit: Limit, cursor: Cursor.optional() });

const PaymentStatus = z.enum(['pending', 'authorized', 'captured', 'voided', 'refunded', 'declined']);
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

/** The amount the caller expects to capture; the service captures the authorized amount. */
export const CaptureRequest = z.object({ amountCents: z.number().int().min(0).optional() }).optional();

export const SetStepsRequest = z.object({ steps: z.array(Step) });

export const ListOrdersResponse = z.object({ items: z.array(Order), nextCursor: z.string().nullable() });

/**
 * Internal: PENDING orders created more than `olderThanSeconds` ago, oldest first, a page at a time
 * (the reconciler's work list). `nextCursor` resumes after the page and keeps the first page's
 * cutoff, so one pass through the pages has an end however many orders arrive meanwhile.
 */
export const StaleOrdersQuery = z.object({
  olderThanSeconds: z.coerce
    .number()
    .int()
    .min(0)
    .max(86_400 * 30),
  limit: Limit,
  cursor: Cursor.optional(),
});
const StaleOrder = z.object({ id: z.string(), createdAt: z.string() });
export const StaleOrdersResponse = page(StaleOrder);

/**
 * Internal: what is recorded on an order that decides how a saga that is gone must end (the
 * reconciler reads it): past the point of no return it completes; else it is compensated and ends
 * FAILED when a refusal was decided, CANCELLED otherwise.
 */
export const OrderDecisions = z.object({
  id: z.string(),
  status: OrderStatus,
  totalCents: z.number().int().nullable(),
  cancelRequested: z.boolean(),
  pointOfNoReturnPassed: z.boolean(),
  /** Set when a refusal decided the saga's outcome (services/orders/cancel-requests.ts): the order ends FAILED. */
  decidedFailureReason: FailureReason.nullable(),
  /** The order's payment, null when none was ever recorded. */
  paymentStatus: PaymentStatus.nullable(),
});
export type OrderDecisions = z.infer<typeof OrderDecisions>;

/** Internal: the saga's request to pass its point of no return (refused once a cancel is recorded). */
export const PointOfNoReturn = z.object({ passed: z.boolean() });
/** Internal: the saga's request to fail the order after a refusal (refused once a cancel is recorded). */
export const DecideFailureRequest = z.object({ reason: FailureReason });
export const FailureDecision = z.object({ decided: z.boolean() });
