import { z } from 'zod';
import { DEFAULT_PORTS, flag, listenOn, processFields, temporalFields, upstreamUrlFields } from '../lib/config.js';
import { TOKEN_AUDIENCE_DEFAULT, TOKEN_ISSUER_DEFAULT } from '../contracts/users.js';

const count = (fallback: number) => z.coerce.number().int().min(0).default(fallback);
const millis = (fallback: number) => z.coerce.number().int().min(0).default(fallback);

export const GatewayConfigSchema = z.object({
  ...processFields,
  ...listenOn('API', DEFAULT_PORTS.api),
  ...upstreamUrlFields,
  ...temporalFields,
  // The Temporal Web UI the storefront links each order to.
  TEMPORAL_UI_URL: z.url().default('http://127.0.0.1:8233'),
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
});

export type GatewayConfig = z.infer<typeof GatewayConfigSchema>;
