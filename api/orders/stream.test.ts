import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { Order } from '../../contracts/orders.js';
import { createLogger } from '../../lib/logger.js';
import type { OrderEvent } from '../../contracts/events.js';
import { createLocalOrderEventHub } from './event-hub.js';
import { streamOrder } from './stream.js';

const order = (status: Order['status'], steps: Order['steps'] = []): Order => ({
  id: 'o1',
  customerId: 'c1',
  status,
  failureReason: null,
  items: [{ productId: 'p', name: 'Mug', quantity: 1, unitPriceCents: 100 }],
  totalCents: 100,
  currency: 'USD',
  paymentMethod: 'tok_visa',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  workflowId: 'o1',
  steps,
});
/** Any event of the order: the stream treats it as "re-read". */
const trigger = { orderId: 'o1' } as OrderEvent;
const step = (name: string) => ({ name, status: 'completed' as const, at: '2026-01-01T00:00:01.000Z' });

function setup(refreshMs = 60_000, keepAliveMs = 60_000) {
  const hub = createLocalOrderEventHub();
  const closed = { count: 0 };
  let current = order('PENDING');
  const reads = { count: 0 };
  const app = new Hono().get('/events', (c) =>
    streamOrder(c, current, {
      orderId: 'o1',
      hub,
      read: async () => {
        reads.count += 1;
        return current;
      },
      log: createLogger('t', 'silent'),
      keepAliveMs,
      refreshMs,
      onClose: () => void (closed.count += 1),
    }),
  );
  return { hub, app, closed, reads, set: (next: Order) => void (current = next) };
}

async function readAll(response: Response): Promise<string> {
  return new Response(response.body).text();
}

const events = (text: string) =>
  text
    .split('\n\n')
    .filter((block) => block.includes('event: order'))
    .map((block) => {
      const id = /^id: (\d+)$/m.exec(block)![1];
      const data = JSON.parse(/^data: (.*)$/m.exec(block)![1]!) as Order;
      return { id: Number(id), status: data.status, steps: data.steps.map((s) => s.name) };
    });

describe('streamOrder (SSE)', () => {
  it('sends the snapshot, one event per change of status or steps, and ends after the final status', async () => {
    const s = setup();
    const response = await s.app.request('/events');
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const body = readAll(response);
    await new Promise((r) => setTimeout(r, 20));
    s.set(order('PENDING', [step('reserveInventory')]));
    s.hub.publish(trigger); // a trigger: the stream re-reads the order
    await new Promise((r) => setTimeout(r, 20));
    s.hub.publish(trigger); // no change: no event
    await new Promise((r) => setTimeout(r, 20));
    s.set(order('CONFIRMED', [step('reserveInventory'), step('capturePayment')]));
    s.hub.publish(trigger);
    expect(events(await body)).toEqual([
      { id: 1, status: 'PENDING', steps: [] },
      { id: 2, status: 'PENDING', steps: ['reserveInventory'] },
      { id: 3, status: 'CONFIRMED', steps: ['reserveInventory', 'capturePayment'] },
    ]);
  });

  it('sends pushed step progress without reading the order; a pushed final status is re-read and ends it', async () => {
    const s = setup();
    const body = readAll(await s.app.request('/events'));
    await new Promise((r) => setTimeout(r, 20));
    const readsAtStart = s.reads.count;
    const state = (status: Order['status'], steps: Order['steps']) => ({
      orderId: 'o1',
      customerId: 'c1',
      status,
      failureReason: null,
      items: order('PENDING').items,
      totalCents: 100,
      currency: 'USD',
      cancellable: status === 'PENDING',
      steps,
    });
    const push = (seq: number, status: Order['status'], steps: Order['steps']) =>
      s.hub.publish({ type: 'order.progress', seq, state: state(status, steps) });
    push(3, 'PENDING', [step('getCustomer')]);
    push(5, 'PENDING', [step('getCustomer'), step('reserveInventory')]);
    push(4, 'PENDING', [step('getCustomer')]); // late and older: ignored
    await new Promise((r) => setTimeout(r, 20));
    expect(s.reads.count).toBe(readsAtStart);
    s.set(order('CONFIRMED', [step('getCustomer'), step('reserveInventory'), step('capturePayment')]));
    push(9, 'CONFIRMED', [step('getCustomer'), step('reserveInventory'), step('capturePayment')]);
    expect(events(await body)).toEqual([
      { id: 1, status: 'PENDING', steps: [] },
      { id: 2, status: 'PENDING', steps: ['getCustomer'] },
      { id: 3, status: 'PENDING', steps: ['getCustomer', 'reserveInventory'] },
      { id: 4, status: 'CONFIRMED', steps: ['getCustomer', 'reserveInventory', 'capturePayment'] },
    ]);
    expect(s.reads.count).toBe(readsAtStart + 1);
  });

  it('an already-final order: one event, then the end', async () => {
    const s = setup();
    s.set(order('FAILED'));
    const text = await readAll(await s.app.request('/events'));
    expect(events(text)).toEqual([{ id: 1, status: 'FAILED', steps: [] }]);
  });

  it('finds step progress by re-reading, and comments `: keep-alive` while nothing changes', async () => {
    const s = setup(30, 60);
    const body = readAll(await s.app.request('/events'));
    await new Promise((r) => setTimeout(r, 200));
    s.set(order('CANCELLED', [step('cancel')]));
    const text = await body;
    expect(text).toContain(': keep-alive\n\n');
    expect(events(text).map((e) => e.status)).toEqual(['PENDING', 'CANCELLED']);
  });

  it('calls onClose once when it ends by itself, and once when the client leaves, even before the snapshot', async () => {
    const ended = setup(20);
    ended.set(order('CONFIRMED'));
    await readAll(await ended.app.request('/events'));
    expect(ended.closed.count).toBe(1);

    const left = setup(20);
    const reader = (await left.app.request('/events')).body!.getReader();
    await reader.read(); // the snapshot
    await reader.cancel();
    await expect.poll(() => left.closed.count).toBe(1);

    const early = setup(20);
    await (await early.app.request('/events')).body!.cancel();
    await expect.poll(() => early.closed.count).toBe(1);
    await new Promise((r) => setTimeout(r, 100));
    expect([left.closed.count, early.closed.count]).toEqual([1, 1]);
  });
});
