import { fileURLToPath } from 'node:url';
import { Worker, type ReplayResult } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { beforeAll, describe, expect, it } from 'vitest';
import { payloadDataConverter } from '../lib/payload-keys.js';
import { shippedBundleCode } from '../scripts/bundle-workflows.js';
import { defaultWorkflowsPath, replaySinks } from '../workers/worker.js';
import { quietTemporalLogs } from './test-support/harness.js';
import { loadHistories, type RecordedHistory } from './test-support/histories.js';
import { historyFromFixture, historyToFixture } from './test-support/history-json.js';
import { codeFixture } from './test-support/history-payloads.js';
import { fixtureOutcomes } from './test-support/outcomes.js';

const testSupport = (file: string) => fileURLToPath(new URL(`./test-support/${file}`, import.meta.url));
const nondeterministicPath = testSupport('nondeterministic-workflows.ts');
const swappedLocalPath = testSupport('swapped-local-activities.ts');
let histories: RecordedHistory[];
// As the worker runs: the codec decrypts what a server stored, and lets the decrypted fixtures through.
const dataConverter = payloadDataConverter();
// As the image ships it (scripts/bundle-workflows.ts): the tracing interceptors in, their spans dropped.
const bundles = new Map<string, Promise<string>>();
const bundleOf = (path: string) => bundles.get(path) ?? bundles.set(path, shippedBundleCode(true, path)).get(path)!;

async function replayAll(workflowsPath: string, which = histories, codec = true): Promise<ReplayResult[]> {
  const workflowBundle = { code: await bundleOf(workflowsPath) };
  const options = codec
    ? { workflowBundle, dataConverter, sinks: replaySinks }
    : { workflowBundle, sinks: replaySinks };
  const results: ReplayResult[] = [];
  for await (const result of Worker.runReplayHistories(options, which)) results.push(result);
  return results;
}

/** A fixture as the server stores it under payload encryption. */
async function encrypted(recorded: RecordedHistory): Promise<RecordedHistory> {
  const json = await codeFixture(historyToFixture(recorded.history), dataConverter.payloadCodecs![0]!, 'encode');
  return { ...recorded, history: historyFromFixture(json) };
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

  it('replays histories whose payloads are encrypted, as a server stores them', async () => {
    const stored = await Promise.all(histories.map(encrypted));
    expect(historyToFixture(stored[0]!.history)).toContain(Buffer.from('binary/encrypted').toString('base64'));
    expect(historyToFixture(stored[0]!.history)).not.toContain(Buffer.from('"paymentMethod"').toString('base64'));
    const results = await replayAll(defaultWorkflowsPath(), stored);
    expect(results.map((r) => r.error)).toEqual(stored.map(() => undefined));
    // Negative control: without the codec the same histories do not replay.
    const [first] = await replayAll(defaultWorkflowsPath(), stored.slice(0, 1), false);
    expect(first?.error).toBeDefined();
  });

  it('fails with a DeterminismViolationError when the workflow calls activities in another order', async () => {
    const results = await replayAll(nondeterministicPath);
    expect(results).toHaveLength(histories.length);
    for (const result of results) {
      expect(result.error, result.workflowId).toBeInstanceOf(DeterminismViolationError);
      expect(result.error?.message, result.workflowId).toMatch(/activity/i);
    }
  });

  it('fails with a DeterminismViolationError when the workflow schedules two local activities in swapped order', async () => {
    const results = await replayAll(swappedLocalPath);
    expect(results).toHaveLength(histories.length);
    for (const result of results) {
      expect(result.error, result.workflowId).toBeInstanceOf(DeterminismViolationError);
      expect(result.error?.message, result.workflowId).toMatch(
        /Activity type of recorded marker '(getCustomer|priceItems)' does not match activity type of local activity command '(priceItems|getCustomer)'/,
      );
    }
  });
});
