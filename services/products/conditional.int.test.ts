import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { pathOf } from '../../contracts/api.js';
import { productsApi } from '../../contracts/products-api.js';
import { acceptedStates, noneMatch } from './entity-tags.js';
import { call, createProduct, openTestDb, type ProductsApp } from './test-support/harness.js';

let env: Awaited<ReturnType<typeof openTestDb>>;
let apps: [ProductsApp, ProductsApp];

beforeAll(async () => {
  env = await openTestDb(inject('mongoUrl'), inject('runId'), 'conditional');
  apps = [env.app, env.newApp()];
});
afterAll(() => env?.close());

const productPath = (id: string) => pathOf(productsApi.get, { id });
const restockPath = (id: string) => pathOf(productsApi.restock, { id });
const read = (id: string, headers: Record<string, string> = {}) =>
  call(apps[0], 'GET', productPath(id), undefined, headers);
const tagOf = async (id: string) => (await read(id)).headers.get('etag')!;

describe('entity tags', () => {
  it('compares If-Match strongly and If-None-Match weakly', () => {
    expect(acceptedStates(undefined)).toBeUndefined();
    expect(acceptedStates(' * ')).toBeUndefined();
    expect(acceptedStates('"r1s2", W/"r3s4", "other"')).toEqual([{ rev: 1, seq: 2 }]);
    expect(noneMatch('W/"r1s2"', '"r1s2"')).toBe(false);
    expect(noneMatch('*', '"r1s2"')).toBe(false);
    expect(noneMatch('"r1s3"', '"r1s2"')).toBe(true);
  });
});

describe('conditional requests on a product', () => {
  it('answers GET with a strong ETag and If-None-Match with 304 and no body', async () => {
    const p = await createProduct(apps[0], 'ETAG-GET', 2);
    const first = await read(p.id);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[^"]+"$/);
    const again = await call(apps[1], 'GET', productPath(p.id), undefined, { 'if-none-match': etag });
    expect([again.status, again.body, again.headers.get('etag')]).toEqual([304, undefined, etag]);
    expect((await read(p.id, { 'if-none-match': '"r9s9"' })).status).toBe(200);
  });

  it('changes the ETag on every edit, restock and reservation', async () => {
    const p = await createProduct(apps[0], 'ETAG-CHANGE', 5);
    const tags = [await tagOf(p.id)];
    await call(apps[0], 'PATCH', productPath(p.id), { priceCents: 1 });
    tags.push(await tagOf(p.id));
    await call(apps[0], 'POST', restockPath(p.id), { quantity: 1 });
    tags.push(await tagOf(p.id));
    const held = await call(apps[0], 'PUT', `/v1/reservations/etag-o1`, { lines: [{ productId: p.id, quantity: 1 }] });
    expect(held.status).toBe(200);
    tags.push(await tagOf(p.id));
    expect(new Set(tags).size).toBe(4);
  });

  it('refuses a stale If-Match with 412 PRECONDITION_FAILED and changes nothing', async () => {
    const p = await createProduct(apps[0], 'ETAG-STALE', 3);
    const stale = await tagOf(p.id);
    const ok = await call(apps[1], 'PATCH', productPath(p.id), { name: 'First' }, { 'if-match': stale });
    expect(ok.status).toBe(200);
    const current = ok.headers.get('etag')!;
    expect(current).not.toBe(stale);
    const before = (await read(p.id)).body;
    const patch = await call(apps[0], 'PATCH', productPath(p.id), { priceCents: 7 }, { 'if-match': stale });
    expect([patch.status, patch.body.code]).toEqual([412, 'PRECONDITION_FAILED']);
    expect(patch.headers.get('content-type')).toContain('application/problem+json');
    const restock = await call(apps[0], 'POST', restockPath(p.id), { quantity: 4 }, { 'if-match': stale });
    expect([restock.status, restock.body.code]).toEqual([412, 'PRECONDITION_FAILED']);
    expect((await read(p.id)).body).toEqual(before);
    const fresh = await call(apps[0], 'POST', restockPath(p.id), { quantity: 4 }, { 'if-match': current });
    expect([fresh.status, fresh.body.stock]).toEqual([200, 7]);
  });

  it('lets exactly one of two edits or restocks with the same If-Match win, every round', async () => {
    const p = await createProduct(apps[0], 'ETAG-RACE', 0);
    for (let round = 1; round <= 15; round++) {
      const etag = await tagOf(p.id);
      const edits = await Promise.all([
        call(apps[0], 'PATCH', productPath(p.id), { name: `A${round}` }, { 'if-match': etag }),
        call(apps[1], 'PATCH', productPath(p.id), { priceCents: round }, { 'if-match': etag }),
      ]);
      expect(edits.map((r) => r.status).sort()).toEqual([200, 412]);
      const next = await tagOf(p.id);
      const restocks = await Promise.all(
        apps.map((app) => call(app, 'POST', restockPath(p.id), { quantity: 1 }, { 'if-match': next })),
      );
      expect(restocks.map((r) => r.status).sort()).toEqual([200, 412]);
    }
    expect((await read(p.id)).body.stock).toBe(15);
  });
});
