import { ApplicationFailure } from '@temporalio/activity';
import type { BusinessFailure } from '../contracts/order-saga.js';
import { ServiceRejectedError, ServiceUnavailableError } from '../lib/service-transport.js';

export type BusinessFailureType = (typeof BusinessFailure)[keyof typeof BusinessFailure];

/** Which refusal codes from a service mean a business outcome for one activity. */
export type BusinessCodes = Partial<Record<string, BusinessFailureType>>;

const RETRYABLE_TYPE = {
  unavailable: 'SERVICE_UNAVAILABLE',
  rejected: 'SERVICE_REJECTED',
} as const;

export function businessFailure(type: BusinessFailureType, message: string, details?: unknown): ApplicationFailure {
  return ApplicationFailure.create({
    message,
    type,
    nonRetryable: true,
    details: details === undefined ? [] : [details],
  });
}

/**
 * The one place service errors become Temporal failures. A refusal listed in `codes` is a
 * business outcome (never retried). Anything else is retryable: an unreachable service, a 5xx, a
 * timeout, but also an unexpected 4xx (bad token, contract drift), because failing the saga would
 * strand the order, while retrying lets it finish once the deployment is fixed.
 */
export function toActivityFailure(error: unknown, codes: BusinessCodes = {}): Error {
  if (error instanceof ServiceRejectedError) {
    const type = codes[error.code];
    if (type) return businessFailure(type, error.message, error.problem);
    return ApplicationFailure.create({
      message: error.message,
      type: `${RETRYABLE_TYPE.rejected}:${error.code}`,
      nonRetryable: false,
    });
  }
  if (error instanceof ServiceUnavailableError) {
    return ApplicationFailure.create({ message: error.message, type: RETRYABLE_TYPE.unavailable, nonRetryable: false });
  }
  return error instanceof Error ? error : new Error(String(error));
}

/** Runs one service call, translating its errors. */
export async function mapFailures<T>(run: () => Promise<T>, codes?: BusinessCodes): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toActivityFailure(error, codes);
  }
}
