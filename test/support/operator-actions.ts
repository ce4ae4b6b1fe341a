import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { SIGNAL_CANCEL } from '../../contracts/order-saga.js';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
type EventId = NonNullable<HistoryEvent['eventId']>;
const { EventType } = temporal.api.enums.v1;

/** The actions an operator has on a running workflow in the Temporal Web UI. */
export const OperatorAction = {
  terminate: 'terminate',
  cancel: 'cancel',
  resetFirst: 'reset to first workflow task',
  resetLast: 'reset to last workflow task',
  signalCancel: `signal ${SIGNAL_CANCEL}`,
} as const;
export type OperatorAction = (typeof OperatorAction)[keyof typeof OperatorAction];

/**
 * The event a reset goes back to: the first (last) WorkflowTaskCompleted, or while the first task still
 * runs (local activities) its WorkflowTaskStarted, as `temporal workflow reset --type FirstWorkflowTask |
 * LastWorkflowTask` choose. Unlike the CLI, never the Started of a later running task: the server wrote it
 * with the previous completion and cannot rebuild a run to the middle of that batch ("StateRebuilder
 * unable to Rebuild mutable state").
 */
function resetPoint(events: HistoryEvent[], which: 'first' | 'last'): EventId {
  let point: EventId | undefined;
  for (const { eventType, eventId } of events) {
    if (!eventId) continue;
    if (eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) {
      if (which === 'first') return eventId;
      point = eventId;
    } else if (eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED) {
      point ??= eventId;
    }
  }
  if (point === undefined) throw new Error('no workflow task to reset to');
  return point;
}

/** Resets the current run: a new run replays up to the point and goes on from there. */
async function resetWorkflow(
  client: Client,
  workflowId: string,
  which: 'first' | 'last',
  namespace = 'default',
): Promise<void> {
  const { runId } = await client.workflow.getHandle(workflowId).describe();
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  const eventId = resetPoint(history.events ?? [], which);
  await client.workflowService.resetWorkflowExecution({
    namespace,
    workflowExecution: { workflowId, runId },
    reason: `operator: reset to the ${which} workflow task`,
    workflowTaskFinishEventId: eventId,
    requestId: randomUUID(),
  });
}

/** Applies `action` to the order's workflow, as the Web UI would (no run id: the current run). */
export async function applyOperatorAction(client: Client, workflowId: string, action: OperatorAction): Promise<void> {
  const handle = client.workflow.getHandle(workflowId);
  switch (action) {
    case OperatorAction.terminate:
      await handle.terminate('operator: terminated from the Web UI');
      return;
    case OperatorAction.cancel:
      await handle.cancel();
      return;
    case OperatorAction.resetFirst:
      await resetWorkflow(client, workflowId, 'first');
      return;
    case OperatorAction.resetLast:
      await resetWorkflow(client, workflowId, 'last');
      return;
    case OperatorAction.signalCancel:
      await handle.signal(SIGNAL_CANCEL);
      return;
  }
}

/** Whether the order's workflow (its current run, after any reset) is still running. */
export async function isRunning(client: Client, workflowId: string): Promise<boolean> {
  const { status } = await client.workflow.getHandle(workflowId).describe();
  return status.name === 'RUNNING';
}
