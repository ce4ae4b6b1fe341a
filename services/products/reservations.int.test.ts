import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import {
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
  env = await openTestDb(inject('mongoUrl'), inject('runId'), 'reservations');
  app = env.app;
});
afterAll(() => env?.close());

const reserve = (target: ProductsApp, orderId: string, lines: { productId: string; quantity: number }[]) =>
  call(target, 'PUT', `/v1/reservations/${orderId}`, { lines });
const release = (target: ProductsApp, orderId: string) => call(target, 'POST', `/v1/reservations/${orderId}/release`);
const commit = (target: ProductsApp, orderId: string) => call(target, 'POST', `/v1/reservations/${orderId}/commit`);
const stockOf = async (productId: string) => (await call(app, 'GET', `/v1/products/${productId}`)).body.stock;

describe('reservations: single-step behaviour', () => {
  it('holds, then commits; duplicates of each change nothing', async () => {
    const p = await createProduct(app, 'R-BASIC', 5);
    const lines = [{ productId: p.id, quantity: 2 }];
    const held = await reserve(app, 'o-basic', lines);
    expect(held).toMatchObject({ status: 200, body: { orderId: 'o-basic', status: 'held', lines } });
    expect((await reserve(app, 'o-basic', lines)).body.status).toBe('held');
    expect(await stockOf(p.id)).toBe(3);
    expect((await commit(app, 'o-basic')).body).toEqual({ orderId: 'o-basic', status: 'committed', lines });
    expect((await commit(app, 'o-basic')).status).toBe(200);
    expect((await reserve(app, 'o-basic', lines)).body.status).toBe('held');
    const late = await release(app, 'o-basic');
    expect([late.status, late.body.code]).toEqual([409, 'RESERVATION_COMMITTED']);
    expect(await stockOf(p.id)).toBe(3);
    expect((await call(app, 'GET', '/v1/reservations/o-basic')).body.status).toBe('committed');
    const kinds = (await ledgerOf(app, p.id)).map((e) => [e.kind, e.delta, e.orderId]);
    expect(kinds).toEqual([
      ['initial', 5, null],
      ['reserve', -2, 'o-basic'],
      ['commit', 0, 'o-basic'],
    ]);
  });

  it('release gives stock back exactly once; commit after release is refused', async () => {
    const p = await createProduct(app, 'R-REL', 4);
    await reserve(app, 'o-rel', [{ productId: p.id, quantity: 4 }]);
    expect(await stockOf(p.id)).toBe(0);
    const results = await Promise.all([release(app, 'o-rel'), release(app, 'o-rel'), release(app, 'o-rel')]);
    expect(results.map((r) => r.body.status)).toEqual(['released', 'released', 'released']);
    expect((await release(app, 'o-rel')).status).toBe(200);
    expect(await stockOf(p.id)).toBe(4);
    const refused = await commit(app, 'o-rel');
    expect([refused.status, refused.body.code]).toEqual([409, 'RESERVATION_RELEASED']);
    const again = await reserve(app, 'o-rel', [{ productId: p.id, quantity: 4 }]);
    expect([again.status, again.body.code]).toEqual([409, 'RESERVATION_RELEASED']);
    expect(await stockOf(p.id)).toBe(4);
    expect(expectConsistentLedger(await ledgerOf(app, p.id)).available).toBe(4);
  });

  it('a release before any reserve holds nothing and blocks the late reserve', async () => {
    const p = await createProduct(app, 'R-EARLY', 3);
    expect((await release(app, 'o-early')).body).toEqual({ orderId: 'o-early', status: 'released', lines: [] });
    const late = await reserve(app, 'o-early', [{ productId: p.id, quantity: 1 }]);
    expect([late.status, late.body.code]).toEqual([409, 'RESERVATION_RELEASED']);
    expect(await stockOf(p.id)).toBe(3);
    expect(await ledgerOf(app, p.id)).toHaveLength(1);
  });

  it('is all-or-nothing across lines: one short line holds nothing anywhere', async () => {
    const [a, b, c] = [
      await createProduct(app, 'R-A', 5),
      await createProduct(app, 'R-B', 1),
      await createProduct(app, 'R-C', 5),
    ];
    const lines = [
      { productId: c.id, quantity: 2 },
      { productId: b.id, quantity: 2 },
      { productId: a.id, quantity: 2 },
    ];
    for (let i = 0; i < 2; i++) {
      const res = await reserve(app, 'o-multi', lines);
      expect([res.status, res.body.code, res.body.productId]).toEqual([409, 'OUT_OF_STOCK', b.id]);
    }
    expect([await stockOf(a.id), await stockOf(b.id), await stockOf(c.id)]).toEqual([5, 1, 5]);
    expect((await call(app, 'GET', '/v1/reservations/o-multi')).body.status).toBe('rejected');
    const notHeld = await commit(app, 'o-multi');
    expect([notHeld.status, notHeld.body.code]).toEqual([409, 'RESERVATION_NOT_HELD']);
  });

  it('answers its error paths', async () => {
    const p = await createProduct(app, 'R-ERR', 1);
    const missing = await reserve(app, 'o-missing', [
      { productId: p.id, quantity: 1 },
      { productId: 'ffffffffffffffffffffffff', quantity: 1 },
    ]);
    expect([missing.status, missing.body.code, missing.body.productId]).toEqual([
      404,
      'PRODUCT_NOT_FOUND',
      'ffffffffffffffffffffffff',
    ]);
    expect(await stockOf(p.id)).toBe(1);
    const neverHeld = await commit(app, 'o-never');
    expect([neverHeld.status, neverHeld.body.code]).toEqual([409, 'RESERVATION_NOT_HELD']);
    expect((await call(app, 'GET', '/v1/reservations/o-never')).status).toBe(404);
    for (const body of [
      { lines: [] },
      { lines: [{ productId: p.id, quantity: 0 }] },
      {
        lines: [
          { productId: p.id, quantity: 1 },
          { productId: p.id, quantity: 1 },
        ],
      },
    ]) {
      const res = await call(app, 'PUT', '/v1/reservations/o-bad', body);
      expect([res.status, res.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    }
    expect(
      (await call(app, 'PUT', `/v1/reservations/${'x'.repeat(129)}`, { lines: [{ productId: p.id, quantity: 1 }] }))
        .status,
    ).toBe(400);
    const unauthorized = await app.app.request('/v1/reservations/o-x', { method: 'PUT', body: '{}' });
    expect(unauthorized.status).toBe(401);
  });
});
