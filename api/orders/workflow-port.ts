import type { OrderSagaState, PlaceOrderInput } from '../../contracts/order-saga.js';

/** What the gateway stores in a workflow's memo: enough to answer for the order before its record exists. */
export interface OrderMemo {
  requestHash: string;
  /** Random per request: finding our own nonce after a start means this request created the workflow. */
  nonce: string;
  customerId: string;
  paymentMethod: string;
  items: { productId: string; quantity: number }[];
  createdAt: string;
}

export interface OrderWorkflowDescription {
  workflowId: string;
  workflowType: string;
  running: boolean;
  status: string;
  customerId: string | undefined;
  memo: Partial<OrderMemo>;
  startTime: Date;
  closeTime: Date | undefined;
}

/** The few Temporal operations the gateway needs; the real one is temporal-workflows.ts, the test double test-support/memory-workflows.ts. */
export interface OrderWorkflows {
  /** Starts the saga: true when this call created it, false when a workflow with that id exists (running or closed). */
  start(input: PlaceOrderInput, memo: OrderMemo, summary: string): Promise<boolean>;
  describe(workflowId: string): Promise<OrderWorkflowDescription | undefined>;
  /** The live saga state; rejects when it cannot be had within timeoutMs. */
  query(workflowId: string, timeoutMs: number): Promise<OrderSagaState>;
  /** Tells a running saga of a recorded cancel; does not wait for a worker. A closed workflow is not an error. */
  signalCancel(workflowId: string): Promise<void>;
  /** Rejects when Temporal is unreachable. */
  ping(): Promise<void>;
}
