import { Client, Connection } from '@temporalio/client';
import { loadConfigOrExit } from '../lib/config.js';
import { onShutdown, startHttpServer } from '../lib/http-server.js';
import { createLogger } from '../lib/logger.js';
import { createMetrics } from '../lib/metrics.js';
import { createServiceClient } from '../lib/service-client.js';
import { startTelemetry } from '../lib/telemetry.js';
import { createGatewayApp } from './app.js';
import { createJwtVerifier, remoteKeys } from './auth.js';
import { GatewayConfigSchema } from './config.js';
import { createTemporalOrderWorkflows, tracingClientInterceptors } from './temporal-order-workflows.js';
import { createOrdersClient, createProductsClient, createUsersClient, withBreaker } from './upstream.js';

const telemetry = startTelemetry({
  serviceName: 'api',
  otlpEndpoint: process.env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined,
});
const config = loadConfigOrExit(GatewayConfigSchema);
const logger = createLogger('api', config.LOG_LEVEL);
const metrics = createMetrics('api');

const upstream = (service: string, baseUrl: string) =>
  withBreaker(
    createServiceClient({ service, baseUrl, token: config.SERVICE_TOKEN, timeoutMs: config.UPSTREAM_TIMEOUT_MS }),
  );

// Lazy: the gateway starts (and /readyz reports) even while Temporal is still coming up.
const connection = Connection.lazy({ address: config.TEMPORAL_ADDRESS });
const temporal = new Client({
  connection,
  namespace: config.TEMPORAL_NAMESPACE,
  interceptors: tracingClientInterceptors(telemetry.tracerProvider !== undefined),
});

const app = createGatewayApp({
  config,
  logger,
  metrics,
  users: createUsersClient(upstream('users', config.USERS_URL)),
  products: createProductsClient(upstream('products', config.PRODUCTS_URL)),
  orders: createOrdersClient(upstream('orders', config.ORDERS_URL)),
  orderWorkflows: createTemporalOrderWorkflows({
    client: temporal,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    namespace: config.TEMPORAL_NAMESPACE,
    timeoutMs: config.UPSTREAM_TIMEOUT_MS,
  }),
  verifyToken: createJwtVerifier({
    keys: remoteKeys(config.USERS_URL, config.UPSTREAM_TIMEOUT_MS),
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
  }),
});

const server = await startHttpServer(app, config.API_PORT, config.API_HOST);
logger.info(
  { url: server.url, temporal: config.TEMPORAL_ADDRESS, taskQueue: config.TEMPORAL_TASK_QUEUE },
  'gateway listening',
);
onShutdown(logger, [() => server.close(), () => connection.close(), () => telemetry.shutdown()]);
