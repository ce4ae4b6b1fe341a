import type { Payment, Step } from '../contracts/orders.js';
import type { ReconcileInput } from '../contracts/order-saga.js';
import { ServiceRejectedError } from '../lib/service-client.js';
import type { SagaClients } from './clients.js';
import { mapFailures, toActivityFailure } from './failures.js';

/** Whether an order's saga can still finish it: 'running', or gone for good ('closed', 'not-found'). */
export type SagaRunState = 'running' | 'closed' | 'not-found';

export interface ReconcileDeps {
  orders: Pick<SagaClients['orders'], 'listStale' | 'getPayment'>;
  /** Reads the order workflow's state from Temporal (workers/saga-run-state.ts). */
  sagaRunState: (workflowId: string) => Promise<SagaRunState>;
}

export interface StaleOrder {
  orderId: string;
  steps: Step[];
}

/** The reconciler's reads; its writes are the saga's own compensation and finalize activities. */
export function createReconcileActivities({ orders, sagaRunState }: ReconcileDeps) {
  return {
    async listStalePendingOrders(input: ReconcileInput): Promise<StaleOrder[]> {
      const { items } = await mapFailures(() => orders.listStale({ query: input }));
      return items.map((order) => ({ orderId: order.id, steps: order.steps }));
    },

    async orderSagaState(input: { orderId: string }): Promise<SagaRunState> {
      return sagaRunState(input.orderId);
    },

    async paymentStatus(input: { orderId: string }): Promise<Payment['status'] | null> {
      try {
        const payment = await orders.getPayment({ params: { orderId: input.orderId } });
        return payment.status;
      } catch (error) {
        if (error instanceof ServiceRejectedError && error.status === 404) return null;
        throw toActivityFailure(error);
      }
    },
  };
}

export type ReconcileActivities = ReturnType<typeof createReconcileActivities>;
