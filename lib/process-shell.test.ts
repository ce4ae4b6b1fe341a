import { describe, expect, it } from 'vitest';
import { createHttpApp } from './process-shell.js';
import { createLogger } from './logger.js';
import { createMetrics } from './metrics.js';
import { createServiceApp } from './service-app.js';

const token = 't'.repeat(16);
const withToken = { headers: { authorization: `Bearer ${token}` } };
const shell = (options: Partial<Parameters<typeof createHttpApp>[0]> = {}) =>
  createHttpApp({
    logger: createLogger('shell-test', 'silent'),
    metrics: createMetrics('shell-test', false),
    serviceToken: token,
    ...options,
  });

describe('the process shell', () => {
  it('answers /readyz 503 naming the checks that failed or outlasted their timeout', async () => {
    const app = shell({
      readinessTimeoutMs: 50,
      readiness: {
        db: () => Promise.resolve(),
        broker: () => Promise.reject(new Error('refused')),
        slow: () => new Promise((resolve) => setTimeout(resolve, 1_000)),
      },
    });
    const res = await app.request('/readyz');
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toEqual({
      type: expect.any(String),
      title: 'Service Unavailable',
      status: 503,
      detail: 'Not ready: broker, slow are down',
      code: 'SERVICE_UNAVAILABLE',
      checks: { db: 'up', broker: 'down', slow: 'down' },
      down: ['broker', 'slow'],
    });
    const ready = await shell({ readiness: { db: () => Promise.resolve() } }).request('/readyz');
    expect(ready.status).toBe(200);
    expect((await shell().request('/healthz')).status).toBe(200);
  });

  it('reports an advisory check that is down as degraded while staying ready', async () => {
    const app = shell({
      readiness: { db: () => Promise.resolve() },
      advisory: { cache: () => Promise.reject(new Error('refused')) },
    });
    const res = await app.request('/readyz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: 'ready',
      checks: { db: 'up', cache: 'down' },
      down: [],
      degraded: ['cache'],
    });
  });

  it('serves Prometheus metrics that count the requests, to the service credential only', async () => {
    const app = shell();
    await app.request('/healthz');
    const attempts: Record<string, string>[] = [{}, { authorization: 'Bearer wrong' }, { authorization: token }];
    for (const headers of attempts) {
      const refused = await app.request('/metrics', { headers });
      expect(refused.status).toBe(401);
      expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await refused.json()).toMatchObject({ code: 'UNAUTHORIZED' });
    }
    const scraped = await app.request('/metrics', withToken);
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toContain('http_requests_total{method="GET",route="/healthz",status="200"');
  });

  it('a service guards /v1/* with the service token, and answers problems with the request id', async () => {
    const app = createServiceApp({
      logger: createLogger('shell-test', 'silent'),
      metrics: createMetrics('shell-test', false),
      serviceToken: token,
      readiness: {},
    });
    app.get('/v1/thing', (c) => c.json({ ok: true }));
    const refused = await app.request('/v1/thing', { headers: { 'x-request-id': 'r-1' } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refused.headers.get('x-request-id')).toBe('r-1');
    const allowed = await app.request('/v1/thing', withToken);
    expect(allowed.status).toBe(200);
    const missing = await app.request('/nothing');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('maps unknown errors to an opaque 500 problem', async () => {
    const app = shell();
    app.get('/boom', () => {
      throw new Error('secret detail');
    });
    const res = await app.request('/boom');
    expect(res.status).toBe(500);
    expect(JSON.stringify(await res.json())).not.toContain('secret detail');
  });
});
