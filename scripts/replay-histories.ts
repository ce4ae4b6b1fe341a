// The replay check before a deploy (`npm run replay`): histories from the server through the bundle that ships.
import type { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { Worker, type ReplayWorkerOptions, type WorkflowBundleOption } from '@temporalio/worker';
import { WORKFLOW_TYPE } from '../contracts/order-saga.js';
import { replaySinks } from '../workers/worker.js';

export interface ReplayQuery {
  /** Executions started at or after this instant. */
  since: Date;
  /** Executions of this workflow type. */
  workflowType?: string;
  /** More visibility clauses, ANDed (e.g. `TaskQueue = "orders"`). */
  where?: string;
}

/** The visibility query of the executions to replay, open and closed alike (SQL visibility has no ORDER BY). */
export function replayVisibilityQuery({ since, workflowType = WORKFLOW_TYPE, where }: ReplayQuery): string {
  const clauses = [`WorkflowType = '${workflowType.replaceAll("'", "\\'")}'`, `StartTime >= '${since.toISOString()}'`];
  if (where?.trim()) clauses.push(`(${where.trim()})`);
  return clauses.join(' AND ');
}

export interface ReplayFailure {
  workflowId: string;
  runId: string;
  /** `DeterminismViolationError` when the commands diverge; `ReplayError` when a workflow task failed. */
  kind: string;
  message: string;
}

export interface ReplayReport {
  replayed: number;
  failures: ReplayFailure[];
}

export interface ReplayFromServerOptions {
  client: Client;
  /** The bundle the worker loads (`{ codePath }` of the shipped file, or `{ code }`). */
  workflowBundle: WorkflowBundleOption;
  dataConverter: DataConverter;
  query: string;
  limit: number;
  onResult?: (workflowId: string, failure?: ReplayFailure) => void;
}

async function* firstN<T>(items: AsyncIterable<T>, limit: number): AsyncIterable<T> {
  let count = 0;
  if (limit <= 0) return;
  for await (const item of items) {
    yield item;
    if (++count >= limit) return;
  }
}

/** Core's own words (`[TMPRL1100] Nondeterminism error: …`) out of the replayer's wrapping, when they are there. */
const essence = (message: string) => /\[TMPRL\d+\][^"]*/.exec(message)?.[0] ?? message;

/** Replays up to `limit` matching histories with the worker's bundle and codec; every divergence is a failure. */
export async function replayFromServer(options: ReplayFromServerOptions): Promise<ReplayReport> {
  const { client, workflowBundle, dataConverter, query, limit } = options;
  // As the worker runs a bundle that carries the tracing interceptors with tracing off, progress dropped.
  const replayOptions: ReplayWorkerOptions = {
    workflowBundle,
    dataConverter,
    sinks: replaySinks,
  };
  const histories = firstN(client.workflow.list({ query }).intoHistories({ concurrency: 4 }), limit);
  const report: ReplayReport = { replayed: 0, failures: [] };
  for await (const result of Worker.runReplayHistories(replayOptions, histories)) {
    report.replayed += 1;
    const failure = result.error
      ? {
          workflowId: result.workflowId,
          runId: result.runId,
          kind: result.error.name,
          message: essence(result.error.message),
        }
      : undefined;
    if (failure) report.failures.push(failure);
    options.onResult?.(result.workflowId, failure);
  }
  return report;
}
