import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { freePort, waitFor } from '../scripts/processes.js';
import { startAppStack, type AppProcessName, type AppStack } from '../scripts/stack.js';
import { createTestVhost, type TestVhost } from './support/amqp.js';
import { TEST_SERVICE_TOKEN } from './support/constants.js';
import { createTestDatabase } from './support/postgres.js';

// The processes that use RabbitMQ (orders' outbox relay, notifications' consumer), started as `npm start`
// starts them, on a vhost of their own whose broker "goes down" (access revoked, connections closed).
let vhost: TestVhost | undefined;
let stack: AppStack | undefined;
afterAll(async () => {
  await stack?.stop();
  await vhost?.remove();
});

const headers = { authorization: `Bearer ${TEST_SERVICE_TOKEN}`, 'content-type': 'application/json' };

async function placeAndCancel(ordersUrl: string, customerId: string): Promise<void> {
  const id = randomUUID();
  const body = JSON.stringify({
    customerId,
    items: [{ productId: 'p1', name: 'Kettle', quantity: 1, unitPriceCents: 100 }],
    paymentMethod: 'tok_visa',
    workflowId: `wf-${id}`,
  });
  expect((await fetch(`${ordersUrl}/v1/orders/${id}`, { method: 'PUT', headers, body })).status).toBe(201);
  const cancel = await fetch(`${ordersUrl}/v1/orders/${id}/transitions`, {
    method: 'POST',
    headers,
    body: '{"to":"CANCELLED"}',
  });
  expect(cancel.status).toBe(200);
}

describe('RabbitMQ down under the running processes', () => {
  it('kills none: orders keeps accepting, notifications says the broker is down, and every event arrives after', async () => {
    vhost = await createTestVhost('broker_outage');
    const [ordersDb, notificationsDb] = await Promise.all(
      ['broker_outage_orders', 'broker_outage_notifications'].map((label) =>
        createTestDatabase(inject('postgresUrl'), inject('runId'), label),
      ),
    );
    const names = ['api', 'users', 'products', 'orders', 'notifications', 'worker'] as const;
    const ports = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await freePort()]))) as Record<
      AppProcessName,
      number
    >;
    stack = await startAppStack({
      ports,
      only: ['orders', 'notifications'],
      output: createWriteStream(join(inject('logDir'), 'stack-broker-outage.log')),
      env: {
        SERVICE_TOKEN: TEST_SERVICE_TOKEN,
        ORDERS_DATABASE_URL: ordersDb!,
        NOTIFICATIONS_DATABASE_URL: notificationsDb!,
        AMQP_URL: vhost.url,
        LOG_LEVEL: 'info',
      },
    });
    const pids = ['orders', 'notifications'].map((name) => stack!.processes.get(name as AppProcessName)!.child.pid);
    const customer = `outage-${randomUUID()}`;

    await vhost.down();
    // /readyz answers from a result at most 1 s old (lib/readiness.ts): the outage shows within a few seconds.
    const notificationsUrl = stack.urls.notifications;
    await waitFor(
      'notifications not ready',
      async () => (await fetch(`${notificationsUrl}/readyz`)).status === 503,
      5_000,
      100,
    );
    const readyz = await fetch(`${stack.urls.notifications}/readyz`);
    expect(readyz.status).toBe(503);
    expect(((await readyz.json()) as { down: string[] }).down).toEqual(['broker']);
    for (let i = 0; i < 5; i++) await placeAndCancel(stack.urls.orders, customer);
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    await vhost.up();

    const notified = async () => {
      const page = await fetch(`${stack!.urls.notifications}/v1/notifications?customerId=${customer}`, { headers });
      return ((await page.json()) as { items: unknown[] }).items.length;
    };
    await waitFor('the five notifications', async () => (await notified()) === 5, 30_000, 200);
    await waitFor('notifications ready', async () => (await fetch(`${stack!.urls.notifications}/readyz`)).ok, 30_000);
    expect(['orders', 'notifications'].map((name) => stack!.processes.get(name as AppProcessName)!.child.pid)).toEqual(
      pids,
    );
    expect(
      ['orders', 'notifications'].map((name) => stack!.processes.get(name as AppProcessName)!.child.exitCode),
    ).toEqual([null, null]);
  }, 120_000);
});
