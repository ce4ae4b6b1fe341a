import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { pathOf } from '../../contracts/api.js';
import { productsApi } from '../../contracts/products-api.js';
import { auth, call, createProduct, openTestDb, type ProductsApp } from './test-support/harness.js';

let env: Awaited<ReturnType<typeof openTestDb>>;
let apps: [ProductsApp, ProductsApp];

beforeAll(async () => {
  env = await openTestDb(inject('mongoUrl'), inject('runId'), 'revisions');
  // Two instances over one database, like two service processes.
  apps = [env.app, env.newApp()];
});
afterAll(() => env?.close());

const conflictsOf = (metrics: string) =>
  Number(/product_revision_conflicts_total\{[^}]*\} (\d+)/.exec(metrics)?.[1] ?? 0);
const totalConflicts = async () => {
  const counts = await Promise.all(
    apps.map(async (a) => conflictsOf(await (await a.app.request('/metrics', { headers: auth })).text())),
  );
  return counts.reduce((sum, n) => sum + n, 0);
};
const productPath = (id: string) => pathOf(productsApi.get, { id });
const patch = (app: ProductsApp, id: string, body: Record<string, unknown>) =>
  call(app, 'PATCH', productPath(id), body);

describe('concurrent product edits (on the run’s FerretDB)', () => {
  const rounds = 30;

  it.each([
    ['name', 'priceCents'],
    ['description', 'priceCents'],
  ] as const)('keeps both of a concurrent %s and %s change, every round', async (textField, priceField) => {
    const conflictsBefore = await totalConflicts();
    const product = await createProduct(apps[0], `REV-${textField}`, 3);
    const lost: number[] = [];
    for (let round = 1; round <= rounds; round++) {
      const text = `${textField} ${round}`;
      const [a, b] = await Promise.all([
        patch(apps[round % 2]!, product.id, { [textField]: text }),
        patch(apps[(round + 1) % 2]!, product.id, { [priceField]: 1000 + round }),
      ]);
      expect([a.status, b.status]).toEqual([200, 200]);
      const now = (await call(apps[0], 'GET', productPath(product.id))).body;
      if (now[textField] !== text || now[priceField] !== 1000 + round) lost.push(round);
    }
    expect(lost, `rounds that lost an edit`).toEqual([]);
    expect(await totalConflicts()).toBeGreaterThan(conflictsBefore); // the edits really raced
    const final = (await call(apps[1], 'GET', productPath(product.id))).body;
    expect(final).toMatchObject({ [textField]: `${textField} ${rounds}`, priceCents: 1000 + rounds, stock: 3 });
  });

  it('lists and looks up the latest revision', async () => {
    const product = await createProduct(apps[0], 'REV-LIST', 1);
    await patch(apps[0], product.id, { name: 'Renamed once' });
    await patch(apps[1], product.id, { priceCents: 4321 });
    const list = await call(apps[1], 'GET', `${productsApi.list.path}?q=REV-LIST`);
    expect(list.body.items).toEqual([expect.objectContaining({ name: 'Renamed once', priceCents: 4321 })]);
    const lookup = await call(apps[0], 'POST', productsApi.lookup.path, { ids: [product.id] });
    expect(lookup.body.items).toEqual([expect.objectContaining({ name: 'Renamed once', priceCents: 4321 })]);
  });

  it('reads a product made before revisions existed (no rev field) as revision 0, then edits it', async () => {
    const product = await createProduct(apps[0], 'REV-OLD', 2, { description: 'old' });
    await env.db.collection('products').updateOne({ sku: 'REV-OLD' }, { $unset: { rev: '' } });
    expect((await call(apps[1], 'GET', productPath(product.id))).body).toMatchObject({ description: 'old' });
    const edited = await patch(apps[1], product.id, { priceCents: 99 });
    expect(edited.body).toMatchObject({ description: 'old', priceCents: 99, name: product.name });
  });
});
