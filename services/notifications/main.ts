import { drizzle } from 'drizzle-orm/postgres-js';
import { connectAmqp } from '../../lib/amqp.js';
import type { Consumer } from '../../lib/amqp-consumer.js';
import { startHttpServer } from '../../lib/http-server.js';
import { createMetrics } from '../../lib/metrics.js';
import { createPostgresClient, preparedStatements } from '../../lib/pg.js';
import { startPreparing } from '../../lib/preparation.js';
import { runMain } from '../../lib/run-main.js';
import { createNotificationsApp } from './app.js';
import { NotificationsConfig } from './config.js';
import { notificationsQueue, startOrderEventConsumer } from './consumer.js';
import { migrate } from './migrations.js';
import { createNotificationStore } from './store.js';

await runMain({
  name: 'notifications',
  config: NotificationsConfig,
  env: process.env,
  async start({ config, logger, onStop, stopping }) {
    const sql = createPostgresClient(config.NOTIFICATIONS_DATABASE_URL, { max: 10 }, logger);
    onStop(() => sql.end({ timeout: 5 }));
    const store = createNotificationStore(drizzle(preparedStatements(sql)));
    // The broker may be down: the connection keeps retrying, /readyz says "broker" meanwhile.
    const amqp = await connectAmqp({ url: config.AMQP_URL, name: 'notifications', logger });
    onStop(() => amqp.close());
    let consumer: Consumer | undefined;
    const metrics = createMetrics('notifications');
    const app = createNotificationsApp({
      logger,
      metrics,
      serviceToken: config.SERVICE_TOKEN,
      store,
      readiness: {
        broker: async () => {
          if (!consumer?.consuming()) throw new Error('not consuming');
        },
      },
    });
    // PostgreSQL down at start: serve 503 (not ready) and keep migrating; consume only once migrated.
    const database = await startPreparing({
      what: 'migrating the notifications database',
      dependency: 'postgres',
      prepare: () => migrate(config.NOTIFICATIONS_DATABASE_URL),
      logger,
      signal: stopping,
    });
    const startConsuming = () => {
      consumer = startOrderEventConsumer({
        connection: amqp,
        store,
        logger,
        work: notificationsQueue(config.NOTIFICATIONS_QUEUE, config.ORDER_EVENTS_EXCHANGE),
        prefetch: config.NOTIFICATIONS_PREFETCH,
        registry: metrics.registry,
      });
    };
    void database.done.then(startConsuming, () => undefined);
    onStop(() => consumer?.close());
    const server = await startHttpServer(database.gate(app), config.NOTIFICATIONS_PORT, config.NOTIFICATIONS_HOST);
    onStop(() => server.close());
    logger.info({ url: server.url, queue: config.NOTIFICATIONS_QUEUE }, 'notifications service listening');
  },
});
