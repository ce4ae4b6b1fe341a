import { drizzle } from 'drizzle-orm/postgres-js';
import { createPostgresClient, preparedStatements } from '../../lib/pg.js';
import { connectAmqp } from '../../lib/amqp.js';
import { createPublisher } from '../../lib/amqp-publisher.js';
import { declareWorkQueue, orderEventsQueue } from '../../lib/amqp-topology.js';
import { startHttpServer } from '../../lib/http-server.js';
import { createMetrics } from '../../lib/metrics.js';
import { createOutboxRelay } from '../../lib/outbox-relay.js';
import { startPreparing } from '../../lib/preparation.js';
import { runMain } from '../../lib/run-main.js';
import { createOrdersApp } from './app.js';
import { OrdersConfig } from './config.js';
import { migrate } from './migrations.js';
import { createOrderOutboxStore } from './outbox.js';
import { createClaimExpiry, startClaimExpiry } from './payment-claims.js';
import { createSimulatedProvider } from './payment-provider.js';
import { createPaymentContext } from './payments.js';

await runMain({
  name: 'orders',
  config: OrdersConfig,
  env: process.env,
  async start({ config, logger, onStop, stopping }) {
    const sql = createPostgresClient(config.ORDERS_DATABASE_URL, { max: 10 }, logger);
    onStop(() => sql.end({ timeout: 5 }));
    const db = drizzle(preparedStatements(sql));
    // The broker may be down: orders keep working, events wait in the outbox until the relay reconnects.
    const amqp = await connectAmqp({ url: config.AMQP_URL, name: 'orders-outbox-relay', logger });
    onStop(() => amqp.close());
    const relay = createOutboxRelay({
      store: createOrderOutboxStore(db),
      publisher: createPublisher(amqp, {
        name: 'orders-outbox-relay',
        logger,
        // The queues the events are for exist before the first publish; an unroutable one is returned and kept.
        setup: (channel) =>
          declareWorkQueue(channel, orderEventsQueue(config.NOTIFICATIONS_QUEUE, config.ORDER_EVENTS_EXCHANGE)),
      }),
      exchange: config.ORDER_EVENTS_EXCHANGE,
      appId: 'orders',
      logger,
      retentionMs: config.OUTBOX_RETENTION_HOURS * 3_600_000,
    });
    onStop(() => relay.stop());
    const provider = createSimulatedProvider();
    const claimTimeoutMs = config.PAYMENT_CLAIM_TIMEOUT_SECONDS * 1000;
    const claims = createClaimExpiry(db, createPaymentContext(db, provider), { claimTimeoutMs, logger });
    const expiry = startClaimExpiry(claims, { everyMs: Math.min(Math.max(claimTimeoutMs / 2, 500), 30_000), logger });
    onStop(() => expiry.stop());
    const app = createOrdersApp({
      db,
      onOrderEvent: () => relay.wake(),
      provider,
      logger,
      metrics: createMetrics('orders'),
      serviceToken: config.SERVICE_TOKEN,
      maxHeldUnitsPerCustomer: config.MAX_HELD_UNITS_PER_CUSTOMER,
    });
    // PostgreSQL down at start: serve 503 (not ready) and keep migrating until it is up, never exit.
    const database = await startPreparing({
      what: 'migrating the orders database',
      dependency: 'postgres',
      prepare: () => migrate(config.ORDERS_DATABASE_URL),
      logger,
      signal: stopping,
    });
    void database.done.then(
      () => relay.start(),
      () => undefined,
    );
    const server = await startHttpServer(database.gate(app), config.ORDERS_PORT, config.ORDERS_HOST);
    onStop(() => server.close());
    logger.info({ url: server.url }, 'orders service listening');
  },
});
