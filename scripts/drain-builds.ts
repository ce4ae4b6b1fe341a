// `npm start` with changed workflow code: orders pinned to an older build of the worker deployment need a worker
// of that build. The launcher finds the older build's bundle in the cache and runs a worker of it (never made
// current) until none of its orders is open.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { bundleFileBuildId, describeDeployment, pinnedToVersion } from '../workers/deployment.js';

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
