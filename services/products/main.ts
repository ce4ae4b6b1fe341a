import { MongoClient } from 'mongodb';
import { startHttpServer } from '../../lib/http-server.js';
import { createMetrics } from '../../lib/metrics.js';
import { runMain } from '../../lib/run-main.js';
import { createProductsApp } from './app.js';
import { ProductsConfig } from './config.js';
import { seedDemoCatalog } from './seed.js';
import { ensureIndexes } from './store.js';

await runMain({
  name: 'products',
  config: ProductsConfig,
  env: process.env,
  async start({ config, logger, onStop }) {
    const client = new MongoClient(config.MONGO_URL, { serverSelectionTimeoutMS: 10_000 });
    await client.connect();
    onStop(() => client.close());
    const db = client.db(config.PRODUCTS_DB);
    const { app, store, catalog } = createProductsApp({
      db,
      logger,
      metrics: createMetrics('products'),
      serviceToken: config.SERVICE_TOKEN,
    });
    await ensureIndexes(store);
    if (config.SEED_DEMO_CATALOG) await seedDemoCatalog(store, catalog, logger);
    const server = await startHttpServer(app, config.PRODUCTS_PORT, config.PRODUCTS_HOST);
    onStop(() => server.close());
    logger.info({ url: server.url, db: config.PRODUCTS_DB }, 'products service listening');
  },
});
