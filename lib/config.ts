import { z } from 'zod';
import { TASK_QUEUE_DEFAULT } from '../contracts/order-saga.js';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Example secrets printed in the README and the launcher's defaults: fine on a laptop, refused in production. */
/** The example payload key every laptop shares (`dev-payload-key-not-a-secret-000`, base64). */
export const DEV_PAYLOAD_KEY = 'ZGV2LXBheWxvYWQta2V5LW5vdC1hLXNlY3JldC0wMDA=';
export const DOCUMENTED_SECRETS: readonly string[] = ['dev-token-0123456789', 'admin-password', DEV_PAYLOAD_KEY];
const SECRET_NAME = /TOKEN|PASSWORD|SECRET|PRIVATE_KEY|API_KEY|PAYLOAD_KEYS/;
// A key list (`id:key,id:key`) is refused when any of its parts is a documented example.
const secretParts = (value: string) => [value, ...value.split(/[,:]/).map((part) => part.trim())];

/** With NODE_ENV=production, a password given in the environment (the admin's) must be at least this long. */
export const MIN_PRODUCTION_PASSWORD_LENGTH = 12;
const PASSWORD_NAME = /PASSWORD/;

/**
 * With NODE_ENV=production (the Docker image sets it), a documented example secret or a password shorter
 * than MIN_PRODUCTION_PASSWORD_LENGTH is a configuration error; a laptop keeps taking short dev ones.
 */
function productionSecretProblems(config: unknown, env: Record<string, string | undefined>): string[] {
  if (env.NODE_ENV !== 'production' || typeof config !== 'object' || config === null) return [];
  return Object.entries(config).flatMap(([key, value]) => {
    if (!SECRET_NAME.test(key) || typeof value !== 'string') return [];
    if (secretParts(value).some((part) => DOCUMENTED_SECRETS.includes(part)))
      return [`${key}: is a documented example secret, refused when NODE_ENV=production (generate one)`];
    if (PASSWORD_NAME.test(key) && value.length < MIN_PRODUCTION_PASSWORD_LENGTH)
      return [`${key}: must be at least ${MIN_PRODUCTION_PASSWORD_LENGTH} characters when NODE_ENV=production`];
    return [];
  });
}

/** Parses environment variables with a zod object schema, listing every problem at once. */
export function parseConfig<T extends z.ZodType>(schema: T, env: Record<string, string | undefined>): z.infer<T> {
  const result = schema.safeParse(env);
  if (result.success) {
    const refused = productionSecretProblems(result.data, env);
    if (refused.length > 0) throw new ConfigError(refused);
    return result.data;
  }
  const problems = result.error.issues.map((issue) => {
    const key = issue.path.join('.') || '(root)';
    return `${key}: ${issue.message}`;
  });
  throw new ConfigError(problems);
}

/** For main.ts files: parse, or print the problems and exit non-zero. */
export function loadConfigOrExit<T extends z.ZodType>(schema: T, env = process.env): z.infer<T> {
  try {
    return parseConfig(schema, env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
export const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');
export const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info');

/** Where each process listens unless told otherwise; the launcher and every config.ts read them from here. */
export const DEFAULT_PORTS = {
  api: 3000,
  users: 3001,
  products: 3002,
  orders: 3003,
  worker: 3004,
  notifications: 3005,
} as const;
const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_TEMPORAL_PORT = 7233;
export const DEFAULT_TEMPORAL_UI_PORT = 8233;
export const DEFAULT_MONGO_PORT = 27017;

const host = z.string().min(1).default(DEFAULT_HOST);

/** `<NAME>_PORT` and `<NAME>_HOST` of one process, e.g. `listenOn('USERS', DEFAULT_PORTS.users)`. */
export function listenOn<N extends string>(name: N, fallback: number) {
  return { [`${name}_PORT`]: port(fallback), [`${name}_HOST`]: host } as {
    [K in `${N}_PORT`]: ReturnType<typeof port>;
  } & { [K in `${N}_HOST`]: typeof host };
}

/** Fields every process has: the shared internal credential and the log level. */
export const processFields = {
  SERVICE_TOKEN: z.string({ error: 'is required' }).min(16, 'must be at least 16 characters'),
  LOG_LEVEL: logLevel,
};

/** Temporal's environment configuration (the names the `temporal` CLI reads): an API key implies TLS. */
export const temporalSecurityFields = {
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  TEMPORAL_TLS: z.enum(['true', 'false', '1', '0']).optional(),
  TEMPORAL_TLS_CLIENT_CERT_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_CLIENT_KEY_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
};

/** The Temporal server, namespace and task queue of the order saga, and how to reach it (gateway and worker). */
export const temporalFields = {
  TEMPORAL_ADDRESS: z.string().min(1).default(`${DEFAULT_HOST}:${DEFAULT_TEMPORAL_PORT}`),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default(TASK_QUEUE_DEFAULT),
  ...temporalSecurityFields,
};
export const TemporalSettingsSchema = z.object(temporalFields);
export type TemporalSettings = z.infer<typeof TemporalSettingsSchema>;

const localUrl = (port: number) => z.url().default(`http://${DEFAULT_HOST}:${port}`);

/** The internal services' base URLs (gateway and worker). */
export const upstreamUrlFields = {
  USERS_URL: localUrl(DEFAULT_PORTS.users),
  PRODUCTS_URL: localUrl(DEFAULT_PORTS.products),
  ORDERS_URL: localUrl(DEFAULT_PORTS.orders),
};
