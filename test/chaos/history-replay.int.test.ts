import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { WORKFLOW_TYPE } from '../../contracts/order-saga.js';
import { buildWorkflowBundle, ensureWorkflowBundle } from '../../scripts/bundle-workflows.js';
import { waitFor } from '../../scripts/processes.js';
import { connectHarness, startWorker, type Harness, type RunningWorker } from '../../workflows/test-support/harness.js';
import { mockActivities, orderInput, type Scenario } from '../../workflows/test-support/mock-activities.js';
import { replayViolations, runReplayCommand, workerReplayTarget, type ReplayTarget } from './history-replay.js';

// The chaos run's replay step against a few real histories (confirmed; declined and out of stock, compensated):
// it passes with the bundle a stack runs and names every order when the bundle is non-deterministic.
const runId = inject('runId');
const taskQueue = `chaos-replay-${runId}-${Math.random().toString(36).slice(2, 8)}`;
const scenarios: Record<string, Scenario> = {
  [`chaos-replay-ok-${runId}`]: {},
  [`chaos-replay-declined-${runId}`]: { declined: true },
  [`chaos-replay-outofstock-${runId}`]: { outOfStock: true },
};
const orders = Object.keys(scenarios);
const nondeterministic = fileURLToPath(
  new URL('../../workflows/test-support/nondeterministic-workflows.ts', import.meta.url),
);
let harness: Harness;
let worker: RunningWorker;
let tmp: string;
const startedAt = Date.now();
const target = (bundle: string): ReplayTarget => ({
  env: { TEMPORAL_ADDRESS: inject('temporalAddress') },
  bundle,
  taskQueue,
});

beforeAll(async () => {
  harness = await connectHarness(inject('temporalAddress'));
  worker = await startWorker(harness, taskQueue, mockActivities((orderId) => scenarios[orderId] ?? {}).activities);
  tmp = await mkdtemp(join(tmpdir(), 'chaos-replay-'));
  const start = (orderId: string) =>
    harness.client.workflow.execute(WORKFLOW_TYPE, { workflowId: orderId, taskQueue, args: [orderInput(orderId)] });
  await Promise.all(orders.map(start));
  const visible = async () => (await harness.client.workflow.count(`TaskQueue = '${taskQueue}'`)).count === 3;
  await waitFor('visibility of every order', visible, 20_000, 200);
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await harness?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('the chaos run replay step (npm run replay on the worker bundle)', () => {
  it('replays every history through the bundle a stack worker runs', async () => {
    const outcome = await runReplayCommand(
      target(await ensureWorkflowBundle({ tracing: false })),
      Date.now() - startedAt,
    );
    expect(outcome.replayed).toBe(orders.length);
    expect(replayViolations(outcome, orders)).toEqual({ 'history that does not replay': [] });
    expect(outcome.exitCode).toBe(0);
  }, 120_000);

  it('names every order, with the mismatch, when the bundle is non-deterministic', async () => {
    const bundle = join(tmp, 'nondeterministic-bundle.js');
    await buildWorkflowBundle(bundle, false, nondeterministic);
    const outcome = await runReplayCommand(target(bundle), Date.now() - startedAt);
    const found = replayViolations(outcome, orders)['history that does not replay'];
    expect(outcome.exitCode).toBe(1);
    expect(found).toHaveLength(orders.length);
    for (const orderId of orders)
      expect(found).toContainEqual(
        expect.stringMatching(new RegExp(`^${orderId} .*DeterminismViolationError: .*Nondeterminism`)),
      );
  }, 120_000);

  it('fails when it replays fewer histories than the run has orders, or cannot replay at all', async () => {
    const bundle = await ensureWorkflowBundle({ tracing: false });
    const outcome = await runReplayCommand(target(bundle), Date.now() - startedAt);
    expect(replayViolations(outcome, [...orders, 'an-order-without-history'])).toEqual({
      'history that does not replay': [`replayed ${orders.length} histories for ${orders.length + 1} orders`],
    });
    const missing = await runReplayCommand(target(join(tmp, 'no-such-bundle.js')), Date.now() - startedAt);
    expect(replayViolations(missing, orders)['history that does not replay']).toEqual([
      expect.stringMatching(/^npm run replay did not finish \(exit 2\)/),
    ]);
  }, 120_000);
});

describe('workerReplayTarget', () => {
  it("reads the worker's bundle and Temporal and key settings from its process environment", async () => {
    const dataDir = join(tmp, 'data');
    const env = {
      ...process.env,
      DATA_DIR: dataDir,
      WORKFLOW_BUNDLE_PATH: '/bundles/workflow-bundle-abc.js',
      TEMPORAL_ADDRESS: '127.0.0.1:7299',
      TEMPORAL_TASK_QUEUE: 'orders-x',
      PAYLOAD_KEYS: 'k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
    };
    const fakeWorker = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { env, stdio: 'ignore' });
    try {
      await waitFor('the process', async () => fakeWorker.pid !== undefined, 5000, 20);
      const found = await workerReplayTarget(dataDir);
      expect(found.bundle).toBe('/bundles/workflow-bundle-abc.js');
      expect(found.taskQueue).toBe('orders-x');
      expect(found.env).toMatchObject({ TEMPORAL_ADDRESS: '127.0.0.1:7299', PAYLOAD_KEYS: env.PAYLOAD_KEYS });
      expect(found.env).not.toHaveProperty('WORKFLOW_BUNDLE_PATH');
    } finally {
      fakeWorker.kill('SIGKILL');
    }
    await expect(workerReplayTarget(join(tmp, 'nothing-runs-here'))).rejects.toThrow(/found none/);
  });
});
