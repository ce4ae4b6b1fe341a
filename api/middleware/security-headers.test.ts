import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { securityHeaders } from './security-headers.js';

const appWith = (corsOrigins: string[]) => {
  const app = new Hono();
  for (const middleware of securityHeaders({ corsOrigins })) app.use(middleware);
  return app.get('/', (c) => c.text('ok'));
};

describe('securityHeaders', () => {
  it('hardens every response and answers CORS only for allowed origins', async () => {
    const plain = await appWith([]).request('/', { headers: { origin: 'https://shop.example' } });
    expect(plain.headers.get('x-content-type-options')).toBe('nosniff');
    expect(plain.headers.get('access-control-allow-origin')).toBeNull();
    const allowed = await appWith(['https://shop.example']).request('/', {
      headers: { origin: 'https://shop.example' },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(allowed.headers.get('access-control-expose-headers')).toContain('X-Request-Id');
  });
});
