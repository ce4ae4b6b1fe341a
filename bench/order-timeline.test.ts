import proto from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { timelineOf } from './order-timeline.js';

const { EventType } = proto.temporal.api.enums.v1;
const at = (ms: number) => ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 });
const event = (eventType: proto.temporal.api.enums.v1.EventType, ms: number) => ({ eventType, eventTime: at(ms) });

describe('timelineOf', () => {
  it('sums each workflow task from scheduled to started, and spans the history', () => {
    const events = [
      event(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, 10_000),
      event(EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, 10_000),
      event(EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED, 10_004),
      event(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, 10_050),
      event(EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED, 10_070),
      event(EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, 10_070),
      event(EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED, 10_101),
      event(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, 10_120),
      event(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, 10_121),
    ];
    expect(timelineOf(events)).toEqual({ runMs: 121, taskWaitMs: 35, tasks: 2 });
  });

  it('reads an empty history as nothing', () => {
    expect(timelineOf([])).toEqual({ runMs: 0, taskWaitMs: 0, tasks: 0 });
  });
});
