import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../scripts/processes.js';
import { createTestVhost, silentLogger, type TestVhost } from '../test/support/amqp.js';
import { connectAmqp, type AmqpConnection } from './amqp.js';
import { createConsumer, PoisonMessageError, type Consumer } from './amqp-consumer.js';
import { createPublisher, type Publisher } from './amqp-publisher.js';
import { deadLetterQueueOf, declareWorkQueue, type WorkQueue } from './amqp-topology.js';
import { registerDeadLetterGauge } from './dead-letters.js';

// A poison message on a vhost of its own: counted, shown by the gauge, then replayed by `npm run dlq:replay`.
const queue = 'events.work';
const work: WorkQueue = {
  exchange: 'events',
  queue,
  bindings: ['#'],
  deadLetterQueue: deadLetterQueueOf(queue),
  deliveryLimit: 10,
};
const registry = new Registry();
const handled: string[] = [];
let fixed = false;
let vhost: TestVhost;
let connection: AmqpConnection;
let consumer: Consumer;
let publisher: Publisher;

beforeAll(async () => {
  vhost = await createTestVhost('dead_letters');
  connection = await connectAmqp({ url: vhost.url, name: 'dead-letters-test', logger: silentLogger });
  consumer = createConsumer(connection, {
    name: 'dead-letters-test',
    logger: silentLogger,
    queue,
    prefetch: 5,
    registry,
    setup: (channel) => declareWorkQueue(channel, work),
    handle: async (message) => {
      const body = message.content.toString();
      if (body === 'bad' && !fixed) throw new PoisonMessageError('not understood (yet)');
      handled.push(body);
    },
  });
  registerDeadLetterGauge(connection, registry, work.deadLetterQueue);
  publisher = createPublisher(connection, { name: 'dead-letters-test', logger: silentLogger });
  await waitFor('consuming', async () => consumer.consuming() && publisher.connected(), 30_000, 50);
});
afterAll(async () => {
  await consumer?.close();
  await publisher?.close();
  await connection?.close();
  await vhost?.remove();
});

const sample = async (name: string) => {
  const line = (await registry.metrics()).split('\n').find((l) => l.startsWith(`${name}{`));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
};

describe('dead letters', () => {
  it('are counted and shown by the gauge, and `npm run dlq:replay` sends them back to be handled', async () => {
    await publisher.publish({ exchange: work.exchange, routingKey: 'x', body: Buffer.from('bad') });
    await waitFor('dead-lettered', async () => (await sample('amqp_dead_letter_messages')) === 1, 15_000, 100);
    expect(await sample('amqp_dead_lettered_total')).toBe(1);

    fixed = true; // the fix is deployed: the operator replays
    const { stdout } = await promisify(execFile)('npx', ['tsx', 'scripts/dlq-replay.ts'], {
      env: { ...process.env, AMQP_URL: vhost.url, NOTIFICATIONS_QUEUE: queue },
    });
    expect(stdout).toBe(`replayed 1 dead letter(s) from ${work.deadLetterQueue} to ${queue}; 0 left\n`);
    await waitFor('handled after the replay', async () => handled.includes('bad'), 15_000, 50);
    expect(await sample('amqp_dead_letter_messages')).toBe(0);
  }, 60_000);
});
