import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';

const { TaskQueueKind, TaskQueueType } = proto.temporal.api.enums.v1;

export interface TaskQueueTypeView {
  pollers: number;
  backlog: number;
  /** Tasks per second added / dispatched, averaged by the server over the last 30 s. */
  addRate: number;
  dispatchRate: number;
}
export interface TaskQueueView {
  name: string;
  workflow: TaskQueueTypeView;
  activity: TaskQueueTypeView;
}
export type TaskQueueProbe = () => Promise<TaskQueueView>;

/** The saga task queue's pollers and backlog, from Temporal's DescribeTaskQueue (with stats). */
export function createTaskQueueProbe(deps: { client: Client; namespace: string; taskQueue: string }): TaskQueueProbe {
  const describe = async (taskQueueType: proto.temporal.api.enums.v1.TaskQueueType): Promise<TaskQueueTypeView> => {
    const response = await deps.client.workflowService.describeTaskQueue({
      namespace: deps.namespace,
      taskQueue: { name: deps.taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      taskQueueType,
      reportStats: true,
    });
    const stats = response.stats;
    return {
      pollers: response.pollers.length,
      backlog: Number(stats?.approximateBacklogCount ?? 0),
      addRate: stats?.tasksAddRate ?? 0,
      dispatchRate: stats?.tasksDispatchRate ?? 0,
    };
  };
  return async () => {
    const [workflow, activity] = await Promise.all([
      describe(TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW),
      describe(TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY),
    ]);
    return { name: deps.taskQueue, workflow, activity };
  };
}
