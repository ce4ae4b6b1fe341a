import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, DefaultLogger, Worker, type ReplayResult } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultWorkflowsPath } from '../workers/worker.js';
import { quietTemporalLogs } from './test-support/harness.js';
import { loadHistories, type RecordedHistory } from './test-support/histories.js';
import { fixtureOutcomes } from './test-support/outcomes.js';

const nondeterministicPath = fileURLToPath(new URL('./test-support/nondeterministic-workflows.ts', import.meta.url));
let histories: RecordedHistory[];

async function replayAll(workflowsPath: string): Promise<ReplayResult[]> {
  const workflowBundle = await bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('ERROR') });
  const results: ReplayResult[] = [];
  for await (const result of Worker.runReplayHistories({ workflowBundle }, histories)) results.push(result);
  return results;
}

beforeAll(async () => {
  quietTemporalLogs();
  histories = await loadHistories();
});

describe('replay of recorded histories', () => {
  it('has a history of every captured outcome', () => {
    expect(histories.map((h) => h.outcome).sort()).toEqual(fixtureOutcomes.map((o) => o.name).sort());
  });

  it('replays every history with the current workflow code without error', async () => {
    const results = await replayAll(defaultWorkflowsPath());
    expect(results).toHaveLength(histories.length);
    for (const result of results)
      expect({ id: result.workflowId, error: result.error }).toEqual({ id: result.workflowId, error: undefined });
  });

  it('fails with a DeterminismViolationError when the workflow calls activities in another order', async () => {
    const results = await replayAll(nondeterministicPath);
    expect(results).toHaveLength(histories.length);
    for (const result of results) {
      expect(result.error, result.workflowId).toBeInstanceOf(DeterminismViolationError);
      expect(result.error?.message, result.workflowId).toMatch(/activity/i);
    }
  });
});
