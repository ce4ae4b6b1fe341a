import { ApplicationFailure } from '@temporalio/activity';
import { SHOP_CURRENCY } from '../contracts/common.js';
import type { FailureReason, OrderItem, Step } from '../contracts/orders.js';
import { BusinessFailure, SagaStep } from '../contracts/order-saga.js';
import { ErrorCode } from '../contracts/problem.js';
import { ServiceRejectedError } from '../lib/service-transport.js';
import type { CallContext, SagaClients } from './clients.js';
import { businessFailure, mapFailures, toActivityFailure } from './failures.js';

/** Every activity input names its order (= workflow id) and carries the request id of the order call. */
export interface StepInput {
  orderId: string;
  requestId?: string;
}
export interface Line {
  productId: string;
  quantity: number;
}
export type PricedItem = OrderItem;
export interface CreateOrderInput extends StepInput {
  customerId: string;
  items: OrderItem[];
  currency: string;
  paymentMethod: string;
  steps: Step[];
  createdAt?: string;
}
export interface AuthorizeInput extends StepInput {
  amountCents: number;
  currency: string;
  paymentMethod: string;
}
export interface FinalizeInput extends StepInput {
  to: 'CONFIRMED' | 'FAILED' | 'CANCELLED';
  failureReason?: FailureReason;
  steps: Step[];
}

const ctx = (input: StepInput, step: string): CallContext => ({
  idempotencyKey: `${input.orderId}:${step}`,
  requestId: input.requestId,
});

/** The saga's activities: typed HTTP calls into the services, with business refusals mapped to failure types. */
export function createActivities({ users, products, orders }: SagaClients) {
  return {
    async getCustomer(input: StepInput & { customerId: string }): Promise<{ customerId: string; status: string }> {
      const codes = { [ErrorCode.NOT_FOUND]: BusinessFailure.CUSTOMER_INACTIVE };
      const user = await mapFailures(
        () => users.get({ params: { id: input.customerId } }, ctx(input, SagaStep.getCustomer)),
        codes,
      );
      if (user.status !== 'active')
        throw businessFailure(BusinessFailure.CUSTOMER_INACTIVE, `customer ${user.id} is ${user.status}`);
      return { customerId: user.id, status: user.status };
    },

    async priceItems(input: StepInput & { items: Line[] }): Promise<PricedItem[]> {
      const ids = input.items.map((item) => item.productId);
      const found = await mapFailures(() => products.lookup({ body: { ids } }, ctx(input, SagaStep.priceItems)));
      const byId = new Map(found.items.map((product) => [product.id, product]));
      const missing = ids.filter((productId) => !byId.has(productId));
      if (missing.length > 0)
        throw businessFailure(BusinessFailure.PRODUCT_NOT_FOUND, `unknown products: ${missing.join(', ')}`, {
          missing,
        });
      // A product priced in another currency (from before the one-currency rule) cannot be sold.
      const foreign = found.items.filter((product) => product.currency !== SHOP_CURRENCY).map((product) => product.id);
      if (foreign.length > 0)
        throw businessFailure(
          BusinessFailure.PRODUCT_NOT_FOUND,
          `not sold in ${SHOP_CURRENCY}: ${foreign.join(', ')}`,
          {
            missing: foreign,
          },
        );
      return input.items.map(({ productId, quantity }) => {
        const product = byId.get(productId)!;
        return { productId, quantity, name: product.name, unitPriceCents: product.priceCents };
      });
    },

    async createOrder(input: CreateOrderInput): Promise<void> {
      const { orderId, customerId, items, currency, paymentMethod, steps, createdAt } = input;
      const body = { customerId, items, currency, paymentMethod, steps, workflowId: orderId, createdAt };
      await mapFailures(() => orders.create({ params: { id: orderId }, body }, ctx(input, SagaStep.createOrder)));
    },

    async reserveInventory(input: StepInput & { lines: Line[] }): Promise<void> {
      const codes = {
        [ErrorCode.OUT_OF_STOCK]: BusinessFailure.OUT_OF_STOCK,
        [ErrorCode.PRODUCT_NOT_FOUND]: BusinessFailure.PRODUCT_NOT_FOUND,
      };
      await mapFailures(
        () =>
          products.reserve(
            { params: { orderId: input.orderId }, body: { lines: input.lines } },
            ctx(input, SagaStep.reserveInventory),
          ),
        codes,
      );
    },

    async releaseInventory(input: StepInput): Promise<void> {
      await mapFailures(() =>
        products.release({ params: { orderId: input.orderId } }, ctx(input, SagaStep.releaseInventory)),
      );
    },

    async authorizePayment(input: AuthorizeInput): Promise<{ status: string }> {
      const { orderId, amountCents, currency, paymentMethod } = input;
      const codes = { [ErrorCode.PAYMENT_DECLINED]: BusinessFailure.PAYMENT_DECLINED };
      const call = () =>
        orders.authorize(
          { body: { orderId, amountCents, currency, paymentMethod } },
          ctx(input, SagaStep.authorizePayment),
        );
      const payment = await mapFailures(call, codes);
      if (payment.status === 'declined')
        throw businessFailure(BusinessFailure.PAYMENT_DECLINED, `payment for ${orderId} declined`);
      return { status: payment.status };
    },

    /** Voids an authorization if there is one; a declined payment needs nothing. */
    async voidPayment(input: StepInput): Promise<{ voided: boolean }> {
      const payment = await findPayment(orders, input);
      if (payment?.status === 'declined') return { voided: false };
      // No payment yet (or one in flight): the void leaves a tombstone so a late authorize is refused.
      if (!payment || payment.status === 'pending') {
        await mapFailures(() => orders.void({ params: { orderId: input.orderId } }, ctx(input, SagaStep.voidPayment)));
        return { voided: false };
      }
      if (payment.status === 'voided') return { voided: true };
      // A captured payment here would be a saga bug: keep retrying (visible in the UI), never pretend.
      if (payment.status !== 'authorized')
        throw ApplicationFailure.retryable(`payment for ${input.orderId} is ${payment.status}`, 'PAYMENT_NOT_VOIDABLE');
      await mapFailures(() => orders.void({ params: { orderId: input.orderId } }, ctx(input, SagaStep.voidPayment)));
      return { voided: true };
    },

    /** Asks the order record to pass the point of no return; `passed: false` when a cancel was recorded first. */
    async passPointOfNoReturn(input: StepInput): Promise<{ passed: boolean }> {
      return mapFailures(() =>
        orders.passPointOfNoReturn({ params: { id: input.orderId } }, ctx(input, SagaStep.pointOfNoReturn)),
      );
    },

    /** Asks the order record to fail the order; `decided: false` when a cancel was recorded first. */
    async decideFailure(input: StepInput & { reason: FailureReason }): Promise<{ decided: boolean }> {
      return mapFailures(() =>
        orders.decideFailure(
          { params: { id: input.orderId }, body: { reason: input.reason } },
          ctx(input, SagaStep.decideFailure),
        ),
      );
    },

    async capturePayment(input: StepInput & { amountCents: number }): Promise<void> {
      await mapFailures(() =>
        orders.capture(
          { params: { orderId: input.orderId }, body: { amountCents: input.amountCents } },
          ctx(input, SagaStep.capturePayment),
        ),
      );
    },

    async commitInventory(input: StepInput): Promise<void> {
      await mapFailures(() =>
        products.commit({ params: { orderId: input.orderId } }, ctx(input, SagaStep.commitInventory)),
      );
    },

    /** Moves the order to its final status; finding it already there (a retried call) is success. */
    async finalizeOrder(input: FinalizeInput): Promise<void> {
      const { orderId, to, failureReason, steps } = input;
      const call = ctx(input, `finalize-${to}`);
      try {
        await orders.transition({ params: { id: orderId }, body: { to, failureReason, steps } }, call);
      } catch (error) {
        if (!(error instanceof ServiceRejectedError && error.code === ErrorCode.ILLEGAL_TRANSITION))
          throw toActivityFailure(error);
        const current = await mapFailures(() => orders.get({ params: { id: orderId } }, call));
        if (current.status !== to) throw toActivityFailure(error);
      }
    },
  };
}

export type SagaActivities = ReturnType<typeof createActivities>;

async function findPayment(orders: SagaClients['orders'], input: StepInput) {
  try {
    return await orders.getPayment({ params: { orderId: input.orderId } }, ctx(input, SagaStep.voidPayment));
  } catch (error) {
    if (error instanceof ServiceRejectedError && error.status === 404) return undefined;
    throw toActivityFailure(error);
  }
}
