import { Client, Connection } from '@temporalio/client';
import { Redis } from 'ioredis';
import { connectAmqp } from '../lib/amqp.js';
import { ConfigError } from '../lib/config.js';
import { createEncryptionCodec } from '../lib/payload-codec.js';
import { payloadKeyring } from '../lib/payload-keys.js';
import { createServiceDispatcher } from '../lib/http-exchange.js';
import { startHttpServer } from '../lib/http-server.js';
import type { Logger } from '../lib/logger.js';
import { createMetrics } from '../lib/metrics.js';
import { runMain } from '../lib/run-main.js';
import { describeTemporalSecurity, temporalConnectionOptions } from '../lib/temporal-connection.js';
import { createServiceTransport } from '../lib/service-transport.js';
import { tracingClientInterceptors } from '../lib/temporal-tracing.js';
import { createGatewayApp } from './app.js';
import { GatewayConfigSchema } from './config.js';
import { createJwtVerifier, remoteKeys } from './middleware/auth.js';
import { createNotificationsClient } from './notifications-client.js';
import { createAmqpOrderEventHub } from './orders/event-hub.js';
import { createTemporalOrderWorkflows } from './orders/temporal-workflows.js';
import { createTaskQueueProbe } from './task-queue-probe.js';
import {
  createOrdersClient,
  createProductsClient,
  createUsersClient,
  defaultBreaker,
  withBreaker,
} from './upstream.js';

await runMain({
  name: 'api',
  config: GatewayConfigSchema,
  env: process.env,
  async start({ config, logger, telemetry, onStop }) {
    if (config.CODEC_ALLOW_ANONYMOUS && process.env.NODE_ENV === 'production')
      throw new ConfigError(['CODEC_ALLOW_ANONYMOUS: refused when NODE_ENV=production (it would decrypt for anyone)']);
    const codec = createEncryptionCodec(payloadKeyring(config));
    const dispatcher = createServiceDispatcher();
    onStop(() => dispatcher.close());
    const upstream = (service: string, baseUrl: string) =>
      withBreaker(
        createServiceTransport({
          service,
          baseUrl,
          dispatcher,
          token: config.SERVICE_TOKEN,
          timeoutMs: config.UPSTREAM_TIMEOUT_MS,
        }),
        defaultBreaker(),
        service,
      );

    // Lazy: the gateway starts (and /readyz reports) even while Temporal is still coming up.
    const temporalOptions = temporalConnectionOptions(config);
    const connection = Connection.lazy(temporalOptions);
    onStop(() => connection.close());
    const temporal = new Client({
      connection,
      namespace: config.TEMPORAL_NAMESPACE,
      dataConverter: { payloadCodecs: [codec] },
      interceptors: await tracingClientInterceptors(telemetry.tracerProvider !== undefined),
    });

    // Each instance hears every order event through its own exclusive queue (any number of replicas).
    const amqp = await connectAmqp({ url: config.AMQP_URL, name: 'api', logger });
    onStop(() => amqp.close());
    const orderEvents = createAmqpOrderEventHub(amqp, { exchange: config.ORDER_EVENTS_EXCHANGE, logger });
    onStop(() => orderEvents.close());
    const limitStore = config.REDIS_URL
      ? { client: connectLimitStore(config.REDIS_URL, logger), keyPrefix: config.REDIS_KEY_PREFIX }
      : undefined;
    if (limitStore) onStop(() => limitStore.client.quit().then(() => undefined));

    const app = createGatewayApp({
      config,
      logger,
      metrics: createMetrics('api'),
      users: createUsersClient(upstream('users', config.USERS_URL)),
      products: createProductsClient(upstream('products', config.PRODUCTS_URL)),
      orders: createOrdersClient(upstream('orders', config.ORDERS_URL)),
      notifications: createNotificationsClient(upstream('notifications', config.NOTIFICATIONS_URL)),
      orderEvents,
      live: {
        keepAliveMs: config.SSE_KEEPALIVE_MS,
        refreshMs: config.SSE_REFRESH_MS,
        stateCacheMs: config.ORDER_STATE_CACHE_MS,
      },
      orderWorkflows: createTemporalOrderWorkflows({
        client: temporal,
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        namespace: config.TEMPORAL_NAMESPACE,
        timeoutMs: config.UPSTREAM_TIMEOUT_MS,
      }),
      taskQueue: createTaskQueueProbe({
        client: temporal,
        namespace: config.TEMPORAL_NAMESPACE,
        taskQueue: config.TEMPORAL_TASK_QUEUE,
      }),
      verifyToken: createJwtVerifier({
        keys: remoteKeys(config.USERS_URL, config.UPSTREAM_TIMEOUT_MS),
        issuer: config.JWT_ISSUER,
        audience: config.JWT_AUDIENCE,
      }),
      limitStore,
      codecServer: { codec, serviceToken: config.SERVICE_TOKEN, allowAnonymous: config.CODEC_ALLOW_ANONYMOUS },
    });

    const server = await startHttpServer(app, config.API_PORT, config.API_HOST);
    onStop(() => server.close());
    logger.info(
      {
        url: server.url,
        temporal: config.TEMPORAL_ADDRESS,
        temporalSecurity: describeTemporalSecurity(temporalOptions),
        taskQueue: config.TEMPORAL_TASK_QUEUE,
      },
      'gateway listening',
    );
  },
});

/** Reconnects for ever (ioredis's default backoff); while down a command fails at once instead of queueing. */
function connectLimitStore(url: string, logger: Logger): Redis {
  const client = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 1_000 });
  client.on('error', (error: Error) => logger.debug({ err: error.message }, 'redis connection error'));
  client.on('ready', () => logger.info('redis connected: rate limits are shared by every gateway'));
  return client;
}
