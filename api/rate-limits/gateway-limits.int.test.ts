import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { buildGateway, jsonRequest, readBody } from '../test-support/gateway.js';
import { useGatewayFixtures } from '../test-support/fixtures.js';
import { limitStoreClient, startOwnRedis, testKeyPrefix, waitUntilReady } from '../test-support/redis.js';

const fx = useGatewayFixtures();
const clients: Redis[] = [];
afterAll(() => clients.forEach((client) => client.disconnect()));

/** Gateways (replicas) keeping their limits in one Redis under one prefix. */
async function replicas(count: number, label: string, overrides: Parameters<typeof buildGateway>[2], url?: string) {
  const keyPrefix = testKeyPrefix(label);
  const client = limitStoreClient(url);
  clients.push(client);
  await waitUntilReady(client);
  const store = { client, keyPrefix };
  return Array.from({ length: count }, () => buildGateway(fx.services, fx.issuer, overrides, { limitStore: store }));
}
const twoReplicas = async (label: string, overrides: Parameters<typeof buildGateway>[2]) =>
  (await replicas(2, label, overrides)).map((gateway) => gateway.app);

type App = ReturnType<typeof buildGateway>['app'];
const login = (app: App, email: string, password: string) =>
  app.request('/api/users/login', jsonRequest('POST', { email, password }));
const loginsSeenFor = (email: string) =>
  fx.services.seen.filter((s) => s.path === '/v1/sessions' && (s.body as { email?: string }).email === email).length;

describe('gateway limits in Redis', () => {
  it('30 parallel wrong logins over two replicas: at most 10 reach the users service, the rest 429', async () => {
    const replicas = await twoReplicas('login', { RATE_LIMIT_LOGIN_FAILURES: 10 });
    const email = 'guessed@example.com';
    await replicas[0]!.request('/api/users/register', jsonRequest('POST', { email, password: 'right-one', name: 'G' }));
    const answers = await Promise.all(
      Array.from({ length: 30 }, async (_, i) => login(replicas[i % 2]!, email, `guess-${i}`)),
    );
    const statuses = answers.map((res) => res.status);
    expect(statuses.filter((s) => s !== 429).length).toBeLessThanOrEqual(10);
    expect(statuses.filter((s) => s === 401).length).toBeGreaterThan(0);
    expect(loginsSeenFor(email)).toBeLessThanOrEqual(10);
    const locked = await login(replicas[1]!, email, 'right-one');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('a right password gives its attempt back, on either replica', async () => {
    const replicas = await twoReplicas('refund', { RATE_LIMIT_LOGIN_FAILURES: 2 });
    const email = 'regular@example.com';
    await replicas[0]!.request('/api/users/register', jsonRequest('POST', { email, password: 'right-one', name: 'R' }));
    for (let i = 0; i < 6; i++) expect((await login(replicas[i % 2]!, email, 'right-one')).status).toBe(200);
    expect((await login(replicas[0]!, email, 'wrong-one')).status).toBe(401);
    expect((await login(replicas[1]!, email, 'right-one')).status).toBe(200);
  });

  it('one client address has one budget across replicas (Retry-After on the 429)', async () => {
    const replicas = await twoReplicas('ip', { RATE_LIMIT_IP_PER_MIN: 6 });
    const answers = await Promise.all(
      Array.from({ length: 20 }, async (_, i) =>
        replicas[i % 2]!.request('/api/products?limit=1', { headers: { 'x-test-ip': '10.0.0.7' } }),
      ),
    );
    const statuses = answers.map((res) => res.status);
    expect(statuses.filter((s) => s !== 429)).toHaveLength(6);
    const refused = answers.find((res) => res.status === 429)!;
    expect(await readBody(refused)).toMatchObject({ code: 'RATE_LIMITED' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const other = await replicas[1]!.request('/api/products?limit=1', { headers: { 'x-test-ip': '10.0.0.8' } });
    expect(other.status).toBe(200);
  });

  it('one customer has one order budget across replicas', async () => {
    const replicas = await twoReplicas('orders', { RATE_LIMIT_ORDERS_PER_MIN: 3 });
    const answers = await Promise.all(
      Array.from({ length: 8 }, async (_, i) =>
        fx.place(replicas[i % 2]!, 'bob', undefined, { 'idempotency-key': `k-${i}` }),
      ),
    );
    expect(answers.filter((res) => res.status === 429).length).toBe(5);
  });

  it('Redis down: IP limits fail open, logins fail closed (503), /readyz stays 200 naming it; back when Redis is', async () => {
    const redis = await startOwnRedis();
    try {
      const [{ app, advance }] = (await replicas(
        1,
        'outage',
        { RATE_LIMIT_IP_PER_MIN: 100, RATE_LIMIT_LOGIN_FAILURES: 5 },
        redis.url,
      )) as [ReturnType<typeof buildGateway>];
      const email = 'outage@example.com';
      await app.request('/api/users/register', jsonRequest('POST', { email, password: 'right-one', name: 'O' }));
      await redis.stop();
      expect((await app.request('/api/products?limit=1')).status).toBe(200);
      const paused = await login(app, email, 'right-one');
      expect(paused.status).toBe(503);
      expect(await readBody(paused)).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
      expect(paused.headers.get('retry-after')).toBeTruthy();
      const ready = await app.request('/readyz');
      expect(ready.status).toBe(200);
      expect(await readBody(ready)).toMatchObject({ degraded: ['rate-limit-store'] });

      await redis.start();
      await expect.poll(async () => (await login(app, email, 'right-one')).status, { timeout: 10_000 }).toBe(200);
      advance(1_000); // /readyz answers from a result up to 1 s old
      expect(await readBody(await app.request('/readyz'))).not.toHaveProperty('degraded');
    } finally {
      await redis.stop();
    }
  });
});
