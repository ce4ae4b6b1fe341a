import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { startHttpServer } from '../../lib/http-server.js';
import { createMetrics } from '../../lib/metrics.js';
import { runMain } from '../../lib/run-main.js';
import { createOrdersApp } from './app.js';
import { OrdersConfig } from './config.js';
import { migrate } from './migrations.js';
import { createSimulatedProvider } from './payment-provider.js';

await runMain({
  name: 'orders',
  config: OrdersConfig,
  env: process.env,
  async start({ config, logger, onStop }) {
    await migrate(config.ORDERS_DATABASE_URL);
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
