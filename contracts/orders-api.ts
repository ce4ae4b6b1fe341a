import { route } from './api.js';
import {
  AuthorizeRequest,
  CaptureRequest,
  CreateOrderRequest,
  DecideFailureRequest,
  FailureDecision,
  HeldUnits,
  HoldUnitsRequest,
  ListOrdersQuery,
  ListOrdersResponse,
  Order,
  OrderDecisions,
  Payment,
  PointOfNoReturn,
  SetStepsRequest,
  StaleOrdersQuery,
  StaleOrdersResponse,
  TransitionRequest,
} from './orders.js';

const CreateOrderBody = CreateOrderRequest.superRefine(({ items }, ctx) => {
  items.forEach((item, index) => {
    if (item.unitPriceCents !== null && item.unitPriceCents < 0) {
      ctx.addIssue({ code: 'custom', path: ['items', index, 'unitPriceCents'], message: 'must not be negative' });
    }
  });
});

const TransitionBody = TransitionRequest.superRefine(({ to, failureReason }, ctx) => {
  if ((to === 'FAILED') !== (failureReason !== undefined)) {
    ctx.addIssue({ code: 'custom', path: ['failureReason'], message: 'required when (and only when) to is FAILED' });
  }
});

const paymentCall = <const Path extends string>(path: Path) =>
  route({ method: 'POST', path, response: Payment, idempotencyKey: 'required' });

/**
 * Internal HTTP API of services/orders (every /v1 route requires the service token; payment calls
 * take an `Idempotency-Key` header). An order id that cannot exist answers 404, like an unknown one.
 * Errors: 409 ORDER_CONFLICT, 409 ILLEGAL_TRANSITION, 422 PAYMENT_DECLINED { declineCode },
 * 503 PAYMENT_PROVIDER_UNAVAILABLE, 409 PAYMENT_CONFLICT, 409 AMOUNT_MISMATCH.
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
export const ordersApi = {
  /**
   * Idempotent create: the same content returns the existing order (200); the same lines with prices
   * where the record has none fill the prices in; any other difference is 409 ORDER_CONFLICT.
   */
  create: route({ method: 'PUT', path: '/v1/orders/:id', body: CreateOrderBody, response: Order, status: 201 }),
  list: route({ method: 'GET', path: '/v1/orders', query: ListOrdersQuery, response: ListOrdersResponse }),
  get: route({ method: 'GET', path: '/v1/orders/:id', response: Order }),
  /** PENDING orders older than a threshold, oldest first: the reconciler finds abandoned sagas among them. */
  listStale: route({ method: 'GET', path: '/v1/stale-orders', query: StaleOrdersQuery, response: StaleOrdersResponse }),
  /** PENDING → CONFIRMED | FAILED | CANCELLED, exactly one winner. */
  transition: route({ method: 'POST', path: '/v1/orders/:id/transitions', body: TransitionBody, response: Order }),
  /**
   * Records a customer's cancel before the saga hears of it: 200 Order (repeats too); 409
   * NOT_CANCELLABLE once the order is final or past its point of no return.
   */
  requestCancel: route({ method: 'POST', path: '/v1/orders/:id/cancel-request', response: Order }),
  /** The saga, just before capture: `passed: false` when a cancel was recorded first (then it compensates). */
  passPointOfNoReturn: route({ method: 'POST', path: '/v1/orders/:id/point-of-no-return', response: PointOfNoReturn }),
  /** The saga, after a refusal: `decided: false` when a cancel was recorded first (then the order ends CANCELLED). */
  decideFailure: route({
    method: 'POST',
    path: '/v1/orders/:id/failure-decision',
    body: DecideFailureRequest,
    response: FailureDecision,
  }),
  /** The recorded cancel, point of no return and payment status: how the reconciler finishes an order. */
  getDecisions: route({ method: 'GET', path: '/v1/orders/:id/decisions', response: OrderDecisions }),
  setSteps: route({ method: 'PUT', path: '/v1/orders/:id/steps', body: SetStepsRequest, response: Order }),
  /**
   * Before an order's saga starts: claims its units against the customer's cap on units held by PENDING
   * orders (the same order id again replaces its claim); 429 RATE_LIMITED { heldUnits, maxUnits, retryAfterSeconds } past it (a lone order always passes).
   */
  holdUnits: route({ method: 'PUT', path: '/v1/orders/:id/held-units', body: HoldUnitsRequest, response: HeldUnits }),
  authorize: route({
    method: 'POST',
    path: '/v1/payments/authorize',
    body: AuthorizeRequest,
    response: Payment,
    idempotencyKey: 'required',
  }),
  capture: route({
    method: 'POST',
    path: '/v1/payments/:orderId/capture',
    body: CaptureRequest,
    response: Payment,
    idempotencyKey: 'required',
  }),
  void: paymentCall('/v1/payments/:orderId/void'),
  refund: paymentCall('/v1/payments/:orderId/refund'),
  getPayment: route({ method: 'GET', path: '/v1/payments/:orderId', response: Payment }),
};
