import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { RECONCILE_WORKFLOW_TYPE, WORKFLOW_TYPE, type OrderSagaState } from '../contracts/order-saga.js';
import { FAILURE_CONVERTER_PATH } from '../lib/payload-keys.js';
import { drainOlderBuilds } from '../scripts/drain-builds.js';
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

let secondCode: Promise<string> | undefined;
const secondBuildCode = () =>
  (secondCode ??= bundleWorkflowCode({
    workflowsPath: secondBuild,
    failureConverterPath: FAILURE_CONVERTER_PATH,
    logger: new DefaultLogger('ERROR'),
  }).then((bundle) => bundle.code));

async function startBuild(
  code: string,
  activities: object,
  options: { deployment?: string; queue?: string; current?: boolean } = {},
) {
  const version = { deploymentName: options.deployment ?? deploymentName, buildId: bundleBuildId(code) };
  const worker = await createWorker({
    connection: harness.connection,
    taskQueue: options.queue ?? taskQueue,
    activities,
    workflowBundle: { code },
    dataConverter: harness.dataConverter,
    shutdownGraceMs: 2000,
    deploymentVersion: version,
  });
  const running = worker.run();
  const stop = async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running;
  };
  stops.push(stop);
  const promote = () => makeCurrentVersion(harness.client.workflowService, 'default', version, 'versioning-test');
  const promoted = () =>
    promote().then(
      () => true,
      () => false,
    );
  if (options.current !== false) await waitFor(`build ${version.buildId} current`, promoted, 30_000, 250);
  return { ...version, stop };
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

    const buildB = await startBuild(await secondBuildCode(), second.activities);
    expect(buildB.buildId).not.toBe(buildA.buildId);
    const lateResult = (await harness.client.workflow.execute(WORKFLOW_TYPE, {
      workflowId: late,
      taskQueue,
      args: [orderInput(late)],
    })) as OrderSagaState & { build?: string };
    expect(lateResult).toMatchObject({ status: 'CONFIRMED', build: 'second' });
    expect(first.namesFor(late)).toEqual([]);

    const pinned = pinnedToVersion(buildA);
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

  it('npm start drains an older build: a worker of its cached bundle runs until its pinned orders finish', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bundles-'));
    const [codeA, codeB] = [harness.bundle.code, await secondBuildCode()];
    const [fileA, fileB] = [join(dir, 'workflow-bundle-aaaa.js'), join(dir, 'workflow-bundle-bbbb.js')];
    await Promise.all([writeFile(fileA, codeA), writeFile(fileB, codeB)]);
    const deployment = `${deploymentName}-drain`;
    const queue = `${taskQueue}-drain`;
    const mock = mockActivities(() => ({}));
    try {
      const buildA = await startBuild(codeA, mock.activities, { deployment, queue });
      const orderId = `versioned-drained-${suffix}`;
      const handle = await harness.client.workflow.start(WORKFLOW_TYPE, {
        workflowId: orderId,
        taskQueue: queue,
        args: [orderInput(orderId, { cancelWindowMs: 3000 })],
      });
      await waitFor('the order in its cancellation window', async () =>
        mock.namesFor(orderId).includes('authorizePayment'),
      );
      await buildA.stop(); // npm start restarted with new workflow code
      const other = mockActivities(() => ({}));
      await startBuild(codeB, other.activities, { deployment, queue });
      // Past its window, the order waits for a worker of its build: the new build never takes it.
      await new Promise((resolve) => setTimeout(resolve, 4000));
      expect((await handle.describe()).status.name).toBe('RUNNING');
      expect(other.namesFor(orderId)).toEqual([]);
      expect(mock.namesFor(orderId)).not.toContain('capturePayment');
      const said: string[] = [];
      const drainer = await drainOlderBuilds({
        client: harness.client,
        namespace: 'default',
        deploymentName: deployment,
        currentBundle: fileB,
        bundleDir: dir,
        say: (line) => said.push(line),
        intervalMs: 300,
        startWorker: async (bundlePath, buildId) => {
          expect(bundlePath).toBe(fileA);
          const { stop } = await startBuild(codeA, mock.activities, { deployment, queue, current: false });
          return { stop, buildId };
        },
      });
      expect(said).toEqual([
        `build ${buildA.buildId} still has 1 open order(s): running a worker of it until they finish`,
      ]);
      const result = (await handle.result()) as OrderSagaState & { build?: string };
      expect(result).toMatchObject({ status: 'CONFIRMED' });
      expect(result.build).toBeUndefined();
      await waitFor(
        'the drain worker stopped',
        async () => said.includes(`build ${buildA.buildId} drained: its worker stopped`),
        30_000,
      );
      await drainer.stop();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('moves a running reconciler pass to the new current build (AUTO_UPGRADE), where an order would stay pinned', async () => {
    const deployment = `${deploymentName}-reconcile`;
    const queue = `${taskQueue}-reconcile`;
    let releasePage: () => void = () => undefined;
    const pageHeld = new Promise<void>((resolve) => (releasePage = resolve));
    const emptyPage = { orderIds: [], listed: 0, running: 0, nextCursor: null };
    const reads = (wait?: Promise<void>) => ({
      staleOrderPage: async () => {
        await wait;
        return emptyPage;
      },
    });
    const buildA = await startBuild(harness.bundle.code, reads(pageHeld), { deployment, queue });
    const workflowId = `reconcile-upgraded-${suffix}`;
    const handle = await harness.client.workflow.start(RECONCILE_WORKFLOW_TYPE, {
      workflowId,
      taskQueue: queue,
      args: [{ olderThanSeconds: 60, limit: 10 }],
    });
    await waitFor(
      'the pass to start on build A',
      async () => (await versioningInfoOf(workflowId))?.deploymentVersion?.buildId === buildA.buildId,
    );
    const buildB = await startBuild(await secondBuildCode(), reads(), { deployment, queue });
    releasePage(); // build A's worker finishes the page it holds; the task after it goes to the current build
    await expect(handle.result()).resolves.toMatchObject({ pages: 1, examined: 0 });
    const info = await versioningInfoOf(workflowId);
    expect({ behavior: info?.behavior, buildId: info?.deploymentVersion?.buildId }).toEqual({
      behavior: 2, // VERSIONING_BEHAVIOR_AUTO_UPGRADE
      buildId: buildB.buildId,
    });
  }, 120_000);
});
