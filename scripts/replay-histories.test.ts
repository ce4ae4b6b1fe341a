import { describe, expect, it } from 'vitest';
import { replayVisibilityQuery } from './replay-histories.js';

describe('replayVisibilityQuery', () => {
  const since = new Date('2026-01-02T03:04:05.000Z');
  it('selects the saga started within the window, open and closed alike', () => {
    expect(replayVisibilityQuery({ since })).toBe(
      "WorkflowType = 'placeOrder' AND StartTime >= '2026-01-02T03:04:05.000Z'",
    );
  });
  it('ANDs extra clauses as one group and escapes the type', () => {
    expect(replayVisibilityQuery({ since, workflowType: "o'k", where: "TaskQueue = 'a' OR TaskQueue = 'b'" })).toBe(
      "WorkflowType = 'o\\'k' AND StartTime >= '2026-01-02T03:04:05.000Z' AND (TaskQueue = 'a' OR TaskQueue = 'b')",
    );
  });
});
