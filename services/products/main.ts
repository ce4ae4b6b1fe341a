import { MongoClient } from 'mongodb';
import { startHttpServer } from '../../lib/http-server.js';
import { retryUntilUp } from '../../lib/retry.js';
import { createMetrics } from '../../lib/metrics.js';
import { runMain } from '../../lib/run-main.js';
import { createProductsApp } from './app.js';
import { ProductsConfig } from './config.js';
import { migrate } from './migrations.js';
import { seedDemoCatalog } from './seed.js';

await runMain({
  name: 'products',
  config: ProductsConfig,
  env: process.env,
  async start({ config, logger, onStop }) {
    // Not connected here: the driver connects on first use and reconnects by itself after an outage.
    // Server selection gives up before callers (5 s) do, so they get a 503 problem rather than a timeout.
    const client = new MongoClient(config.MONGO_URL, { serverSelectionTimeoutMS: 3_000 });
    onStop(() => client.close());
    const db = client.db(config.PRODUCTS_DB);
    let migrated = false;
    const { app, store, catalog } = createProductsApp({
      db,
      logger,
      metrics: createMetrics('products'),
      serviceToken: config.SERVICE_TOKEN,
      migrated: () => migrated,
    });
    const server = await startHttpServer(app, config.PRODUCTS_PORT, config.PRODUCTS_HOST);
    onStop(() => server.close());
    const stopping = new AbortController();
    onStop(() => stopping.abort());
    logger.info({ url: server.url, db: config.PRODUCTS_DB }, 'products service listening');

    // While the database is down the service answers /readyz 503 and every route 503; once it is up: indexes, seed, ready.
    void retryUntilUp(
      async () => {
        await migrate(db);
        if (config.SEED_DEMO_CATALOG) await seedDemoCatalog(store, catalog, logger);
      },
      { logger, what: 'preparing the products database', signal: stopping.signal },
    ).then(
      () => {
        migrated = true;
        logger.info('products database ready');
      },
      () => undefined,
    );
  },
});
