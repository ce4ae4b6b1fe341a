// Plain types and constants only: this file is bundled into workflow code.
import type { FailureReason, OrderStatus, Step } from './orders.js';

export const TASK_QUEUE_DEFAULT = 'orders';
export const WORKFLOW_TYPE = 'placeOrder';

export const SearchAttribute = { orderStatus: 'OrderStatus', customerId: 'CustomerId' } as const;

export interface PlaceOrderInput {
  orderId: string;
  customerId: string;
  items: { productId: string; quantity: number }[];
  paymentMethod: string;
  currency: string;
  /** Durable cancellation window before capture; 0 skips it. */
  cancelWindowMs: number;
  /** When the gateway accepted the order (its 202's `createdAt`): the order record keeps it. */
  createdAt?: string;
  requestId?: string;
  /** sha256 of the customer + canonical request body, compared on Idempotency-Key reuse. */
  requestHash?: string;
}

export interface OrderSagaState {
  orderId: string;
  customerId: string;
  status: OrderStatus;
  failureReason: FailureReason | null;
  items: { productId: string; name: string | null; quantity: number; unitPriceCents: number | null }[];
  totalCents: number | null;
  currency: string;
  cancellable: boolean;
  steps: Step[];
}

export const QUERY_STATE = 'orderState';
/** The cancel signal: the gateway sends it after the orders service recorded the cancel (an operator may send it from the Web UI). */
export const SIGNAL_CANCEL = 'requestCancel';

/** ApplicationFailure types thrown by activities for business refusals (never retried). */
export const BusinessFailure = {
  CUSTOMER_INACTIVE: 'CUSTOMER_INACTIVE',
  PRODUCT_NOT_FOUND: 'PRODUCT_NOT_FOUND',
  OUT_OF_STOCK: 'OUT_OF_STOCK',
  PAYMENT_DECLINED: 'PAYMENT_DECLINED',
  NOT_CANCELLABLE: 'NOT_CANCELLABLE',
} as const;

/** Typed search attribute keys (the `{ name, type }` shape `defineSearchAttributeKey` returns). */
export const SearchAttributeKeys = {
  orderStatus: { name: SearchAttribute.orderStatus, type: 'KEYWORD' },
  customerId: { name: SearchAttribute.customerId, type: 'KEYWORD' },
} as const;

/** Step names the saga reports in `steps` (forward steps, the window, and compensations). */
export const SagaStep = {
  getCustomer: 'getCustomer',
  priceItems: 'priceItems',
  createOrder: 'createOrder',
  reserveInventory: 'reserveInventory',
  authorizePayment: 'authorizePayment',
  cancellationWindow: 'cancellationWindow',
  pointOfNoReturn: 'pointOfNoReturn',
  decideFailure: 'decideFailure',
  capturePayment: 'capturePayment',
  commitInventory: 'commitInventory',
  releaseInventory: 'releaseInventory',
  voidPayment: 'voidPayment',
} as const;
export type SagaStep = (typeof SagaStep)[keyof typeof SagaStep];

/** The reconciler: a Schedule runs this workflow to finish orders whose saga closed without finalizing. */
export const RECONCILE_WORKFLOW_TYPE = 'reconcileOrders';
/** One schedule per task queue (several stacks may share one Temporal namespace). */
export const reconcileScheduleId = (taskQueue: string) => `reconcile-orders-${taskQueue}`;

export interface ReconcileInput {
  /** Only orders created at least this long ago are looked at (a young order's saga may not have started yet). */
  olderThanSeconds: number;
  /** At most this many orders per run. */
  limit: number;
}

export interface ReconcileResult {
  examined: number;
  /** Order ids finished per final status. */
  confirmed: string[];
  cancelled: string[];
}
/** The step the reconciler adds to an order it finished. */
export const RECONCILED_STEP = 'reconciled';
