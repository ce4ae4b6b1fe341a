import { ApplicationFailure, CancelledFailure } from '@temporalio/activity';
import type {
  ActivityExecuteInput,
  ActivityInboundCallsInterceptor,
  ActivityInterceptorsFactory,
  Next,
} from '@temporalio/worker';
import { Counter, Histogram, type Registry } from 'prom-client';
import { BusinessFailure, SagaStep } from '../contracts/order-saga.js';
import type { FinalizeInput } from '../activities/activities.js';
import { FailureReason } from '../contracts/orders.js';

/** Activities that undo an earlier step, and which step each one undoes. */
const COMPENSATION_OF: Record<string, string> = {
  [SagaStep.releaseInventory]: SagaStep.reserveInventory,
  [SagaStep.voidPayment]: SagaStep.authorizePayment,
};
const BUSINESS_TYPES = new Set<string>(Object.values(BusinessFailure));
const FINALIZE = 'finalizeOrder';

/** Why an activity attempt failed: a business refusal ends the saga, anything else is retried or cancelled. */
function failureKind(error: unknown): 'business' | 'cancelled' | 'retryable' {
  if (error instanceof CancelledFailure) return 'cancelled';
  if (error instanceof ApplicationFailure && (error.nonRetryable || BUSINESS_TYPES.has(error.type ?? ''))) {
    return 'business';
  }
  return 'retryable';
}

/** Seconds since the saga's first recorded step (the steps travel with the final transition). */
function sagaSeconds(input: FinalizeInput, now: number): number | undefined {
  const starts = input.steps.map((step) => Date.parse(step.at)).filter((at) => Number.isFinite(at));
  return starts.length > 0 ? Math.max(0, (now - Math.min(...starts)) / 1000) : undefined;
}

/**
 * Saga metrics from the worker's side: every activity attempt is one saga step attempt; the
 * finalizeOrder activity carries each order's outcome. Returns the interceptor factory to register.
 */
export function createSagaMetrics(registry: Registry, now: () => number = Date.now): ActivityInterceptorsFactory {
  const registers = [registry];
  const started = new Counter({
    name: 'saga_step_started_total',
    help: 'Saga step attempts started',
    labelNames: ['step'],
    registers,
  });
  const completed = new Counter({
    name: 'saga_step_completed_total',
    help: 'Saga step attempts completed',
    labelNames: ['step'],
    registers,
  });
  const failed = new Counter({
    name: 'saga_step_failed_total',
    help: 'Saga step attempts failed, by kind (business: ends the saga; retryable; cancelled)',
    labelNames: ['step', 'kind'],
    registers,
  });
  const retries = new Counter({
    name: 'saga_step_retries_total',
    help: 'Saga step attempts after the first',
    labelNames: ['step'],
    registers,
  });
  const duration = new Histogram({
    name: 'saga_step_duration_seconds',
    help: 'Saga step attempt duration by outcome',
    labelNames: ['step', 'outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  const compensations = new Counter({
    name: 'saga_compensations_total',
    help: 'Compensations run, by the step they undo and result (compensated, or skipped: nothing to undo)',
    labelNames: ['step', 'result'],
    registers,
  });
  const outcomes = new Counter({
    name: 'orders_outcomes_total',
    help: 'Orders reaching a final status, by status and failure reason',
    labelNames: ['status', 'reason'],
    registers,
  });
  const sagaDuration = new Histogram({
    name: 'saga_duration_seconds',
    help: 'From the first saga step to the final status, by status',
    labelNames: ['status'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers,
  });

  // Every known series starts at 0, so rates and increases see the first event and dashboards show zeros.
  for (const step of [...Object.values(SagaStep), FINALIZE]) {
    for (const counter of [started, completed, retries]) counter.inc({ step }, 0);
    for (const kind of ['business', 'retryable', 'cancelled']) failed.inc({ step, kind }, 0);
    for (const outcome of ['completed', 'failed']) duration.zero({ step, outcome });
  }
  for (const undone of Object.values(COMPENSATION_OF)) {
    for (const result of ['compensated', 'skipped']) compensations.inc({ step: undone, result }, 0);
  }
  for (const status of ['CONFIRMED', 'FAILED', 'CANCELLED']) sagaDuration.zero({ status });
  outcomes.inc({ status: 'CONFIRMED', reason: '' }, 0);
  outcomes.inc({ status: 'CANCELLED', reason: '' }, 0);
  for (const reason of FailureReason.options) outcomes.inc({ status: 'FAILED', reason }, 0);

  const recordSuccess = (step: string, input: unknown, result: unknown) => {
    completed.inc({ step });
    const undone = COMPENSATION_OF[step];
    if (undone) {
      const skipped = (result as { voided?: boolean } | undefined)?.voided === false;
      compensations.inc({ step: undone, result: skipped ? 'skipped' : 'compensated' });
    }
    if (step === FINALIZE) {
      const final = input as FinalizeInput;
      outcomes.inc({ status: final.to, reason: final.failureReason ?? '' });
      const seconds = sagaSeconds(final, now());
      if (seconds !== undefined) sagaDuration.observe({ status: final.to }, seconds);
    }
  };

  return (ctx) => ({
    inbound: {
      async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>) {
        const step = ctx.info.activityType;
        started.inc({ step });
        if (ctx.info.attempt > 1) retries.inc({ step });
        const end = duration.startTimer({ step });
        try {
          const result = await next(input);
          end({ outcome: 'completed' });
          recordSuccess(step, input.args[0], result);
          return result;
        } catch (error) {
          end({ outcome: 'failed' });
          failed.inc({ step, kind: failureKind(error) });
          throw error;
        }
      },
    },
  });
}
