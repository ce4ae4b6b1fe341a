import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { requestId, type RequestIdEnv } from './request-id.js';

const app = new Hono<RequestIdEnv>()
  .use(requestId({ logger: createLogger('test', 'silent') }))
  .get('/id', (c) => c.text(c.get('requestId')))
  .get('/boom', () => {
    throw new Error('boom');
  });
app.onError((_error, c) => c.text('failed', 500));

describe('requestId', () => {
  it('echoes a valid id, replaces an invalid one, makes one otherwise', async () => {
    const echoed = await app.request('/id', { headers: { 'x-request-id': 'abc-123' } });
    expect(echoed.headers.get('x-request-id')).toBe('abc-123');
    expect(await echoed.text()).toBe('abc-123');
    const replaced = await app.request('/id', { headers: { 'x-request-id': 'bad id<script>' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect((await app.request('/id')).headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('puts the id on responses made by the error handler too', async () => {
    const res = await app.request('/boom', { headers: { 'x-request-id': 'err-1' } });
    expect(res.status).toBe(500);
    expect(res.headers.get('x-request-id')).toBe('err-1');
  });
});
