import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { problemErrorHandler } from '../../lib/problem.js';
import { createLogger } from '../../lib/logger.js';
import { memorySlidingWindow } from './sliding-window.js';
import { clientIpResolver, rateLimit } from './per-ip.js';

describe('rateLimit', () => {
  it('gives each address its own budget and answers 429 with Retry-After past it', async () => {
    let now = 0;
    const app = new Hono()
      .use(
        rateLimit({
          limiter: memorySlidingWindow(2, 60_000, () => now),
          clientIp: (c) => c.req.header('x-ip') ?? '?',
        }),
      )
      .get('/', (c) => c.text('ok'));
    app.onError(problemErrorHandler(createLogger('rl', 'silent')));
    const from = (ip: string) => app.request('/', { headers: { 'x-ip': ip } });
    expect((await from('a')).status).toBe(200);
    expect((await from('a')).status).toBe(200);
    const limited = await from('a');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await from('b')).status).toBe(200);
    now += 59_999;
    expect((await from('a')).status).toBe(429);
    now += 1;
    expect((await from('a')).status).toBe(200);
  });

  it('trusts X-Forwarded-For (its last hop) only behind a trusted proxy', async () => {
    const app = (trust: boolean) => new Hono().get('/', (c) => c.text(clientIpResolver(trust)(c)));
    const headers = { 'x-forwarded-for': '1.1.1.1, 2.2.2.2' };
    expect(await (await app(true).request('/', { headers })).text()).toBe('2.2.2.2');
    expect(await (await app(false).request('/', { headers })).text()).toBe('unknown');
  });
});
