import { ActivityFailure, ApplicationFailure, isCancellation } from '@temporalio/workflow';
import type { FailureReason } from '../contracts/orders.js';
import { BusinessFailure } from '../contracts/order-saga.js';

/** Thrown at a step boundary once a cancel has been accepted. */
export class CancelRequested extends Error {
  constructor() {
    super('cancel requested');
    this.name = 'CancelRequested';
  }
}

export type Outcome = { status: 'FAILED'; reason: FailureReason } | { status: 'CANCELLED' };

const reasons: readonly FailureReason[] = [
  BusinessFailure.CUSTOMER_INACTIVE,
  BusinessFailure.PRODUCT_NOT_FOUND,
  BusinessFailure.OUT_OF_STOCK,
  BusinessFailure.PAYMENT_DECLINED,
];

/** A regular activity's refusal arrives as ActivityFailure(ApplicationFailure); a local activity's as the ApplicationFailure. */
function businessReason(error: unknown): FailureReason | undefined {
  const refusal = error instanceof ActivityFailure ? error.cause : error;
  if (!(refusal instanceof ApplicationFailure)) return undefined;
  return reasons.find((reason) => reason === refusal.type);
}

/** A business refusal from a forward step (the saga's answer is FAILED, never a retry). */
export const isBusinessRefusal = (error: unknown): boolean => businessReason(error) !== undefined;

/**
 * Thrown for a failure the saga has no answer to. It is not a TemporalFailure, so it fails the workflow
 * *task*, which Temporal retries: the order stays PENDING and visible, never closed half-done.
 */
class UnexpectedSagaFailure extends Error {
  constructor(cause: unknown) {
    super(`unexpected saga failure: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'UnexpectedSagaFailure';
  }
}

/**
 * Why the saga stopped before the point of no return. An accepted cancel wins over a refusal that
 * arrived in the same step (the customer was told the cancel was accepted). Anything else is a bug:
 * it fails the workflow task (retried until the code is fixed), never the workflow.
 */
export function outcomeOf(error: unknown, cancelRequested: boolean): Outcome {
  if (cancelRequested || error instanceof CancelRequested || isCancellation(error)) return { status: 'CANCELLED' };
  const reason = businessReason(error);
  if (reason) return { status: 'FAILED', reason };
  throw new UnexpectedSagaFailure(error);
}
