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

/** The saga hands its state to this sink whenever it changes (workers/progress.ts pushes it); never during replay. */
export type OrderProgressSinks = { orderProgress: { changed(state: OrderSagaState): void } };
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
  /** Orders per page: each run of the workflow handles one page, then continues as new with the next. */
  limit: number;
  /** Where this pass through the stale orders stands (absent: its first page). */
  cursor?: string;
  /** What the pass did on its earlier pages. */
  soFar?: ReconcileResult;
}

/** Finished orders listed per final status in a result, at most (the order records say the rest). */
export const RECONCILE_LISTED_IDS = 100;

/** One pass of the reconciler through every stale PENDING order, page by page. */
export interface ReconcileResult {
  pages: number;
  /** Stale PENDING orders listed. */
  examined: number;
  /** Of those, left alone because their saga still runs. */
  running: number;
  /** Of those, not finished this time (a step kept failing): the next pass tries again. */
  unfinished: number;
  /** Orders this pass finished. */
  finished: number;
  /** Ids of the orders finished, per final status (the first RECONCILE_LISTED_IDS of each). */
  confirmed: string[];
  cancelled: string[];
  failed: string[];
}
/** The step the reconciler adds to an order it finished. */
export const RECONCILED_STEP = 'reconciled';
