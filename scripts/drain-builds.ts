// `npm start` with changed workflow code: orders pinned to an older build of the worker deployment need a worker
// of that build. The launcher finds the older build's bundle in the cache and runs a worker of it (never made
// current) until none of its orders is open.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import { bundleFileBuildId, describeDeployment, pinnedToVersion } from '../workers/deployment.js';
import { workflowBundleCacheDir } from './bundle-workflows.js';
import { freePort } from './processes.js';
import type { AppStack } from './stack.js';

export interface DrainOptions {
  client: Client;
  namespace: string;
  deploymentName: string;
  /** The bundle the stack's worker runs: its build is the current one (it may not have said so to the server yet). */
  currentBundle: string;
  /** Where the cached bundles are (`workflow-bundle-<source hash>.js`). */
  bundleDir: string;
  /** Starts a worker of `buildId` from `bundlePath` that does not make itself current; resolves once it polls. */
  startWorker: (bundlePath: string, buildId: string) => Promise<{ stop: () => Promise<void> }>;
  say: (line: string) => void;
  intervalMs?: number;
}

/** Cached bundles by build id (the hash of their code, as the worker computes it). */
async function cachedBundles(dir: string): Promise<Map<string, string>> {
  const files = await readdir(dir).catch(() => [] as string[]);
  const byBuild = new Map<string, string>();
  for (const file of files.filter((f) => /^workflow-bundle-[0-9a-f]+\.js$/.test(f))) {
    byBuild.set(await bundleFileBuildId(join(dir, file)), join(dir, file));
  }
  return byBuild;
}

/** Starts a drain worker for every older build with open pinned orders; `stop` ends the ones still running. */
export async function drainOlderBuilds(options: DrainOptions): Promise<{ stop: () => Promise<void> }> {
  const { client, namespace, deploymentName, say } = options;
  const summary = await describeDeployment(client.workflowService, namespace, deploymentName);
  const current = await bundleFileBuildId(options.currentBundle);
  const older = (summary?.versions ?? []).filter((v) => v.buildId !== current);
  const openOn = async (buildId: string) =>
    (await client.workflow.count(pinnedToVersion({ deploymentName, buildId }))).count;
  const running = new Set<{ stop: () => Promise<void> }>();
  const timers: NodeJS.Timeout[] = [];
  const bundles = older.length > 0 ? await cachedBundles(options.bundleDir) : new Map<string, string>();
  for (const { buildId } of older) {
    const open = await openOn(buildId);
    if (open === 0) continue;
    const bundlePath = bundles.get(buildId);
    if (!bundlePath) {
      say(
        `!!! ${open} order(s) pinned to build ${buildId}, whose bundle is no longer cached: check out that code and run npm start again, or move them with \`temporal workflow update-options --versioning-override-behavior auto_upgrade\``,
      );
      continue;
    }
    say(`build ${buildId} still has ${open} open order(s): running a worker of it until they finish`);
    const worker = await options.startWorker(bundlePath, buildId);
    running.add(worker);
    const timer = setInterval(() => {
      void openOn(buildId).then(
        async (left) => {
          if (left > 0 || !running.has(worker)) return;
          running.delete(worker);
          clearInterval(timer);
          await worker.stop();
          say(`build ${buildId} drained: its worker stopped`);
        },
        () => undefined,
      );
    }, options.intervalMs ?? 15_000);
    timers.push(timer);
  }
  return {
    stop: async () => {
      for (const timer of timers) clearInterval(timer);
      await Promise.all([...running].map((worker) => worker.stop()));
      running.clear();
    },
  };
}

export interface StackDrainOptions {
  apps: AppStack;
  connection: ConnectionOptions;
  namespace: string;
  deploymentName: string;
  /** Gives each drain worker its own SDK metrics port (the stack's worker holds the configured one). */
  ownMetricsPort: boolean;
  say: (line: string) => void;
}

/** `npm start`'s drain: older builds' workers run as replicas of the stack's worker, on their cached bundles. */
export async function drainStackBuilds(options: StackDrainOptions): Promise<{ stop: () => Promise<void> }> {
  const { apps } = options;
  const connection = await Connection.connect(options.connection);
  const client = new Client({ connection, namespace: options.namespace });
  const drainer = await drainOlderBuilds({
    client,
    namespace: options.namespace,
    deploymentName: options.deploymentName,
    currentBundle: await apps.workflowBundle,
    bundleDir: workflowBundleCacheDir(),
    say: options.say,
    startWorker: async (bundlePath, buildId) => {
      const env = {
        WORKFLOW_BUNDLE_PATH: bundlePath,
        TEMPORAL_BUILD_ID: buildId,
        TEMPORAL_SET_CURRENT_VERSION: 'false',
        ...(options.ownMetricsPort ? { TEMPORAL_METRICS_PORT: String(await freePort()) } : {}),
      };
      const { process: proc } = await apps.startReplica('worker', await freePort(), env);
      return { stop: () => proc.stop(8000) };
    },
  }).catch(async (error: unknown) => {
    await connection.close();
    throw error;
  });
  return {
    stop: async () => {
      await drainer.stop();
      await connection.close();
    },
  };
}
