import { z } from 'zod';
import { ORDER_EVENTS_EXCHANGE } from '../../contracts/events.js';
import { logLevel, port } from '../../lib/config.js';
import { DEFAULT_AMQP_URL } from '../../lib/amqp.js';
import { DEFAULT_NOTIFICATIONS_QUEUE } from '../../lib/amqp-topology.js';

export const NotificationsConfig = z.object({
  NOTIFICATIONS_PORT: port(3005),
  NOTIFICATIONS_HOST: z.string().min(1).default('127.0.0.1'),
  NOTIFICATIONS_DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/ })
    .default('postgres://postgres@127.0.0.1:5432/shop_notifications'),
  AMQP_URL: z.url({ protocol: /^amqps?$/ }).default(DEFAULT_AMQP_URL),
  ORDER_EVENTS_EXCHANGE: z.string().min(1).default(ORDER_EVENTS_EXCHANGE),
  /** The service's own durable queue on `orders.events` (its dead-letter queue is `<name>.dead-letter`). */
  NOTIFICATIONS_QUEUE: z.string().min(1).default(DEFAULT_NOTIFICATIONS_QUEUE),
  NOTIFICATIONS_PREFETCH: z.coerce.number().int().min(1).max(1000).default(20),
  SERVICE_TOKEN: z.string({ error: 'is required' }).min(16, 'must be at least 16 characters'),
  LOG_LEVEL: logLevel,
});
export type NotificationsConfig = z.infer<typeof NotificationsConfig>;
