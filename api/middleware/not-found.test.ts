import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { GatewayEnv } from '../context.js';
import { notFoundOrMethodNotAllowed } from './not-found.js';

const app = new Hono<GatewayEnv>();
app.notFound(notFoundOrMethodNotAllowed(app));
app.get('/items/:id', (c) => c.text('item'));
app.patch('/items/:id', (c) => c.text('patched'));

describe('notFoundOrMethodNotAllowed', () => {
  it('answers an unknown path 404 and a known path with another method 405 with Allow', async () => {
    const missing = await app.request('/nothing');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 'NOT_FOUND' });
    const wrong = await app.request('/items/1', { method: 'DELETE' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, HEAD, PATCH');
    expect(await wrong.json()).toMatchObject({ code: 'METHOD_NOT_ALLOWED' });
  });
});
