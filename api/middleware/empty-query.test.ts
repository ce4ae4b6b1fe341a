import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { emptyQuery } from './empty-query.js';

const app = new Hono().use(emptyQuery()).get('/q', (c) => c.json(c.req.query()));

describe('emptyQuery', () => {
  it('drops empty values, keeps the rest', async () => {
    expect(await (await app.request('/q?limit=&cursor=&q=shoe')).json()).toEqual({ q: 'shoe' });
  });
});
