import { ScheduleAlreadyRunning, WorkflowNotFoundError, type Client, type ScheduleOptions } from '@temporalio/client';
import type { SagaRunState } from '../activities/reconcile.js';
import { RECONCILE_WORKFLOW_TYPE, reconcileScheduleId, type ReconcileInput } from '../contracts/order-saga.js';

export interface ReconcileScheduleOptions {
  taskQueue: string;
  everySeconds: number;
  reconcile: ReconcileInput;
}

function scheduleOptions({ taskQueue, everySeconds, reconcile }: ReconcileScheduleOptions): ScheduleOptions {
  return {
    scheduleId: reconcileScheduleId(taskQueue),
    spec: { intervals: [{ every: `${everySeconds}s` }] },
    action: {
      type: 'startWorkflow',
      workflowType: RECONCILE_WORKFLOW_TYPE,
      workflowId: `${reconcileScheduleId(taskQueue)}-run`,
      taskQueue,
      args: [reconcile],
      // Per run, i.e. per page (each page continues as new); a page takes seconds unless a service hangs.
      workflowRunTimeout: `${Math.max(everySeconds * 4, 600)}s`,
    },
    // One run at a time; a run missed while Temporal was down is simply the next one.
    policies: { overlap: 'SKIP', catchupWindow: '1m' },
  };
}

/**
 * Creates the reconciler's Schedule, or brings an existing one in line with this worker's settings:
 * every worker calls it at start, so it is idempotent.
 */
export async function ensureReconcileSchedule(client: Client, options: ReconcileScheduleOptions): Promise<void> {
  const wanted = scheduleOptions(options);
  try {
    await client.schedule.create(wanted);
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await client.schedule.getHandle(wanted.scheduleId).update((current) => ({
      ...current,
      spec: wanted.spec,
      action: { ...current.action, ...wanted.action },
      policies: { ...current.policies, ...wanted.policies },
    }));
  }
}

/** The reconciler's view of an order's saga, read from Temporal. */
export function sagaRunStateFrom(client: Client): (workflowId: string) => Promise<SagaRunState> {
  return async (workflowId) => {
    try {
      const { status } = await client.workflow.getHandle(workflowId).describe();
      return status.name === 'RUNNING' ? 'running' : 'closed';
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return 'not-found';
      throw error;
    }
  };
}
