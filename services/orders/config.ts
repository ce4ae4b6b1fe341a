import { z } from 'zod';
import { DEFAULT_PORTS, listenOn, processFields } from '../../lib/config.js';

export const OrdersConfig = z.object({
  ...processFields,
  ...listenOn('ORDERS', DEFAULT_PORTS.orders),
  ORDERS_DATABASE_URL: z.url().default('postgres://postgres@127.0.0.1:5432/shop_orders'),
});
export type OrdersConfig = z.infer<typeof OrdersConfig>;
