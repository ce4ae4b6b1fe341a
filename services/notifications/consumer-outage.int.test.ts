import { drizzle } from 'drizzle-orm/postgres-js';
import type postgres from 'postgres';
import { connect } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAmqp, type AmqpConnection } from '../../lib/amqp.js';
import type { Consumer } from '../../lib/amqp-consumer.js';
import { createLogger } from '../../lib/logger.js';
import { createPostgresClient, preparedStatements } from '../../lib/pg.js';
import { databaseUrl } from '../../scripts/databases.js';
import { waitFor } from '../../scripts/processes.js';
import { createTestVhost, type TestVhost } from '../../test/support/amqp.js';
import { startPrivatePostgres, type PrivatePostgres } from '../../test/support/private-postgres.js';
import { DELIVERY_LIMIT, notificationsQueue, startOrderEventConsumer } from './consumer.js';
import { migrate } from './migrations.js';
import { createNotificationStore } from './store.js';
import { orderEvent } from './test-support/harness.js';

// The real consumer on a RabbitMQ vhost of its own, its database a PostgreSQL of its own that is stopped
// for longer than the delivery limit lasts at one retry a second (x-delivery-limit 10 → ~11 s).
const logger = createLogger('notifications-test', 'silent');
const work = notificationsQueue('notifications.order-events', 'orders.events');
let vhost: TestVhost;
let pg: PrivatePostgres;
let sql: postgres.Sql;
let amqp: AmqpConnection;
let consumer: Consumer;

beforeAll(async () => {
  [vhost, pg] = await Promise.all([createTestVhost('consumer_outage'), startPrivatePostgres()]);
  const url = databaseUrl(pg.url, 'notifications');
  await migrate(url);
  sql = createPostgresClient(url, { max: 5 }, logger);
  amqp = await connectAmqp({ url: vhost.url, name: 'consumer-outage-test', logger });
  consumer = startOrderEventConsumer({
    connection: amqp,
    store: createNotificationStore(drizzle(preparedStatements(sql))),
    logger,
    work,
    prefetch: 20,
  });
  await waitFor('consuming', async () => consumer.consuming(), 30_000, 50);
});
afterAll(async () => {
  await consumer?.close();
  await amqp?.close();
  await sql?.end({ timeout: 1 });
  await pg?.destroy();
  await vhost?.remove();
});

async function brokerChannel() {
  const connection = await connect(vhost.url);
  const channel = await connection.createConfirmChannel();
  return { channel, close: () => connection.close() };
}

describe('the notifications consumer while its database is down longer than the delivery limit lasts', () => {
  it('keeps the event (nothing dead-lettered) and records it once the database is back', async () => {
    const broker = await brokerChannel();
    try {
      const event = orderEvent('order.confirmed', 'outage-order', 'outage-customer');
      await pg.stop('fast'); // idle pool: no transaction is cut mid-way
      broker.channel.publish(work.exchange, event.type, Buffer.from(JSON.stringify(event)), {
        persistent: true,
        messageId: event.id,
      });
      await broker.channel.waitForConfirms();
      // Each failed attempt of the old consumer requeued the message: the limit ran out after ~11 s.
      await new Promise((resolve) => setTimeout(resolve, (DELIVERY_LIMIT + 5) * 1_000));
      expect((await broker.channel.checkQueue(work.deadLetterQueue)).messageCount).toBe(0);
      await pg.start();
      await waitFor(
        'the notification recorded',
        async () =>
          (await sql`select 1 from notifications where order_id = 'outage-order'`.catch(() => [])).length === 1,
        15_000,
        200,
      );
      expect((await broker.channel.checkQueue(work.deadLetterQueue)).messageCount).toBe(0);
    } finally {
      await broker.close();
    }
  }, 90_000);
});
