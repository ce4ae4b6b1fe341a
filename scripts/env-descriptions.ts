// What each environment variable means, for docs/configuration.md (scripts/env-reference.ts). A `.describe()`
// on the schema field wins over an entry here; a variable with neither fails the generator.

/** Variables of the config schemas, by name. */
export const descriptions: Record<string, string> = {
  ACCESS_TOKEN_TTL_SECONDS: 'Lifetime of an access token (at most 900).',
  ADMIN_EMAIL:
    'With `ADMIN_PASSWORD`: the admin account the users service creates at start when that email is free. `npm start` passes `admin@example.com` unless set.',
  ADMIN_PASSWORD:
    'The admin account’s password (set with `ADMIN_EMAIL`). `npm start` passes `admin-password` unless set.',
  AMQP_URL: 'RabbitMQ (`amqp://` or `amqps://`) carrying the order events.',
  API_HOST: 'Address the gateway listens on.',
  API_PORT: 'Port of the gateway (API, storefront, `/docs`).',
  BODY_LIMIT_BYTES: 'Larger request bodies are answered 413.',
  CODEC_ALLOW_ANONYMOUS:
    'Let the codec server (`/codec/*`) decrypt without a credential, for the dev server’s Web UI (which has no login). `npm start` sets it when it runs the dev server; refused when `NODE_ENV=production`.',
  CORS_ORIGINS: 'Comma-separated origins allowed by CORS; empty: none.',
  DATABASE_URL: 'PostgreSQL server on which `npm start` creates the service databases (and FerretDB’s).',
  DATA_DIR:
    'Local state: the Temporal database, the generated service token and the users service’s development signing key.',
  JWT_AUDIENCE: 'Audience of the access tokens (issued by users, checked by the gateway).',
  JWT_ISSUER: 'Issuer of the access tokens (issued by users, checked by the gateway).',
  JWT_PRIVATE_KEYS:
    'JSON array of private Ed25519 JWKs with a `kid`; the first signs, all are published. Unset: a development key kept under `DATA_DIR`.',
  LOG_LEVEL: 'pino log level.',
  MONGO_PORT: 'Port of the FerretDB that `npm start` runs.',
  MONGO_URL:
    'MongoDB-protocol server of the catalog and inventory. Given to `npm start`: used instead of starting FerretDB.',
  NOTIFICATIONS_DATABASE_URL: 'PostgreSQL database of the notifications service (created and migrated at start).',
  NOTIFICATIONS_HOST: 'Address the notifications service listens on.',
  NOTIFICATIONS_PORT: 'Port of the notifications service.',
  NOTIFICATIONS_PREFETCH: 'Unacknowledged messages the notifications consumer holds at once.',
  NOTIFICATIONS_QUEUE: 'The notifications service’s durable queue; its dead-letter queue is `<name>.dead-letter`.',
  NOTIFICATIONS_URL: 'Where the gateway reaches the notifications service.',
  ORDERS_DATABASE_URL: 'PostgreSQL database of the orders service (created and migrated at start).',
  ORDERS_HOST: 'Address the orders service listens on.',
  ORDERS_PORT: 'Port of the orders service.',
  ORDERS_URL: 'Where the gateway and the activities reach the orders service.',
  ORDER_CANCEL_WINDOW_MS: 'Durable cancellation window of each new order before capture; 0: none.',
  ORDER_EVENTS_EXCHANGE: 'The durable topic exchange the order events are published to.',
  ORDER_STATE_CACHE_MS: 'Reads of a pending order within this window share one Temporal query; 0: a query per read.',
  OUTBOX_RETENTION_HOURS: 'Published events stay in the outbox this long, then the relay deletes them.',
  PAYMENT_CLAIM_TIMEOUT_SECONDS:
    'A capture/void/refund claimed this long ago without an answer (its process died) is settled by asking the provider under the same idempotency key.',
  PRODUCTS_DB: 'Database name of the catalog and inventory.',
  PRODUCTS_HOST: 'Address the products service listens on.',
  PRODUCTS_PORT: 'Port of the products service.',
  PRODUCTS_URL: 'Where the gateway and the activities reach the products service.',
  RATE_LIMIT_IP_PER_MIN: 'Requests per client IP per minute; 0: off.',
  RATE_LIMIT_LOGIN_FAILURES: 'Failed logins per account per 15 minutes; 0: off.',
  RATE_LIMIT_MAX_KEYS:
    'Keys (client addresses, login emails) the in-memory limiter tracks; past it the least recently seen key is dropped, so a flood of new keys costs O(1) each and bounded memory.',
  RATE_LIMIT_ORDERS_PER_MIN: 'Orders placed per customer per minute; 0: off.',
  PAYLOAD_KEYS:
    'Payload encryption keys, `<id>:<base64 of 32 bytes>` separated by commas (`openssl rand -base64 32`). Every key listed decrypts; keep a retired key listed while histories encrypted with it are kept. The default is the documented dev key, refused when `NODE_ENV=production`.',
  PAYLOAD_KEY_ID:
    'Id of the key in `PAYLOAD_KEYS` that encrypts new payloads; default: the first listed. Rotate by adding a key, then pointing this at it.',
  RECONCILE_INTERVAL_SECONDS:
    'How often the reconciler Schedule starts a pass through the PENDING orders whose saga closed.',
  RECONCILE_MIN_AGE_SECONDS: 'Orders younger than this are left to their saga by the reconciler.',
  REDIS_KEY_PREFIX: 'Prefix of the gateway’s Redis keys (one per deployment sharing a Redis).',
  REDIS_URL:
    'Redis (`redis://` or `rediss://`) holding every rate limit, one budget for all gateway replicas; unset: each gateway counts alone.',
  SEED_DEMO_CATALOG: 'Seed a demo catalog when the catalog is empty.',
  SERVICE_TOKEN:
    'The internal credential on every `/v1/*` call between processes (at least 16 characters). `npm start` generates one under `DATA_DIR` unless set.',
  SHOP_DB_PREFIX: 'Prefix of the databases `npm start` creates (`<prefix>_users`, `<prefix>_orders`, …).',
  SSE_KEEPALIVE_MS: 'Keep-alive comment interval of an order’s live stream (at most 14000).',
  SSE_MAX_STREAMS: 'Live order-status streams the gateway holds open in total; past it, 429 `RATE_LIMITED`.',
  SSE_MAX_STREAMS_PER_CUSTOMER:
    'Live order-status streams one customer may hold open at once; past it, 429 `RATE_LIMITED`.',
  SSE_REFRESH_MS:
    'A live stream re-reads its pending order after this long without a pushed change (step progress is pushed by the worker).',
  TEMPORAL_ADDRESS: 'Temporal frontend `host:port`. Given to `npm start`: used instead of starting an engine.',
  TEMPORAL_ENGINE:
    'The Temporal `npm start` runs: `dev` (the CLI’s dev server, state in `DATA_DIR/temporal.db`) or `server` (Temporal server v1.32 on PostgreSQL, databases `<SHOP_DB_PREFIX>_temporal` and `_temporal_visibility`, with the Web UI as its own process). `npm start -- --engine server` says the same.',
  TEMPORAL_API_KEY: 'API key for Temporal (implies TLS), as the `temporal` CLI reads it.',
  TEMPORAL_BUILD_ID:
    'Build id of the worker under Worker Versioning; default: the hash of the bundle at `WORKFLOW_BUNDLE_PATH`.',
  TEMPORAL_DEPLOYMENT_NAME: 'Name of the Worker Deployment the worker belongs to under Worker Versioning.',
  TEMPORAL_GRPC_COMPRESSION:
    'Compression of the worker’s gRPC calls to Temporal: `none` (loopback, same zone: gzip only costs CPU) or `gzip` (a slow or metered link).',
  TEMPORAL_METRICS_PORT:
    'Port of the Temporal SDK’s Prometheus metrics on the worker; unset: off. `npm start -- --observability` sets 9464.',
  TEMPORAL_NAMESPACE: 'Temporal namespace of the orders.',
  TEMPORAL_PORT: 'Port of the Temporal frontend `npm start` runs (either engine).',
  TEMPORAL_SET_CURRENT_VERSION:
    'Under Worker Versioning: once polling, make this build the deployment’s current version (new orders start on it). Off for a worker kept only to drain an old build.',
  TEMPORAL_TASK_QUEUE: 'Task queue of the order saga.',
  TEMPORAL_TLS: 'Connect to Temporal over TLS.',
  TEMPORAL_TLS_CLIENT_CERT_PATH: 'Client certificate for mTLS to Temporal (with the key).',
  TEMPORAL_TLS_CLIENT_KEY_PATH: 'Client key for mTLS to Temporal (with the certificate).',
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: 'CA that signed Temporal’s server certificate.',
  TEMPORAL_TLS_SERVER_NAME: 'Server name expected in Temporal’s certificate.',
  TEMPORAL_UI_PORT: 'Port of the Temporal Web UI `npm start` runs.',
  TEMPORAL_UI_URL: 'Temporal Web UI the storefront links each order to.',
  TEMPORAL_WORKER_VERSIONING:
    'Run the worker as a version of a Worker Deployment (`TEMPORAL_DEPLOYMENT_NAME`, build `TEMPORAL_BUILD_ID`): an order stays on the build it started on. `npm start` turns it on (and drains older builds); compose and the Helm chart leave it off (docs/changing-the-workflow.md).',
  TRUST_PROXY: 'Take the client IP from `X-Forwarded-For` (behind a proxy you run).',
  UPSTREAM_TIMEOUT_MS: 'Timeout of one call to a service (the gateway’s, and each activity’s).',
  MAX_HELD_UNITS_PER_CUSTOMER:
    'Units one customer’s unconfirmed orders may hold together; a new order past it gets 429 (a customer’s only unconfirmed order always passes).',
  PASSWORD_HASHING_CONCURRENCY: 'Password hashes/verifies the users service runs at once.',
  PASSWORD_HASHING_MAX_WAIT_MS:
    'A password check that waited longer than this for a slot is answered 503 OVERLOADED with Retry-After, without hashing.',
  PASSWORD_HASHING_QUEUE: 'Password checks waiting for a slot; past it, 503 OVERLOADED with Retry-After at once.',
  USERS_DATABASE_URL: 'PostgreSQL database of the users service (created and migrated at start).',
  USERS_HOST: 'Address the users service listens on.',
  USERS_PORT: 'Port of the users service.',
  USERS_URL: 'Where the gateway and the activities reach the users service.',
  WORKER_HOST: 'Address of the worker’s health and metrics endpoint.',
  WORKER_MAX_CONCURRENT_ACTIVITIES: 'Activities (regular and local) the worker runs at once.',
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: 'Workflow tasks the worker runs at once.',
  WORKER_PORT: 'Port of the worker’s health and metrics endpoint.',
  WORKFLOW_BUNDLE_PATH:
    'A prebuilt workflow bundle; unset: the worker bundles the workflows at start. `npm start` builds one per hash of the sources.',
};

export interface OtherVariable {
  name: string;
  processes: string;
  default: string;
  description: string;
  /** A file that reads it: the reference's test fails when the name is no longer there. */
  readIn: string;
}

/** Variables read outside the config schemas (tools, telemetry, tests, benches). */
export const otherVariables: OtherVariable[] = [
  {
    name: 'OTEL_EXPORTER_OTLP_ENDPOINT',
    processes: 'every process',
    default: 'unset: tracing off',
    description:
      'OTLP/HTTP collector base URL (`/v1/traces` is appended). The standard `OTEL_BSP_*` variables tune batching.',
    readIn: 'lib/run-main.ts',
  },
  {
    name: 'NODE_ENV',
    processes: 'every process',
    default: 'unset',
    description: '`production` (the Docker image): the example secrets of these docs are refused.',
    readIn: 'lib/config.ts',
  },
  {
    name: 'OBSERVABILITY',
    processes: 'launcher',
    default: 'unset',
    description: '`1`, `true` or `yes`: as `npm start -- --observability` (Prometheus and Jaeger).',
    readIn: 'scripts/observability.ts',
  },
  {
    name: 'LOG_FORMAT',
    processes: 'launcher',
    default: 'unset: readable lines',
    description: '`json`: the launcher passes the processes’ JSON log lines through unchanged.',
    readIn: 'scripts/pretty-output.ts',
  },
  ...['TEMPORAL_BIN', 'FERRETDB_BIN', 'HELM_BIN', 'PROMETHEUS_BIN', 'PROMTOOL_BIN', 'JAEGER_BIN'].map((name) => ({
    name,
    processes: 'launcher, tests',
    default: 'built and cached',
    description: 'Use this binary instead of building it with `go install`.',
    readIn: 'scripts/tools.ts',
  })),
  {
    name: 'DURABLE_SHOP_CACHE',
    processes: 'launcher, tests',
    default: '`~/.cache/durable-shop`',
    description: 'Where built tools and workflow bundles are cached.',
    readIn: 'scripts/tools.ts',
  },
  {
    name: 'GO',
    processes: 'launcher, tests',
    default: '`go`',
    description: 'The Go toolchain that builds the tools.',
    readIn: 'scripts/tools.ts',
  },
  {
    name: 'CHROMIUM_PATH',
    processes: 'tests',
    default: '`/usr/bin/chromium`',
    description: 'Headless Chromium for the storefront tests.',
    readIn: 'test/e2e/storefront-browser.ts',
  },
  {
    name: 'KEEP_TEST_LOGS',
    processes: 'tests',
    default: 'unset',
    description: 'Keep the test run’s server logs.',
    readIn: 'test/global-setup.ts',
  },
  {
    name: 'BENCH_CPU_PROF_DIR',
    processes: '`bench/orders.ts`',
    default: 'unset',
    description: 'Write a V8 CPU profile per process and thread into this directory.',
    readIn: 'bench/orders.ts',
  },
  ...[
    ['BENCH_N', '`2000`', 'Reservations made.'],
    ['BENCH_CONCURRENCY', '`32`', 'Reservations in flight at once.'],
    ['BENCH_STOCK', '3/4 of `BENCH_N`', 'Stock of the hot product.'],
  ].map(([name = '', fallback = '', description = '']) => ({
    name,
    processes: '`bench/products.ts`',
    default: fallback,
    description,
    readIn: 'bench/products.ts',
  })),
];

/** The launcher's ports for `npm start -- --observability` (defaults in scripts/observability.ts). */
export const observabilityPortDescriptions: Record<string, string> = {
  PROMETHEUS_PORT: 'Prometheus (API, rules, alerts).',
  TEMPORAL_SERVER_METRICS_PORT: 'The Temporal dev server’s metrics.',
  JAEGER_QUERY_PORT: 'Jaeger’s query API.',
  JAEGER_OTLP_PORT: 'Jaeger’s OTLP/HTTP receiver.',
  JAEGER_HEALTH_PORT: 'Jaeger’s health check.',
};
