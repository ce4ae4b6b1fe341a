import { describe, expect, it } from 'vitest';
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

  it('answers the operator view without a task-queue probe, saying why', async () => {
    const { app } = buildGateway(fx.services, fx.issuer);
    const body = await readBody(await app.request('/api/admin/operator?windowMinutes=5', { headers: fx.auth.root }));
    expect(body.orders).toMatchObject({ windowMinutes: 5, scanned: 0, truncated: false, latencyMs: null });
    expect(body.orders.perMinute).toHaveLength(5);
    expect(body).toMatchObject({ taskQueue: null, taskQueueError: expect.stringContaining('Temporal') });
  });
});
