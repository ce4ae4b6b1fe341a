import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'amqplib';
import postgres from 'postgres';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { freePort, waitFor } from '../scripts/processes.js';
import { startAppStack, type AppProcessName, type AppStack } from '../scripts/stack.js';
import { createTestVhost, type TestVhost } from './support/amqp.js';
import { TEST_SERVICE_TOKEN } from './support/constants.js';
import { createTestDatabase } from './support/postgres.js';

// The orders process alone on a vhost where nothing was ever declared (no launcher, no notifications pod
// yet, as on a fresh Helm install): the events it confirms must still reach the notifications queue.
let vhost: TestVhost | undefined;
let stack: AppStack | undefined;
afterAll(async () => {
  await stack?.stop();
  await vhost?.remove();
});

describe('order events published before any consumer ran', () => {
  it('wait in the notifications queue, which the publisher declared; none is marked sent unrouted', async () => {
    vhost = await createTestVhost('event_topology');
    const ordersDb = await createTestDatabase(inject('postgresUrl'), inject('runId'), 'event_topology');
    const names = ['api', 'users', 'products', 'orders', 'notifications', 'worker'] as const;
    const ports = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await freePort()]))) as Record<
      AppProcessName,
      number
    >;
    stack = await startAppStack({
      ports,
      only: ['orders'],
      output: createWriteStream(join(inject('logDir'), 'stack-event-topology.log')),
      env: { SERVICE_TOKEN: TEST_SERVICE_TOKEN, ORDERS_DATABASE_URL: ordersDb, AMQP_URL: vhost.url, LOG_LEVEL: 'info' },
    });
    const headers = { authorization: `Bearer ${TEST_SERVICE_TOKEN}`, 'content-type': 'application/json' };
    const id = randomUUID();
    const order = {
      customerId: 'c-1',
      items: [{ productId: 'p1', name: 'Kettle', quantity: 1, unitPriceCents: 100 }],
      paymentMethod: 'tok_visa',
      workflowId: `wf-${id}`,
    };
    const base = stack.urls.orders;
    expect(
      (await fetch(`${base}/v1/orders/${id}`, { method: 'PUT', headers, body: JSON.stringify(order) })).status,
    ).toBe(201);
    const cancel = await fetch(`${base}/v1/orders/${id}/transitions`, {
      method: 'POST',
      headers,
      body: '{"to":"CANCELLED"}',
    });
    expect(cancel.status).toBe(200);

    const sql = postgres(ordersDb, { max: 1, onnotice: () => {} });
    const connection = await connect(vhost.url);
    try {
      await waitFor(
        'both events sent',
        async () => (await sql`select 1 from outbox where sent_at is null`).length === 0,
        15_000,
      );
      const channel = await connection.createChannel();
      channel.on('error', () => undefined);
      const queued = await channel.checkQueue('notifications.order-events');
      expect(queued.messageCount).toBe(2);
    } finally {
      await connection.close();
      await sql.end({ timeout: 1 });
    }
  }, 120_000);
});
