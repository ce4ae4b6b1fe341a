import { describe, expect, it } from 'vitest';
import type { Order } from '../../contracts/orders.js';
import { buildGateway, readBody } from '../test-support/gateway.js';
import { useGatewayFixtures } from '../test-support/fixtures.js';

// Admin pages' routes; listing every order and the figures over real orders run in test/e2e/storefront.e2e.test.ts.
const fx = useGatewayFixtures();

describe('admin routes', () => {
  it.each(['/api/admin/orders', '/api/admin/operator'])('%s is for admins only', async (path) => {
    const { app } = buildGateway(fx.services, fx.issuer);
    expect((await app.request(path)).status).toBe(401);
    expect((await app.request(path, { headers: fx.auth.alice })).status).toBe(403);
    expect((await app.request(path, { headers: fx.auth.root })).status).toBe(200);
  });

  it('rejects an unknown status filter', async () => {
    const { app } = buildGateway(fx.services, fx.issuer);
    const res = await app.request('/api/admin/orders?status=SHIPPED', { headers: fx.auth.root });
    expect(res.status).toBe(400);
  });

  it('answers saga latency per minute of placement for the plots, from the orders service', async () => {
    const { app, now } = buildGateway(fx.services, fx.issuer);
    const minuteStart = Math.floor(now() / 60_000) * 60_000;
    const placed = (minutesAgo: number, tookMs: number, status: Order['status'] = 'CONFIRMED') => {
      const createdAt = new Date(minuteStart - minutesAgo * 60_000 + 1000);
      const id = `o_plot_${minutesAgo}_${tookMs}`;
      fx.services.orders.set(id, {
        ...{ id, workflowId: id, customerId: 'u_plot', failureReason: null, items: [], steps: [] },
        ...{ totalCents: 100, currency: 'USD', paymentMethod: 'tok_visa', status },
        createdAt: createdAt.toISOString(),
        updatedAt: new Date(createdAt.getTime() + tookMs).toISOString(),
      });
    };
    placed(2, 900);
    placed(0, 1200);
    placed(0, 300, 'FAILED');
    placed(0, 0, 'PENDING');
    try {
      const res = await app.request('/api/admin/operator?windowMinutes=3', { headers: fx.auth.root });
      expect(res.status).toBe(200);
      const { orders } = await readBody(res);
      expect(orders.latencyPerMinute.map((m: { count: number; p50: number | null }) => [m.count, m.p50])).toEqual([
        [1, 900],
        [0, null],
        [2, 300],
      ]);
      expect(orders.latencyPerMinute[2]).toMatchObject({ p95: 1200, p99: 1200 });
      expect(orders.latencyPerMinute.map((m: { minute: string }) => m.minute)).toEqual(
        orders.perMinute.map((m: { minute: string }) => m.minute),
      );
    } finally {
      for (const id of [...fx.services.orders.keys()].filter((k) => k.startsWith('o_plot_'))) {
        fx.services.orders.delete(id);
      }
    }
  });

  it('answers the operator view without a task-queue probe, saying why', async () => {
    const { app } = buildGateway(fx.services, fx.issuer);
    const body = await readBody(await app.request('/api/admin/operator?windowMinutes=5', { headers: fx.auth.root }));
    expect(body.orders).toMatchObject({ windowMinutes: 5, scanned: 0, truncated: false, latencyMs: null });
    expect(body.orders.perMinute).toHaveLength(5);
    expect(body.orders.latencyPerMinute).toHaveLength(5);
    expect(body.orders.latencyPerMinute[4]).toMatchObject({ count: 0, p50: null, p95: null, p99: null });
    expect(body).toMatchObject({ taskQueue: null, taskQueueError: expect.stringContaining('Temporal') });
  });
});
