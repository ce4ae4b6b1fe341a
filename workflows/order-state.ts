import type { FailureReason, OrderItem, OrderStatus, Step } from '../contracts/orders.js';
import type { OrderSagaState, PlaceOrderInput } from '../contracts/order-saga.js';

export type StepStatus = Step['status'];
export type FinalStatus = Exclude<OrderStatus, 'PENDING'>;

/** The saga's view of its order: what the `orderState` query shows and what finalize sends. */
export class OrderState {
  status: OrderStatus = 'PENDING';
  failureReason: FailureReason | null = null;
  items: OrderItem[];
  totalCents: number | null = null;
  readonly steps: Step[] = [];
  cancelRequested = false;
  pointOfNoReturn = false;
  /** The outcome once the saga has stopped moving forward, before it is final. */
  decided: FinalStatus | null = null;

  constructor(
    readonly input: PlaceOrderInput,
    /** Told after every change of status or steps (the progress sink); nothing by default. */
    private readonly changed: (state: OrderSagaState) => void = () => {},
  ) {
    this.items = input.items.map(({ productId, quantity }) => ({
      productId,
      quantity,
      name: null,
      unitPriceCents: null,
    }));
  }

  get final(): boolean {
    return this.status !== 'PENDING';
  }

  get cancellable(): boolean {
    return !this.final && !this.pointOfNoReturn && this.decided === null;
  }

  /** A repeated cancel of an order already being cancelled is accepted too. */
  get acceptsCancel(): boolean {
    return this.cancellable || (!this.final && this.decided === 'CANCELLED');
  }

  price(items: OrderItem[]): void {
    this.items = items;
    this.totalCents = items.reduce((sum, item) => sum + (item.unitPriceCents ?? 0) * item.quantity, 0);
  }

  /** One entry per step, updated in place; `at` is workflow time, so replay yields the same list. */
  mark(name: string, status: StepStatus): void {
    const at = new Date().toISOString();
    const existing = this.steps.find((step) => step.name === name);
    if (existing) Object.assign(existing, { status, at });
    else this.steps.push({ name, status, at });
    this.changed(this.snapshot());
  }

  finish(status: FinalStatus, failureReason: FailureReason | null): void {
    this.status = status;
    this.failureReason = failureReason;
    this.changed(this.snapshot());
  }

  stepsCopy(): Step[] {
    return this.steps.map((step) => ({ ...step }));
  }

  snapshot(): OrderSagaState {
    const { orderId, customerId, currency } = this.input;
    return {
      orderId,
      customerId,
      status: this.status,
      failureReason: this.failureReason,
      items: this.items.map((item) => ({ ...item })),
      totalCents: this.totalCents,
      currency,
      cancellable: this.cancellable,
      steps: this.stepsCopy(),
    };
  }
}
