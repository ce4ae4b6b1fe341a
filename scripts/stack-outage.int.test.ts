import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createTestVhost, testAmqpNames, testAmqpUrl, type TestVhost } from '../test/support/amqp.js';
import { TEST_SERVICE_TOKEN } from '../test/support/constants.js';
import { createTestDatabase } from '../test/support/postgres.js';
import { startPrivatePostgres, type PrivatePostgres } from '../test/support/private-postgres.js';
import { deleteEventTopology, type EventTopology } from './broker.js';
import { databaseUrl } from './databases.js';
import { freePort } from './processes.js';
import { startAppStack, type AppProcessName, type AppStack } from './stack.js';

// The stack `npm start` runs, started while a shared dependency is down: a process that says it waits
// for one is waited for (its start does not fail after `readyTimeoutMs`), and ready once it is back.
const stacks: AppStack[] = [];
let pg: PrivatePostgres | undefined;
let vhost: TestVhost | undefined;
/** Declared on the machine's broker by the processes: deleted once they have stopped. */
const topologies: EventTopology[] = [];
afterAll(async () => {
  await Promise.all(stacks.map((stack) => stack.stop()));
  await Promise.all(topologies.map((topology) => deleteEventTopology(topology)));
  await pg?.destroy();
  await vhost?.remove();
});

async function startWhileDown(name: AppProcessName, env: Record<string, string>) {
  const ports = Object.fromEntries(
    await Promise.all(
      ['api', 'users', 'products', 'orders', 'notifications', 'worker'].map(async (n) => [n, await freePort()]),
    ),
  ) as Record<AppProcessName, number>;
  const output = new PassThrough();
  let lines = '';
  output.on('data', (chunk: Buffer) => (lines += chunk.toString()));
  const names = testAmqpNames(inject('runId'), 'stack_outage');
  if (!env.AMQP_URL)
    topologies.push({ amqpUrl: testAmqpUrl, exchange: names.exchange, notificationsQueue: names.queue });
  const starting = startAppStack({
    ports,
    only: [name],
    output,
    readyTimeoutMs: 10_000,
    env: {
      SERVICE_TOKEN: TEST_SERVICE_TOKEN,
      ORDER_EVENTS_EXCHANGE: names.exchange,
      NOTIFICATIONS_QUEUE: names.queue,
      LOG_LEVEL: 'warn',
      ...env,
    },
  });
  void starting.then(
    (stack) => stacks.push(stack),
    () => undefined,
  );
  return { starting, output: () => lines };
}

const settled = (promise: Promise<unknown>) =>
  Promise.race([
    promise.then(
      () => 'ready',
      (error: Error) => error.message,
    ),
    new Promise((r) => setTimeout(r, 0, 'pending')),
  ]);

describe('starting the stack while a shared dependency is down', () => {
  it('waits for orders while PostgreSQL is down (beyond readyTimeoutMs), ready once it is up', async () => {
    pg = await startPrivatePostgres();
    await pg.stop();
    const { starting, output } = await startWhileDown('orders', { ORDERS_DATABASE_URL: databaseUrl(pg.url, 'orders') });
    await new Promise((r) => setTimeout(r, 14_000));
    expect(await settled(starting)).toBe('pending');
    await pg.start();
    await starting;
    expect(output()).toMatch(/orders waits for postgres \(down; \d+ s so far\)/);
  }, 60_000);

  it('waits for notifications while RabbitMQ is down and flapping, ready once it holds', async () => {
    vhost = await createTestVhost('stack_outage');
    await vhost.down();
    const notificationsDb = await createTestDatabase(inject('postgresUrl'), inject('runId'), 'stack_outage');
    const { starting, output } = await startWhileDown('notifications', {
      NOTIFICATIONS_DATABASE_URL: notificationsDb,
      AMQP_URL: vhost.url,
    });
    await new Promise((r) => setTimeout(r, 14_000));
    expect(await settled(starting)).toBe('pending');
    for (let flap = 0; flap < 2; flap++) {
      await vhost.up();
      await new Promise((r) => setTimeout(r, 300));
      await vhost.down();
      await new Promise((r) => setTimeout(r, 3_000));
      expect(await settled(starting)).not.toMatch(/not ready|exited/);
    }
    await vhost.up();
    await starting;
    expect(output()).toMatch(/notifications waits for broker/);
  }, 120_000);
});
