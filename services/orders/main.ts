import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { loadConfigOrExit } from '../../lib/config.js';
import { onShutdown, startHttpServer } from '../../lib/http-server.js';
import { createLogger } from '../../lib/logger.js';
import { createMetrics } from '../../lib/metrics.js';
import { ensureDatabase, migrateWithLock } from '../../lib/pg.js';
import { startTelemetry } from '../../lib/telemetry.js';
import { createOrdersApp } from './app.js';
import { OrdersConfig } from './config.js';
import { createSimulatedProvider } from './provider.js';

const MIGRATION_LOCK_KEY = 7003;

const telemetry = startTelemetry({
  serviceName: 'orders',
  otlpEndpoint: process.env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined,
});
const config = loadConfigOrExit(OrdersConfig);
const logger = createLogger('orders', config.LOG_LEVEL);

await ensureDatabase(config.ORDERS_DATABASE_URL);
await migrateWithLock(
  config.ORDERS_DATABASE_URL,
  fileURLToPath(new URL('./drizzle', import.meta.url)),
  MIGRATION_LOCK_KEY,
);

const sql = postgres(config.ORDERS_DATABASE_URL, { max: 10, onnotice: () => {} });
const app = createOrdersApp({
  db: drizzle(sql),
  provider: createSimulatedProvider(),
  logger,
  metrics: createMetrics('orders'),
  serviceToken: config.SERVICE_TOKEN,
});
const server = await startHttpServer(app, config.ORDERS_PORT, config.ORDERS_HOST);
logger.info({ url: server.url }, 'orders service listening');

onShutdown(logger, [() => server.close(), () => sql.end({ timeout: 5 }), () => telemetry.shutdown()]);
