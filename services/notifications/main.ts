import { drizzle } from 'drizzle-orm/postgres-js';
import { preparedStatements } from '../../lib/pg.js';
import postgres from 'postgres';
import { connectAmqp } from '../../lib/amqp.js';
import { loadConfigOrExit } from '../../lib/config.js';
import { onShutdown, startHttpServer } from '../../lib/http-server.js';
import { createLogger } from '../../lib/logger.js';
import { createMetrics } from '../../lib/metrics.js';
import { startTelemetry } from '../../lib/telemetry.js';
import { createNotificationsApp } from './app.js';
import { NotificationsConfig } from './config.js';
import { notificationsQueue, startOrderEventConsumer } from './consumer.js';
import { migrate } from './migrations.js';
import { createNotificationStore } from './store.js';

const telemetry = await startTelemetry({
  serviceName: 'notifications',
  otlpEndpoint: process.env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined,
});
const config = loadConfigOrExit(NotificationsConfig);
const logger = createLogger('notifications', config.LOG_LEVEL);

try {
  await migrate(config.NOTIFICATIONS_DATABASE_URL);
  const sql = postgres(config.NOTIFICATIONS_DATABASE_URL, { max: 10, onnotice: () => {} });
  const store = createNotificationStore(drizzle(preparedStatements(sql)));
  const amqp = await connectAmqp({ url: config.AMQP_URL, name: 'notifications', logger });
  const consumer = startOrderEventConsumer({
    connection: amqp,
    store,
    logger,
    work: notificationsQueue(config.NOTIFICATIONS_QUEUE, config.ORDER_EVENTS_EXCHANGE),
    prefetch: config.NOTIFICATIONS_PREFETCH,
  });
  const app = createNotificationsApp({
    logger,
    metrics: createMetrics('notifications'),
    serviceToken: config.SERVICE_TOKEN,
    store,
    readiness: {
      broker: async () => {
        if (!consumer.consuming()) throw new Error('not consuming');
      },
    },
  });
  const server = await startHttpServer(app, config.NOTIFICATIONS_PORT, config.NOTIFICATIONS_HOST);
  logger.info({ url: server.url, queue: config.NOTIFICATIONS_QUEUE }, 'notifications service listening');
  onShutdown(logger, [
    () => server.close(),
    () => consumer.close(),
    () => amqp.close(),
    () => sql.end({ timeout: 5 }),
    () => telemetry.shutdown(),
  ]);
} catch (error) {
  logger.fatal({ err: error }, 'notifications service failed to start');
  process.exit(1);
}
