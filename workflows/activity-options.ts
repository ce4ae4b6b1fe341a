import {
  proxyActivities,
  proxyLocalActivities,
  type ActivityOptions,
  type LocalActivityOptions,
} from '@temporalio/workflow';
import type { SagaActivities } from '../activities/activities.js';
import { BusinessFailure } from '../contracts/order-saga.js';
import { isBusinessRefusal } from './outcome.js';

/** The longest pause between attempts: an order resumes within this long of its dependency's return. */
const RETRY_MAXIMUM_INTERVAL_MS = 3000;
/** Attempts of a local activity (about 3 s with the backoff below) before the call moves to a regular activity. */
const LOCAL_ATTEMPTS = 5;

/**
 * A service down for minutes delays an order, never fails it: retries never run out. Intervals
 * 0.3 s, 0.5 s, 0.8 s, 1.2 s, 2 s, then every 3 s: short enough to resume promptly, long enough that a
 * backlog of a few hundred orders asks a dead service ~100 times a second, not thousands.
 */
function retryPolicy(nonRetryableErrorTypes: string[]): ActivityOptions['retry'] {
  return {
    initialInterval: 300,
    backoffCoefficient: 1.6,
    maximumInterval: RETRY_MAXIMUM_INTERVAL_MS,
    maximumAttempts: Number.POSITIVE_INFINITY,
    nonRetryableErrorTypes,
  };
}

/** Forward steps: business refusals end the saga, everything else is retried. */
export const forwardOptions: ActivityOptions = {
  startToCloseTimeout: '10s',
  retry: retryPolicy(Object.values(BusinessFailure)),
};

/** Compensations and finalization: nothing is a reason to give up. */
export const compensationOptions: ActivityOptions = { startToCloseTimeout: '10s', retry: retryPolicy([]) };

export type SagaStubs = ReturnType<typeof proxyActivities<SagaActivities>>;
export type StepCall<T> = (acts: SagaStubs) => Promise<T>;

/**
 * Runs a short call as a local activity (no server round trip) for a few seconds; if it has not
 * succeeded by then (a service is down), the same call continues as a regular activity, retried by the
 * server, so a long outage does not keep the workflow task busy (Temporal's guidance for local activities).
 */
export function localFirst(options: ActivityOptions) {
  const { startToCloseTimeout, retry } = options;
  const local: LocalActivityOptions = {
    startToCloseTimeout,
    scheduleToCloseTimeout: '10s',
    retry: { ...retry, maximumAttempts: LOCAL_ATTEMPTS },
  };
  return async <T>(summary: string, call: StepCall<T>): Promise<T> => {
    try {
      return await call(proxyLocalActivities<SagaActivities>({ ...local, summary }));
    } catch (error) {
      if (isBusinessRefusal(error)) throw error;
      return call(proxyActivities<SagaActivities>({ ...options, summary }));
    }
  };
}
