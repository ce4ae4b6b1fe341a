import { z } from 'zod';
import { flag, logLevel, port } from '../lib/config.js';
import { TASK_QUEUE_DEFAULT } from '../contracts/order-saga.js';
import { TOKEN_AUDIENCE_DEFAULT, TOKEN_ISSUER_DEFAULT } from '../contracts/users.js';

const count = (fallback: number) => z.coerce.number().int().min(0).default(fallback);
const millis = (fallback: number) => z.coerce.number().int().min(0).default(fallback);
const url = (fallback: string) => z.url().default(fallback);

export const GatewayConfigSchema = z.object({
  API_PORT: port(3000),
  API_HOST: z.string().min(1).default('127.0.0.1'),
  USERS_URL: url('http://127.0.0.1:3001'),
  PRODUCTS_URL: url('http://127.0.0.1:3002'),
  ORDERS_URL: url('http://127.0.0.1:3003'),
  SERVICE_TOKEN: z.string().min(16, 'must be at least 16 characters'),
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default(TASK_QUEUE_DEFAULT),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1).default(1_048_576),
  RATE_LIMIT_LOGIN_FAILURES: count(10),
  RATE_LIMIT_IP_PER_MIN: count(1200),
  RATE_LIMIT_ORDERS_PER_MIN: count(60),
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    ),
  JWT_ISSUER: z.string().min(1).default(TOKEN_ISSUER_DEFAULT),
  JWT_AUDIENCE: z.string().min(1).default(TOKEN_AUDIENCE_DEFAULT),
  // Long enough for a customer (or a client) to change their mind, short enough not to hold orders up.
  ORDER_CANCEL_WINDOW_MS: millis(2000),
  TRUST_PROXY: flag(false),
  UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(1).default(5000),
  LOG_LEVEL: logLevel,
});

export type GatewayConfig = z.infer<typeof GatewayConfigSchema>;
