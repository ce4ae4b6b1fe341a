import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { rawChannel, silentLogger, testAmqpNames, testAmqpUrl } from '../test/support/amqp.js';
import { connectAmqp, type AmqpConnection } from './amqp.js';
import { createConsumer, PoisonMessageError, type Consumer } from './amqp-consumer.js';
import { createPublisher, type Publisher } from './amqp-publisher.js';
import { declareTopicExchange, declareWorkQueue, type WorkQueue } from './amqp-topology.js';

const names = testAmqpNames(inject('runId'), 'amqp');
const work: WorkQueue = { ...names, bindings: ['order.*'], deliveryLimit: 3 };
const until = async (what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('AMQP publisher and consumer (real RabbitMQ)', () => {
  let connection: AmqpConnection;
  let publisher: Publisher;
  let consumer: Consumer;
  let raw: Awaited<ReturnType<typeof rawChannel>>;
  const handled: string[] = [];
  const attempts = new Map<string, number>();
  const redelivered = new Set<string>();

  beforeAll(async () => {
    raw = await rawChannel();
    connection = await connectAmqp({ url: testAmqpUrl, name: 'amqp-test', logger: silentLogger });
    await connection.ready();
    publisher = createPublisher(connection, {
      name: 'amqp-test-publisher',
      logger: silentLogger,
      setup: (channel) => declareTopicExchange(channel, names.exchange),
    });
    consumer = createConsumer(connection, {
      name: 'amqp-test-consumer',
      logger: silentLogger,
      queue: names.queue,
      prefetch: 5,
      retryDelayMs: 50,
      setup: (channel) => declareWorkQueue(channel, work),
      handle: async (message) => {
        const body = message.content.toString();
        attempts.set(body, (attempts.get(body) ?? 0) + 1);
        if (message.fields.redelivered) redelivered.add(body);
        if (body === 'malformed') throw new PoisonMessageError('not JSON');
        if (body === 'always-fails') throw new Error('transient forever');
        handled.push(body);
      },
    });
    await until('publisher and consumer', () => publisher.connected() && consumer.consuming());
  });

  afterAll(async () => {
    await consumer?.close();
    await publisher?.close();
    await connection?.close();
    await raw?.cleanup({ exchange: names.exchange, queues: [names.queue, names.deadLetterQueue] });
    await raw?.close();
  });

  const publish = (routingKey: string, body: string) =>
    publisher.publish({ exchange: names.exchange, routingKey, body: Buffer.from(body), options: { messageId: body } });

  it('delivers confirmed, persistent messages to the durable quorum queue', async () => {
    await Promise.all(['one', 'two', 'three'].map((body) => publish('order.placed', body)));
    await until('three handled', () => handled.length >= 3);
    expect(handled.sort()).toEqual(['one', 'three', 'two']);
  });

  it('dead-letters a malformed message at once and goes on with the next one', async () => {
    await publish('order.confirmed', 'malformed');
    await publish('order.confirmed', 'after-malformed');
    await until('next handled', () => handled.includes('after-malformed'));
    await until('dead-lettered', async () => (await raw.count(names.deadLetterQueue)) === 1);
    expect(attempts.get('malformed')).toBe(1);
    const dead = await raw.channel.get(names.deadLetterQueue, { noAck: true });
    expect(dead && dead.content.toString()).toBe('malformed');
  });

  it('handles a failing message again in place, past the delivery limit, never requeued nor dead-lettered', async () => {
    await publish('order.failed', 'always-fails');
    await publish('order.failed', 'after-failing');
    await until('next handled', () => handled.includes('after-failing'));
    // x-delivery-limit 3: a requeue per failure would have dead-lettered it after 4 deliveries.
    await until(
      'more attempts than the delivery limit allows',
      () => (attempts.get('always-fails') ?? 0) > work.deliveryLimit + 2,
    );
    expect(redelivered.has('always-fails')).toBe(false);
    expect(await raw.count(names.deadLetterQueue)).toBe(0);
  });

  it('rejects a publish while no channel is open instead of losing it silently', async () => {
    const unconnected = createPublisher(
      { onConnect: () => {}, current: () => undefined, ready: async () => {}, close: async () => {} },
      { name: 'never', logger: silentLogger },
    );
    await expect(
      unconnected.publish({ exchange: names.exchange, routingKey: 'order.placed', body: Buffer.from('x') }),
    ).rejects.toThrow(/no open channel/);
  });
});
