import { z } from 'zod';
import { FailureReason, OrderItem, type OrderStatus } from './orders.js';

/** The durable topic exchange every order event is published to (gateway-api.md, "Domain events"). */
export const ORDER_EVENTS_EXCHANGE = 'orders.events';
export const ORDER_EVENT_VERSION = 1;

export const OrderEventType = z.enum(['order.placed', 'order.confirmed', 'order.failed', 'order.cancelled']);
export type OrderEventType = z.infer<typeof OrderEventType>;

/** Routing key of each event = its `type`. */
export const ORDER_ROUTING_KEYS = OrderEventType.options;

const dataOf = <S extends OrderStatus, R extends z.ZodType>(status: S, failureReason: R) =>
  z.object({
    status: z.literal(status),
    failureReason,
    totalCents: z.number().int().nullable(),
    currency: z.string().min(1),
    items: z.array(OrderItem),
  });

const eventOf = <T extends OrderEventType, D extends z.ZodType>(type: T, data: D, description: string) =>
  z
    .object({
      id: z.uuid().describe('Event id; also the AMQP message_id. A redelivery carries the same id.'),
      type: z.literal(type),
      version: z.literal(ORDER_EVENT_VERSION),
      occurredAt: z.iso.datetime({ offset: true }),
      orderId: z.string().min(1),
      customerId: z.string().min(1),
      data,
    })
    .describe(description);

const OrderPlaced = eventOf(
  'order.placed',
  dataOf('PENDING', z.null()),
  'The order was accepted (recorded PENDING). Published once per order.',
);
const OrderConfirmed = eventOf(
  'order.confirmed',
  dataOf('CONFIRMED', z.null()),
  'Final: the order is paid and its stock committed.',
);
const OrderFailed = eventOf(
  'order.failed',
  dataOf('FAILED', FailureReason),
  'Final: the order failed; no stock is held and no money captured.',
);
const OrderCancelled = eventOf(
  'order.cancelled',
  dataOf('CANCELLED', z.null()),
  'Final: the order was cancelled; no stock is held and no money captured.',
);

export const OrderEvent = z.discriminatedUnion('type', [OrderPlaced, OrderConfirmed, OrderFailed, OrderCancelled]);
export type OrderEvent = z.infer<typeof OrderEvent>;
export type FinalOrderEvent = Exclude<OrderEvent, { type: 'order.placed' }>;

export const ORDER_EVENT_SCHEMAS = {
  'order.placed': OrderPlaced,
  'order.confirmed': OrderConfirmed,
  'order.failed': OrderFailed,
  'order.cancelled': OrderCancelled,
} as const satisfies Record<OrderEventType, z.ZodType>;

export function eventTypeForStatus(status: OrderStatus): OrderEventType {
  const types = {
    PENDING: 'order.placed',
    CONFIRMED: 'order.confirmed',
    FAILED: 'order.failed',
    CANCELLED: 'order.cancelled',
  } as const;
  return types[status];
}
