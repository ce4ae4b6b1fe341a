import { z } from 'zod';
import { logLevel, port } from '../../lib/config.js';

export const OrdersConfig = z.object({
  ORDERS_PORT: port(3003),
  ORDERS_HOST: z.string().min(1).default('127.0.0.1'),
  ORDERS_DATABASE_URL: z.url().default('postgres://postgres@127.0.0.1:5432/shop_orders'),
  SERVICE_TOKEN: z.string().min(16, 'must be at least 16 characters'),
  LOG_LEVEL: logLevel,
});
export type OrdersConfig = z.infer<typeof OrdersConfig>;
