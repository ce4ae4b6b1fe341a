import {
  CancellationScope,
  condition,
  patched,
  setCurrentDetails,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { CreateOrderInput, StepInput } from '../activities/activities.js';
import { SagaStep, SearchAttributeKeys, type PlaceOrderInput } from '../contracts/order-saga.js';
import type { FailureReason } from '../contracts/orders.js';
import {
  activitiesWith,
  compensationOptions,
  forwardOptions,
  localActivitiesWith,
  type ActivitiesWithSummary,
  type SagaStubs,
} from './activity-options.js';
import { Compensations } from './compensations.js';
import type { FinalStatus, OrderState } from './order-state.js';
import { CancelRequested, outcomeOf } from './outcome.js';
import { DURABLE_CANCEL, LEAN_ROUND_TRIPS, ONE_MARKER, PARALLEL_HOLDS } from './patches.js';

/** The gateway starts the saga with its search attributes (OrderStatus PENDING, CustomerId). */
const startedWithSearchAttributes = () =>
  workflowInfo().typedSearchAttributes.get(SearchAttributeKeys.orderStatus) !== undefined &&
  workflowInfo().typedSearchAttributes.get(SearchAttributeKeys.customerId) !== undefined;

/** The steps of one order, in order, with their compensations. */
export class OrderSaga {
  private readonly forwardActs: ActivitiesWithSummary;
  private readonly safeActs: ActivitiesWithSummary;
  /** Short idempotent reads and order-record writes: local activities on the lean path. */
  private readonly localActs: ActivitiesWithSummary;
  private readonly finalizeActs: ActivitiesWithSummary;
  private readonly lean: boolean;
  /** Recorded once, first: a history without it replays the older patches' own decisions. */
  private readonly oneMarker: boolean;
  private readonly compensations = new Compensations();
  private readonly ref: StepInput;
  private createArgs?: CreateOrderInput;
  private orderCreated = false;

  constructor(
    private readonly input: PlaceOrderInput,
    private readonly order: OrderState,
  ) {
    this.oneMarker = patched(ONE_MARKER);
    if (!this.oneMarker || !startedWithSearchAttributes()) {
      upsertSearchAttributes([
        { key: SearchAttributeKeys.orderStatus, value: 'PENDING' },
        { key: SearchAttributeKeys.customerId, value: input.customerId },
      ]);
    }
    this.forwardActs = activitiesWith(forwardOptions(input));
    this.safeActs = activitiesWith(compensationOptions(input));
    this.lean = this.oneMarker || patched(LEAN_ROUND_TRIPS);
    this.localActs = this.lean ? localActivitiesWith(forwardOptions(input)) : this.forwardActs;
    this.finalizeActs = this.lean ? localActivitiesWith(compensationOptions(input)) : this.safeActs;
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
    await this.step(
      SagaStep.getCustomer,
      `Check customer ${input.customerId}`,
      (a) => a.getCustomer({ ...ref, customerId: input.customerId }),
      this.localActs,
    );
    order.price(
      await this.step(
        SagaStep.priceItems,
        `Price ${input.items.length} item(s)`,
        (a) => a.priceItems({ ...ref, items: input.items }),
        this.localActs,
      ),
    );
    await this.createOrderRecord();
    await this.holdStockAndMoney();
    await this.cancellationWindow();
    await this.passPointOfNoReturn();
    const amountCents = order.totalCents ?? 0;
    // Past this point the order completes: no cancel, no workflow cancellation stops it.
    await CancellationScope.nonCancellable(async () => {
      const capture = () =>
        this.step(SagaStep.capturePayment, `Capture ${amountCents} ${input.currency}`, (a) =>
          a.capturePayment({ ...ref, amountCents }),
        );
      const commit = () =>
        this.step(SagaStep.commitInventory, 'Commit reserved inventory', (a) => a.commitInventory(ref));
      // Both are retried until they succeed, so neither needs the other's result: one round trip for two.
      if (this.lean) await Promise.all([capture(), commit()]);
      else await capture().then(commit);
    });
  }

  /** Reserves the items and authorizes the total, each with its compensation registered before it runs. */
  private async holdStockAndMoney(): Promise<void> {
    const { input, order, ref } = this;
    const releaseInventory = async () => {
      await this.safeActs('Release reserved inventory').releaseInventory(ref);
      return 'compensated' as const;
    };
    const voidPayment = async () => {
      const { voided } = await this.safeActs('Void payment authorization').voidPayment(ref);
      return voided ? ('compensated' as const) : ('skipped' as const);
    };
    const amountCents = order.totalCents ?? 0;
    const payment = { ...ref, amountCents, currency: input.currency, paymentMethod: input.paymentMethod };
    const reserve = () =>
      this.step(SagaStep.reserveInventory, 'Reserve inventory', (a) =>
        a.reserveInventory({ ...ref, lines: input.items }),
      );
    const authorize = () =>
      this.step(SagaStep.authorizePayment, `Authorize ${amountCents} ${input.currency}`, (a) =>
        a.authorizePayment(payment),
      );
    this.compensations.register(SagaStep.releaseInventory, releaseInventory);
    if (!this.oneMarker && !patched(PARALLEL_HOLDS)) {
      await reserve();
      this.compensations.register(SagaStep.voidPayment, voidPayment);
      return void (await authorize());
    }
    this.compensations.register(SagaStep.voidPayment, voidPayment);
    // allSettled: a refusal of one waits for the other, so compensation never runs beside its own step.
    const settled = await Promise.allSettled([reserve(), authorize()]);
    for (const result of settled) if (result.status === 'rejected') throw result.reason;
  }

  /** Runs one forward step; an accepted cancel stops the saga here, at the boundary. */
  private async step<T>(
    name: string,
    summary: string,
    call: (acts: SagaStubs) => Promise<T>,
    acts = this.forwardActs,
  ): Promise<T> {
    if (this.order.cancelRequested && this.order.cancellable) throw new CancelRequested();
    setCurrentDetails(`Order ${this.input.orderId}: ${summary}`);
    this.order.mark(name, 'started');
    try {
      const result = await call(acts(summary));
      this.order.mark(name, 'completed');
      return result;
    } catch (error) {
      this.order.mark(name, 'failed');
      throw error;
    }
  }

  private async createOrderRecord(): Promise<void> {
    const record = (a: SagaStubs) => {
      const { customerId, currency, paymentMethod, createdAt } = this.input;
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
    await this.step(SagaStep.createOrder, 'Record the order', record, this.localActs);
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

  /** The order record decides a race between a recorded cancel and capture (services/orders/cancel-requests.ts). */
  private async passPointOfNoReturn(): Promise<void> {
    // Set first, so a cancel Update arriving meanwhile is refused rather than lost.
    this.order.pointOfNoReturn = true;
    if (!this.oneMarker && !patched(DURABLE_CANCEL)) return;
    const pass = (a: SagaStubs) => a.passPointOfNoReturn(this.ref);
    const { passed } = await this.step(SagaStep.pointOfNoReturn, 'Pass the point of no return', pass, this.localActs);
    if (passed) return;
    this.order.pointOfNoReturn = false;
    this.order.cancelRequested = true;
    throw new CancelRequested();
  }

  private async finalize(to: FinalStatus, failureReason?: FailureReason): Promise<void> {
    const steps = this.order.stepsCopy();
    await CancellationScope.nonCancellable(() =>
      this.finalizeActs(`Mark order ${to}`).finalizeOrder({ ...this.ref, to, failureReason, steps }),
    );
    this.order.status = to;
    this.order.failureReason = failureReason ?? null;
    upsertSearchAttributes([{ key: SearchAttributeKeys.orderStatus, value: to }]);
    setCurrentDetails(`Order ${this.input.orderId}: ${to}${failureReason ? ` (${failureReason})` : ''}`);
  }
}
