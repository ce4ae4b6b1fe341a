import { drizzle } from 'drizzle-orm/postgres-js';
import { preparedStatements } from '../../lib/pg.js';
import type { OrderEvent } from '../../contracts/events.js';
import postgres from 'postgres';
import { connectAmqp, type AmqpConnection } from '../../lib/amqp.js';
import type { Consumer } from '../../lib/amqp-consumer.js';
import { createPublisher } from '../../lib/amqp-publisher.js';
import { declareTopicExchange } from '../../lib/amqp-topology.js';
import type { Logger } from '../../lib/logger.js';
import { createOutboxRelay, type OutboxRelay } from '../../lib/outbox-relay.js';
import { notificationsQueue, startOrderEventConsumer } from '../../services/notifications/consumer.js';
import { migrate as migrateNotifications } from '../../services/notifications/migrations.js';
import { createNotificationStore, type NotificationStore } from '../../services/notifications/store.js';
import { createOrderOutboxStore } from '../../services/orders/outbox.js';
import { migrate as migrateOrders } from '../../services/orders/migrations.js';
import { createOrders, type Orders } from '../../services/orders/orders.js';

export interface PipelineOptions {
  ordersDatabaseUrl: string;
  notificationsDatabaseUrl: string;
  amqpUrl: string;
  exchange: string;
  queue: string;
  logger: Logger;
  prefetch?: number;
  /** Test hooks: a crash of the relay after the confirm, of the consumer after its commit. */
  afterPublish?: (ids: string[]) => Promise<void>;
  afterRecord?: (event: OrderEvent, fresh: boolean) => Promise<void>;
}

export interface Pipeline {
  orders: Orders;
  ordersSql: postgres.Sql;
  notificationsSql: postgres.Sql;
  relayConnection: AmqpConnection;
  consumerConnection: AmqpConnection;
  relay: OutboxRelay;
  consumer: Consumer;
  /** Deliveries the consumer committed, and those it found already handled. */
  counts: { fresh: number; duplicate: number };
  close(): Promise<void>;
}

/** The real asynchronous path in one process: orders store + outbox → relay → RabbitMQ → notifications consumer. */
export async function startEventPipeline(options: PipelineOptions): Promise<Pipeline> {
  const { logger } = options;
  await migrateOrders(options.ordersDatabaseUrl);
  await migrateNotifications(options.notificationsDatabaseUrl);
  const ordersSql = postgres(options.ordersDatabaseUrl, { max: 10, onnotice: () => {} });
  const notificationsSql = postgres(options.notificationsDatabaseUrl, { max: 10, onnotice: () => {} });
  const ordersDb = drizzle(preparedStatements(ordersSql));

  const relayConnection = await connectAmqp({ url: options.amqpUrl, name: 'test-relay', logger, maxDelayMs: 1000 });
  const publisher = createPublisher(relayConnection, {
    name: 'test-relay',
    logger,
    setup: (channel) => declareTopicExchange(channel, options.exchange),
  });
  const relay = createOutboxRelay({
    store: createOrderOutboxStore(ordersDb),
    publisher,
    exchange: options.exchange,
    appId: 'orders',
    logger,
    idleMs: 50,
    maxBackoffMs: 1000,
    afterPublish: options.afterPublish,
  });
  const orders = createOrders(ordersDb, () => relay.wake());

  const counts = { fresh: 0, duplicate: 0 };
  const inner = createNotificationStore(drizzle(preparedStatements(notificationsSql)));
  const store: NotificationStore = {
    ...inner,
    recordEvent: async (event, message) => {
      const fresh = await inner.recordEvent(event, message);
      counts[fresh ? 'fresh' : 'duplicate'] += 1;
      await options.afterRecord?.(event, fresh);
      return fresh;
    },
  };
  const consumerConnection = await connectAmqp({
    url: options.amqpUrl,
    name: 'test-consumer',
    logger,
    maxDelayMs: 1000,
  });
  const consumer = startOrderEventConsumer({
    connection: consumerConnection,
    store,
    logger,
    work: notificationsQueue(options.queue, options.exchange),
    prefetch: options.prefetch ?? 20,
    retryDelayMs: 50,
  });
  relay.start();

  return {
    orders,
    ordersSql,
    notificationsSql,
    relayConnection,
    consumerConnection,
    relay,
    consumer,
    counts,
    close: async () => {
      await relay.stop();
      await consumer.close();
      await publisher.close();
      await Promise.all([relayConnection.close(), consumerConnection.close()]);
      await Promise.all([ordersSql.end({ timeout: 5 }), notificationsSql.end({ timeout: 5 })]);
    },
  };
}
