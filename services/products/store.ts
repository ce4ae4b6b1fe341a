import { MongoServerError, type Collection, type Db, type IndexDescription, type ObjectId } from 'mongodb';
import type { LedgerEntry, ReservationLine } from '../../contracts/products.js';
import type { z } from 'zod';

export interface ProductDoc {
  _id: ObjectId;
  sku: string;
  /** Lower-cased sku: the unique index makes SKUs unique case-insensitively. */
  skuKey: string;
  name: string;
  description: string;
  priceCents: number;
  currency: string;
  createdAt: Date;
  updatedAt: Date;
}

export type MovementKind = LedgerEntry['kind'];

/** One append-only inventory movement; `available` is the product's balance after it. */
export interface LedgerDoc {
  productId: string;
  seq: number;
  kind: MovementKind;
  delta: number;
  available: number;
  orderId: string | null;
  opKey: string;
  at: Date;
}

export type Line = z.infer<typeof ReservationLine>;

/** Inserted once per order: the insert is the decision. */
export interface ReservationDoc {
  _id: string;
  status: 'held' | 'rejected';
  lines: Line[];
  shortProductId?: string;
  at: Date;
}

/** Inserted once per order, so commit and release have exactly one winner. */
export interface FinalDoc {
  _id: string;
  kind: 'released' | 'committed';
  at: Date;
}

export interface Store {
  db: Db;
  products: Collection<ProductDoc>;
  ledger: Collection<LedgerDoc>;
  reservations: Collection<ReservationDoc>;
  finals: Collection<FinalDoc>;
}

export function createStore(db: Db): Store {
  return {
    db,
    products: db.collection<ProductDoc>('products'),
    ledger: db.collection<LedgerDoc>('inventory_ledger'),
    reservations: db.collection<ReservationDoc>('reservations'),
    finals: db.collection<FinalDoc>('reservation_finals'),
  };
}

const indexes: [keyof Omit<Store, 'db'>, IndexDescription][] = [
  ['products', { key: { skuKey: 1 }, name: 'sku_key_unique', unique: true }],
  ['ledger', { key: { productId: 1, seq: -1 }, name: 'product_seq_unique', unique: true }],
  ['ledger', { key: { opKey: 1 }, name: 'op_key_unique', unique: true }],
  ['ledger', { key: { orderId: 1 }, name: 'order_id' }],
];

/** Idempotent. One index per call: FerretDB 1.24 drops the connection when a multi-index createIndexes repeats. */
export async function ensureIndexes(store: Store): Promise<void> {
  for (const [collection, spec] of indexes) {
    await store[collection].createIndexes([spec]);
  }
}

export function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === 11000;
}
