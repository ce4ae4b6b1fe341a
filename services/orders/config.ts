import { z } from 'zod';
import { ORDER_EVENTS_EXCHANGE } from '../../contracts/events.js';
import { DEFAULT_AMQP_URL } from '../../lib/amqp.js';
import { DEFAULT_NOTIFICATIONS_QUEUE } from '../../lib/amqp-topology.js';
import { DEFAULT_PORTS, listenOn, processFields } from '../../lib/config.js';
import { DEFAULT_MAX_HELD_UNITS } from './held-units.js';
import { DEFAULT_CLAIM_TIMEOUT_MS } from './payment-claims.js';

export const OrdersConfig = z.object({
  ...processFields,
  ...listenOn('ORDERS', DEFAULT_PORTS.orders),
  ORDERS_DATABASE_URL: z.url().default('postgres://postgres@127.0.0.1:5432/shop_orders'),
  /** Where the outbox relay publishes the order events. */
  AMQP_URL: z.url({ protocol: /^amqps?$/ }).default(DEFAULT_AMQP_URL),
  ORDER_EVENTS_EXCHANGE: z.string().min(1).default(ORDER_EVENTS_EXCHANGE),
  /** The notifications queue: the relay declares it (and its bindings) before it publishes anything. */
  NOTIFICATIONS_QUEUE: z.string().min(1).default(DEFAULT_NOTIFICATIONS_QUEUE),
  /** Published events stay in the outbox this long (to inspect or re-publish by hand), then the relay deletes them. */
  OUTBOX_RETENTION_HOURS: z.coerce.number().positive().default(168),
  /**
   * A capture/void/refund claimed this long ago whose process died before the provider answered is
   * settled by asking the provider under the same idempotency key (well above its 4 s deadline).
   */
  PAYMENT_CLAIM_TIMEOUT_SECONDS: z.coerce
    .number()
    .positive()
    .default(DEFAULT_CLAIM_TIMEOUT_MS / 1000),
  /** Units one customer's unconfirmed (PENDING) orders may hold together; a new order past it is refused (409). */
  MAX_HELD_UNITS_PER_CUSTOMER: z.coerce.number().int().min(1).default(DEFAULT_MAX_HELD_UNITS),
});
export type OrdersConfig = z.infer<typeof OrdersConfig>;
