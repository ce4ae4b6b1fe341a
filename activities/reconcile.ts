import type { OrderDecisions, Step } from '../contracts/orders.js';
import { RECONCILED_STEP, type ReconcileInput } from '../contracts/order-saga.js';
import type { FinalizeInput } from './activities.js';
import type { SagaClients } from './clients.js';
import { ErrorCode } from '../contracts/problem.js';
import { ServiceRejectedError } from '../lib/service-transport.js';
import { mapFailures, toActivityFailure } from './failures.js';

/** Whether an order's saga can still finish it: 'running', or gone for good ('closed', 'not-found'). */
export type SagaRunState = 'running' | 'closed' | 'not-found';

export interface ReconcileDeps {
  orders: Pick<SagaClients['orders'], 'listStale' | 'get' | 'getDecisions' | 'requestCancel'>;
  /** Reads the order workflow's state from Temporal (workers/reconcile-schedule.ts). */
  sagaRunState: (workflowId: string) => Promise<SagaRunState>;
  /** The saga's own finalize (a retried transition that already happened is success). */
  finalize: (input: FinalizeInput) => Promise<void>;
}

export type StalePageInput = Pick<ReconcileInput, 'olderThanSeconds' | 'limit' | 'cursor'>;

export interface StalePage {
  /** The listed orders whose saga is gone: the ones to finish. */
  orderIds: string[];
  listed: number;
  /** Listed, but left alone: their saga still runs. */
  running: number;
  nextCursor: string | null;
}

/** Saga states read from Temporal at once. */
const RUN_STATE_READS = 10;

/** What the reconciler learns about one order: its saga still runs, or what is recorded on the order. */
export type ExaminedOrder = { saga: 'running' } | ({ saga: 'gone' } & Omit<OrderDecisions, 'id'>);

/** A step the reconciler ran for an order, recorded in the order's steps when it finishes it. */
export interface StepMark {
  name: string;
  status: Step['status'];
}

export type FinishInput = Omit<FinalizeInput, 'steps'> & { marks: StepMark[] };

/**
 * The reconciler's reads and its finish; its other writes are the saga's own activities (same
 * idempotency keys). Results stay small: they are kept in the reconcile workflow's history.
 */
export function createReconcileActivities({ orders, sagaRunState, finalize }: ReconcileDeps) {
  return {
    /** One page of stale PENDING orders, without those whose saga still runs (it will finish them). */
    async staleOrderPage(input: StalePageInput): Promise<StalePage> {
      const page = await mapFailures(() => orders.listStale({ query: input }));
      const orderIds: string[] = [];
      for (let start = 0; start < page.items.length; start += RUN_STATE_READS) {
        const chunk = page.items.slice(start, start + RUN_STATE_READS);
        const states = await Promise.all(chunk.map((order) => sagaRunState(order.id)));
        chunk.forEach((order, i) => states[i] !== 'running' && orderIds.push(order.id));
      }
      const { length: listed } = page.items;
      return { orderIds, listed, running: listed - orderIds.length, nextCursor: page.nextCursor };
    },

    /** The saga's state first: what the order records is final only once its saga is gone. */
    async examineOrder({ orderId }: { orderId: string }): Promise<ExaminedOrder> {
      if ((await sagaRunState(orderId)) === 'running') return { saga: 'running' };
      const { id: _id, ...decisions } = await mapFailures(() => orders.getDecisions({ params: { id: orderId } }));
      return { saga: 'gone', ...decisions };
    },

    /**
     * Records the cancel the reconciler is about to carry out, as a customer's would be: a saga
     * brought back meanwhile (an operator's reset) then compensates too instead of capturing.
     * `recorded: false` when the order had passed its point of no return or decided a failure first.
     */
    async recordCancel({ orderId }: { orderId: string }): Promise<{ recorded: boolean }> {
      try {
        await orders.requestCancel({ params: { id: orderId } });
        return { recorded: true };
      } catch (error) {
        if (error instanceof ServiceRejectedError && error.code === ErrorCode.NOT_CANCELLABLE)
          return { recorded: false };
        throw toActivityFailure(error);
      }
    },

    /** Adds the reconciler's steps to the order's own, then moves it to its final status. */
    async finishOrder({ marks, ...input }: FinishInput): Promise<void> {
      const order = await mapFailures(() => orders.get({ params: { id: input.orderId } }));
      await finalize({ ...input, steps: withMarks(order.steps, marks, new Date().toISOString()) });
    },
  };
}

/** A step already listed takes its new status in place; others are appended, then `reconciled`. */
function withMarks(steps: Step[], marks: StepMark[], at: string): Step[] {
  const all = [...marks, { name: RECONCILED_STEP, status: 'completed' as const }];
  const updated = steps.map((step) => {
    const mark = all.find((m) => m.name === step.name);
    return mark ? { ...mark, at } : step;
  });
  const added = all.filter((mark) => !steps.some((step) => step.name === mark.name));
  return [...updated, ...added.map((mark) => ({ ...mark, at }))];
}

export type ReconcileActivities = ReturnType<typeof createReconcileActivities>;
