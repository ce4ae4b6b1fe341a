// Where an idle order's time goes, read from its workflow histories: how long the workflow ran, and how long
// its workflow tasks waited between being scheduled and a worker picking them up (time spent in neither
// our code nor our services).
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import { percentiles } from './support.js';

/** What is read of a history event: its type and time (seconds as a Long in a fetched history). */
interface TimedEvent {
  eventType?: proto.temporal.api.enums.v1.EventType | null;
  eventTime?: { seconds?: number | Long | null; nanos?: number | null } | null;
}
type Long = { toNumber(): number };
const { EventType } = proto.temporal.api.enums.v1;

const msOf = (event: TimedEvent) =>
  Number(event.eventTime?.seconds ?? 0) * 1000 + Number(event.eventTime?.nanos ?? 0) / 1e6;

/** Start → close of one workflow, and the summed waits of its workflow tasks (scheduled → started). */
export function timelineOf(events: TimedEvent[]): { runMs: number; taskWaitMs: number; tasks: number } {
  let taskWaitMs = 0;
  let tasks = 0;
  let scheduledAt = 0;
  for (const event of events) {
    if (event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED) {
      scheduledAt = msOf(event);
      tasks += 1;
    }
    if (event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED) taskWaitMs += msOf(event) - scheduledAt;
  }
  const runMs = events.length > 0 ? msOf(events.at(-1)!) - msOf(events[0]!) : 0;
  return { runMs, taskWaitMs, tasks };
}

/** One line for the idle-order figures: the workflows' own run time and their workflow-task waits, as percentiles. */
export async function timelineLine(client: Client, workflowIds: string[]): Promise<string> {
  const timelines = await Promise.all(
    workflowIds.map(async (id) => timelineOf((await client.workflow.getHandle(id).fetchHistory()).events ?? [])),
  );
  const tasks = timelines.reduce((sum, t) => sum + t.tasks, 0) / Math.max(1, timelines.length);
  return (
    `  its workflow, start → close: ${percentiles(timelines.map((t) => t.runMs))}\n` +
    `  of which its ${tasks.toFixed(1)} workflow tasks waited for a worker: ${percentiles(timelines.map((t) => t.taskWaitMs))}`
  );
}
