import { z } from 'zod';
import { flag, logLevel, port } from '../../lib/config.js';

export const ProductsConfig = z.object({
  PRODUCTS_PORT: port(3002),
  PRODUCTS_HOST: z.string().min(1).default('127.0.0.1'),
  MONGO_URL: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// URL')
    .default('mongodb://127.0.0.1:27017/'),
  PRODUCTS_DB: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,63}$/, 'letters, digits, dash, underscore')
    .default('shop_products'),
  SERVICE_TOKEN: z.string().min(16, 'must be at least 16 characters'),
  SEED_DEMO_CATALOG: flag(false),
  LOG_LEVEL: logLevel,
});
export type ProductsConfig = z.infer<typeof ProductsConfig>;
