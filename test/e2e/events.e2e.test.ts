import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { NotificationPage } from '../../contracts/notifications.js';
import type { Order } from '../../contracts/orders.js';
import { freePort, httpOk, spawnManaged, waitFor, type ManagedProcess } from '../../scripts/processes.js';
import { testAmqpUrl } from '../support/amqp.js';
import { uniqueEmail, uniqueSku } from '../support/api.js';
import { useTestStack } from '../support/stack.js';

// The asynchronous path of the whole system, over HTTP only: live order events and notifications.
const label = 'events';
// A cancellation window keeps each order PENDING long enough for a stream to open before it ends (the saga alone is sub-second).
const e2e = useTestStack(label, { ORDER_CANCEL_WINDOW_MS: '4000', SSE_REFRESH_MS: '200' });
let second: { url: string; process: ManagedProcess };

/** A second gateway replica on the same services, Temporal and exchange. */
beforeAll(async () => {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const { stack } = e2e;
  const env = {
    ...process.env,
    API_PORT: String(port),
    SERVICE_TOKEN: stack.serviceToken,
    USERS_URL: stack.urls.users,
    PRODUCTS_URL: stack.urls.products,
    ORDERS_URL: stack.urls.orders,
    NOTIFICATIONS_URL: stack.urls.notifications,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_TASK_QUEUE: `orders-${label}-${inject('runId')}`,
    AMQP_URL: testAmqpUrl,
    ORDER_EVENTS_EXCHANGE: stack.topology.exchange,
    RATE_LIMIT_IP_PER_MIN: '0',
    SSE_REFRESH_MS: '200',
  };
  const proc = spawnManaged('api-2', process.execPath, ['--import', 'tsx', 'api/main.ts'], {
    env,
    output: createWriteStream(join(inject('logDir'), 'stack-events-api-2.log')),
  });
  second = { url, process: proc };
  await waitFor('second gateway', () => httpOk(`${url}/readyz`), 90_000);
});
afterAll(async () => second?.process.stop());

interface StreamEvent {
  id: number;
  order: Order;
}

/** Reads an SSE stream to its end (the server closes it after the final status). */
async function readStream(baseUrl: string, token: string, orderId: string) {
  const response = await fetch(`${baseUrl}/api/orders/${orderId}/events`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (response.status !== 200) return { status: response.status, events: [] as StreamEvent[] };
  expect(response.headers.get('content-type')).toBe('text/event-stream');
  const text = await response.text();
  const events = text
    .split('\n\n')
    .filter((block) => block.startsWith('event: order') || block.includes('\nevent: order'))
    .map((block) => ({
      id: Number(/^id: (\d+)$/m.exec(block)![1]),
      order: JSON.parse(/^data: (.*)$/m.exec(block)![1]!) as Order,
    }));
  return { status: 200, events };
}

async function product() {
  return e2e.api.createProduct(e2e.adminToken, {
    sku: uniqueSku('EVT'),
    name: 'Event mug',
    priceCents: 1500,
    stock: 50,
  });
}

describe('live order events and notifications', () => {
  it('streams PENDING → … → CONFIRMED without polling, from two gateway instances, then ends', async () => {
    const item = await product();
    const alice = await e2e.api.registerAndLogin(uniqueEmail('alice'));
    const placed = await e2e.api.placeOrder(alice.token, [{ productId: item.id, quantity: 1 }]);
    expect(placed.status).toBe(202);
    const streams = await Promise.all(
      [e2e.stack.urls.api, second.url].map((url) => readStream(url, alice.token, placed.body.id)),
    );
    for (const { status, events } of streams) {
      expect(status).toBe(200);
      expect(events[0]!.order.status).toBe('PENDING');
      expect(events.at(-1)!.order.status).toBe('CONFIRMED');
      expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
      expect(events.slice(0, -1).every((e) => e.order.status === 'PENDING')).toBe(true);
      expect(events.at(-1)!.order.steps.map((s) => s.name)).toContain('capturePayment');
    }
  });

  it('answers 404 for another customer’s order, lets an admin watch it, and ends at once for a final order', async () => {
    const item = await product();
    const alice = await e2e.api.registerAndLogin(uniqueEmail('alice'));
    const bob = await e2e.api.registerAndLogin(uniqueEmail('bob'));
    const placed = await e2e.api.placeOrder(alice.token, [{ productId: item.id, quantity: 1 }]);
    expect((await readStream(e2e.stack.urls.api, bob.token, placed.body.id)).status).toBe(404);
    const watched = await readStream(second.url, e2e.adminToken, placed.body.id);
    expect(watched.events.at(-1)!.order.status).toBe('CONFIRMED');
    const again = await readStream(e2e.stack.urls.api, alice.token, placed.body.id);
    expect(again.events.map((e) => [e.id, e.order.status])).toEqual([[1, 'CONFIRMED']]);
  });

  it('gives each final order exactly one notification within 5 s, newest first', async () => {
    const item = await product();
    const carol = await e2e.api.registerAndLogin(uniqueEmail('carol'));
    const confirmed = await e2e.api.placeOrder(carol.token, [{ productId: item.id, quantity: 1 }]);
    const declined = await e2e.api.placeOrder(carol.token, [{ productId: item.id, quantity: 1 }], 'tok_chargeDeclined');
    for (const id of [confirmed.body.id, declined.body.id]) await e2e.api.waitForFinal(carol.token, id);
    const finalAt = Date.now();
    const list = () => e2e.api.request<NotificationPage>('GET', '/api/notifications', { token: carol.token });
    await waitFor('two notifications', async () => (await list()).body.items.length >= 2, 5_000, 100);
    expect(Date.now() - finalAt).toBeLessThan(5_000);
    const { body } = await list();
    expect(body.items.map((n) => [n.orderId, n.type]).sort()).toEqual(
      [
        [confirmed.body.id, 'ORDER_CONFIRMED'],
        [declined.body.id, 'ORDER_FAILED'],
      ].sort(),
    );
    expect(body.items[0]!.createdAt >= body.items[1]!.createdAt).toBe(true);
    expect(body.items.find((n) => n.type === 'ORDER_FAILED')!.body).toContain('declined');
    const page = await e2e.api.request<NotificationPage>('GET', '/api/notifications?limit=1', { token: carol.token });
    expect(page.body.items).toHaveLength(1);
    expect(page.body.nextCursor).toEqual(expect.any(String));
    expect((await e2e.api.request('GET', '/api/notifications')).status).toBe(401);
  });

  it('serves the AsyncAPI document of the events', async () => {
    const doc = await e2e.api.request<{ asyncapi: string; channels: Record<string, { address: string }> }>(
      'GET',
      '/asyncapi.json',
    );
    expect(doc.body.asyncapi).toBe('3.0.0');
    expect(Object.values(doc.body.channels).map((c) => c.address)).toContain('order.cancelled');
  });
});
