import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DataConverter, WorkerDeploymentVersion } from '@temporalio/common';
import {
  Worker,
  type ActivityInterceptorsFactory,
  type NativeConnection,
  type WorkerOptions,
  type InjectedSinks,
  type WorkflowBundleOption,
} from '@temporalio/worker';
import type { OrderProgressSinks } from '../contracts/order-saga.js';
import type { SpanPipeline } from '../lib/telemetry.js';
import { noProgressSinks } from './progress.js';

export interface WorkerLimits {
  maxConcurrentActivities: number;
  maxConcurrentWorkflowTasks: number;
  /** Workflows kept in memory between tasks (a running saga stays cached; a finished one is evicted). */
  maxCachedWorkflows: number;
}

export interface CreateWorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  taskQueue: string;
  activities: object;
  /** Payload encryption (lib/payload-keys.ts); absent: payloads are stored as plain JSON. */
  dataConverter?: DataConverter;
  /** A prebuilt bundle (`{ codePath }` or `{ code }`); otherwise `workflowsPath` is bundled at start. */
  workflowBundle?: WorkflowBundleOption;
  workflowsPath?: string;
  limits?: Partial<WorkerLimits>;
  /** How long in-flight activities may finish after shutdown() before they are cancelled. */
  shutdownGraceMs?: number;
  /** OpenTelemetry span pipeline (lib/telemetry.ts); absent: no tracing interceptors. */
  tracing?: SpanPipeline;
  /** Where the sagas' live state goes (workers/progress.ts); absent: nowhere. */
  progressSinks?: InjectedSinks<OrderProgressSinks>;
  /** Extra activity interceptors (saga metrics), outermost first, before the tracing ones. */
  activityInterceptors?: ActivityInterceptorsFactory[];
  /** Worker Versioning: polls as this version of its deployment (workers/deployment.ts); absent: unversioned. */
  deploymentVersion?: WorkerDeploymentVersion;
}

/** workflows/workflows.ts from source (tsx, tests), or the compiled .js under dist/. */
export function defaultWorkflowsPath(): string {
  const ts = fileURLToPath(new URL('../workflows/workflows.ts', import.meta.url));
  return existsSync(ts) ? ts : fileURLToPath(new URL('../workflows/workflows.js', import.meta.url));
}

/** The OpenTelemetry interceptors are loaded only when tracing is on; off, a no-op sink drops the spans of a bundle that carries them. */
async function tracingOptions(tracing: SpanPipeline | undefined, prebuiltBundle: boolean) {
  if (!tracing) return { sinks: { exporter: { export: { fn: () => {} } } } };
  const { tracingWorkerOptions } = await import('./tracing.js');
  return tracingWorkerOptions(tracing, prebuiltBundle);
}

/** Every sink the shipped bundle calls (spans, order progress), dropped: what a replay of it needs. */
export const replaySinks = { exporter: { export: { fn: () => {} } }, ...noProgressSinks };

/** The order worker: saga workflows plus the activities that call the services. */
export async function createWorker(options: CreateWorkerOptions): Promise<Worker> {
  const { connection, namespace = 'default', taskQueue, activities, limits = {} } = options;
  const code = options.workflowBundle
    ? { workflowBundle: options.workflowBundle }
    : { workflowsPath: options.workflowsPath ?? defaultWorkflowsPath() };
  const tracing = await tracingOptions(options.tracing, options.workflowBundle !== undefined);
  const sinks = { ...tracing.sinks, ...(options.progressSinks ?? noProgressSinks) };
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    activities,
    ...code,
    ...(options.dataConverter ? { dataConverter: options.dataConverter } : {}),
    ...(options.deploymentVersion ? versioned(options.deploymentVersion) : {}),
    ...withActivityInterceptors({ ...tracing, sinks }, options.activityInterceptors),
    maxConcurrentActivityTaskExecutions: limits.maxConcurrentActivities ?? 100,
    maxConcurrentLocalActivityExecutions: limits.maxConcurrentActivities ?? 100,
    // One workflow thread runs one task at a time: a few slots keep it busy; more only queue inside the worker.
    maxConcurrentWorkflowTaskExecutions: limits.maxConcurrentWorkflowTasks ?? 16,
    // Pollers follow the backlog instead of holding 10 long polls each way open on an idle queue.
    workflowTaskPollerBehavior: { type: 'autoscaling', minimum: 1, initial: 2, maximum: 8 },
    activityTaskPollerBehavior: { type: 'autoscaling', minimum: 1, initial: 2, maximum: 8 },
    // The SDK's default sizes the cache from the heap limit (thousands of workflows): an order saga
    // lives seconds, so a few hundred cover any realistic backlog at a fraction of the memory.
    maxCachedWorkflows: limits.maxCachedWorkflows ?? 500,
    reuseV8Context: true,
    shutdownGraceTime: options.shutdownGraceMs ?? 10_000,
  });
}

function withActivityInterceptors(
  tracing: Pick<WorkerOptions, 'interceptors' | 'sinks'>,
  extra: ActivityInterceptorsFactory[] = [],
): Pick<WorkerOptions, 'interceptors' | 'sinks'> {
  if (extra.length === 0) return tracing;
  const activity = [...extra, ...(tracing.interceptors?.activity ?? [])];
  return { ...tracing, interceptors: { ...tracing.interceptors, activity } };
}

/** placeOrder declares PINNED itself; the default covers any workflow that does not say. */
function versioned(version: WorkerDeploymentVersion): Pick<WorkerOptions, 'workerDeploymentOptions'> {
  return { workerDeploymentOptions: { useWorkerVersioning: true, version, defaultVersioningBehavior: 'PINNED' } };
}
