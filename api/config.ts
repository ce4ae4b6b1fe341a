import { z } from 'zod';
import { ORDER_EVENTS_EXCHANGE } from '../contracts/events.js';
import { DEFAULT_AMQP_URL } from '../lib/amqp.js';
import { DEFAULT_PORTS, flag, listenOn, processFields, temporalFields, upstreamUrlFields } from '../lib/config.js';
import { payloadKeyFields } from '../lib/payload-keys.js';
import { TOKEN_AUDIENCE_DEFAULT, TOKEN_ISSUER_DEFAULT } from '../contracts/users.js';
import { DEFAULT_MAX_KEYS } from './rate-limits/sliding-window.js';

const count = (fallback: number) => z.coerce.number().int().min(0).default(fallback);
const millis = (fallback: number) => z.coerce.number().int().min(0).default(fallback);

export const GatewayConfigSchema = z.object({
  ...processFields,
  ...listenOn('API', DEFAULT_PORTS.api),
  ...upstreamUrlFields,
  ...temporalFields,
  ...payloadKeyFields,
  /** The codec server (/codec/*) without a credential, for the dev server's Web UI (no login); refused in production. */
  CODEC_ALLOW_ANONYMOUS: flag(false),
  // The Temporal Web UI the storefront links each order to.
  TEMPORAL_UI_URL: z.url().default('http://127.0.0.1:8233'),

  NOTIFICATIONS_URL: z.url().default(`http://127.0.0.1:${DEFAULT_PORTS.notifications}`),
  AMQP_URL: z.url({ protocol: /^amqps?$/ }).default(DEFAULT_AMQP_URL),
  ORDER_EVENTS_EXCHANGE: z.string().min(1).default(ORDER_EVENTS_EXCHANGE),
  // The contract: a keep-alive comment at least every 15 s (checked once per refresh tick).
  SSE_KEEPALIVE_MS: z.coerce.number().int().min(100).max(14_000).default(10_000),
  /** A live stream re-reads a pending order after this long without a pushed change (progress is pushed). */
  SSE_REFRESH_MS: z.coerce.number().int().min(50).default(10_000),
  /** Reads of a pending order whose state was not pushed share one Temporal query within this window (0 = a query each). */
  ORDER_STATE_CACHE_MS: millis(1000),
  /** Live order streams one customer may hold open on a gateway; past it → 429 (0 = no cap). */
  SSE_MAX_STREAMS_PER_CUSTOMER: count(5),
  /** Live order streams a gateway holds open in all (0 = no cap). */
  SSE_MAX_STREAMS: count(1000),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1).default(1_048_576),
  RATE_LIMIT_LOGIN_FAILURES: count(10),
  RATE_LIMIT_IP_PER_MIN: count(1200),
  RATE_LIMIT_ORDERS_PER_MIN: count(60),
  /** Keys each in-memory limit holds at most (per process); past it the least recently used is forgotten. */
  RATE_LIMIT_MAX_KEYS: z.coerce.number().int().min(1).default(DEFAULT_MAX_KEYS),
  /** Redis holding every rate limit, shared by all gateway replicas; unset: each process counts alone. */
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  /** Prefix of every key the gateway writes in Redis (one per deployment sharing a Redis). */
  REDIS_KEY_PREFIX: z.string().min(1).default('durable-shop:limits:'),
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
