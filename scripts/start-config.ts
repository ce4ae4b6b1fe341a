import { z } from 'zod';
import { ORDER_EVENTS_EXCHANGE } from '../contracts/events.js';
import { DEFAULT_AMQP_URL } from '../lib/amqp.js';
import { databaseUrl } from './databases.js';
import { TEMPORAL_ENGINES } from './temporal-engine.js';
import {
  DEFAULT_MONGO_PORT,
  DEFAULT_PORTS,
  DEFAULT_TEMPORAL_PORT,
  DEFAULT_TEMPORAL_UI_PORT,
  flag,
  logLevel,
  port,
  temporalSecurityFields,
} from '../lib/config.js';

/** Unset and empty mean the same: "not given". */
const optional = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value));

/** The launcher's environment (`npm start`); ports default to the ones every process's config.ts uses. */
export const LauncherConfig = z.object({
  DATA_DIR: z.string().min(1).default('.data'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).default('postgres://postgres@127.0.0.1:5432/postgres'),
  SHOP_DB_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_]{1,40}$/, 'letters, digits, underscore')
    .default('shop'),
  API_PORT: port(DEFAULT_PORTS.api),
  USERS_PORT: port(DEFAULT_PORTS.users),
  PRODUCTS_PORT: port(DEFAULT_PORTS.products),
  ORDERS_PORT: port(DEFAULT_PORTS.orders),
  WORKER_PORT: port(DEFAULT_PORTS.worker),
  NOTIFICATIONS_PORT: port(DEFAULT_PORTS.notifications),
  TEMPORAL_PORT: port(DEFAULT_TEMPORAL_PORT),
  TEMPORAL_UI_PORT: port(DEFAULT_TEMPORAL_UI_PORT),
  MONGO_PORT: port(DEFAULT_MONGO_PORT),
  /** The Temporal the launcher runs: `dev` (the CLI's dev server, SQLite) or `server` (v1.32 on PostgreSQL); `--engine` wins. */
  TEMPORAL_ENGINE: z.enum(TEMPORAL_ENGINES).default('dev'),
  /** Given: use that Temporal server instead of starting one. */
  TEMPORAL_ADDRESS: optional,
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  ...temporalSecurityFields,
  /** The worker runs as a Worker Deployment version; older builds with open orders are drained (scripts/drain-builds.ts). */
  TEMPORAL_WORKER_VERSIONING: flag(true),
  TEMPORAL_DEPLOYMENT_NAME: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,100}$/)
    .default('durable-shop'),
  TEMPORAL_UI_URL: optional,
  /** Given: use that MongoDB-protocol server instead of starting FerretDB. */
  MONGO_URL: optional,
  USERS_DATABASE_URL: optional,
  ORDERS_DATABASE_URL: optional,
  NOTIFICATIONS_DATABASE_URL: optional,
  /** The broker; the launcher declares the exchange and the notifications queues on it before anything starts. */
  AMQP_URL: z.url({ protocol: /^amqps?$/ }).default(DEFAULT_AMQP_URL),
  ORDER_EVENTS_EXCHANGE: z.string().min(1).default(ORDER_EVENTS_EXCHANGE),
  NOTIFICATIONS_QUEUE: z.string().min(1).default('notifications.order-events'),
  /** Unset: one is generated once and kept under DATA_DIR. */
  SERVICE_TOKEN: optional,
  ADMIN_EMAIL: optional,
  ADMIN_PASSWORD: optional,
  SEED_DEMO_CATALOG: z.enum(['true', 'false', '1', '0', 'yes', 'no']).default('true'),
  LOG_LEVEL: logLevel,
});
export type LauncherConfig = z.infer<typeof LauncherConfig>;

/** Each service's database: given, or `<SHOP_DB_PREFIX>_<name>` on DATABASE_URL's server. */
export function shopDatabaseUrls(config: LauncherConfig) {
  const named = (name: string) => databaseUrl(config.DATABASE_URL, `${config.SHOP_DB_PREFIX}_${name}`);
  return {
    users: config.USERS_DATABASE_URL ?? named('users'),
    orders: config.ORDERS_DATABASE_URL ?? named('orders'),
    notifications: config.NOTIFICATIONS_DATABASE_URL ?? named('notifications'),
    ferret: named('ferretdb'),
  };
}

export interface LaunchedDependencies {
  dataDir: string;
  serviceToken: string;
  temporalAddress: string;
  mongoUrl: string;
  databases: ReturnType<typeof shopDatabaseUrls>;
  admin: { email: string; password: string };
}

/** The environment every app process of the stack shares. */
export function appEnvironment(config: LauncherConfig, launched: LaunchedDependencies): Record<string, string> {
  return {
    SERVICE_TOKEN: launched.serviceToken,
    DATA_DIR: launched.dataDir,
    TEMPORAL_ADDRESS: launched.temporalAddress,
    MONGO_URL: launched.mongoUrl,
    USERS_DATABASE_URL: launched.databases.users,
    ORDERS_DATABASE_URL: launched.databases.orders,
    NOTIFICATIONS_DATABASE_URL: launched.databases.notifications,
    AMQP_URL: config.AMQP_URL,
    ORDER_EVENTS_EXCHANGE: config.ORDER_EVENTS_EXCHANGE,
    NOTIFICATIONS_QUEUE: config.NOTIFICATIONS_QUEUE,
    ADMIN_EMAIL: launched.admin.email,
    ADMIN_PASSWORD: launched.admin.password,
    SEED_DEMO_CATALOG: config.SEED_DEMO_CATALOG,
    TEMPORAL_UI_URL: config.TEMPORAL_UI_URL ?? `http://127.0.0.1:${config.TEMPORAL_UI_PORT}`,
    // The Web UI the launcher runs has no login, so it decodes through the codec server without a token.
    CODEC_ALLOW_ANONYMOUS: config.TEMPORAL_ADDRESS ? 'false' : 'true',
    LOG_LEVEL: config.LOG_LEVEL,
  };
}
