import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import type { Reservation } from '../../contracts/products.js';
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
let apps: [ProductsApp, ProductsApp];

beforeAll(async () => {
  env = await openTestDb(inject('mongoUrl'), inject('runId'), 'concurrency');
  // Two instances over one database: each has its own in-process mutex, like two service processes.
  apps = [env.app, env.newApp()];
});
afterAll(() => env?.close());

type Line = { productId: string; quantity: number };
const reserve = (i: number, orderId: string, lines: Line[]) =>
  call(apps[i % 2]!, 'PUT', `/v1/reservations/${orderId}`, { lines });
const release = (i: number, orderId: string) => call(apps[i % 2]!, 'POST', `/v1/reservations/${orderId}/release`);
const commit = (i: number, orderId: string) => call(apps[i % 2]!, 'POST', `/v1/reservations/${orderId}/commit`);
const stockOf = async (productId: string) =>
  (await call(apps[0], 'GET', `/v1/products/${productId}`)).body.stock as number;

async function raceOneUnitOrders(sku: string, instances: 1 | 2) {
  const p = await createProduct(apps[0], sku, 7);
  const results = await Promise.all(
    Array.from({ length: 120 }, (_, i) =>
      reserve(instances === 1 ? 0 : i, `${sku}-o${i}`, [{ productId: p.id, quantity: 1 }]),
    ),
  );
  expect(results.filter((r) => r.status === 200 && r.body.status === 'held')).toHaveLength(7);
  const refused = results.filter((r) => r.status === 409);
  expect(refused).toHaveLength(113);
  expect(refused.every((r) => r.body.code === 'OUT_OF_STOCK' && r.body.productId === p.id)).toBe(true);
  expect(await stockOf(p.id)).toBe(0);
  const { available, byKind } = expectConsistentLedger(await ledgerOf(apps[0], p.id));
  expect([available, byKind.initial, byKind.reserve, byKind.release ?? 0]).toEqual([0, 7, -7, 0]);
  if (instances === 2) {
    const conflicts = await Promise.all(
      apps.map(async (a) =>
        Number(
          /inventory_ledger_conflicts_total\{[^}]*\} (\d+)/.exec(
            await (await a.app.request('/metrics', { headers: auth })).text(),
          )?.[1],
        ),
      ),
    );
    expect(conflicts[0]! + conflicts[1]!).toBeGreaterThan(0); // the two instances really raced
  }
}

describe('reservations under concurrency', () => {
  it('120 racing one-unit orders on a stock of 7 → exactly 7 held (one instance)', () => raceOneUnitOrders('HOT-1', 1));

  it('120 racing one-unit orders on a stock of 7 → exactly 7 held (two instances)', () =>
    raceOneUnitOrders('HOT-2', 2));

  it('conserves stock through racing reserve/release/commit/restock mixes and duplicates', async () => {
    const a = await createProduct(apps[0], 'MIX-A', 15);
    const b = await createProduct(apps[0], 'MIX-B', 10);
    const orders = Array.from({ length: 48 }, (_, i) => ({
      i,
      id: `mix-o${i}`,
      lines:
        i % 2 === 0
          ? [
              { productId: a.id, quantity: (i % 3) + 1 },
              { productId: b.id, quantity: 1 },
            ]
          : [{ productId: a.id, quantity: (i % 3) + 1 }],
    }));
    const scripts = orders.map(async ({ i, id, lines }) => {
      switch (i % 4) {
        case 0: // commit and release race for the same held order
          await reserve(i, id, lines);
          return Promise.all([commit(i, id), release(i + 1, id), commit(i + 1, id)]);
        case 1: // release races the reserve itself
          await Promise.all([reserve(i, id, lines), release(i + 1, id)]);
          return release(i, id);
        case 2: // duplicate reserves, then duplicate commits
          await Promise.all([reserve(i, id, lines), reserve(i + 1, id, lines)]);
          return Promise.all([commit(i, id), commit(i + 1, id)]);
        default: // reserve, release, then a late reserve that must hold nothing
          await reserve(i, id, lines);
          await release(i + 1, id);
          return reserve(i, id, lines);
      }
    });
    const restocks = Array.from({ length: 10 }, (_, i) =>
      call(apps[i % 2]!, 'POST', `/v1/products/${i % 2 ? b.id : a.id}/restock`, { quantity: 2 }),
    );
    await Promise.all([...scripts, ...restocks]);

    const committed = { [a.id]: 0, [b.id]: 0 };
    for (const { id, i } of orders) {
      const res = await call(apps[0], 'GET', `/v1/reservations/${id}`);
      const reservation = res.body as unknown as Reservation;
      if (i % 4 === 1 || i % 4 === 3) expect([id, res.status, reservation.status]).toEqual([id, 200, 'released']);
      if (reservation.status === 'committed') for (const l of reservation.lines) committed[l.productId]! += l.quantity;
    }
    expect(committed[a.id]).toBeGreaterThan(0); // the mix really sold something
    for (const [product, initial] of [
      [a, 15],
      [b, 10],
    ] as const) {
      const restocked = 5 * 2;
      const { available, byKind } = expectConsistentLedger(await ledgerOf(apps[0], product.id));
      expect(available).toBe(initial + restocked - committed[product.id]!);
      expect(await stockOf(product.id)).toBe(available);
      expect((byKind.reserve ?? 0) + (byKind.release ?? 0)).toBe(-committed[product.id]!);
      expect(byKind.commit ?? 0).toBe(0);
    }
  });

  it('never leaves stock held by an order whose only release raced its reserve', async () => {
    const products = [
      await createProduct(apps[0], 'RACE-A', 500),
      await createProduct(apps[0], 'RACE-B', 500),
      await createProduct(apps[0], 'RACE-C', 500),
    ];
    const lines = products.map((p) => ({ productId: p.id, quantity: 1 }));
    const outcomes = await Promise.all(
      Array.from({ length: 60 }, async (_, i) => {
        const id = `race-o${i}`;
        // Spread the release over the reserve's whole window of ledger writes.
        const [reserved, released] = await Promise.all([
          reserve(i, id, lines),
          sleep((i % 12) * 2).then(() => release(i + 1, id)),
        ]);
        expect(released.status).toBe(200);
        expect([200, 409]).toContain(reserved.status);
        return reserved.status === 200 ? 'held-then-released' : String(reserved.body.code);
      }),
    );
    expect(outcomes.every((o) => o === 'held-then-released' || o === 'RESERVATION_RELEASED')).toBe(true);
    let reservedUnits = 0;
    for (const p of products) {
      const { available, byKind } = expectConsistentLedger(await ledgerOf(apps[0], p.id));
      expect([available, (byKind.reserve ?? 0) + (byKind.release ?? 0)]).toEqual([500, 0]);
      reservedUnits -= byKind.reserve ?? 0;
    }
    expect(reservedUnits).toBeGreaterThan(0); // reserves really wrote stock before their release landed
  });

  it('lets exactly one of commit and release win, whichever instance serves them', async () => {
    const p = await createProduct(apps[0], 'DUEL', 40);
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const id = `duel-o${i}`;
        expect((await reserve(i, id, [{ productId: p.id, quantity: 2 }])).status).toBe(200);
        const [c, r] = await Promise.all([commit(i, id), release(i + 1, id)]);
        expect([c.status, r.status].sort()).toEqual([200, 409]);
        return c.status === 200 ? 'committed' : 'released';
      }),
    );
    const sold = outcomes.filter((o) => o === 'committed').length * 2;
    expect(await stockOf(p.id)).toBe(40 - sold);
  });
});
