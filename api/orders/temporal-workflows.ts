import { withTimeout } from '../../lib/timeout.js';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import {
  QUERY_STATE,
  SearchAttributeKeys,
  SIGNAL_CANCEL,
  WORKFLOW_TYPE,
  type OrderSagaState,
} from '../../contracts/order-saga.js';
import { ServiceUnavailableError } from '../../lib/service-transport.js';
import type { OrderMemo, OrderWorkflows } from './workflow-port.js';

const { customerId: CustomerIdKey, orderStatus: OrderStatusKey } = SearchAttributeKeys;

export interface TemporalOrderWorkflowsOptions {
  client: Client;
  taskQueue: string;
  namespace: string;
  /** Bound on every Temporal call, so an unreachable server yields a 503 instead of a hang. */
  timeoutMs: number;
}

const outage = (error: unknown) => new ServiceUnavailableError('temporal', (error as Error).message);

export function createTemporalOrderWorkflows(options: TemporalOrderWorkflowsOptions): OrderWorkflows {
  const { client, taskQueue, namespace, timeoutMs } = options;
  // The gRPC deadline cancels the call; the race makes the answer on time even while the channel reconnects.
  const bounded = <T>(fn: () => Promise<T>, ms = timeoutMs) =>
    withTimeout(client.withDeadline(Date.now() + ms, fn), ms, `Temporal did not answer within ${ms} ms`);
  return {
    async start(input, memo: OrderMemo, summary) {
      try {
        await bounded(() =>
          client.workflow.start(WORKFLOW_TYPE, {
            taskQueue,
            workflowId: input.orderId,
            args: [input],
            memo: { ...memo },
            // Search attributes are stored unencrypted: the status only, never the customer (it is in the memo).
            typedSearchAttributes: [{ key: OrderStatusKey, value: 'PENDING' }],
            // FAIL, not USE_EXISTING: the start's own answer says whether this request created the saga.
            workflowIdConflictPolicy: 'FAIL',
            workflowIdReusePolicy: 'REJECT_DUPLICATE',
            staticSummary: summary,
          }),
        );
        return true;
      } catch (error) {
        // A running or closed workflow with this id: the caller treats it as the existing order.
        if (error instanceof WorkflowExecutionAlreadyStartedError) return false;
        throw outage(error);
      }
    },
    async describe(workflowId) {
      try {
        const d = await bounded(() => client.workflow.getHandle(workflowId).describe());
        const memo = (d.memo ?? {}) as Partial<OrderMemo>;
        return {
          workflowId,
          workflowType: d.type,
          running: d.status.name === 'RUNNING',
          status: d.status.name,
          // Sagas started before payload encryption carry the customer in the CustomerId search attribute only.
          customerId: memo.customerId ?? d.typedSearchAttributes.get(CustomerIdKey),
          memo,
          startTime: d.startTime,
          closeTime: d.closeTime,
        };
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return undefined;
        throw outage(error);
      }
    },
    query(workflowId, ms) {
      return bounded(() => client.workflow.getHandle(workflowId).query<OrderSagaState>(QUERY_STATE), ms);
    },
    async signalCancel(workflowId) {
      try {
        await bounded(() => client.workflow.getHandle(workflowId).signal(SIGNAL_CANCEL), Math.min(timeoutMs, 2_000));
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return;
        throw outage(error);
      }
    },
    async ping() {
      await bounded(() => client.workflowService.describeNamespace({ namespace }), 2_000);
    },
  };
}
