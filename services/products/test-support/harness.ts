import { MongoClient, type Db } from 'mongodb';
import { expect } from 'vitest';
import { pathOf } from '../../../contracts/api.js';
import { productsApi } from '../../../contracts/products-api.js';
import type { LedgerEntry, Product } from '../../../contracts/products.js';
import { createLogger } from '../../../lib/logger.js';
import { createMetrics } from '../../../lib/metrics.js';
import { TEST_SERVICE_TOKEN } from '../../../test/support/constants.js';
import { testMongoDbName } from '../../../test/support/mongo.js';
import { createProductsApp } from '../app.js';
import type { KeyedMutex } from '../keyed-mutex.js';
import { migrate } from '../migrations.js';

export const auth = { authorization: `Bearer ${TEST_SERVICE_TOKEN}` };

export type ProductsApp = ReturnType<typeof createProductsApp>;

/** A fresh database on the shared FerretDB with its indexes, and a factory for app instances over it. */
export async function openTestDb(mongoUrl: string, runId: string, label: string) {
  const client = new MongoClient(mongoUrl);
  await client.connect();
  const db: Db = client.db(testMongoDbName(runId, label));
  const newApp = (mutex?: KeyedMutex): ProductsApp =>
    createProductsApp({
      db,
      logger: createLogger('products', 'silent'),
      metrics: createMetrics('products', false),
      serviceToken: TEST_SERVICE_TOKEN,
      mutex,
    });
  const first = newApp();
  await migrate(db);
  const close = async () => {
    await db.dropDatabase().catch(() => {});
    await client.close();
  };
  return { db, newApp, app: first, close };
}

/** Calls the app in-process and returns status + parsed JSON. */
export async function call(
  target: ProductsApp,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const init: RequestInit = { method, headers: { ...auth, ...headers } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] = 'application/json';
  }
  const response = await target.app.request(path, init);
  const text = await response.text();
  return {
    status: response.status,
    body: (text ? JSON.parse(text) : undefined) as Record<string, unknown> & { code?: string },
    headers: response.headers,
  };
}

export async function createProduct(
  target: ProductsApp,
  sku: string,
  stock: number,
  extra: Record<string, unknown> = {},
): Promise<Product> {
  const res = await call(target, 'POST', productsApi.create.path, {
    sku,
    name: `Product ${sku}`,
    priceCents: 1000,
    stock,
    ...extra,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as unknown as Product;
}

export async function ledgerOf(target: ProductsApp, productId: string): Promise<LedgerEntry[]> {
  const res = await call(target, 'GET', pathOf(productsApi.ledger, { id: productId }));
  expect(res.status).toBe(200);
  return (res.body as unknown as { items: LedgerEntry[] }).items;
}

/** Checks the ledger is a gap-free chain whose balances follow from its deltas and never go negative. */
export function expectConsistentLedger(entries: LedgerEntry[]): { available: number; byKind: Record<string, number> } {
  let available = 0;
  const byKind: Record<string, number> = {};
  entries.forEach((entry, index) => {
    expect(entry.seq).toBe(index + 1);
    available += entry.delta;
    expect(entry.available).toBe(available);
    expect(entry.available).toBeGreaterThanOrEqual(0);
    byKind[entry.kind] = (byKind[entry.kind] ?? 0) + entry.delta;
  });
  return { available, byKind };
}
