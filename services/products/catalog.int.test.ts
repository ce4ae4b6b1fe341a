import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import type { Product } from '../../contracts/products.js';
import { migrate } from './migrations.js';
import {
  auth,
  call,
  createProduct,
  expectConsistentLedger,
  ledgerOf,
  openTestDb,
  type ProductsApp,
} from './test-support/harness.js';

let env: Awaited<ReturnType<typeof openTestDb>>;
let app: ProductsApp;

beforeAll(async () => {
  env = await openTestDb(inject('mongoUrl'), inject('runId'), 'catalog');
  app = env.app;
});
afterAll(() => env?.close());

describe('products catalog', () => {
  it('creates a product with defaults and reads it back', async () => {
    const res = await call(app, 'POST', '/v1/products', { sku: 'Desk-1', name: 'Oak Desk', priceCents: 19900 });
    expect(res.status).toBe(201);
    const product = res.body as unknown as Product;
    expect(product).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      sku: 'Desk-1',
      name: 'Oak Desk',
      description: '',
      priceCents: 19900,
      currency: 'USD',
      stock: 0,
    });
    expect((await call(app, 'GET', `/v1/products/${product.id}`)).body).toEqual(product);
    await migrate(app.store.db); // idempotent at every start
  });

  it('sells in USD only: another currency is refused with 400 VALIDATION_FAILED on currency', async () => {
    const euro = await call(app, 'POST', '/v1/products', {
      sku: 'EURO-1',
      name: 'Cup',
      priceCents: 900,
      currency: 'EUR',
    });
    expect(euro.status).toBe(400);
    expect(euro.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'currency' }] });
    const listed = (await call(app, 'GET', '/v1/products?limit=100')).body.items as Product[];
    expect(listed.map((p) => p.sku)).not.toContain('EURO-1');
    const usd = await call(app, 'POST', '/v1/products', {
      sku: 'USD-1',
      name: 'Cup',
      priceCents: 900,
      currency: 'USD',
    });
    expect(usd.status).toBe(201);
    expect(usd.body).toMatchObject({ currency: 'USD' });
  });

  it('refuses a SKU that differs only in case with 409 SKU_TAKEN', async () => {
    await createProduct(app, 'Lamp-7', 1);
    const res = await call(app, 'POST', '/v1/products', { sku: 'LAMP-7', name: 'Other', priceCents: 1 });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('SKU_TAKEN');
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  it('updates name, description and price but not stock', async () => {
    const product = await createProduct(app, 'CHAIR-1', 4);
    const res = await call(app, 'PATCH', `/v1/products/${product.id}`, {
      name: 'Chair',
      description: 'Comfy',
      priceCents: 4500,
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...product, name: 'Chair', description: 'Comfy', priceCents: 4500 });
    expect((await call(app, 'PATCH', `/v1/products/${product.id}`, { stock: 100 })).status).toBe(400);
    expect((await call(app, 'PATCH', `/v1/products/${product.id}`, {})).status).toBe(400);
  });

  it('restocks, once per Idempotency-Key, and records it in the ledger', async () => {
    const product = await createProduct(app, 'SHELF-1', 2);
    const key = { 'idempotency-key': 'restock-shelf-1' };
    const results = await Promise.all(
      Array.from({ length: 5 }, () => call(app, 'POST', `/v1/products/${product.id}/restock`, { quantity: 10 }, key)),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect((await call(app, 'POST', `/v1/products/${product.id}/restock`, { quantity: 3 })).body.stock).toBe(15);
    const entries = await ledgerOf(app, product.id);
    expect(entries.map((e) => [e.kind, e.delta, e.available])).toEqual([
      ['initial', 2, 2],
      ['restock', 10, 12],
      ['restock', 3, 15],
    ]);
    expect(expectConsistentLedger(entries).available).toBe(15);
  });

  it('looks up many ids at once, reporting the missing ones', async () => {
    const a = await createProduct(app, 'LOOK-A', 3);
    const b = await createProduct(app, 'LOOK-B', 0);
    const res = await call(app, 'POST', '/v1/products/lookup', {
      ids: [b.id, 'nope', a.id, '0123456789abcdef01234567', a.id],
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [b, a], missing: ['nope', '0123456789abcdef01234567'] });
  });

  it('answers every error path with a problem', async () => {
    const product = await createProduct(app, 'ERR-1', 1);
    const cases: [string, string, unknown, number, string][] = [
      ['GET', '/v1/products/0123456789abcdef01234567', undefined, 404, 'NOT_FOUND'],
      ['GET', '/v1/products/not-an-id', undefined, 404, 'NOT_FOUND'],
      ['GET', '/v1/products/0123456789ABCDEF01234567', undefined, 404, 'NOT_FOUND'],
      ['PATCH', '/v1/products/not-an-id', { name: 'x' }, 404, 'NOT_FOUND'],
      ['POST', '/v1/products/not-an-id/restock', { quantity: 1 }, 404, 'NOT_FOUND'],
      ['GET', '/v1/products/not-an-id/ledger', undefined, 404, 'NOT_FOUND'],
      ['POST', `/v1/products/${product.id}/restock`, { quantity: 0 }, 400, 'VALIDATION_FAILED'],
      ['POST', `/v1/products/${product.id}/restock`, { quantity: 1_000_001 }, 400, 'VALIDATION_FAILED'],
      ['POST', '/v1/products', { sku: 'bad sku!', name: 'x', priceCents: 1 }, 400, 'VALIDATION_FAILED'],
      ['POST', '/v1/products', { sku: 'OK-1', name: 'x', priceCents: 1.5 }, 400, 'VALIDATION_FAILED'],
      ['POST', '/v1/products', { sku: 'OK-1', name: 'x', priceCents: 1, stock: -1 }, 400, 'VALIDATION_FAILED'],
      ['POST', '/v1/products/lookup', { ids: [] }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [method, path, body, status, code] of cases) {
      const res = await call(app, method, path, body);
      expect([method, path, res.status, res.body.code]).toEqual([method, path, status, code]);
    }
    const badKey = await call(
      app,
      'POST',
      `/v1/products/${product.id}/restock`,
      { quantity: 1 },
      { 'idempotency-key': 'k'.repeat(256) },
    );
    expect(badKey.status).toBe(400);
    const malformed = await app.app.request('/v1/products', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: '{',
    });
    expect(malformed.status).toBe(400);
  });

  it('requires the service token on /v1 but not on health', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong-token-wrong-token' }] as Record<string, string>[]) {
      const res = await app.app.request('/v1/products', { headers });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { code: string }).code).toBe('UNAUTHORIZED');
    }
    expect((await app.app.request('/healthz')).status).toBe(200);
    expect((await app.app.request('/readyz')).status).toBe(200);
  });
});
