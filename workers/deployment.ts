// Worker Versioning: the worker runs as a version of a Worker Deployment, its build id the hash of its workflow
// bundle; placeOrder is PINNED to the version it started on (docs/changing-the-workflow.md).
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { WorkflowService } from '@temporalio/client';
import type { WorkerDeploymentVersion } from '@temporalio/common';

/** A bundle's build id: the hash of its code, so one build id always names one workflow code. */
export function bundleBuildId(code: string | Uint8Array): string {
  return createHash('sha256').update(code).digest('hex').slice(0, 16);
}

export async function bundleFileBuildId(codePath: string): Promise<string> {
  return bundleBuildId(await readFile(codePath));
}

export interface DeploymentSummary {
  currentBuildId?: string;
  /** Every version the server knows. */
  versions: { buildId: string }[];
}

/** The deployment's current build and its versions; undefined when the server has never seen it. */
export async function describeDeployment(
  service: WorkflowService,
  namespace: string,
  deploymentName: string,
): Promise<DeploymentSummary | undefined> {
  try {
    const { workerDeploymentInfo: info } = await service.describeWorkerDeployment({ namespace, deploymentName });
    const versions = (info?.versionSummaries ?? []).map((summary) => ({
      buildId: summary.deploymentVersion?.buildId ?? '',
    }));
    const currentBuildId = info?.routingConfig?.currentDeploymentVersion?.buildId ?? undefined;
    return { ...(currentBuildId ? { currentBuildId } : {}), versions };
  } catch (error) {
    if ((error as { code?: number }).code === 5) return undefined; // NOT_FOUND
    throw error;
  }
}

/**
 * Routes new workflows of the deployment to `version`. The server knows a version only once one of its workers
 * has polled, so this fails (and is retried by the caller) until then.
 */
export async function makeCurrentVersion(
  service: WorkflowService,
  namespace: string,
  version: WorkerDeploymentVersion,
  identity: string,
): Promise<void> {
  const summary = await describeDeployment(service, namespace, version.deploymentName);
  if (summary?.currentBuildId === version.buildId) return;
  if (!summary?.versions.some((v) => v.buildId === version.buildId))
    throw new Error(`version ${version.deploymentName}:${version.buildId} has not polled yet`);
  await service.setWorkerDeploymentCurrentVersion({
    namespace,
    deploymentName: version.deploymentName,
    buildId: version.buildId,
    identity,
  });
}

/** Visibility clause of the open workflows pinned to a version (system search attribute, `name:buildId`). */
export function pinnedToVersion(version: WorkerDeploymentVersion): string {
  return `TemporalWorkerDeploymentVersion = '${version.deploymentName}:${version.buildId}' AND ExecutionStatus = 'Running'`;
}
