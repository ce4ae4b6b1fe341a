import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { jsonBody } from './json-body.js';

const app = new Hono().use(jsonBody()).post('/echo', (c) => c.text(c.req.header('content-type') ?? 'none'));

describe('jsonBody', () => {
  it('reads a body sent as text/plain or form encoding as JSON, and leaves JSON types alone', async () => {
    const sent = (type: string) =>
      app.request('/echo', { method: 'POST', headers: { 'content-type': type }, body: '{}' });
    expect(await (await sent('text/plain')).text()).toBe('application/json');
    expect(await (await sent('application/x-www-form-urlencoded')).text()).toBe('application/json');
    expect(await (await sent('application/merge-patch+json')).text()).toBe('application/merge-patch+json');
    expect(await (await sent('application/json; charset=utf-8')).text()).toBe('application/json; charset=utf-8');
    expect(await (await sent('application/json ; charset=utf-8')).text()).toBe('application/json');
    expect(await (await sent('application/json;')).text()).toBe('application/json');
  });
});
