import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import type { Product } from '../../contracts/products.js';
import { call, createProduct, openTestDb, type ProductsApp } from './test-support/harness.js';

let env: Awaited<ReturnType<typeof openTestDb>>;
let app: ProductsApp;
const created: Product[] = [];

const search = async (query: Record<string, string>) =>
  call(app, 'GET', `/v1/products?${new URLSearchParams(query).toString()}`);
const skusOf = (res: { body: Record<string, unknown> }) => (res.body.items as Product[]).map((p) => p.sku).sort();

beforeAll(async () => {
  env = await openTestDb(inject('mongoUrl'), inject('runId'), 'search');
  app = env.app;
  const names = ['Blue Mug', 'Red MUG', 'Teapot', 'Plate (large)', 'a.*b', 'Dollar $ Sign', '{"$gt":""}'];
  for (const [i, name] of names.entries()) created.push(await createProduct(app, `SKU-${i}`, i, { name }));
  for (let i = 0; i < 18; i++)
    created.push(await createProduct(app, `bulk.${String(i).padStart(2, '0')}`, 1, { name: `Bulk item ${i}` }));
});
afterAll(() => env?.close());

describe('GET /v1/products search', () => {
  it('matches name or sku case-insensitively as a substring', async () => {
    expect(skusOf(await search({ q: 'mug' }))).toEqual(['SKU-0', 'SKU-1']);
    expect(skusOf(await search({ q: 'sku-2' }))).toEqual(['SKU-2']);
    expect(skusOf(await search({ q: 'BULK.1', limit: '100' }))).toEqual([
      'bulk.10',
      'bulk.11',
      'bulk.12',
      'bulk.13',
      'bulk.14',
      'bulk.15',
      'bulk.16',
      'bulk.17',
    ]);
  });

  it('treats regex metacharacters and operator-looking text literally', async () => {
    expect(skusOf(await search({ q: '.*' }))).toEqual(['SKU-4']);
    expect(skusOf(await search({ q: '(large)' }))).toEqual(['SKU-3']);
    expect(skusOf(await search({ q: '$' }))).toEqual(['SKU-5', 'SKU-6']);
    expect(skusOf(await search({ q: '{"$gt":""}' }))).toEqual(['SKU-6']);
    expect(skusOf(await search({ q: '[' }))).toEqual([]);
    // A bracketed operator in the query string is not a field called q: it searches nothing.
    const injected = await call(app, 'GET', '/v1/products?q[$ne]=x&limit=100');
    expect(injected.status).toBe(200);
    expect(injected.body.items).toHaveLength(created.length);
  });

  it('walks every product exactly once, in a stable order, page by page', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await search(cursor ? { limit: '4', cursor } : { limit: '4' });
      expect(res.status).toBe(200);
      seen.push(...(res.body.items as Product[]).map((p) => p.id));
      cursor = res.body.nextCursor as string | null;
      pages++;
    } while (cursor);
    expect(pages).toBe(Math.ceil(created.length / 4));
    expect(seen).toEqual(created.map((p) => p.id).sort());
    expect(seen).toEqual(created.map((p) => p.id)); // ids grow with creation time in one process
  });

  it('paginates a filtered search and reports stock per item', async () => {
    const first = await search({ q: 'bulk', limit: '10' });
    const second = await search({ q: 'bulk', limit: '10', cursor: first.body.nextCursor as string });
    expect(second.body.nextCursor).toBeNull();
    const all = [...(first.body.items as Product[]), ...(second.body.items as Product[])];
    expect(all).toHaveLength(18);
    expect(all.every((p) => p.stock === 1)).toBe(true);
    expect((await search({})).body.items).toHaveLength(20);
  });

  it('rejects an invalid limit or cursor with 400 VALIDATION_FAILED', async () => {
    for (const query of [
      { limit: '0' },
      { limit: '101' },
      { limit: 'ten' },
      { cursor: 'not-a-cursor' },
      { cursor: '' },
      { q: 'x'.repeat(201) },
    ] as Record<string, string>[]) {
      const res = await search(query);
      expect([query, res.status, res.body.code]).toEqual([query, 400, 'VALIDATION_FAILED']);
    }
  });
});
