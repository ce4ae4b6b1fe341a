import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { buildGateway, readBody } from '../test-support/gateway.js';
import { useGatewayFixtures } from '../test-support/fixtures.js';

const fx = useGatewayFixtures();
const live = { keepAliveMs: 60_000, refreshMs: 20, stateCacheMs: 0 };
type App = ReturnType<typeof buildGateway>['app'];

/** Streams a test opened, closed after it (the client leaving). */
const opened: Response[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map(async (res) => res.body?.cancel()));
});

const open = async (app: App, who: string, orderId: string) => {
  const res = await app.request(`/api/orders/${orderId}/events`, { headers: fx.auth[who] });
  if (res.status === 200) opened.push(res);
  return res;
};
const pendingOrder = async (app: App, who: string): Promise<string> => {
  const res = await fx.place(app, who, undefined, { 'idempotency-key': randomUUID() });
  expect(res.status).toBe(202);
  return ((await readBody(res)) as { id: string }).id;
};
const expectRefused = async (res: Response) => {
  expect(res.status).toBe(429);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(await readBody(res)).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
};

describe('GET /api/orders/:id/events: open streams are capped', () => {
  it('per customer: past SSE_MAX_STREAMS_PER_CUSTOMER a new stream is refused (429), other customers are not', async () => {
    const { app } = buildGateway(fx.services, fx.issuer, { SSE_MAX_STREAMS_PER_CUSTOMER: 2 }, { live });
    const [alices, bobs] = [await pendingOrder(app, 'alice'), await pendingOrder(app, 'bob')];
    expect((await open(app, 'alice', alices)).status).toBe(200);
    expect((await open(app, 'alice', alices)).status).toBe(200);
    await expectRefused(await open(app, 'alice', alices));
    expect((await open(app, 'bob', bobs)).status).toBe(200);
  });

  it('per gateway: past SSE_MAX_STREAMS every customer is refused', async () => {
    const { app } = buildGateway(fx.services, fx.issuer, { SSE_MAX_STREAMS: 2 }, { live });
    const [alices, bobs] = [await pendingOrder(app, 'alice'), await pendingOrder(app, 'bob')];
    expect((await open(app, 'alice', alices)).status).toBe(200);
    expect((await open(app, 'bob', bobs)).status).toBe(200);
    await expectRefused(await open(app, 'root', alices));
  });

  it('a stream frees its slot when the client leaves, when the order ends, and a refused read holds none', async () => {
    const { app } = buildGateway(fx.services, fx.issuer, { SSE_MAX_STREAMS_PER_CUSTOMER: 1 }, { live });
    const id = await pendingOrder(app, 'alice');
    const first = await open(app, 'alice', id);
    await expectRefused(await open(app, 'alice', id));
    await opened.splice(opened.indexOf(first), 1)[0]!.body!.cancel();
    await expect.poll(async () => (await open(app, 'alice', id)).status).toBe(200);

    await opened.pop()!.body!.cancel();
    const cancelled = await pendingOrder(app, 'alice');
    await expect.poll(async () => (await open(app, 'alice', cancelled)).status).toBe(200);
    const ending = opened.pop()!;
    expect((await fx.cancel(app, 'alice', cancelled)).status).toBeLessThan(300);
    expect(await ending.text()).toContain('CANCELLED'); // the stream ended by itself after the final status
    expect((await open(app, 'alice', id)).status).toBe(200);

    const bobs = await pendingOrder(app, 'bob');
    expect((await open(app, 'bob', id)).status).toBe(404); // alice's order
    expect((await open(app, 'bob', bobs)).status).toBe(200);
  });
});
