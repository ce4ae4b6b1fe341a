import { z } from 'zod';
import { Currency } from './common.js';
import { FailureReason, OrderItem, OrderStatus, Step } from './orders.js';

/**
 * Internal, not part of the domain-event contract: the saga's live state, pushed by the worker after each
 * workflow task that changed it, best effort (transient messages; a lost one is made good by the next or
 * by the final domain event). Gateways follow orders with it instead of querying the workflow.
 */
export const orderProgressExchange = (eventsExchange: string) => `${eventsExchange}.progress`;

const OrderSagaStateSchema = z.object({
  orderId: z.string().min(1),
  customerId: z.string().min(1),
  status: OrderStatus,
  failureReason: FailureReason.nullable(),
  items: z.array(OrderItem),
  totalCents: z.number().int().nullable(),
  currency: Currency,
  cancellable: z.boolean(),
  steps: z.array(Step),
});

export const OrderProgress = z.object({
  type: z.literal('order.progress'),
  /** Grows along the workflow's history: a receiver keeps the highest it has seen. */
  seq: z.number().int().min(0),
  state: OrderSagaStateSchema,
});
export type OrderProgress = z.infer<typeof OrderProgress>;
