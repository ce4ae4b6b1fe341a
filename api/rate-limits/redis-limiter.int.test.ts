import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisLimiter } from './redis-limiter.js';
import { limitStoreClient, testKeyPrefix, waitUntilReady } from '../test-support/redis.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let clients: Redis[];

beforeAll(async () => {
  clients = [limitStoreClient(), limitStoreClient()]; // two gateways
  await Promise.all(clients.map(waitUntilReady));
});
afterAll(() => clients.forEach((client) => client.disconnect()));

const limiters = (label: string, points: number, windowSeconds: number) => {
  const keyPrefix = testKeyPrefix(label);
  return clients.map((client) => createRedisLimiter({ client, keyPrefix, points, windowSeconds }));
};

describe('createRedisLimiter (a sliding log in Redis)', () => {
  it('grants exactly the budget to parallel takes from two gateways, and a refund gives one back', async () => {
    const [a, b] = limiters('parallel', 10, 60);
    const waits = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a! : b!).take('k')));
    expect(waits.filter((wait) => wait === 0)).toHaveLength(10);
    expect(Math.min(...waits.filter((wait) => wait > 0))).toBeGreaterThanOrEqual(59);
    await a!.refund('k');
    expect(await b!.take('k')).toBe(0);
    expect(await a!.take('k')).toBeGreaterThan(0);
    expect(await a!.take('another key')).toBe(0);
  });

  it('lets a point in again only when the oldest that counts has left the window (no burst at a boundary)', async () => {
    const [limiter] = limiters('sliding', 2, 3);
    expect(await limiter!.take('k')).toBe(0);
    await sleep(1_500);
    expect(await limiter!.take('k')).toBe(0);
    expect(await limiter!.take('k')).toBeGreaterThan(0);
    await sleep(1_700); // the first point has left the window, the second has not
    expect(await limiter!.take('k')).toBe(0);
    expect(await limiter!.take('k')).toBeGreaterThan(0);
  });

  it('is off at 0 points', async () => {
    const [limiter] = limiters('off', 0, 60);
    for (let i = 0; i < 20; i++) expect(await limiter!.take('k')).toBe(0);
  });
});
