import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import type { Product } from '../../contracts/products.js';
import { createLogger } from '../../lib/logger.js';
import { demoCatalog, seedDemoCatalog } from './seed.js';
import { call, ledgerOf, openTestDb } from './test-support/harness.js';

let env: Awaited<ReturnType<typeof openTestDb>>;

beforeAll(async () => {
  env = await openTestDb(inject('mongoUrl'), inject('runId'), 'seed');
});
afterAll(() => env?.close());

describe('seedDemoCatalog', () => {
  it('seeds 12 products once even when two instances start at the same time', async () => {
    const logger = createLogger('products', 'silent');
    const [one, two] = [env.app, env.newApp()];
    const created = await Promise.all([
      seedDemoCatalog(one.store, one.catalog, logger),
      seedDemoCatalog(two.store, two.catalog, logger),
    ]);
    expect(created[0] + created[1]).toBe(12);
    expect(await seedDemoCatalog(one.store, one.catalog, logger)).toBe(0);
    const items = (await call(one, 'GET', '/v1/products?limit=100')).body.items as Product[];
    expect(items.map((p) => [p.sku, p.stock]).sort()).toEqual(demoCatalog.map((p) => [p.sku, p.stock]).sort());
    for (const item of items) expect((await ledgerOf(one, item.id)).map((e) => e.kind)).toEqual(['initial']);
  });
});
