import type { ConsumeMessage } from 'amqplib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { OrderEvent } from '../../contracts/events.js';
import { closeAllBrokerConnections, rawChannel, silentLogger, testAmqpNames, testAmqpUrl } from '../support/amqp.js';
import { startEventPipeline, type Pipeline } from '../support/event-pipeline.js';
import { createTestDatabase } from '../support/postgres.js';

const names = testAmqpNames(inject('runId'), 'delivery');
const hooks = { crashRelayOnce: false, crashConsumerOnce: false, relayCrashedIds: [] as string[] };
let pipeline: Pipeline;
let raw: Awaited<ReturnType<typeof rawChannel>>;
const tapped: ConsumeMessage[] = [];

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

let sequence = 0;
/** Records an order (order.placed) and moves it to a final status (the final event), as the saga would. */
async function finishOrder(final: 'FAILED' | 'CANCELLED' = sequence % 2 ? 'FAILED' : 'CANCELLED'): Promise<string> {
  const id = `evt_${Date.now().toString(36)}_${(sequence++).toString(36)}`;
  const items = [{ productId: 'p_1', name: 'Mug', quantity: 1, unitPriceCents: 900 }];
  await pipeline.orders.create(id, {
    customerId: 'cus_events',
    items,
    currency: 'USD',
    paymentMethod: 'tok_visa',
    workflowId: id,
    steps: [],
  });
  await pipeline.orders.transition(
    id,
    final === 'FAILED' ? { to: 'FAILED', failureReason: 'OUT_OF_STOCK' } : { to: final },
  );
  return id;
}

const notificationsPerOrder = async (ids: string[]) => {
  const rows = await pipeline.notificationsSql<{ order_id: string; count: number }[]>`
    select order_id, count(*)::int as count from notifications where order_id in ${pipeline.notificationsSql(ids)} group by order_id`;
  return new Map(rows.map((row) => [row.order_id, row.count]));
};
const allNotified = async (ids: string[]) => (await notificationsPerOrder(ids)).size === ids.length;
const expectExactlyOneEach = async (ids: string[]) => {
  const counts = await notificationsPerOrder(ids);
  expect(ids.map((id) => counts.get(id) ?? 0)).toEqual(ids.map(() => 1));
};

beforeAll(async () => {
  const [ordersDatabaseUrl, notificationsDatabaseUrl] = await Promise.all([
    createTestDatabase(inject('postgresUrl'), inject('runId'), 'delivery_orders'),
    createTestDatabase(inject('postgresUrl'), inject('runId'), 'delivery_notifications'),
  ]);
  raw = await rawChannel();
  await raw.channel.assertExchange(names.exchange, 'topic', { durable: true });
  const tap = await raw.channel.assertQueue('', { exclusive: true });
  await raw.channel.bindQueue(tap.queue, names.exchange, 'order.*');
  await raw.channel.consume(tap.queue, (message) => message && tapped.push(message), { noAck: true });
  pipeline = await startEventPipeline({
    ordersDatabaseUrl,
    notificationsDatabaseUrl,
    amqpUrl: testAmqpUrl,
    exchange: names.exchange,
    queue: names.queue,
    logger: silentLogger,
    afterPublish: async (ids) => {
      if (!hooks.crashRelayOnce || ids.length === 0) return;
      hooks.crashRelayOnce = false;
      hooks.relayCrashedIds = ids;
      throw new Error('relay crashed after the confirm, before marking sent');
    },
    afterRecord: async (_event, fresh) => {
      if (!hooks.crashConsumerOnce || !fresh) return;
      hooks.crashConsumerOnce = false;
      // The consumer dies after its commit and before its ack: the broker must redeliver.
      await pipeline.consumerConnection.current()?.close();
    },
  });
  await until('consumer', () => pipeline.consumer.consuming());
});

afterAll(async () => {
  await pipeline?.close();
  await raw?.cleanup({ exchange: names.exchange, queues: [names.queue, names.deadLetterQueue] });
  await raw?.close();
});

describe('outbox → RabbitMQ → notifications (real broker, real databases)', () => {
  it('gives every final order exactly one notification, with events on the wire as the contract says', async () => {
    const ids = await Promise.all(Array.from({ length: 10 }, () => finishOrder()));
    await until('all notified', () => allNotified(ids));
    await expectExactlyOneEach(ids);
    await until('both events of each order tapped', () => tapped.length >= 20);
    for (const message of tapped) {
      const event = OrderEvent.parse(JSON.parse(message.content.toString()));
      expect(message.fields.routingKey).toBe(event.type);
      expect(message.properties).toMatchObject({
        messageId: event.id,
        contentType: 'application/json',
        deliveryMode: 2,
      });
    }
    for (const id of ids) {
      const types = tapped
        .map((m) => OrderEvent.parse(JSON.parse(m.content.toString())))
        .filter((e) => e.orderId === id);
      expect(types.map((e) => e.type)[0]).toBe('order.placed'); // in order per order
      expect(types).toHaveLength(2);
    }
  });

  it('re-publishes after a relay crash between confirm and mark; the duplicate is deduped', async () => {
    hooks.crashRelayOnce = true;
    const before = pipeline.counts.duplicate;
    const ids = await Promise.all(Array.from({ length: 5 }, () => finishOrder()));
    await until('all notified', () => allNotified(ids));
    expect(hooks.relayCrashedIds.length).toBeGreaterThan(0);
    await until('duplicates delivered', () => pipeline.counts.duplicate - before >= hooks.relayCrashedIds.length);
    await expectExactlyOneEach(ids);
  });

  it('redelivers after a consumer crash between commit and ack; the redelivery is deduped', async () => {
    hooks.crashConsumerOnce = true;
    const before = pipeline.counts.duplicate;
    const ids = await Promise.all(Array.from({ length: 5 }, () => finishOrder()));
    await until('all notified', () => allNotified(ids));
    await until('redelivery seen', () => pipeline.counts.duplicate > before);
    expect(hooks.crashConsumerOnce).toBe(false);
    await expectExactlyOneEach(ids);
  });

  it('loses nothing when the broker drops every connection mid-stream', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      if (i === 10) await closeAllBrokerConnections();
      ids.push(await finishOrder());
    }
    await until('all notified after reconnecting', () => allNotified(ids), 60_000);
    await expectExactlyOneEach(ids);
    await raw.close();
    raw = await rawChannel(); // the test's own plain connection was dropped too
  });

  it('dead-letters a malformed message and processes the next good one', async () => {
    raw.channel.publish(names.exchange, 'order.confirmed', Buffer.from('{"not": "an event"'), { persistent: true });
    const id = await finishOrder();
    await until('next good one notified', () => allNotified([id]));
    await until('dead-lettered', async () => (await raw.count(names.deadLetterQueue)) === 1);
  });
});
