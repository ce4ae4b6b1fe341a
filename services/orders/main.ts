import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { startHttpServer } from '../../lib/http-server.js';
import { createMetrics } from '../../lib/metrics.js';
import { ensureDatabase, migrateWithLock } from '../../lib/pg.js';
import { runMain } from '../../lib/run-main.js';
import { createOrdersApp } from './app.js';
import { OrdersConfig } from './config.js';
import { createSimulatedProvider } from './provider.js';

const MIGRATION_LOCK_KEY = 7003;

await runMain({
  name: 'orders',
  config: OrdersConfig,
  env: process.env,
  async start({ config, logger, onStop }) {
    await ensureDatabase(config.ORDERS_DATABASE_URL);
    await migrateWithLock(
      config.ORDERS_DATABASE_URL,
      fileURLToPath(new URL('./drizzle', import.meta.url)),
      MIGRATION_LOCK_KEY,
    );

    const sql = postgres(config.ORDERS_DATABASE_URL, { max: 10, onnotice: () => {} });
    onStop(() => sql.end({ timeout: 5 }));
    const app = createOrdersApp({
      db: drizzle(sql),
      provider: createSimulatedProvider(),
      logger,
      metrics: createMetrics('orders'),
      serviceToken: config.SERVICE_TOKEN,
    });
    const server = await startHttpServer(app, config.ORDERS_PORT, config.ORDERS_HOST);
    onStop(() => server.close());
    logger.info({ url: server.url }, 'orders service listening');
  },
});
