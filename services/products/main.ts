import { MongoClient } from 'mongodb';
import { loadConfigOrExit } from '../../lib/config.js';
import { onShutdown, startHttpServer } from '../../lib/http-server.js';
import { createLogger } from '../../lib/logger.js';
import { createMetrics } from '../../lib/metrics.js';
import { startTelemetry } from '../../lib/telemetry.js';
import { createProductsApp } from './app.js';
import { ProductsConfig } from './config.js';
import { seedDemoCatalog } from './seed.js';
import { ensureIndexes } from './store.js';

const telemetry = startTelemetry({
  serviceName: 'products',
  otlpEndpoint: process.env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined,
});
const config = loadConfigOrExit(ProductsConfig);
const logger = createLogger('products', config.LOG_LEVEL);
const client = new MongoClient(config.MONGO_URL, { serverSelectionTimeoutMS: 10_000 });
await client.connect();
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
logger.info({ url: server.url, db: config.PRODUCTS_DB }, 'products service listening');
onShutdown(logger, [() => server.close(), () => client.close(), () => telemetry.shutdown()]);
