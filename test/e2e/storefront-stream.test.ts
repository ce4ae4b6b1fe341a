import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Order } from '../../contracts/orders.js';
import { origin } from '../../web/src/api.js';
import { followOrder, type Transport } from '../../web/src/order-stream.js';

// The order page's live feed against a real HTTP server: the SSE reader and its fallback to polling.
type Mode = 'stream' | 'missing' | 'drops';
let mode: Mode = 'stream';
let polls = 0;
let server: Server;
const order = (status: Order['status'], steps: string[] = []): Order => ({
  id: 'ord_1',
  customerId: 'c',
  status,
  failureReason: null,
  items: [],
  totalCents: 100,
  currency: 'USD',
  paymentMethod: 'tok_visa',
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  workflowId: 'ord_1',
  steps: steps.map((name) => ({ name, status: 'completed' as const, at: '2026-01-01T00:00:00Z' })),
});
const event = (id: number, body: Order) => `event: order\r\nid: ${id}\r\ndata: ${JSON.stringify(body)}\r\n\r\n`;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.headers.authorization !== 'Bearer t') return void res.writeHead(401).end();
    if (req.url === '/api/orders/ord_1/events' && mode !== 'missing') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(': keep-alive\n\n');
      res.write(event(1, order('PENDING', ['getCustomer'])));
      if (mode === 'drops') return void setTimeout(() => res.destroy(), 20);
      // One event split across writes, then the final one; the server ends the stream after it.
      const second = event(2, order('PENDING', ['getCustomer', 'priceItems']));
      res.write(second.slice(0, 25));
      setTimeout(() => res.end(second.slice(25) + event(3, order('CONFIRMED', ['getCustomer', 'priceItems']))), 20);
      return;
    }
    if (req.url === '/api/orders/ord_1') {
      polls += 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify(order(polls >= 2 ? 'FAILED' : 'PENDING')));
    }
    res.writeHead(404, { 'content-type': 'application/problem+json' }).end('{"code":"NOT_FOUND"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});
afterEach(() => {
  polls = 0;
});

function follow(): Promise<{ seen: string[]; transports: Transport[] }> {
  const seen: string[] = [];
  const transports: Transport[] = [];
  return new Promise((resolve, reject) => {
    const stop = followOrder({
      token: 't',
      orderId: 'ord_1',
      pollMs: 10,
      onTransport: (t) => transports.push(t),
      onError: reject,
      onOrder: (o) => {
        seen.push(`${o.status}:${o.steps.length}`);
        if (o.status !== 'PENDING') setTimeout(() => (stop(), resolve({ seen, transports })), 30);
      },
    });
  });
}

describe('order page feed', () => {
  it('reads every event of the stream, split or not, and stops at the final status without polling', async () => {
    mode = 'stream';
    expect(await follow()).toEqual({ seen: ['PENDING:1', 'PENDING:2', 'CONFIRMED:2'], transports: ['stream'] });
    expect(polls).toBe(0);
  });

  it('polls the order when the stream endpoint is missing', async () => {
    mode = 'missing';
    expect(await follow()).toEqual({ seen: ['PENDING:0', 'FAILED:0'], transports: ['stream', 'polling'] });
  });

  it('polls the order when the stream drops before a final status', async () => {
    mode = 'drops';
    const { seen, transports } = await follow();
    expect(seen).toEqual(['PENDING:1', 'PENDING:0', 'FAILED:0']);
    expect(transports).toEqual(['stream', 'polling']);
  });
});
