import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, DefaultLogger, Worker, type ReplayResult } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultWorkflowsPath } from '../workers/worker.js';
import { quietTemporalLogs } from './fixtures/harness.js';
import { historyFromFixture } from './fixtures/history-json.js';
import { fixtureOutcomes } from './fixtures/outcomes.js';

const fixturesDir = fileURLToPath(new URL('./fixtures/', import.meta.url));
const nondeterministicPath = fileURLToPath(new URL('./fixtures/nondeterministic-workflows.ts', import.meta.url));
let histories: { workflowId: string; history: ReturnType<typeof historyFromFixture> }[];

async function replayAll(workflowsPath: string): Promise<ReplayResult[]> {
  const workflowBundle = await bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('ERROR') });
  const results: ReplayResult[] = [];
  for await (const result of Worker.runReplayHistories({ workflowBundle }, histories)) results.push(result);
  return results;
}

beforeAll(async () => {
  quietTemporalLogs();
  const files = (await readdir(fixturesDir)).filter((file) => file.endsWith('.json')).sort();
  histories = await Promise.all(
    files.map(async (file) => ({
      workflowId: file.replace(/\.json$/, ''),
      history: historyFromFixture(await readFile(`${fixturesDir}${file}`, 'utf8')),
    })),
  );
});

describe('replay of recorded histories', () => {
  it('has a fixture for every captured outcome', () => {
    expect(histories.map((h) => h.workflowId).sort()).toEqual(fixtureOutcomes.map((o) => o.name).sort());
  });

  it('replays every fixture with the current workflow code without error', async () => {
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
      expect(result.error?.message).toMatch(/activity/i);
    }
  });
});
