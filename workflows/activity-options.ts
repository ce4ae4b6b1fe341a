import {
  proxyActivities,
  proxyLocalActivities,
  type ActivityOptions,
  type LocalActivityOptions,
} from '@temporalio/workflow';
import type { SagaActivities } from '../activities/activities.js';
import { BusinessFailure, type PlaceOrderInput } from '../contracts/order-saga.js';

export const DEFAULT_RETRY_INITIAL_INTERVAL_MS = 300;
type RetryTuning = Pick<PlaceOrderInput, 'retryInitialIntervalMs'>;
/** The longest pause between attempts: an order resumes within this long of its dependency's return. */
export const RETRY_MAXIMUM_INTERVAL_MS = 3000;

/**
 * A service down for minutes delays an order, never fails it: retries never run out. Intervals
 * 0.3 s, 0.5 s, 0.8 s, 1.2 s, 2 s, then every 3 s: short enough to resume promptly, long enough that a
 * backlog of a few hundred orders asks a dead service ~100 times a second, not thousands.
 */
function retryPolicy(input: RetryTuning, nonRetryableErrorTypes: string[]): ActivityOptions['retry'] {
  return {
    initialInterval: input.retryInitialIntervalMs ?? DEFAULT_RETRY_INITIAL_INTERVAL_MS,
    backoffCoefficient: 1.6,
    maximumInterval: RETRY_MAXIMUM_INTERVAL_MS,
    maximumAttempts: Number.POSITIVE_INFINITY,
    nonRetryableErrorTypes,
  };
}

/** Forward steps: business refusals end the saga, everything else is retried. */
export function forwardOptions(input: PlaceOrderInput): ActivityOptions {
  return { startToCloseTimeout: '10s', retry: retryPolicy(input, Object.values(BusinessFailure)) };
}

/** Compensations and finalization: nothing is a reason to give up. */
export function compensationOptions(input: RetryTuning = {}): ActivityOptions {
  return { startToCloseTimeout: '10s', retry: retryPolicy(input, []) };
}

export type SagaStubs = ReturnType<typeof proxyActivities<SagaActivities>>;
export type ActivitiesWithSummary = (summary: string) => SagaStubs;

/** Activity stubs whose calls carry a human-readable summary in the Web UI. */
export function activitiesWith(options: ActivityOptions): ActivitiesWithSummary {
  return (summary) => proxyActivities<SagaActivities>({ ...options, summary });
}

/** Local activity stubs (run inside the workflow task: no server round trip), with the same summaries. */
export function localActivitiesWith(options: ActivityOptions): ActivitiesWithSummary {
  const { startToCloseTimeout, retry } = options;
  const local: LocalActivityOptions = { startToCloseTimeout, retry };
  return (summary) => proxyLocalActivities<SagaActivities>({ ...local, summary });
}
