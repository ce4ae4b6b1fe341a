import { z } from 'zod';
import { DEFAULT_PORTS, flag, listenOn, processFields } from '../../lib/config.js';

export const ProductsConfig = z.object({
  ...processFields,
  ...listenOn('PRODUCTS', DEFAULT_PORTS.products),
  MONGO_URL: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// URL')
    .default('mongodb://127.0.0.1:27017/'),
  PRODUCTS_DB: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,63}$/, 'letters, digits, dash, underscore')
    .default('shop_products'),
  SEED_DEMO_CATALOG: flag(false),
});
export type ProductsConfig = z.infer<typeof ProductsConfig>;
