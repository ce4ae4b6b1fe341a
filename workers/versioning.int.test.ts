import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { WORKFLOW_TYPE, type OrderSagaState } from '../contracts/order-saga.js';
import { waitFor } from '../scripts/processes.js';
import { ensureTemporal } from '../scripts/tools.js';
import { connectHarness, type Harness } from '../workflows/test-support/harness.js';
import { mockActivities, orderInput } from '../workflows/test-support/mock-activities.js';
import { bundleBuildId, describeDeployment, makeCurrentVersion, pinnedToVersion } from './deployment.js';
import { createWorker } from './worker.js';

const runId = inject('runId');
const suffix = `${runId}-${Math.random().toString(36).slice(2, 8)}`;
const taskQueue = `versioning-${suffix}`;
const deploymentName = `durable-shop-test-${suffix}`;
const secondBuild = fileURLToPath(new URL('../workflows/test-support/second-build-workflows.ts', import.meta.url));
let harness: Harness;
const stops: (() => Promise<void>)[] = [];
let release: () => void = () => undefined;
const held = new Promise<void>((resolve) => (release = resolve));
const early = `versioned-early-${suffix}`;
const late = `versioned-late-${suffix}`;

async function startBuild(code: string, activities: object) {
  const version = { deploymentName, buildId: bundleBuildId(code) };
  const worker = await createWorker({
    connection: harness.connection,
    taskQueue,
    activities,
    workflowBundle: { code },
    dataConverter: harness.dataConverter,
    shutdownGraceMs: 2000,
    deploymentVersion: version,
  });
  const running = worker.run();
  stops.push(async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running;
  });
  const { client } = harness;
  const promote = () => makeCurrentVersion(client.workflowService, 'default', version, 'versioning-test');
  await waitFor(
    `build ${version.buildId} current`,
    () =>
      promote().then(
        () => true,
        () => false,
      ),
    30_000,
    250,
  );
  return version;
}

const versioningInfoOf = async (workflowId: string) =>
  (await harness.client.workflow.getHandle(workflowId).describe()).raw.workflowExecutionInfo?.versioningInfo;

beforeAll(async () => {
  harness = await connectHarness(inject('temporalAddress'));
});

afterAll(async () => {
  release();
  for (const stop of stops.reverse()) await stop();
  await harness?.close();
});

describe('Worker Versioning', () => {
  it('finishes an order on the build it started on while new orders run on the new current build', async () => {
    const first = mockActivities((orderId) => (orderId === early ? { hold: { reserveInventory: held } } : {}));
    const second = mockActivities(() => ({}));
    const buildA = await startBuild(harness.bundle.code, first.activities);
    const earlyHandle = await harness.client.workflow.start(WORKFLOW_TYPE, {
      workflowId: early,
      taskQueue,
      args: [orderInput(early)],
    });
    await waitFor('the early order to hold stock', async () => first.namesFor(early).includes('reserveInventory'));

    const code = (await bundleWorkflowCode({ workflowsPath: secondBuild, logger: new DefaultLogger('ERROR') })).code;
    const buildB = await startBuild(code, second.activities);
    expect(buildB.buildId).not.toBe(buildA.buildId);
    const lateResult = (await harness.client.workflow.execute(WORKFLOW_TYPE, {
      workflowId: late,
      taskQueue,
      args: [orderInput(late)],
    })) as OrderSagaState & { build?: string };
    expect(lateResult).toMatchObject({ status: 'CONFIRMED', build: 'second' });
    expect(first.namesFor(late)).toEqual([]);

    const pinned = `TaskQueue = '${taskQueue}' AND ${pinnedToVersion(buildA)}`;
    await waitFor(
      'the early order listed as pinned to build A',
      async () => (await harness.client.workflow.count(pinned)).count === 1,
      20_000,
    );
    release();
    const earlyResult = (await earlyHandle.result()) as OrderSagaState & { build?: string };
    expect(earlyResult.status).toBe('CONFIRMED');
    expect(earlyResult.build).toBeUndefined();
    expect(first.namesFor(early)).toContain('finalizeOrder');
    expect(second.namesFor(early)).toEqual([]);

    for (const [workflowId, buildId] of [
      [early, buildA.buildId],
      [late, buildB.buildId],
    ] as const) {
      const info = await versioningInfoOf(workflowId);
      expect({ workflowId, behavior: info?.behavior, buildId: info?.deploymentVersion?.buildId }).toEqual({
        workflowId,
        behavior: 1, // VERSIONING_BEHAVIOR_PINNED
        buildId,
      });
    }
    const summary = await describeDeployment(harness.client.workflowService, 'default', deploymentName);
    expect(summary?.currentBuildId).toBe(buildB.buildId);
    expect(summary?.versions.map((v) => v.buildId).sort()).toEqual([buildA.buildId, buildB.buildId].sort());
  }, 120_000);

  it('is what `temporal worker deployment describe` shows', async () => {
    const { stdout } = await promisify(execFile)(await ensureTemporal(), [
      'worker',
      'deployment',
      'describe',
      '--name',
      deploymentName,
      '--address',
      inject('temporalAddress'),
      '--output',
      'json',
    ]);
    const described = JSON.parse(stdout) as {
      routingConfig: { currentVersionBuildID: string };
      versionSummaries: { BuildID: string; drainageStatus: string }[];
    };
    const summary = await describeDeployment(harness.client.workflowService, 'default', deploymentName);
    expect(described.routingConfig.currentVersionBuildID).toBe(summary?.currentBuildId);
    const versions = Object.fromEntries(described.versionSummaries.map((v) => [v.BuildID, v.drainageStatus]));
    expect(Object.keys(versions).sort()).toEqual(summary?.versions.map((v) => v.buildId).sort());
    // The old build no longer takes new orders: the server reports it draining (or drained once they finished).
    const old = summary!.versions.find((v) => v.buildId !== summary!.currentBuildId)!.buildId;
    expect(versions[old]).toMatch(/^(draining|drained)$/);
  });
});
