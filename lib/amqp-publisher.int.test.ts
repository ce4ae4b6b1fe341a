import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { waitFor } from '../scripts/processes.js';
import { rawChannel, silentLogger, testAmqpNames, testAmqpUrl } from '../test/support/amqp.js';
import { connectAmqp, type AmqpConnection } from './amqp.js';
import { createPublisher, UnroutableMessageError, type Publisher } from './amqp-publisher.js';
import { declareTopicExchange } from './amqp-topology.js';
import { createOutboxRelay, type OutboxMessage, type OutboxStore } from './outbox-relay.js';

// Real RabbitMQ: an exchange nobody has bound a queue to yet, as on a fresh broker before any consumer ran.
const names = testAmqpNames(inject('runId'), 'unroutable');
let connection: AmqpConnection;
let publisher: Publisher;
let raw: Awaited<ReturnType<typeof rawChannel>>;

beforeAll(async () => {
  raw = await rawChannel();
  connection = await connectAmqp({ url: testAmqpUrl, name: 'unroutable-test', logger: silentLogger });
  publisher = createPublisher(connection, {
    name: 'unroutable-test',
    logger: silentLogger,
    setup: (channel) => declareTopicExchange(channel, names.exchange),
  });
  await waitFor('publisher', async () => publisher.connected(), 30_000, 50);
});
afterAll(async () => {
  await publisher?.close();
  await connection?.close();
  await raw?.cleanup({ exchange: names.exchange, queues: [names.queue] });
  await raw?.close();
});

/** One outbox row in memory; `publish` decides, as the orders store does, whether it is marked sent. */
function oneRowOutbox(row: OutboxMessage) {
  const state = { sent: false, attempts: 0 };
  const store: OutboxStore = {
    relayBatch: async (_limit, publish) => {
      if (state.sent) return 0;
      state.attempts += 1;
      state.sent = (await publish([row])).includes(row.id);
      return 1;
    },
  };
  return { store, state };
}

describe('publishing a message no queue takes (mandatory + confirms)', () => {
  it('rejects the publish: the broker returned it', async () => {
    const publish = publisher.publish({
      exchange: names.exchange,
      routingKey: 'order.placed',
      body: Buffer.from('{}'),
    });
    await expect(publish).rejects.toBeInstanceOf(UnroutableMessageError);
  });

  it('keeps the outbox row unsent (retried) until a queue is bound, then sends it', async () => {
    const row = { id: crypto.randomUUID(), routingKey: 'order.placed', payload: { n: 1 }, occurredAt: new Date() };
    const outbox = oneRowOutbox(row);
    const relay = createOutboxRelay({
      store: outbox.store,
      publisher,
      exchange: names.exchange,
      logger: silentLogger,
      appId: 'test',
      idleMs: 20,
      maxBackoffMs: 100,
    });
    relay.start();
    try {
      await waitFor('three attempts', async () => outbox.state.attempts >= 3, 15_000, 20);
      expect(outbox.state.sent).toBe(false);
      await raw.channel.assertQueue(names.queue, { durable: false, autoDelete: false });
      await raw.channel.bindQueue(names.queue, names.exchange, '#');
      await waitFor('sent once a queue takes it', async () => outbox.state.sent, 15_000, 20);
      expect(await raw.count(names.queue)).toBe(1);
    } finally {
      await relay.stop();
    }
  });
});
