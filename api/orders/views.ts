import { SHOP_CURRENCY } from '../../contracts/common.js';
import type { OrderSagaState } from '../../contracts/order-saga.js';
import type { Order } from '../../contracts/orders.js';
import type { OrderWorkflowDescription } from './workflow-port.js';

/** The stored record with the saga's fresher status, failure reason, steps and prices. */
export function orderFromRecordAndState(record: Order, state: OrderSagaState): Order {
  const priced = record.items.every((item) => item.unitPriceCents !== null);
  return {
    ...record,
    status: state.status,
    failureReason: state.failureReason,
    steps: state.steps.length >= record.steps.length ? state.steps : record.steps,
    items: priced ? record.items : state.items,
    totalCents: record.totalCents ?? state.totalCents,
  };
}

type WorkflowFacts = Pick<OrderWorkflowDescription, 'memo' | 'startTime' | 'customerId'> & {
  closeTime?: Date | undefined;
};

/** An order that has no record yet: from the saga's state when it answers, else from what the gateway put in the memo. */
export function orderFromWorkflow(
  id: string,
  facts: WorkflowFacts,
  state: OrderSagaState | undefined,
  now: Date,
): Order {
  const { memo } = facts;
  const createdAt = memo.createdAt ?? facts.startTime.toISOString();
  const requested = (memo.items ?? []).map((item) => ({
    productId: item.productId,
    name: null,
    quantity: item.quantity,
    unitPriceCents: null,
  }));
  return {
    id,
    customerId: state?.customerId ?? facts.customerId ?? memo.customerId ?? '',
    status: state?.status ?? 'PENDING',
    failureReason: state?.failureReason ?? null,
    items: state?.items ?? requested,
    totalCents: state?.totalCents ?? null,
    currency: state?.currency ?? SHOP_CURRENCY,
    paymentMethod: memo.paymentMethod ?? '',
    createdAt,
    updatedAt: state ? (facts.closeTime ?? now).toISOString() : createdAt,
    workflowId: id,
    steps: state?.steps ?? [],
  };
}
