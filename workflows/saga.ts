import {
  CancellationScope,
  condition,
  setCurrentDetails,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { CreateOrderInput, StepInput } from '../activities/activities.js';
import { SagaStep, SearchAttributeKeys, type PlaceOrderInput } from '../contracts/order-saga.js';
import type { FailureReason } from '../contracts/orders.js';
import { compensationOptions, forwardOptions, localFirst, type SagaStubs, type StepCall } from './activity-options.js';
import { Compensations } from './compensations.js';
import type { FinalStatus, OrderState } from './order-state.js';
import { CancelRequested, outcomeOf, type Outcome } from './outcome.js';

type Runner = <T>(summary: string, call: StepCall<T>) => Promise<T>;

/**
 * The steps of one order, in order, with their compensations. Every call is a local activity first (no
 * server round trip: an order without a cancellation window is one workflow task), a regular one once a
 * dependency has been down for a few seconds (workflows/activity-options.ts).
 */
export class OrderSaga {
  private readonly forwardCall: Runner = localFirst(forwardOptions);
  private readonly safeCall: Runner = localFirst(compensationOptions);
  private readonly compensations = new Compensations();
  private readonly ref: StepInput;
  private createArgs?: CreateOrderInput;
  private orderCreated = false;

  constructor(
    private readonly input: PlaceOrderInput,
    private readonly order: OrderState,
  ) {
    this.ref = { orderId: input.orderId, requestId: input.requestId };
    // The gateway starts the saga with its search attributes; a start from elsewhere (the Web UI, a script) gets them here.
    // Never the customer: search attributes are stored unencrypted (docs/payload-encryption.md).
    if (workflowInfo().typedSearchAttributes.get(SearchAttributeKeys.orderStatus) === undefined) {
      upsertSearchAttributes([{ key: SearchAttributeKeys.orderStatus, value: 'PENDING' }]);
    }
  }

  /** Runs to a final status: CONFIRMED, or compensated and FAILED / CANCELLED. */
  async run(): Promise<void> {
    try {
      await this.forward();
    } catch (error) {
      const outcome = await CancellationScope.nonCancellable(() => this.turnBack(error));
      await this.finalize(outcome.status, outcome.status === 'FAILED' ? outcome.reason : undefined);
      return;
    }
    await this.finalize('CONFIRMED');
  }

  private async forward(): Promise<void> {
    const { input, order, ref } = this;
    const [customer, priced] = await Promise.allSettled([
      this.step(SagaStep.getCustomer, 'Check the customer', (a) =>
        a.getCustomer({ ...ref, customerId: input.customerId }),
      ),
      this.step(SagaStep.priceItems, `Price ${input.items.length} item(s)`, (a) =>
        a.priceItems({ ...ref, items: input.items }),
      ),
    ]);
    if (customer.status === 'rejected') throw customer.reason;
    if (priced.status === 'rejected') throw priced.reason;
    order.price(priced.value);
    await this.createOrderRecord();
    await this.holdStockAndMoney();
    await this.cancellationWindow();
    await this.passPointOfNoReturn();
    const amountCents = order.totalCents ?? 0;
    // Past this point the order completes: no cancel, no workflow cancellation stops it.
    // Both are retried until they succeed, so neither needs the other's result: they run side by side.
    await CancellationScope.nonCancellable(() =>
      Promise.all([
        this.step(SagaStep.capturePayment, `Capture ${amountCents} ${input.currency}`, (a) =>
          a.capturePayment({ ...ref, amountCents }),
        ),
        this.step(SagaStep.commitInventory, 'Commit reserved inventory', (a) => a.commitInventory(ref)),
      ]),
    );
  }

  /** Reserves the items and authorizes the total at once, each compensation registered before its step runs. */
  private async holdStockAndMoney(): Promise<void> {
    const { input, order, ref } = this;
    const amountCents = order.totalCents ?? 0;
    this.compensations.register(SagaStep.releaseInventory, async () => {
      await this.safeCall('Release reserved inventory', (a) => a.releaseInventory(ref));
      return 'compensated';
    });
    this.compensations.register(SagaStep.voidPayment, async () => {
      const { voided } = await this.safeCall('Void payment authorization', (a) => a.voidPayment(ref));
      return voided ? 'compensated' : 'skipped';
    });
    const payment = { ...ref, amountCents, currency: input.currency, paymentMethod: input.paymentMethod };
    // allSettled: a refusal of one waits for the other, so compensation never runs beside its own step.
    const settled = await Promise.allSettled([
      this.step(SagaStep.reserveInventory, 'Reserve inventory', (a) =>
        a.reserveInventory({ ...ref, lines: input.items }),
      ),
      this.step(SagaStep.authorizePayment, `Authorize ${amountCents} ${input.currency}`, (a) =>
        a.authorizePayment(payment),
      ),
    ]);
    for (const result of settled) if (result.status === 'rejected') throw result.reason;
  }

  private async cancellationWindow(): Promise<void> {
    const ms = this.input.cancelWindowMs;
    if (this.order.cancelRequested) throw new CancelRequested();
    if (ms <= 0) return this.order.mark(SagaStep.cancellationWindow, 'skipped');
    setCurrentDetails(`Order ${this.input.orderId}: cancellation window (${ms} ms)`);
    this.order.mark(SagaStep.cancellationWindow, 'started');
    await condition(() => this.order.cancelRequested, ms, { summary: 'Cancellation window' });
    this.order.mark(SagaStep.cancellationWindow, 'completed');
    if (this.order.cancelRequested) throw new CancelRequested();
  }

  /** The order record decides a race between a recorded cancel and capture (services/orders/cancel-requests.ts). */
  private async passPointOfNoReturn(): Promise<void> {
    // Set first, so a cancel signal arriving meanwhile is ignored: the record's answer decides.
    this.order.pointOfNoReturn = true;
    const pass = (a: SagaStubs) => a.passPointOfNoReturn(this.ref);
    // Not cancellable: the record's answer decides, even when a workflow cancellation arrives meanwhile.
    const { passed } = await CancellationScope.nonCancellable(() =>
      this.step(SagaStep.pointOfNoReturn, 'Pass the point of no return', pass),
    );
    if (passed) return;
    this.order.pointOfNoReturn = false;
    this.order.cancelRequested = true;
    throw new CancelRequested();
  }

  /** Compensates after a refusal or a cancel; a refusal that lost the race to a recorded cancel ends CANCELLED. */
  private async turnBack(error: unknown): Promise<Outcome> {
    let outcome = outcomeOf(error, this.order.cancelRequested);
    this.order.decided = outcome.status;
    if (!this.orderCreated) await this.createOrderRecord();
    if (outcome.status === 'FAILED') {
      const { reason } = outcome;
      const decide = (a: SagaStubs) => a.decideFailure({ ...this.ref, reason });
      const { decided } = await this.safeCall(`Fail the order: ${reason}`, decide);
      if (!decided) outcome = { status: 'CANCELLED' };
      this.order.decided = outcome.status;
    }
    await this.compensations.run(this.order);
    return outcome;
  }

  /** Runs one forward step; an accepted cancel stops the saga here, at the boundary. */
  private async step<T>(name: string, summary: string, call: StepCall<T>): Promise<T> {
    if (this.order.cancelRequested && this.order.cancellable) throw new CancelRequested();
    setCurrentDetails(`Order ${this.input.orderId}: ${summary}`);
    this.order.mark(name, 'started');
    try {
      const result = await this.forwardCall(summary, call);
      this.order.mark(name, 'completed');
      return result;
    } catch (error) {
      this.order.mark(name, 'failed');
      throw error;
    }
  }

  /** The order record (also made by the gateway at placement; the create is idempotent). Unpriced items if pricing never happened. */
  private async createOrderRecord(): Promise<void> {
    const { customerId, currency, paymentMethod, createdAt } = this.input;
    const record = (a: SagaStubs) => {
      // Built once, on the first attempt, so the record shows the steps as they were when it was made.
      this.createArgs ??= {
        ...this.ref,
        customerId,
        currency,
        paymentMethod,
        items: this.order.items,
        steps: this.order.stepsCopy(),
        ...(createdAt ? { createdAt } : {}),
      };
      return a.createOrder(this.createArgs);
    };
    await this.step(SagaStep.createOrder, 'Record the order', record);
    this.orderCreated = true;
  }

  private async finalize(to: FinalStatus, failureReason?: FailureReason): Promise<void> {
    const steps = this.order.stepsCopy();
    await CancellationScope.nonCancellable(() =>
      this.safeCall(`Mark order ${to}`, (a) => a.finalizeOrder({ ...this.ref, to, failureReason, steps })),
    );
    this.order.finish(to, failureReason ?? null);
    upsertSearchAttributes([{ key: SearchAttributeKeys.orderStatus, value: to }]);
    setCurrentDetails(`Order ${this.input.orderId}: ${to}${failureReason ? ` (${failureReason})` : ''}`);
  }
}
