import { CancellationScope, condition, setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import type { CreateOrderInput, StepInput } from '../activities/activities.js';
import { SagaStep, SearchAttributeKeys, type PlaceOrderInput } from '../contracts/order-saga.js';
import type { FailureReason } from '../contracts/orders.js';
import { activitiesWith, compensationOptions, forwardOptions, type ActivitiesWithSummary } from './activity-options.js';
import { Compensations } from './compensations.js';
import type { FinalStatus, OrderState } from './order-state.js';
import { CancelRequested, outcomeOf } from './outcome.js';

type Stub = ReturnType<ActivitiesWithSummary>;

/** The steps of one order, in order, with their compensations. */
export class OrderSaga {
  private readonly forwardActs: ActivitiesWithSummary;
  private readonly safeActs: ActivitiesWithSummary;
  private readonly compensations = new Compensations();
  private readonly ref: StepInput;
  private createArgs?: CreateOrderInput;
  private orderCreated = false;

  constructor(
    private readonly input: PlaceOrderInput,
    private readonly order: OrderState,
  ) {
    this.forwardActs = activitiesWith(forwardOptions(input));
    this.safeActs = activitiesWith(compensationOptions(input));
    this.ref = { orderId: input.orderId, requestId: input.requestId };
  }

  /** Runs to a final status: CONFIRMED, or compensated and FAILED / CANCELLED. */
  async run(): Promise<void> {
    try {
      await this.forward();
    } catch (error) {
      const outcome = outcomeOf(error, this.order.cancelRequested);
      this.order.decided = outcome.status;
      await CancellationScope.nonCancellable(async () => {
        await this.ensureOrderRecord();
        await this.compensations.run(this.order);
      });
      await this.finalize(outcome.status, outcome.status === 'FAILED' ? outcome.reason : undefined);
      return;
    }
    await this.finalize('CONFIRMED');
  }

  private async forward(): Promise<void> {
    const { input, order, ref } = this;
    await this.step(SagaStep.getCustomer, `Check customer ${input.customerId}`, (a) =>
      a.getCustomer({ ...ref, customerId: input.customerId }),
    );
    order.price(
      await this.step(SagaStep.priceItems, `Price ${input.items.length} item(s)`, (a) =>
        a.priceItems({ ...ref, items: input.items }),
      ),
    );
    await this.createOrderRecord();
    this.compensations.register(SagaStep.releaseInventory, async () => {
      await this.safeActs('Release reserved inventory').releaseInventory(ref);
      return 'compensated';
    });
    await this.step(SagaStep.reserveInventory, 'Reserve inventory', (a) =>
      a.reserveInventory({ ...ref, lines: input.items }),
    );
    this.compensations.register(SagaStep.voidPayment, async () => {
      const { voided } = await this.safeActs('Void payment authorization').voidPayment(ref);
      return voided ? 'compensated' : 'skipped';
    });
    const amountCents = order.totalCents ?? 0;
    const payment = { ...ref, amountCents, currency: input.currency, paymentMethod: input.paymentMethod };
    await this.step(SagaStep.authorizePayment, `Authorize ${amountCents} ${input.currency}`, (a) =>
      a.authorizePayment(payment),
    );
    await this.cancellationWindow();
    order.pointOfNoReturn = true;
    // Past this point the order completes: no cancel, no workflow cancellation stops it.
    await CancellationScope.nonCancellable(async () => {
      await this.step(SagaStep.capturePayment, `Capture ${amountCents} ${input.currency}`, (a) =>
        a.capturePayment({ ...ref, amountCents }),
      );
      await this.step(SagaStep.commitInventory, 'Commit reserved inventory', (a) => a.commitInventory(ref));
    });
  }

  /** Runs one forward step; an accepted cancel stops the saga here, at the boundary. */
  private async step<T>(name: string, summary: string, call: (acts: Stub) => Promise<T>): Promise<T> {
    if (this.order.cancelRequested && this.order.cancellable) throw new CancelRequested();
    setCurrentDetails(`Order ${this.input.orderId}: ${summary}`);
    this.order.mark(name, 'started');
    try {
      const result = await call(this.forwardActs(summary));
      this.order.mark(name, 'completed');
      return result;
    } catch (error) {
      this.order.mark(name, 'failed');
      throw error;
    }
  }

  private async createOrderRecord(): Promise<void> {
    await this.step(SagaStep.createOrder, 'Record the order', (a) => {
      const { customerId, currency, paymentMethod } = this.input;
      this.createArgs ??= {
        ...this.ref,
        customerId,
        currency,
        paymentMethod,
        items: this.order.items,
        steps: this.order.stepsCopy(),
      };
      return a.createOrder(this.createArgs);
    });
    this.orderCreated = true;
  }

  /** A saga stopped before createOrder still leaves an order record (unpriced items if pricing never happened). */
  private async ensureOrderRecord(): Promise<void> {
    if (!this.orderCreated) await this.createOrderRecord();
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

  private async finalize(to: FinalStatus, failureReason?: FailureReason): Promise<void> {
    const steps = this.order.stepsCopy();
    await CancellationScope.nonCancellable(() =>
      this.safeActs(`Mark order ${to}`).finalizeOrder({ ...this.ref, to, failureReason, steps }),
    );
    this.order.status = to;
    this.order.failureReason = failureReason ?? null;
    upsertSearchAttributes([{ key: SearchAttributeKeys.orderStatus, value: to }]);
    setCurrentDetails(`Order ${this.input.orderId}: ${to}${failureReason ? ` (${failureReason})` : ''}`);
  }
}
